"""Where a query's words occur in a text: highlight spans and the snippet that shows them.

Matching folds each word of the text the way the index does, so `munchen` lights up
`München` and `Xocali` lights up `Xocalı`; CJK words are found inside their sentence.
"""  # noqa: RUF002 (the dotless i is the point)

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from clipper.search.folding import fold_letters, is_cjk, tokens, word_pattern
from clipper.search.query import And, Node, Or, Text

SNIPPET_CHARS = 180
SNIPPET_SCAN = 20_000  # characters of a long text searched for the snippet's matches
_LEAD = 50  # characters of context before the first highlighted word of a snippet
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Term:
    """A folded word to highlight; `prefix` when it matches any word it starts; `stemmed`
    when the search also found the other forms of the word (see `with_forms`)."""

    word: str
    prefix: bool = False
    stemmed: bool = False


@dataclass(frozen=True, slots=True)
class Marked:
    """Text cut into pieces, each either highlighted or not."""

    pieces: tuple[tuple[str, bool], ...]

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)


def terms_of(node: Node | None, *, fields: tuple[str | None, ...] = (None, "title")) -> list[Term]:
    """The words a query looks for in the text (not those it excludes or filters on)."""
    if node is None:
        return []
    if isinstance(node, Text):
        if node.field not in fields:
            return []
        words = tokens(fold_letters(node.text))
        stemmed = not (node.exact or node.prefix or _has_cjk(node.text)) and len(words) == 1
        return [
            Term(word, node.prefix and i == len(words) - 1, stemmed) for i, word in enumerate(words)
        ]
    if isinstance(node, And | Or):
        found: dict[Term, None] = {}
        for child in node.children:
            found.update(dict.fromkeys(terms_of(child, fields=fields)))
        return list(found)
    return []


def with_forms(terms: list[Term], title: str, text: str, language: str | None) -> list[Term]:
    """The terms plus the forms of their stemmed words that a title and text hold in their
    language (`elections` and `elected` for a search of `election`)."""
    from clipper.search.analysis import analyzer

    wanted = [term.word for term in terms if term.stemmed]
    if not wanted:
        return terms
    analyse = analyzer(language)
    stems = {stem for word in wanted for stem in analyse.terms(word)}
    if not stems:
        return terms
    known = {term.word for term in terms if not term.prefix}
    found = analyse.forms(title, stems) | analyse.forms(text[:SNIPPET_SCAN], stems)
    return terms + [Term(word) for word in sorted(found - known)]


def spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """The (start, end) of every word of `text` that a term matches, in order."""
    if not terms:
        return []
    if text.isascii() and all(t.word.isascii() for t in terms):
        return [m.span() for m in _ascii_pattern(tuple(terms)).finditer(text)]
    exact = {t.word for t in terms if not t.prefix and not _has_cjk(t.word)}
    prefixes = tuple(t.word for t in terms if t.prefix and not _has_cjk(t.word))
    cjk = [t.word for t in terms if _has_cjk(t.word)]
    found: list[tuple[int, int]] = []
    for match in word_pattern().finditer(text):
        word = match.group()
        if word.isascii():  # most words of most texts: folding is lower-casing
            lowered = word.lower()
            if lowered in exact or (prefixes and lowered.startswith(prefixes)):
                found.append(match.span())
            continue
        folded = fold_letters(word)
        parts = tokens(folded)
        if any(p in exact or (prefixes and p.startswith(prefixes)) for p in parts):
            found.append(match.span())
        elif cjk and _has_cjk(word):
            # Fold keeps CJK characters in place, so offsets in the folded word are the word's.
            haystack = folded if len(folded) == len(word) else word
            for needle in cjk:
                at = haystack.find(needle)
                while at >= 0:
                    found.append((match.start() + at, match.start() + at + len(needle)))
                    at = haystack.find(needle, at + len(needle))
    return _merged(found)


def mark(text: str, terms: list[Term]) -> Marked:
    """The whole text with the matched words highlighted."""
    return _pieces(text, spans(text, terms), 0, len(text))


def snippet(text: str, terms: list[Term], width: int = SNIPPET_CHARS) -> Marked:
    """A one-line excerpt of about `width` characters around the best cluster of matches."""
    found = spans(text[:SNIPPET_SCAN], terms)
    if not found:
        start = 0
    else:
        # The window of `width` characters from a match holding the most distinct words,
        # then the most matches; the earliest wins ties.
        words = [text[s:e].casefold() for s, e in found]
        best, best_score, end_at = found[0][0], (-1, -1), 0
        for first, (at, _) in enumerate(found):
            end_at = max(end_at, first)
            while end_at + 1 < len(found) and found[end_at + 1][1] <= at + width:
                end_at += 1
            score = (len(set(words[first : end_at + 1])), end_at + 1 - first)
            if score > best_score:
                best, best_score = at, score
        start = max(0, best - _LEAD)
        if start:  # begin at a word, not in the middle of one
            space = text.find(" ", start, best)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    marked = _pieces(text, found, start, end)
    pieces = [(_SPACES.sub(" ", piece), lit) for piece, lit in marked.pieces]
    if start > 0:
        pieces.insert(0, ("…", False))
    if end < len(text):
        pieces.append(("…", False))
    if pieces and not pieces[0][1]:
        pieces[0] = (pieces[0][0].lstrip(), False)
    return Marked(tuple(p for p in pieces if p[0]))


@functools.lru_cache(maxsize=32)
def _ascii_pattern(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """One regex for the terms, for ASCII text, where folding is only lower-casing."""
    ordered = sorted(terms, key=lambda t: -len(t.word))
    alternatives = [re.escape(t.word) + (r"[^\W_]*" if t.prefix else "") for t in ordered]
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])", re.IGNORECASE)


def _has_cjk(word: str) -> bool:
    return any(is_cjk(char) for char in word)


def _merged(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _pieces(text: str, found: list[tuple[int, int]], start: int, end: int) -> Marked:
    pieces: list[tuple[str, bool]] = []
    at = start
    for span_start, span_end in found:
        if span_end <= start or span_start >= end:
            continue
        lit_start, lit_end = max(span_start, start), min(span_end, end)
        if lit_start > at:
            pieces.append((text[at:lit_start], False))
        pieces.append((text[lit_start:lit_end], True))
        at = lit_end
    if at < end:
        pieces.append((text[at:end], False))
    return Marked(tuple(pieces))
