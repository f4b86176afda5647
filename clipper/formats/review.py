"""What every press-review format shares: sections, their order, dates and excerpts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clipper.errors import UsageError
from clipper.formats.stories import Story
from clipper.model import Clipping, date_key

GROUPINGS = ("date", "tag", "source", "none")
UNDATED = "Undated"
_WORD_SPAN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its stories, starred first, then newest first, undated last."""

    name: str
    stories: tuple[Story, ...]

    @property
    def clippings(self) -> tuple[Clipping, ...]:
        return tuple(c for story in self.stories for c in story.clippings)


def review_order(stories: Sequence[Story]) -> list[Story]:
    """Starred first, then dated stories newest first, then undated ones (newest clipped
    first), then by id for a stable order."""

    def newest(story: Story) -> tuple[int, str, str, int]:
        day = date_key(story.lead.published)
        return (1, day, "", story.lead.id) if day else (0, "", story.lead.captured, story.lead.id)

    ordered = sorted(stories, key=newest, reverse=True)
    return sorted(ordered, key=lambda s: not s.starred)


def sections(stories: Sequence[Story], group_by: str) -> list[Section]:
    """Stories grouped for a review. With `tag`, a story appears under each of its tags."""
    if group_by not in GROUPINGS:
        raise UsageError(f"cannot group by {group_by!r}: use one of {', '.join(GROUPINGS)}.")
    if group_by == "none":
        return [Section("", tuple(review_order(stories)))] if stories else []
    groups: dict[str, list[Story]] = {}
    for story in stories:
        for key in _keys(story, group_by):
            groups.setdefault(key, []).append(story)
    if group_by == "date":
        # Newest first by the ISO day the section stands for, never by its label's text
        # ("9 Dec" would come before "30 Nov"); a month or a year after its days.
        # Undated clippings (key '') come last, under a heading that says so.
        keys = sorted(groups, reverse=True)
        return [
            Section(human_date(key) or UNDATED, tuple(review_order(groups[key]))) for key in keys
        ]
    names = sorted(
        groups, key=lambda name: (name.startswith("("), -len(groups[name]), name.casefold())
    )
    return [Section(name, tuple(review_order(groups[name]))) for name in names]


def _keys(story: Story, group_by: str) -> list[str]:
    clipping = story.lead
    if group_by == "date":
        # The publication date only: the day it was clipped is no date of the story.
        return [date_key(clipping.published)]
    if group_by == "source":
        return [clipping.source or clipping.site or "(unknown outlet)"]
    return story.tags or ["(untagged)"]


def human_date(value: str | None) -> str:
    """23 Feb 2023 for a full date, Feb 2023 for a month, a year as it is; '' when missing."""
    if not value:
        return ""
    day = value[:10]
    try:
        if len(day) == 7:
            return date.fromisoformat(day + "-01").strftime("%b %Y")
        return date.fromisoformat(day).strftime("%-d %b %Y")
    except ValueError:
        return day


def date_range(clippings: Sequence[Clipping]) -> str:
    """The period the clippings were published in, such as '21 Feb 2023 to 26 Feb 2023' (with
    an en dash; one date when all agree), and how many are undated: capture dates are no part
    of it."""
    days = sorted(date_key(c.published) for c in clippings if c.published)
    undated = len(clippings) - len(days)
    parts = []
    if days:
        first, last = human_date(days[0]), human_date(days[-1])
        parts.append(first if first == last else f"{first} – {last}")
    if undated:
        parts.append(f"{undated} undated")
    return " · ".join(parts)


def dateline(clipping: Clipping) -> str:
    """The date a review shows for a clipping: its publication date, or, for an undated one,
    that it is undated and when it was clipped (never passed off as a publication date)."""
    if clipping.published:
        return human_date(clipping.published)
    clipped = human_date(clipping.captured)
    return f"undated, clipped {clipped}" if clipped else "undated"


def excerpt(text: str, words: int) -> tuple[str, bool]:
    """The first `words` words of the text with its paragraph breaks; True when cut short."""
    if words <= 0:
        raise UsageError("--excerpt takes a number of words greater than 0.")
    spans = list(_WORD_SPAN.finditer(text))
    if len(spans) <= words:
        return text, False
    return text[: spans[words - 1].end()].rstrip(" ,;:") + " …", True


def count_label(count: int, noun: str = "clipping") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
