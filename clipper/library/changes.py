"""What the everyday commands change in one clipping (tag, untag, note, star, quote, unquote),
as functions from a clipping to its new state: one definition that both a library folder and a
team library apply inside their own transactions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clipper import passages
from clipper.errors import UsageError
from clipper.model import Clipping, Draft, normalize_tags
from clipper.provenance import FIELDS as PROVENANCE_FIELDS
from clipper.provenance import validate_provenance

Change = Callable[[Clipping], Clipping]


def tagged(tags: list[str]) -> Change:
    """Add tags (tags the clipping already has are left as they are)."""
    wanted = normalize_tags(tags)
    return lambda c: c.with_changes(tags=normalize_tags([*c.tags, *wanted]))


def untagged(tags: list[str]) -> Change:
    unwanted = set(normalize_tags(tags))
    return lambda c: c.with_changes(tags=[t for t in c.tags if t not in unwanted])


def noted(note: str | None) -> Change:
    """Set the note; an empty one removes it."""
    text = (note or "").strip() or None
    return lambda c: c.with_changes(note=text)


def starred(star: bool) -> Change:
    return lambda c: c.with_changes(starred=star)


def quoted(passage: str) -> Change:
    """Keep a passage of the text as a highlight (found with case and spacing aside, kept as
    the text writes it); quoting it again changes nothing."""

    def change(clipping: Clipping) -> Clipping:
        found = passages.located(clipping.text, passage)
        if found in clipping.passages:
            return clipping
        return clipping.with_changes(passages=[*clipping.passages, found])

    return change


def unquoted(number: int) -> Change:
    """Drop passage `number` (1-based, as `clip show` numbers them)."""

    def change(clipping: Clipping) -> Clipping:
        if not 1 <= number <= len(clipping.passages):
            held = len(clipping.passages)
            raise UsageError(
                f"clipping {clipping.id} has {held} passage{'' if held == 1 else 's'}; "
                f"there is no passage {number}."
            )
        kept = [p for i, p in enumerate(clipping.passages, start=1) if i != number]
        return clipping.with_changes(passages=kept)

    return change


def edited_provenance(current: Clipping, clean: Draft, changes: dict[str, Any]) -> dict[str, str]:
    """A field the user changed is the user's own; cleared ones have no origin left."""
    origins = dict(clean.provenance)
    for name in PROVENANCE_FIELDS:
        if name in changes and getattr(clean, name) != getattr(current, name):
            origins[name] = "given"
    return validate_provenance(origins, clean)


def tag_renamed(tag: str, source: str, target: str) -> str:
    if tag == source:
        return target
    if tag.startswith(source + "/"):
        return target + tag[len(source) :]
    return tag
