"""Near-duplicate detection of an import at scale: what it decides does not depend on how the
candidates are found, and the clippings whose links an export carries are not compared with
each other, so that an export of a story's many copies costs lookups in proportion to them."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from clipper.capture import dedup
from clipper.capture.dedup import SignatureBuckets, near_duplicates
from clipper.library.near_links import MAX_NEAR_DUPLICATES, SCAN_BELOW, Candidate, detect
from clipper.model import count_words
from clipper.signature import text_signature

VOCABULARY = [f"{a}{b}" for a in ("ka", "lo", "mi", "ra", "te", "su", "no", "vi", "pe", "zo")
              for b in ("mar", "sel", "tor", "pin", "dus", "gel", "bor", "fen", "lak")]  # fmt: skip


def copies(stories: int, per_story: int, seed: int) -> list[str]:
    """Several stories, each told many times with a few words changed and an edition line, as
    the benchmark's replicated corpus tells them (and unrelated texts between them)."""
    rng = random.Random(seed)
    bases = [rng.choices(VOCABULARY, k=rng.randint(60, 160)) for _ in range(stories)]
    texts = []
    for n in range(stories * per_story):
        words = list(bases[rng.randrange(stories)])
        for _ in range(rng.randint(0, 12)):
            words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
        if rng.random() < 0.2:  # a shortened copy
            words = words[: len(words) * 2 // 3]
        if rng.random() < 0.1:  # a story of its own
            words = rng.choices(VOCABULARY, k=90)
        texts.append(" ".join(words) + f". Edition {n // stories}, item {n}.")
    return texts


def signed(texts: Sequence[str], first_id: int) -> list[Candidate]:
    return [(first_id + i, text_signature(t), count_words(t)) for i, t in enumerate(texts)]


def every_candidate_asked(
    new: Sequence[Candidate], kept: Sequence[Candidate], settled: frozenset[int]
) -> dict[int, list[tuple[int, float]]]:
    """What an import decides, found the plain way: each new clipping against every one before
    it and every kept one, two settled clippings never linked by the search."""
    found: dict[int, list[tuple[int, float]]] = {}
    for position, (item_id, signature, words) in enumerate(new):
        before = [c for c in new[:position] if not (item_id in settled and c[0] in settled)]
        pairs = near_duplicates(signature, words, [*before, *kept])
        if pairs:
            found[item_id] = sorted(pairs, key=lambda p: (-p[1], p[0]))[:MAX_NEAR_DUPLICATES]
    return found


@pytest.mark.parametrize("kept_count", [0, SCAN_BELOW - 1, 40])
@pytest.mark.parametrize("settled_share", [0.0, 0.5, 1.0])
def test_an_import_decides_what_asking_every_candidate_decides(
    kept_count: int, settled_share: float
) -> None:
    texts = copies(stories=6, per_story=25, seed=int(settled_share * 10) + kept_count)
    kept = signed(texts[:kept_count], first_id=1)
    new = signed(texts[kept_count:], first_id=1000)
    rng = random.Random(7)
    settled = frozenset(c[0] for c in new if rng.random() < settled_share)
    # The batch is big enough to search by buckets, or small enough to scan the kept ones.
    for batch in (new[: SCAN_BELOW - 1], new):
        found = detect(batch, kept, settled=settled)
        assert found == every_candidate_asked(batch, kept, settled)
    linked = sum(len(pairs) for pairs in found.values())  # many near copies were linked
    assert linked > (100 if settled_share < 1 else 10 if kept else -1)


def counted_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the signature comparisons of the buckets (each is one candidate examined)."""
    calls = [0]
    score = dedup._score

    def counting(*args: int) -> float | None:
        calls[0] += 1
        return score(*args)

    monkeypatch.setattr(dedup, "_score", counting)
    return calls


def test_an_exports_copies_of_one_story_are_not_compared_with_each_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = copies(stories=1, per_story=1, seed=1)[0]
    count = 60
    new = signed([f"{story} Edition {n}." for n in range(count)], first_id=1)
    assert SignatureBuckets().add_matching(*new[0]) == []
    calls = counted_comparisons(monkeypatch)
    settled = frozenset(c[0] for c in new)  # an export says how each is linked
    assert detect(new, [], settled=settled) == {}
    assert calls[0] == 0  # not 60 * 59 / 2 comparisons whose results would be dropped
    # One clipping whose links are not known yet is compared with each copy once.
    unknown = (count + 1, *new[0][1:])
    found = detect([*new, unknown], [], settled=settled)
    assert calls[0] == count
    assert len(found[count + 1]) == MAX_NEAR_DUPLICATES
