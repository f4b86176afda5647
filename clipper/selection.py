"""What `clip list` and `clip export` select (the order is the search index's business)."""

from __future__ import annotations

from dataclasses import dataclass, field

from clipper.model import Clipping, site_of


@dataclass(slots=True)
class Filter:
    """What `clip list` selects: every given condition must hold."""

    tags: list[str] = field(default_factory=list)
    source: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    starred: bool | None = None
    language: str | None = None  # a code: its variants match too (en covers en-GB)

    def matches(self, clipping: Clipping) -> bool:
        if self.tags and not all(has_tag(clipping, tag) for tag in self.tags):
            return False
        if self.source is not None and not _same_source(clipping, self.source):
            return False
        # A date of only a year or a month matches when part of that period is in range.
        if self.since and _period_end(clipping.date) < self.since:
            return False
        if self.until and clipping.date > self.until:
            return False
        if self.language is not None and not _same_language(clipping, self.language):
            return False
        return self.starred is None or clipping.starred == self.starred


def _period_end(day: str) -> str:
    """A YYYY or YYYY-MM date padded so that it compares as text like its last day."""
    return day + "-99-99"[len(day) - 4 :] if len(day) in (4, 7) else day


def has_tag(clipping: Clipping, tag: str) -> bool:
    """A clipping has a tag when it carries it or a tag below it (`region` covers `region/az`)."""
    return any(own == tag or own.startswith(tag + "/") for own in clipping.tags)


def _same_language(clipping: Clipping, wanted: str) -> bool:
    code, want = (clipping.language or "").lower(), wanted.lower()
    return code == want or code.startswith(want + "-")


def _same_source(clipping: Clipping, wanted: str) -> bool:
    want = wanted.casefold()
    return (clipping.source or "").casefold() == want or (site_of(clipping.url) or "") == want
