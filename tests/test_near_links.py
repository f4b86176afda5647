"""Near duplicates linked in bulk: an import among itself and with the clippings kept, an
export's own links kept, and `clip reindex` linking what is not linked yet."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from filelock import FileLock

from clipper.capture.dedup import SignatureBuckets, near_duplicates
from clipper.library.core import Library
from clipper.library.near_links import SCAN_BELOW
from clipper.model import Draft, count_words
from clipper.paths import LibraryPaths
from clipper.signature import text_signature
from tests.conftest import Clip
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, STORY, UNRELATED

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

HALF = "\n\n".join(STORY[:2])  # a shortened copy: the story's first two paragraphs


def other_stories(count: int, seed: int = 3) -> list[str]:
    """Texts that share no story with each other or with the tram story."""
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "ra", "te", "su", "no", "vi")
                  for b in ("mar", "sel", "tor", "pin", "dus", "gel", "bor", "fen")]  # fmt: skip
    return [" ".join(rng.choices(vocabulary, k=80)) + "." for _ in range(count)]


def draft(text: str, title: str = "A story", **fields: object) -> Draft:
    return Draft(text=text, title=title, **fields)  # type: ignore[arg-type]


def links(library: Library) -> dict[int, list[int]]:
    """Each clipping's links, sorted (their order is checked by the round trips of exports)."""
    return {c.id: sorted(c.near_duplicates) for c in library.clippings()}


def test_the_buckets_find_what_comparing_every_pair_finds() -> None:
    texts = [ORIGINAL, REPUBLISHED, HALF, UNRELATED, *other_stories(40)]
    texts += [text + " A sentence the second outlet added." for text in other_stories(10)]
    signed = [(i, text_signature(t), count_words(t)) for i, t in enumerate(texts)]
    buckets = SignatureBuckets()
    for position, (item_id, signature, words) in enumerate(signed):
        every_pair = near_duplicates(signature, words, signed[:position])
        assert buckets.add_matching(item_id, signature, words) == every_pair
    assert buckets.matches(*signed[1][1:]) == near_duplicates(*signed[1][1:], signed)
    for malformed in ("", "zz" * 64, "_a" * 64, "a " * 64, "ab" * 63):
        assert buckets.add_matching(99, malformed, 40) == [] == buckets.matches(malformed, 40)


@pytest.mark.parametrize("padding", [0, SCAN_BELOW + 2])  # each way of comparing with the kept
def test_an_import_links_copies_of_one_story_both_ways(library: Library, padding: int) -> None:
    library.add(draft(ORIGINAL, "Tram line approved"))
    batch = [draft(t) for t in other_stories(padding)]
    batch += [draft(UNRELATED), draft(REPUBLISHED), draft(HALF)]
    added = library.add_many(batch).added
    unrelated, republished, half = (c.id for c in added[-3:])
    found = links(library)
    assert found[1] == [republished, half]
    assert found[republished] == [1, half]
    assert found[half] == [1, republished]
    assert found[unrelated] == []
    assert all(found[c.id] == [] for c in added[:-3])
    indexed = library.find([1, half])  # the index has the links too, without a rebuild
    assert sorted(indexed[1].near_duplicates) == [republished, half]
    assert sorted(indexed[half].near_duplicates) == [1, republished]


@pytest.mark.local_only  # the files of a library folder
def test_a_dry_run_counts_the_links_and_writes_nothing(library: Library) -> None:
    library.add(draft(ORIGINAL))
    before = library.paths.store.read_bytes()
    added = library.add_many([draft(REPUBLISHED), draft(UNRELATED)], dry_run=True).added
    assert [bool(c.near_duplicates) for c in added] == [True, False]
    assert library.paths.store.read_bytes() == before


def test_an_exports_links_are_kept_as_they_were_under_the_new_ids(library: Library) -> None:
    library.add(draft(UNRELATED))
    # As exported from another library: 7 and 9 linked (whatever their texts; 12 was not
    # exported), 8 and 10 copies of one story that library never linked. 11 comes from
    # elsewhere (no links said), so it is compared with all.
    batch = [
        draft(other_stories(2)[0], id=7, near_duplicates=[9, 12]),
        draft(ORIGINAL, id=8, near_duplicates=[]),
        draft(other_stories(2)[1], id=9, near_duplicates=[7]),
        draft(REPUBLISHED, id=10, near_duplicates=[]),
        draft(HALF, id=11),
    ]
    first, original, second, republished, half = (c.id for c in library.add_many(batch).added)
    assert first == 2  # a used library: its own numbering
    found = links(library)
    assert found[first] == [second] and found[second] == [first]
    assert found[original] == [half] and found[republished] == [half]
    assert found[half] == [original, republished]


@pytest.mark.local_only  # the files of a library folder
def test_reindex_links_the_near_duplicates_not_linked_yet(library: Library) -> None:
    library.add_many([draft(ORIGINAL, near_duplicates=[]), draft(UNRELATED, near_duplicates=[]),
                      draft(REPUBLISHED, near_duplicates=[])])  # fmt: skip
    assert links(library) == {1: [], 2: [], 3: []}
    assert library.link_near_duplicates() == 2
    assert links(library) == {1: [3], 2: [], 3: [1]}
    before = library.paths.store.read_bytes()
    assert library.link_near_duplicates() == 0
    assert library.paths.store.read_bytes() == before  # nothing to link: nothing written


def test_with_nothing_to_link_reindex_only_reads(library_home: Path) -> None:
    Library(LibraryPaths(library_home)).add_many([draft(ORIGINAL), draft(REPUBLISHED)])
    busy = Library(LibraryPaths(library_home), lock_timeout=0.05)
    with FileLock(library_home / "clippings.json.lock"):  # a writer at work
        assert busy.link_near_duplicates() == 0


@pytest.mark.local_only  # the files of a library folder
def test_reindex_says_how_many_it_linked(clip: Clip, tmp_path: Path) -> None:
    lines = [{"text": t, "title": "Story", "near_duplicates": []}
             for t in (ORIGINAL, UNRELATED, REPUBLISHED)]  # fmt: skip
    backup = tmp_path / "old.jsonl"
    backup.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    assert clip("import", str(backup), "--json").exit_code == 0
    result = clip("reindex")
    assert result.exit_code == 0
    assert "2 clippings newly linked with their near duplicates" in result.stderr
    shown = orjson.loads(clip("show", "1", "3", "--json").stdout)
    assert [c["near_duplicates"] for c in shown] == [[3], [1]]
    again = orjson.loads(clip("reindex", "--json").stdout)
    assert again["linked"] == 0 and again["indexed"] == 3
    assert "newly linked" not in clip("reindex").stderr


@pytest.mark.local_only  # the files of a library folder
def test_an_empty_library_reindexes_without_creating_a_store(library: Library) -> None:
    assert library.link_near_duplicates() == 0
    assert not library.paths.store.exists()
