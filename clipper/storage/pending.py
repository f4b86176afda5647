"""Pending links: the near-duplicate links a write adds to records it does not otherwise change,
kept in the manifest's `pending` table instead of a rewrite of those records' segments.

    "pending": {"4821": {"near_duplicates": [100347]}}    clipping 4821 gains a link to 100347

A near-duplicate add links the new clipping with up to ten kept copies spread over the library;
rewriting their segments to add one id to each cost more than the add itself. The links go
to the manifest, which the commit replaces anyway (the commit point), and every read of a
segment applies those of its records (`apply`, called where a segment is read: Manifest.segment)
so no reader sees a record without them. A commit that rewrites a segment folds its links into
it and drops them from the table; past MAX_PENDING ids the commit folds the segments holding
most of them (Transaction.bound_pending). See docs/decisions/015-pending-links.md.

A hand-edited entry that is not of this shape is damage: reads ignore it, writes keep it as it
was read, `clip doctor` reports it and `--repair` folds what can be used of it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

from clipper.model import MAX_ID
from clipper.storage.check import record_id
from clipper.storage.layout import CLIPPINGS, TRASH, Record, segment_of

FIELD = "near_duplicates"
# The ids with pending links a manifest holds at most before the commit folds some. An entry
# is about 40 bytes and about 2 us to read; every command reads the manifest one to four times:
# 1,000 entries add about 40 KB and 2 ms to each read, while a fold costs a segment's read and
# write (about 8 ms). Measured in docs/decisions/015-pending-links.md.
MAX_PENDING = 1_000
# A commit over the bound folds at most this many segments: one add links at most ten
# records (library.near_links.MAX_NEAR_DUPLICATES), and each segment folded drops at least
# one, so the table cannot outgrow the bound by more than one add's links.
FOLDS_PER_COMMIT = 10


def linked_ids(value: object) -> set[int] | None:
    """The ids of a list of clipping ids; None when it is no such list."""
    if type(value) is not list:
        return None
    ids = set(value)
    if not all(type(i) is int for i in ids) or (ids and not 1 <= min(ids) <= max(ids) <= MAX_ID):
        return None
    return ids if len(ids) == len(value) else None


@dataclass
class Pending:
    """The pending table as read: sound links by record id, and damaged entries as read."""

    links: dict[int, set[int]] = field(default_factory=dict)
    damaged: dict[str, Any] = field(default_factory=dict)  # key -> entry, kept as read
    problems: list[str] = field(default_factory=list)  # why each damaged entry is
    # A table that is no table at all (a hand edit), kept as read: links then go to their
    # segments as before (Transaction.link), until `clip doctor --repair` empties it.
    unusable: tuple[object] | None = None  # (the table as read,)
    _grouped: tuple[int, dict[int, dict[int, set[int]]]] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, table: object) -> Pending:
        pending = cls()
        if not isinstance(table, dict):
            pending.unusable = (table,)
            pending.problems.append(
                f"the pending links of clippings.json are not a table ({_shown(table)})"
            )
            return pending
        for key, entry in table.items():
            # Every command reads the manifest: the usual entry is checked in a few steps.
            number = record_id(key)
            value = entry.get(FIELD) if type(entry) is dict and len(entry) == 1 else None
            ids = linked_ids(value)
            if number is None or ids is None:
                pending.damaged[key] = entry
                pending.problems.append(
                    f"the pending links of clipping {key!r} in clippings.json are damaged "
                    f"({_shown(entry)}): clip ignores them"
                )
                continue
            ids.discard(number)
            if ids:
                pending.links[number] = ids
        return pending

    def copy(self) -> Pending:
        links = {i: set(ids) for i, ids in self.links.items()}
        return Pending(links, dict(self.damaged), list(self.problems), self.unusable)

    def __len__(self) -> int:
        return len(self.links)

    def of_segment(self, number: int, size: int) -> dict[int, set[int]]:
        """The links of the records of one segment."""
        if not self.links:
            return {}
        if self._grouped is None or self._grouped[0] != size:
            grouped: dict[int, dict[int, set[int]]] = {}
            for record, ids in self.links.items():
                grouped.setdefault(segment_of(record, size), {})[record] = ids
            self._grouped = (size, grouped)
        return self._grouped[1].get(number, {})

    def add(self, links: dict[int, set[int]]) -> None:
        self._grouped = None
        for record, ids in links.items():
            self.links.setdefault(record, set()).update(ids - {record})

    def fold(self, number: int, size: int, kept_aside: set[int]) -> None:
        """Drop the links of a segment just rewritten with them applied; a damaged record's
        (`kept_aside`: written back as read, without them) stay until it is fixed."""
        for record in [i for i in self.of_segment(number, size) if i not in kept_aside]:
            del self.links[record]
        self._grouped = None

    def busiest(self, size: int) -> list[int]:
        """The segments holding pending links, those holding most first."""
        counts = Counter(segment_of(i, size) for i in self.links)
        return [number for number, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))]

    def table(self) -> object:
        """The table as the manifest keeps it: by id, damaged entries as they were read."""
        if self.unusable is not None:
            return self.unusable[0]
        return {**_sound(self.links), **self.damaged}

    def key_of(self, number: int, size: int) -> str | None:
        """What changes when the pending links of a segment do (for Store.state)."""
        links = self.of_segment(number, size)
        if not links:
            return None
        blob = orjson.dumps(sorted((i, sorted(ids)) for i, ids in links.items()))
        return hashlib.blake2b(blob, digest_size=8).hexdigest()


def _sound(links: dict[int, set[int]]) -> dict[str, Record]:
    return {str(i): {FIELD: sorted(links[i])} for i in sorted(links)}


def apply(tables: dict[str, dict[str, Record]], links: dict[int, set[int]]) -> None:
    """Add pending links to the records of a segment's tables (kept or trashed), in place: each
    record changed is a new dict (the one read may be shared)."""
    for record, ids in links.items():
        key = str(record)
        for table in (CLIPPINGS, TRASH):
            found = tables[table].get(key)
            if found is None:
                continue
            current = linked_ids(found.get(FIELD)) or set()
            if not ids <= current:
                tables[table][key] = {**found, FIELD: sorted(current | ids)}


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
