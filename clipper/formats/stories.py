"""Stories, not copies: clippings linked as near duplicates fold into one story, shown once
with the outlets that also carried it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clipper.model import Clipping, date_key


@dataclass(frozen=True, slots=True)
class Story:
    """One story: the copy shown (`lead`) and the other copies, oldest first."""

    lead: Clipping
    copies: tuple[Clipping, ...] = ()

    @property
    def clippings(self) -> tuple[Clipping, ...]:
        return (self.lead, *self.copies)

    @property
    def starred(self) -> bool:
        return any(c.starred for c in self.clippings)

    @property
    def tags(self) -> list[str]:
        """Every tag of every copy, in the order they come: a story tagged once is tagged."""
        return list(dict.fromkeys(tag for c in self.clippings for tag in c.tags))

    def also_in(self) -> str:
        """'APA, Trend (2)': the outlets of the other copies, with a count when more than one."""
        counts = Counter(outlet(c) for c in self.copies)
        names = dict.fromkeys(outlet(c) for c in self.copies)
        return ", ".join(f"{n} ({counts[n]})" if counts[n] > 1 else n for n in names)


def outlet(clipping: Clipping) -> str:
    return clipping.source or clipping.site or "unknown outlet"


def first_published(clipping: Clipping) -> tuple[int, str, str, int]:
    """Oldest first: dated copies by publication, undated ones after them by capture."""
    day = date_key(clipping.published)
    return (0, day, "", clipping.id) if day else (1, "", clipping.captured, clipping.id)


def lead_first(copies: Iterable[Clipping]) -> list[Clipping]:
    """The copy a review shows first: a starred one, else the earliest published."""
    return sorted(copies, key=lambda c: (not c.starred, first_published(c)))


def fold(clippings: Sequence[Clipping], *, group: bool = True) -> list[Story]:
    """The clippings as stories, in the order of their first copy; links to clippings outside
    the selection are ignored. With `group` False, every clipping is a story of its own."""
    if not group:
        return [Story(c) for c in clippings]
    by_id = {c.id: c for c in clippings}
    parent = {c.id: c.id for c in clippings}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for clipping in clippings:
        for other in clipping.near_duplicates:
            if other in parent:
                a, b = root(clipping.id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[int, list[Clipping]] = {}
    for clipping in clippings:
        members.setdefault(root(clipping.id), []).append(by_id[clipping.id])
    stories = []
    for copies in members.values():
        ordered = lead_first(copies)
        stories.append(Story(ordered[0], tuple(sorted(ordered[1:], key=first_published))))
    return stories
