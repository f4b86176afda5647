"""Near duplicates: a compact MinHash signature of a text's word shingles, and its comparison.

The same wire story republished by another outlet shares most of its three-word shingles with
the first copy, whatever was added around it. One-permutation MinHash (Li, Owen and Zhang, 2012)
keeps, for each of 64 bins, the smallest hash of the shingles falling into it; two texts agree in
a bin with probability equal to the Jaccard similarity of their shingle sets. Each bin keeps
one byte of its minimum, so a signature is 64 bytes, stored as 128 hex characters, and a
comparison is one XOR. Empty bins (short texts) borrow from the next filled bin, so that
every bin can be compared ("rotation" densification, Shrivastava and Li, 2014).

The bin agreement is converted to containment with the word counts, so that a shortened copy
still counts as a copy. In bulk (an import, `clip reindex`), the 64 bins make 32 bands of two
bins and a signature is compared only with those sharing a band (`SignatureBuckets`), with the
same test as `clip add`. That finds what comparing every pair finds (on the 2,225 BBC News
articles, the same 337 clippings linked the same way), but for about 8% of the pairs at the
very threshold of the test (a short excerpt of a story three times as long), and costs about
0.3 s of CPU for 10,000 clippings, where comparing every pair would take half a minute.
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Iterable

from clipper.signature import BINS, SHINGLE_WORDS

# From this overlap on, a text counts as the same story: most of the shorter text is in the other.
NEAR_DUPLICATE = 0.8
MIN_JACCARD = 0.25


def similarity(first: str, second: str) -> float:
    """Estimated Jaccard similarity of two texts from their signatures (0 when either is '')."""
    if len(first) != BINS * 2 or len(second) != BINS * 2:
        return 0.0
    try:
        differing = int(first, 16) ^ int(second, 16)
    except ValueError:
        return 0.0
    return differing.to_bytes(BINS, "big").count(0) / BINS


def overlap(first: str, first_words: int, second: str, second_words: int) -> float:
    """How much of the shorter text the longer one holds, estimated from the signatures.

    Jaccard similarity undersells a shortened copy (half the story scores about 0.5); with the
    texts' lengths it converts to containment, trusted only once Jaccard itself is clear of
    the estimate's noise (MIN_JACCARD).
    """
    return _containment(similarity(first, second), first_words, second_words)


def _containment(jaccard: float, first_words: int, second_words: int) -> float:
    smaller = min(first_words, second_words) - SHINGLE_WORDS + 1
    if jaccard < MIN_JACCARD or smaller <= 0:
        return jaccard
    larger = max(first_words, second_words) - SHINGLE_WORDS + 1
    shared = jaccard / (1 + jaccard) * (smaller + larger)
    return max(jaccard, min(1.0, shared / smaller))


def near_duplicates(
    signature: str, words: int, candidates: Iterable[tuple[int, str, int]]
) -> list[tuple[int, float]]:
    """(id, overlap) of the candidates (id, signature, word count) telling the same story,
    most similar first. Built for a pass over a whole library: most candidates cost one XOR."""
    if len(signature) != BINS * 2:
        return []
    mine = int(signature, 16)
    found = []
    for candidate_id, other, other_words in candidates:
        if not other or len(other) != BINS * 2:
            continue
        try:
            value = int(other, 16)
        except ValueError:
            continue
        score = _score(mine, words, value, other_words)
        if score is not None:
            found.append((candidate_id, score))
    return sorted(found, key=lambda item: (-item[1], item[0]))


def _score(mine: int, words: int, value: int, other_words: int) -> float | None:
    """The overlap of two signatures when they tell the same story, else None."""
    agreeing = (mine ^ value).to_bytes(BINS, "big").count(0)
    if agreeing < min(MIN_JACCARD, NEAR_DUPLICATE) * BINS:
        return None
    score = _containment(agreeing / BINS, words, other_words)
    return score if score >= NEAR_DUPLICATE else None


class SignatureBuckets:
    """Signatures in locality-sensitive buckets, so that a batch finds its near duplicates
    without comparing every pair (a 10,000-clipping import would be 50 million comparisons).

    The 64 bins make 32 bands of two; two signatures meet in a bucket when they agree on both
    bins of a band, and are then compared as `near_duplicates` does. A pair agreeing on k bins
    misses every band only when no band holds two of them: 8% of the pairs at k = 16 (the least
    `near_duplicates` considers, reached only by a short excerpt of a story three times as long,
    where the estimate itself is a coin toss), 1.2% at k = 20, 0.07% at k = 24, never from k = 33;
    a copy of about the same length needs k >= 43. Unrelated signatures share a band about once
    in two thousand pairs. Overlapping bands (64) would miss less at k = 16 (0.6%) at twice
    the cost: 0.55 s of CPU instead of 0.27 s for 10,000 clippings.
    """

    def __init__(self) -> None:
        # One dictionary for all bands: a key is the band's two bytes and its number.
        self._buckets: dict[int, list[int]] = {}
        self._items: dict[int, tuple[int, int]] = {}  # the signature as a number, words

    def add(self, item_id: int, signature: str, words: int) -> None:
        """Remember a signature ('' and malformed ones are never near duplicates)."""
        self._pass(item_id, signature, words, match=False)

    def matches(self, signature: str, words: int) -> list[tuple[int, float]]:
        """(id, overlap) of the signatures added that tell the same story, most similar first."""
        return self._pass(None, signature, words, match=True)

    def add_matching(self, item_id: int, signature: str, words: int) -> list[tuple[int, float]]:
        """`matches`, then `add`, in one pass over the bands."""
        return self._pass(item_id, signature, words, match=True)

    def _pass(
        self, item_id: int | None, signature: str, words: int, *, match: bool
    ) -> list[tuple[int, float]]:
        try:
            raw = bytes.fromhex(signature)
        except ValueError:
            return []
        if len(raw) != BINS or len(signature) != BINS * 2:  # a hand edit, or spaces in it
            return []
        mine = int.from_bytes(raw, "big")
        buckets = self._buckets
        seen: set[int] = set()
        for key in map(operator.or_, _BAND_VALUES(raw), _BAND_NUMBERS):
            bucket = buckets.get(key)
            if bucket is None:
                if item_id is not None:
                    buckets[key] = [item_id]
                continue
            if match:
                seen.update(bucket)
            if item_id is not None:
                bucket.append(item_id)
        if item_id is not None:
            self._items[item_id] = (mine, words)
        found = []
        for other_id in seen:
            value, other_words = self._items[other_id]
            score = _score(mine, words, value, other_words)
            if score is not None:
                found.append((other_id, score))
        return sorted(found, key=lambda item: (-item[1], item[0]))


_BAND_VALUES = struct.Struct(f">{BINS // 2}H").unpack  # the two bytes of each band
_BAND_NUMBERS = [band << 16 for band in range(BINS // 2)]


def band_keys(signature: str) -> list[int]:
    """The buckets a signature falls in, as SignatureBuckets bands it (its two bytes and the
    band's number): what the search index keeps to find candidates without a scan. Empty
    for '' and malformed signatures, which are never near duplicates."""
    try:
        raw = bytes.fromhex(signature)
    except ValueError:
        return []
    if len(raw) != BINS or len(signature) != BINS * 2:
        return []
    return list(map(operator.or_, _BAND_VALUES(raw), _BAND_NUMBERS))
