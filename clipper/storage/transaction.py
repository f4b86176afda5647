"""A change to the store in progress: the manifest's meta table, and the segments it touched.

Segments are loaded lazily: `get`, `put` and `remove` of an id load that id's segment only; a
scan of a table (`all`, `records`) loads them one after another and should be rare on a write
path. Counts come from the manifest for the segments not loaded. `link` adds near-duplicate
links to records without loading their segments: they wait in the manifest's pending table
(storage/pending). `Store.transaction` writes the changed segments and the manifest when the
block succeeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from clipper.errors import StoreError
from clipper.model import MAX_ID
from clipper.storage import pending
from clipper.storage.check import Damage, counter
from clipper.storage.layout import (
    CLIPPINGS,
    META,
    META_KEY,
    TRASH,
    Record,
    id_range,
    segment_of,
)
from clipper.storage.pending import Pending
from clipper.storage.segments import Manifest, Segment, legacy_segments


def _bounded(new_id: int) -> int:
    if new_id > MAX_ID:
        raise StoreError(f"the library has used every id up to {MAX_ID}; nothing was saved.")
    return new_id


class Transaction:
    """The store's tables while a change is being made; written when the transaction ends."""

    def __init__(self, manifest: Manifest, folder: Path) -> None:
        self._manifest = manifest
        self._folder = folder
        self.size = manifest.size
        self.noticed: list[Damage] = []  # damaged records seen, for the command's warning
        self.broken: dict[int, str] = {}  # segments that could not be read, and why
        self._meta: dict[str, Record] = {}
        self.segments: dict[int, Segment] = {}
        self.meta_dirty = False
        self._highest: int | None = None
        self._links: dict[int, set[int]] = {}  # added by `link`, by record id
        self.folded: set[int] = set()  # segments rewritten only to fold their pending links
        self.rollback()

    # Loading -----------------------------------------------------------------------------

    def _segment(self, number: int) -> Segment:
        segment = self.segments.get(number)
        if segment is None:
            segment = self._manifest.segment(self._folder, number)
            first, last = id_range(number, self.size)
            pending.apply(segment.tables, {i: ids for i, ids in self._links.items()
                                           if first <= i <= last})  # fmt: skip
            self.noticed += segment.damage
            if segment.broken:
                self.broken[number] = segment.broken
            self.segments[number] = segment
        return segment

    def _writable(self, number: int) -> Segment:
        """The segment, refused when its file cannot be read (nothing of it is known)."""
        segment = self._segment(number)
        if segment.broken:
            first, last = id_range(number, self.size)
            raise StoreError(
                f"the segment of clippings {first}-{last} cannot be read ({segment.broken}); "
                "clip will not change it. `clip doctor --repair` salvages it. Nothing was "
                "changed."
            )
        return segment

    def _numbers(self) -> list[int]:
        return sorted({*self._manifest.entries, *self.segments})

    @property
    def changed(self) -> bool:
        return self.meta_dirty or bool(self._links) or any(s.dirty for s in self.segments.values())

    # Reading -----------------------------------------------------------------------------

    def all(self, table: str) -> dict[int, Record]:
        """Copies of the records of a table, by id: safe to change."""
        return {record_id: dict(record) for record_id, record in self.records(table)}

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        """The records of a table as stored, without copies: for reading only."""
        if table == META:
            for key, record in self._meta.items():
                yield int(key), record
            return
        for number in self._numbers():
            if self._empty_in(number, table):
                continue
            for key, record in self._segment(number).tables[table].items():
                yield int(key), record

    def _empty_in(self, number: int, table: str) -> bool:
        """Whether the manifest says a segment not loaded holds nothing of `table`: a scan of
        the trash (every add's duplicate check) then reads only the segments that have some.
        The counts are clip's own; a hand edit that moves records without them is what
        `clip doctor` reports and `--repair` recounts."""
        if number in self.segments or self._manifest.legacy is not None:
            return False
        count = self._manifest.entries.get(number, {}).get(table)
        return isinstance(count, int) and not isinstance(count, bool) and count == 0

    def count(self, table: str) -> int:
        if table == META:
            return len(self._meta)
        loaded = sum(len(s.tables[table]) for s in self.segments.values())
        entries = self._manifest.entries
        rest = sum(int(e.get(table) or 0) for n, e in entries.items() if n not in self.segments)
        return loaded + rest

    def get(self, table: str, record_id: int) -> Record | None:
        if table == META:
            found = self._meta.get(str(record_id))
        else:
            # A record of a segment that cannot be read is unknown, not absent: refused.
            segment = self._writable(segment_of(record_id, self.size))
            found = segment.tables[table].get(str(record_id))
        return dict(found) if isinstance(found, dict) else None

    def get_many(self, table: str, record_ids: Iterable[int]) -> dict[int, Record]:
        """Copies of the records with these ids (missing ones are absent)."""
        return {i: found for i in record_ids if (found := self.get(table, i)) is not None}

    @property
    def has_damaged(self) -> bool:
        """Whether the segments read hold damaged records (or could not be read)."""
        return any(s.aside or s.broken for s in self.segments.values())

    # Changing ----------------------------------------------------------------------------

    def put(self, table: str, record_id: int, record: Record) -> None:
        self.put_many(table, {record_id: record})

    def put_many(self, table: str, records: dict[int, Record]) -> None:
        """Store records under their ids, replacing whole records that exist."""
        if table == META:
            self._meta.update({str(i): record for i, record in records.items()})
            self.meta_dirty = self.meta_dirty or bool(records)
            return
        for record_id, record in records.items():
            segment = self._writable(segment_of(record_id, self.size))
            if str(record_id) in segment.aside.get(table, {}):
                raise StoreError(  # the write would replace what the user has yet to fix
                    f"clipping {record_id} is damaged in clippings.json ({table}, in "
                    f"clippings.d/{segment.file}); fix it by hand first (see `clip doctor`). "
                    "Nothing was changed."
                )
            segment.tables[table][str(record_id)] = record
            segment.dirty = True
            if self._highest is not None and record_id > self._highest:
                self._highest = record_id

    def remove(self, table: str, record_ids: list[int]) -> None:
        for record_id in record_ids:
            segment = self._segment(segment_of(record_id, self.size))
            if segment.tables[table].pop(str(record_id), None) is not None:
                segment.dirty = True

    def clear(self, table: str) -> None:
        entries = self._manifest.entries
        for number in self._numbers():
            if number in self.segments or int(entries[number].get(table) or 0):
                segment = self._segment(number)
                if segment.tables[table]:
                    self._writable(number).tables[table].clear()
                    segment.dirty = True

    def link(self, record_id: int, others: Iterable[int]) -> None:
        """Add `others` to the near duplicates of clipping `record_id` (kept or trashed),
        without reading or writing its segment: the links wait in the manifest (see
        storage/pending) until a commit rewrites that segment anyway. A record that does not
        exist gains nothing (its links are dropped when its segment is next written)."""
        ids = set(others) - {record_id}
        if not ids:
            return
        number = segment_of(record_id, self.size)
        table = self._manifest.pending
        if table.unusable is not None or str(record_id) in table.damaged:
            # A pending table damaged as a whole, or this record's entry (a hand edit), is
            # left as it is: the links go to the record itself, as before pending links.
            tables = self._writable(number).tables
            before = [dict(tables[t].get(str(record_id)) or {}) for t in (CLIPPINGS, TRASH)]
            pending.apply(tables, {record_id: ids})
            after = [tables[t].get(str(record_id)) or {} for t in (CLIPPINGS, TRASH)]
            self.segments[number].dirty = self.segments[number].dirty or before != after
            return
        self._links.setdefault(record_id, set()).update(ids)
        loaded = self.segments.get(number)
        if loaded is not None:  # what this transaction reads of it from now on has them
            pending.apply(loaded.tables, {record_id: ids})

    @property
    def pending(self) -> Pending:
        """The pending links the commit writes, before those of the segments it rewrites are
        folded into them (commit.write)."""
        table = self._manifest.pending.copy()
        table.add(self._links)
        return table

    def bound_pending(self) -> None:
        """Past MAX_PENDING ids with pending links, mark for rewriting (and so folding) the
        segments holding most of them, at most FOLDS_PER_COMMIT (see storage/pending)."""
        if not self._links:
            return  # only a write that adds links makes the table grow
        table = self.pending
        held = {n: len(table.of_segment(n, self.size)) for n in table.busiest(self.size)}
        dirty = {n for n, s in self.segments.items() if s.dirty}
        excess = len(table) - pending.MAX_PENDING - sum(held[n] for n in dirty if n in held)
        folded = 0
        for number, count in held.items():
            if excess <= 0 or folded >= pending.FOLDS_PER_COMMIT:
                break
            if number in dirty or self._segment(number).broken:
                continue
            self.segments[number].dirty = True
            self.folded.add(number)
            folded += 1
            excess -= count

    def rollback(self) -> None:
        """Forget every change of this transaction: nothing will be written."""
        self._meta = {k: dict(v) for k, v in self._manifest.meta.items()}
        self.segments = {}
        self.meta_dirty = False
        self._highest = None
        self._links = {}
        self.folded = set()
        legacy = self._manifest.legacy
        if legacy is not None:
            # A schema-1 file: every segment is new, written by the first commit (migration).
            self.segments = legacy_segments(legacy, self.size)
            for segment in self.segments.values():
                segment.dirty = True
                self.noticed += segment.damage

    # Meta and ids ------------------------------------------------------------------------

    @property
    def meta_table(self) -> dict[str, Record]:
        """The manifest's meta table as it will be written, by key."""
        return self._meta

    @property
    def meta(self) -> Record:
        record = self._meta.get(META_KEY)
        return dict(record) if isinstance(record, dict) else {}

    def set_meta(self, **values: Any) -> None:
        self.put_many(META, {int(META_KEY): {**self.meta, **values}})

    def allocate_id(self) -> int:
        """A new clipping id: never one that was handed out before, even if since deleted."""
        if self._highest is None:
            # Once per transaction: the last segment holds the highest id (a hand-added record
            # above next_id, or a damaged one: its id is taken too, it may be repaired).
            numbers = [n for n in self._numbers() if n in self.segments or self._has_records(n)]
            self._highest = self._segment(numbers[-1]).highest_id() if numbers else 0
        # A next_id broken by a hand edit counts for nothing; the ids in use still count.
        next_id = _bounded(max(counter(self.meta, "next_id", 1) or 1, self._highest + 1))
        self.set_meta(next_id=next_id + 1)
        self._highest = next_id
        return next_id

    def _has_records(self, number: int) -> bool:
        entry = self._manifest.entries[number]
        return bool(int(entry.get(CLIPPINGS) or 0) + int(entry.get(TRASH) or 0))
