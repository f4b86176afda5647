"""Passages: the parts of a clipping's text the user quotes, found in the text and kept as
they are written there."""

from __future__ import annotations

import re
from collections.abc import Sequence

from clipper.errors import UsageError

_WORD = re.compile(r"\S+")


def find(text: str, passage: str) -> tuple[int, int] | None:
    """Where `passage` occurs in `text` (start, end), ignoring case and how the spaces and line
    breaks fall; None when it does not occur."""
    words = _WORD.findall(passage)
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    found = re.search(pattern, text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def located(text: str, passage: str, *, number: int | None = None) -> str:
    """The passage as the text writes it; a UsageError when it is not in the text."""
    if not passage.strip():
        raise UsageError("a passage needs words: give the words to quote, as in the text.")
    span = find(text, passage)
    if span is None:
        which = f"passage {number} " if number is not None else "the passage "
        shown = " ".join(passage.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise UsageError(
            f"{which}{shown!r} does not occur in the text (case and spacing aside); "
            "copy it from `clip show --raw`."
        )
    return text[span[0] : span[1]]


def lines(text: str, first: int, last: int | None) -> str:
    """Lines `first` to `last` of the text (1-based, inclusive, as `clip show --raw | cat -n`
    counts them), without the blank lines around them."""
    all_lines = text.split("\n")
    last = first if last is None else last
    if first < 1 or last < first:
        raise UsageError("--from-line and --to-line take line numbers from 1, the first first.")
    if first > len(all_lines):
        raise UsageError(f"the text has {len(all_lines)} lines; --from-line {first} is beyond.")
    chosen = "\n".join(all_lines[first - 1 : min(last, len(all_lines))]).strip()
    if not chosen:
        raise UsageError(f"lines {first} to {last} are blank: there is nothing to quote.")
    return chosen


def validated(text: str, passages: Sequence[str]) -> list[str]:
    """Each passage as the text writes it, without repeats; a UsageError names the first one
    the text does not hold (after an edit of the text, say)."""
    kept: dict[str, None] = {}
    for number, passage in enumerate(passages, start=1):
        if not isinstance(passage, str):
            raise UsageError("passages must be a list of text values.")
        kept.setdefault(located(text, passage, number=number), None)
    return list(kept)


def spans(text: str, passages: Sequence[str]) -> list[tuple[int, int]]:
    """Where each passage stands in the text, in text order (for highlighting)."""
    found = [span for span in (find(text, p) for p in passages) if span is not None]
    return sorted(found)


def in_text_order(text: str, passages: Sequence[str]) -> list[str]:
    """The passages in the order they come in the text (those no longer found last)."""
    def position(passage: str) -> int:
        span = find(text, passage)
        return span[0] if span else len(text) + 1

    return sorted(passages, key=position)
