"""The MinHash signature of a text: what a clipping keeps to find its near duplicates.

Below both the model (which signs a clipping's text) and capture/dedup.py (which compares
signatures), so that the model depends on nothing above it. How the signature is built and
why is in capture/dedup.py's docstring.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

BINS = 64
SHINGLE_WORDS = 3
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_K1, _K2, _K3 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0xFF51AFD7ED558CCD
_REST_BITS = 58  # the top six bits of a hash choose its bin (64 bins)
_REST_MASK = (1 << _REST_BITS) - 1


def shingle_hashes(text: str) -> set[int]:
    """64-bit hashes of the text's overlapping three-word sequences (after NFKC and casefold).

    Each word is hashed once (CRC-32) and the three word hashes of a shingle are mixed with
    odd multipliers: about three times faster than hashing each shingle's text, which matters
    when a bulk import signs thousands of clippings.
    """
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) < SHINGLE_WORDS:
        return set()
    cache: dict[str, int] = {}
    hashed = [cache.get(w) or cache.setdefault(w, zlib.crc32(w.encode("utf-8"))) for w in words]
    return {
        (((a * _K1) ^ (b * _K2) ^ c) * _K3) & _MASK
        for a, b, c in zip(hashed, hashed[1:], hashed[2:], strict=False)
    }


def text_signature(text: str) -> str:
    """The MinHash signature of a text as hex, or '' when the text is too short to compare."""
    hashes = shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return ""
    minima: list[int | None] = [None] * BINS
    for value in hashes:
        slot, rest = value >> _REST_BITS, value & _REST_MASK
        current = minima[slot]
        if current is None or rest < current:
            minima[slot] = rest
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
