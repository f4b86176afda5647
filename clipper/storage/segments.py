"""Reading the manifest and the segment files it names, one segment at a time, with the
manifest's pending links applied (`Manifest.segment`: every reader of a segment goes through it).

A segment is read whole (about 3 MB) and its records checked (storage/check): damaged ones
are set aside and written back as they were. A record stored in the segment of another id
range is damage too (a hand edit that moved it): reads by id would never find it. A segment
file that cannot be read or parsed leaves its segment `broken`: the others still read, and
writes that would touch it are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clipper.errors import StoreError
from clipper.storage import layout, pending
from clipper.storage.check import Damage, counter, record_id, split_tables
from clipper.storage.layout import (
    CLIPPINGS,
    META,
    META_KEY,
    PENDING,
    SEGMENT_SIZE,
    SEGMENTS,
    TRASH,
    Record,
    id_range,
    parse_file_name,
    segment_of,
)
from clipper.storage.pending import Pending
from clipper.storage.read import SCHEMA_VERSION, parse_segment, parse_store, read_raw


class Vanished(Exception):
    """A segment file named by the manifest read was removed by a writer meanwhile."""


@dataclass
class Segment:
    """One segment as read: its sound records by table and key, and what was set aside."""

    number: int
    file: str | None  # the file it was read from; None for a segment not yet written
    tables: dict[str, dict[str, Record]] = field(default_factory=lambda: {CLIPPINGS: {}, TRASH: {}})
    aside: dict[str, dict[str, Any]] = field(default_factory=dict)
    damage: list[Damage] = field(default_factory=list)
    broken: str | None = None  # why the file could not be used
    dirty: bool = False
    size: int = SEGMENT_SIZE  # ids a segment of its library holds

    def whole(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Its clippings and trash, damaged records put back as they were read."""
        return tuple(  # type: ignore[return-value]
            {**self.aside.get(table, {}), **self.tables[table]} for table in (CLIPPINGS, TRASH)
        )

    def highest_id(self) -> int:
        tables = [*self.tables.values(), *self.aside.values()]
        ids = [i for table in tables for key in table if (i := record_id(key)) is not None]
        return max(ids, default=id_range(self.number, self.size)[1] if self.broken else 0)


@dataclass
class Manifest:
    """clippings.json as read: its meta table and segment entries, or a schema-1 file's tables."""

    raw: bytes | None
    meta: dict[str, Record]
    entries: dict[int, Record]
    legacy: dict[str, dict[str, Any]] | None = None  # the tables of a schema-1 file
    pending: Pending = field(default_factory=Pending)  # links waiting for their segments

    @property
    def version(self) -> int:
        """The schema it was written with (that of this clip for a library not written yet)."""
        if self.raw is None:
            return SCHEMA_VERSION
        found = self.record.get("schema_version", 1 if self.legacy is not None else SCHEMA_VERSION)
        return found if isinstance(found, int) else 1

    def segment(self, folder: Path, number: int, *, vanish: bool = False) -> Segment:
        """Segment `number` as the manifest has it: the file it names, read, with the pending
        links of its records applied (a segment it names no file for: empty)."""
        name = self.files.get(number)
        if name is None:
            return Segment(number, None, size=self.size)
        found = read_segment(folder, number, name, size=self.size, vanish=vanish)
        pending.apply(found.tables, self.pending.of_segment(number, self.size))
        return found

    @property
    def record(self) -> Record:
        found = self.meta.get(META_KEY)
        return dict(found) if isinstance(found, dict) else {}

    @property
    def size(self) -> int:
        """The ids per segment of this library: as written, else this clip's (a new library)."""
        size = self.record.get("segment_size")
        valid = isinstance(size, int) and not isinstance(size, bool) and size >= 1
        return size if valid else layout.SEGMENT_SIZE  # type: ignore[return-value]

    @property
    def files(self) -> dict[int, str]:
        return {n: str(entry.get("file")) for n, entry in self.entries.items()}

    @property
    def newest_generation(self) -> int:
        """The highest generation the manifest or its file names know (a hand edit may have
        lowered the counter: a new file must never take the name of a current one)."""
        named = [g for name in self.files.values() if (p := parse_file_name(name)) for g in p[1:]]
        return max([counter(self.record, "generation", 0) or 0, *named])


