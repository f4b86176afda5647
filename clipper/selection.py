"""What `clip list` and `clip export` select (the order is the search index's business)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Filter:
    """What `clip list` selects: every given condition must hold."""

    tags: list[str] = field(default_factory=list)
    source: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    starred: bool | None = None
    language: str | None = None  # a code: its variants match too (en covers en-GB)
