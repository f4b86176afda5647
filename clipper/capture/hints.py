"""What the user says about a clipping on the command line: it always wins over detection."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Hints:
    """Fields given by the user (`--title`, `--url`, `--source`, `--author`, `--date`, `--lang`).

    Capture fills in only what is missing here; a given field is never replaced by a guess.
    """

    title: str | None = None
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None

    def given(self, value: str | None) -> str | None:
        """A hint's value, or None when the user left it out or blank."""
        return value if value and value.strip() else None
