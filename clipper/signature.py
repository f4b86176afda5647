"""The MinHash signature of a text: what a clipping keeps to find its near duplicates.

Below both the model (which signs a clipping's text) and capture/dedup.py (which compares
signatures), so that the model depends on nothing above it. How the signature is built and
why is in capture/dedup.py's docstring.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from array import array

BINS = 64
SHINGLE_WORDS = 3
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_K1, _K2, _K3 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0xFF51AFD7ED558CCD
_REST_BITS = 58  # the top six bits of a hash choose its bin (64 bins)
_REST_MASK = (1 << _REST_BITS) - 1


def shingle_hashes(text: str) -> set[int]:
    """64-bit hashes of the text's overlapping three-word sequences (after NFKC and casefold)."""
    return _shingles(unicodedata.normalize("NFKC", text).casefold())


def _shingles(folded: str) -> set[int]:
    """The shingle hashes of a text already in NFKC and casefolded.

    Each word is hashed once (CRC-32) and the three word hashes of a shingle are mixed with
    odd multipliers: about three times faster than hashing each shingle's text, which matters
    when a bulk import signs thousands of clippings. The word hashes are remembered from one
    text to the next (a language's common words are most of every text), up to a bound.
    """
    return _word_shingles(_WORD.findall(folded))


def _word_shingles(words: list[str]) -> set[int]:
    """`_shingles` of a text's words (its `\\w+` runs, in order)."""
    if len(words) < SHINGLE_WORDS:
        return set()
    if len(_WORD_HASHES) > _WORDS_REMEMBERED:
        _WORD_HASHES.clear()
    hashed = list(map(_WORD_HASHES.__getitem__, words))
    return {
        (((a * _K1) ^ (b * _K2) ^ c) * _K3) & _MASK
        for a, b, c in zip(hashed, hashed[1:], hashed[2:], strict=False)
    }


class _WordHashes(dict[str, int]):
    """CRC-32 of a word's UTF-8, computed the first time the word is asked for."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_WORD_HASHES = _WordHashes()
_WORDS_REMEMBERED = 200_000  # about 25 MB at most, then forgotten and learned again


def text_signature(text: str) -> str:
    """The MinHash signature of a text as hex, or '' when the text is too short to compare."""
    return _signed(shingle_hashes(text))


def normalized_signature(normalized: str) -> str:
    """`text_signature` of a text already normalized as model.normalize_text does it (NFKC,
    casefolded, whitespace collapsed): the same words, so the same signature, without
    normalizing the text a second time."""
    return _signed(_shingles(normalized))


# From this many texts on, `normalized_signatures` loads numpy (about 0.1 s) and signs them
# all at once: the shingles' arithmetic in arrays instead of Python integers.
VECTORIZED_FROM = 500


def normalized_signatures(texts: list[str]) -> list[tuple[str, int]]:
    """`normalized_signature` of each text, the same signatures, for a bulk import; each with
    the number of the text's words (its `\\w+` runs), which the signing finds anyway."""
    if len(texts) < VECTORIZED_FROM:
        return [_signed_and_counted(_WORD.findall(text)) for text in texts]
    step = 1000  # texts a pass: arrays of a few hundred thousand words
    passes = (_signed_together(texts[at : at + step]) for at in range(0, len(texts), step))
    return [signature for signed in passes for signature in signed]


def _signed_and_counted(words: list[str]) -> tuple[str, int]:
    return _signed(_word_shingles(words)), len(words)


def _signed_together(texts: list[str]) -> list[tuple[str, int]]:
    """The signatures of many texts in one pass of array arithmetic: every text's word hashes
    end to end, the shingles mixed as `_shingles` mixes them (uint64 arithmetic wraps as the
    mask does), those across two texts dropped, and each text's minimum per bin taken by
    `minimum.at`. A text with an empty bin, or with fewer filled bins than MIN_SHINGLES (it
    may then have too few distinct shingles), is signed by `normalized_signature` itself."""
    import numpy as np

    hashes = _WORD_HASHES
    flat = array("Q")  # the word hashes, end to end, handed to numpy without a copy
    counts: list[int] = []
    for text in texts:
        if len(hashes) > _WORDS_REMEMBERED:
            hashes.clear()
        words = _WORD.findall(text)
        flat.extend(map(hashes.__getitem__, words))
        counts.append(len(words))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    word = np.frombuffer(flat, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (word[:-2] * np.uint64(_K1) ^ word[1:-1] * np.uint64(_K2) ^ word[2:]) * np.uint64(
            _K3
        )
    inside = owner[:-2] == owner[2:]  # the three words of the shingle in one text
    mixed, first = mixed[inside], owner[:-2][inside]
    cell = first * BINS + (mixed >> np.uint64(_REST_BITS)).astype(np.int64)
    minima = np.full(len(texts) * BINS, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(minima, cell, mixed & np.uint64(_REST_MASK))
    filled = np.bincount(cell, minlength=len(texts) * BINS).reshape(len(texts), BINS) > 0
    by_text = minima.reshape(len(texts), BINS)
    low = (by_text & np.uint64(0xFF)).astype(np.uint8)
    bins_filled = filled.sum(axis=1).tolist()
    signatures = []
    for number, text in enumerate(texts):
        if bins_filled[number] == BINS:
            signature = low[number].tobytes().hex()
        elif bins_filled[number] < MIN_SHINGLES:  # perhaps too few shingles: the plain way
            signature = normalized_signature(text)
        else:  # empty bins borrow, as in `_signed`
            row = zip(by_text[number].tolist(), filled[number].tolist(), strict=True)
            signature = _densified([value if full else None for value, full in row])
        signatures.append((signature, counts[number]))
    return signatures


def _signed(hashes: set[int]) -> str:
    if len(hashes) < MIN_SHINGLES:
        return ""
    minima: list[int | None] = [None] * BINS
    for value in hashes:
        slot, rest = value >> _REST_BITS, value & _REST_MASK
        current = minima[slot]
        if current is None or rest < current:
            minima[slot] = rest
    return _densified(minima)


def _densified(minima: list[int | None]) -> str:
    """The signature of the minima of the bins, an empty bin borrowing from the next."""
    filled = [
        _borrow(minima, slot) if minima[slot] is None else minima[slot] for slot in range(BINS)
    ]
    return bytes((value or 0) & 0xFF for value in filled).hex()


def _borrow(minima: list[int | None], slot: int) -> int:
    """An empty bin takes the next filled bin's minimum, mixed with the distance it came."""
    for distance in range(1, BINS):
        value = minima[(slot + distance) % BINS]
        if value is not None:
            return ((value * 0x9E3779B97F4A7C15) >> 40) + distance
    return 0
