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
from typing import Any

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

    hashed = _hashed_together(texts)
    if hashed is None:  # a text holding the separator: each text's words found in turn
        hashed = _hashed_apart(texts)
    word, counts = hashed
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
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


def _hashed_apart(texts: list[str]) -> tuple[Any, list[int]]:
    """The CRC-32 of every word of the texts, end to end (uint64), and each text's number of
    words: the regex's words, each hashed (and remembered) as `_shingles` hashes it."""
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
    return np.frombuffer(flat, dtype=np.uint64), counts


# Words of at most this many bytes are hashed in the arrays, a byte position at a time; a
# longer one (rare: a run of letters and digits such as a long code) by zlib, alone.
_ARRAY_WORD_BYTES = 48


def _hashed_together(texts: list[str]) -> tuple[Any, list[int]] | None:
    """What `_hashed_apart` gives, found in arrays: the texts' UTF-8 end to end, each byte
    marked as in a word when its character matches `\\w` (ASCII by a table, any other
    character asked of the regex once), the words the runs of marked bytes, and their CRC-32
    (zlib's: the reflected polynomial, by a table) computed for all the words at once, a byte
    position at a time, the longest first. None when a text holds a newline, which separates
    them here (a normalized text has none: its whitespace is collapsed)."""
    import numpy as np

    if any("\n" in text for text in texts):
        return None
    joined = "\n".join(texts).encode("utf-8")
    data = np.zeros(len(joined) + 4, dtype=np.uint8)  # zeros after: a lead byte's reach
    data[: len(joined)] = np.frombuffer(joined, dtype=np.uint8)
    size = len(joined)
    marked = _ascii_word_bytes()[data[:size]]
    high = np.flatnonzero(data[:size] >= 0xC0)  # the first byte of each other character
    if len(high):
        _mark_characters(data, high, marked)
    edges = np.flatnonzero(np.diff(marked.astype(np.int8), prepend=0, append=0))
    starts, ends = edges[0::2], edges[1::2]
    lengths = ends - starts
    crcs = np.full(len(starts), 0xFFFFFFFF, dtype=np.uint32)
    order = np.argsort(-lengths, kind="stable")  # the longest first: those still going lead
    by_length = lengths[order]
    first = starts[order]
    short = int(np.searchsorted(-by_length, -_ARRAY_WORD_BYTES, side="left"))
    longest = int(by_length[short]) if short < len(by_length) else 0
    # longer than each position: words of more than k bytes, the first `going[k]` in order
    going = np.searchsorted(-by_length[short:], -np.arange(longest), side="left") + short
    table = _crc_table()
    state = crcs[order]
    for position in range(longest):
        n = int(going[position])
        current = state[short:n]
        byte = data[first[short:n] + position]
        state[short:n] = table[(current ^ byte) & 0xFF] ^ (current >> np.uint32(8))
    state ^= np.uint32(0xFFFFFFFF)
    for at in range(short):  # the long words, alone
        begin = int(first[at])
        state[at] = zlib.crc32(joined[begin : begin + int(by_length[at])])
    crcs[order] = state
    breaks = np.flatnonzero(data[:size] == 0x0A)
    owner = np.searchsorted(breaks, starts)  # the texts before a word: its text's number
    counts = np.bincount(owner, minlength=len(texts)).tolist()
    return crcs.astype(np.uint64), counts


def _mark_characters(data: Any, leads: Any, marked: Any) -> None:
    """Mark the bytes of each character beyond ASCII (its first byte at `leads`) that
    matches `\\w`, decoding its code point from its two to four bytes of UTF-8."""
    import numpy as np

    lead = data[leads].astype(np.int64)
    second, third, fourth = (data[leads + k].astype(np.int64) & 0x3F for k in (1, 2, 3))
    width = np.where(lead >= 0xF0, 4, np.where(lead >= 0xE0, 3, 2))
    point = np.where(
        width == 2,
        ((lead & 0x1F) << 6) | second,
        np.where(
            width == 3,
            ((lead & 0x0F) << 12) | (second << 6) | third,
            ((lead & 0x07) << 18) | (second << 12) | (third << 6) | fourth,
        ),
    )
    distinct, which = np.unique(point, return_inverse=True)
    words = np.array([_WORD.match(chr(int(c))) is not None for c in distinct.tolist()])
    word = words[which]
    for k in range(4):
        inside = width > k
        marked[leads[inside] + k] = word[inside]


_TABLES: dict[str, Any] = {}


def _ascii_word_bytes() -> Any:
    """Which of the 256 byte values are an ASCII character matching `\\w` (none above 127)."""
    table = _TABLES.get("ascii")
    if table is None:
        import numpy as np

        table = _TABLES["ascii"] = np.array(
            [n < 128 and _WORD.match(chr(n)) is not None for n in range(256)]
        )
    return table


def _crc_table() -> Any:
    """zlib's CRC-32 table: the reflected polynomial 0xEDB88320, a byte at a time."""
    table = _TABLES.get("crc")
    if table is None:
        import numpy as np

        values = []
        for n in range(256):
            crc = n
            for _ in range(8):
                crc = (crc >> 1) ^ 0xEDB88320 if crc & 1 else crc >> 1
            values.append(crc)
        table = _TABLES["crc"] = np.array(values, dtype=np.uint32)
    return table


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
