"""A clipping's text cut for the web view: paragraphs of pieces, each marked when it holds a
word of the query searched for or a passage the user quoted."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.search.highlight import Marked

_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    hit: bool = False  # a word of the query
    quoted: bool = False  # inside a passage (`clip quote`)


def spans_of(marked: Marked) -> list[tuple[int, int]]:
    """Where the highlighted pieces of a whole marked text stand in it."""
    found, at = [], 0
    for text, lit in marked.pieces:
        if lit:
            found.append((at, at + len(text)))
        at += len(text)
    return found


def paragraphs(
    text: str, hits: Sequence[tuple[int, int]], quoted: Sequence[tuple[int, int]]
) -> list[list[Piece]]:
    """The text's paragraphs (split at blank lines), each as pieces cut wherever a hit or a
    passage begins or ends; a passage may run over several paragraphs."""
    found: list[list[Piece]] = []
    start = 0
    breaks = [(m.start(), m.end()) for m in _BREAK.finditer(text)] + [(len(text), len(text))]
    for end, after in breaks:
        pieces = _pieces(text, start, end, hits, quoted)
        if any(piece.text.strip() for piece in pieces):
            found.append(pieces)
        start = after
    return found


def _pieces(
    text: str, start: int, end: int,
    hits: Sequence[tuple[int, int]], quoted: Sequence[tuple[int, int]],
) -> list[Piece]:  # fmt: skip
    cuts = {start, end}
    for first, last in (*hits, *quoted):
        cuts.update(x for x in (first, last) if start < x < end)
    ordered = sorted(cuts)
    return [
        Piece(text[a:b], _inside(a, hits), _inside(a, quoted))
        for a, b in itertools.pairwise(ordered)
        if a < b
    ]


def _inside(at: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(first <= at < last for first, last in spans)