def read_manifest(path: Path) -> Manifest:
    """The manifest (or schema-1 file) at `path`; an empty one when there is none."""
    raw = read_raw(path)
    if raw is None:
        return Manifest(None, {}, {})
    data = parse_store(raw, path)
    meta = data.get(META, {})
    if SEGMENTS not in data and (CLIPPINGS in data or TRASH in data or _version(meta) < 2):
        return Manifest(raw, meta, {}, legacy=data)
    links = Pending.parse(data[PENDING]) if PENDING in data else Pending()
    entries: dict[int, Record] = {}
    for key, entry in data.get(SEGMENTS, {}).items():
        number = record_id(key)
        name = entry.get("file") if isinstance(entry, dict) else None
        parsed = parse_file_name(name) if isinstance(name, str) else None
        if number is None or parsed is None or parsed[0] != number:
            raise StoreError(
                f"{path} names a segment wrongly ({key!r}: {entry!r}); clip has not changed "
                "it. `clip doctor` tells more."
            )
        entries[number] = entry
    return Manifest(raw, meta, entries, pending=links)


def _version(meta: dict[str, Record]) -> int:
    record = meta.get(META_KEY)
    version = record.get("schema_version", 1) if isinstance(record, dict) else 1
    return version if isinstance(version, int) else 1


def read_segment(
    folder: Path, number: int, name: str, *, size: int, vanish: bool = False
) -> Segment:
    """Segment `number` from its file `name`; with `vanish`, a missing file raises Vanished
    (a lock-free reader starts over) instead of leaving the segment broken."""
    path = folder / name
    try:
        raw = read_raw(path)
        if raw is None:
            if vanish:
                raise Vanished(name)
            return Segment(number, name, broken=f"{path} is missing", size=size)
        data = parse_segment(raw, path)
    except StoreError as error:
        return Segment(number, name, broken=error.message, size=size)
    return split_segment(number, name, data, size)


def split_segment(
    number: int, name: str | None, data: dict[str, dict[str, Any]], size: int
) -> Segment:
    """A segment's tables as sound records and set-aside ones (damaged, or out of its range)."""
    sound, aside, damage = split_tables({t: data.get(t, {}) for t in (CLIPPINGS, TRASH)})
    first, last = id_range(number, size)
    for table in (CLIPPINGS, TRASH):
        misplaced = [k for k in sound[table] if not first <= int(k) <= last]
        for key in misplaced:
            aside.setdefault(table, {})[key] = sound[table].pop(key)
            damage.append(Damage(table, key, f"is stored in the segment of ids {first}-{last}"))
    return Segment(number, name, sound, aside, damage, size=size)


def legacy_segments(tables: dict[str, dict[str, Any]], size: int) -> dict[int, Segment]:
    """A schema-1 file's clippings and trash, split into the segments of their ids."""
    sound, aside, damage = split_tables({t: tables.get(t, {}) for t in (CLIPPINGS, TRASH)})
    segments: dict[int, Segment] = {}

    def segment(key: str) -> Segment:
        number = segment_of(record_id(key) or 1, size)  # a key that is no id: the first
        return segments.setdefault(number, Segment(number, None, size=size))

    for table in (CLIPPINGS, TRASH):
        for key, record in sound[table].items():
            segment(key).tables[table][key] = record
        for key, record in aside.get(table, {}).items():
            segment(key).aside.setdefault(table, {})[key] = record
    for found in damage:
        segment(found.key).damage.append(found)
    return segments


def entry_of(segment: Segment, name: str, size: int) -> Record:
    """The manifest's record of a segment file just written."""
    clippings, trash = segment.whole()
    return {"file": name, CLIPPINGS: len(clippings), TRASH: len(trash), "bytes": size}


__all__ = ["SEGMENT_SIZE", "Manifest", "Segment", "Vanished", "read_manifest", "read_segment"]
