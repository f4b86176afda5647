"""Metadata found field by field: the first clue that gives a value wins, and is remembered
as the value's provenance.

The origins recorded in the draft's `provenance` map: `given`, `page metadata`, `headline`,
`byline`, `dateline`, `source line`, `signature`, `attribution`, `url`, `feed`, `detected`,
`generated`. The map is stored with the clipping, shown by `clip show`, kept by exports; an
edited field becomes `given`, a cleared one loses its entry; older records simply have none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A clue: a value (or a function giving one, asked only when the clues before gave nothing),
# and its origin. A function may give (value, origin) itself, as `find_outlet` does.
Clue = tuple[str | Callable[[], str | tuple[str, str] | None] | None, str]


@dataclass(slots=True)
class Found:
    """Values found so far, and for each field how it was found."""

    title: str = ""
    values: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)

    def pick(self, name: str, clues: Sequence[Clue]) -> str | None:
        """The first value the clues give for a field, remembered with its origin."""
        for clue, origin in clues:
            value = clue() if callable(clue) else clue
            value, how = value if isinstance(value, tuple) else (value, origin)
            if value:
                self.values[name] = value
                self.origins[name] = how
                return value
        return None
