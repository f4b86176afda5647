"""The store segments the index reflects, and catching up with them.

The index keeps, per store segment, the version key it had when last read (`segments`
table) and, per clipping, the segment holding it (`docs.segment`). A stale index reads again
only the segments whose key changed; a write through the library hands over what it changed
(`Changes`) instead. Taking a clipping's words out of the contentless FTS table needs the text
it had: the one given, when its digest is the one indexed; else the index is rebuilt
(`Rebuild`), as for a clipping gone from the store behind clip's back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import orjson

from clipper.model import Clipping
from clipper.search.rows import Progress, Record, add_links, digest, insert, remove
from clipper.storage.check import Damage


class SourceState(Protocol):
    """What the store says it is (`Store.state()`): its write generation, and per segment a
    stable name and a key that changes whenever that segment's content does."""

    @property
    def generation(self) -> int: ...

    @property
    def segments(self) -> Mapping[str, tuple[object, ...]]: ...


class Source(Protocol):
    """The store as the index reads it: its state, and one segment's records at a time."""

    def state(self) -> SourceState: ...

    def read_segment(self, name: str) -> Mapping[str, Mapping[int, Record]]: ...


@dataclass(slots=True)
class Changes:
    """What one store transaction changed among the clippings, for the index; `old_texts`:
    the texts clippings had before the change, where it changed or dropped them (the index
    needs them to take the old words out)."""

    upserts: dict[int, Record] = field(default_factory=dict)
    deletes: set[int] = field(default_factory=set)
    old_texts: dict[int, str] = field(default_factory=dict)
    # The store segment of each clipping changed, by id, when the writer knows it (the
    # library, from the ids' ranges): a write across segments then names them all.
    segments: dict[int, str] = field(default_factory=dict)
    # Near-duplicate links added to clippings otherwise unchanged, whose records were not
    # read (a near-duplicate add: storage/pending): by id, the ids each gained.
    links: dict[int, set[int]] = field(default_factory=dict)
    # Segments the write rewrote only to fold their pending links in: the same records, with
    # the links the index was given when they were made.
    folded: set[str] = field(default_factory=set)

    def put(self, clipping: Clipping, *, was: Clipping | None = None) -> None:
        self.upserts[clipping.id] = clipping.to_dict()
        self.deletes.discard(clipping.id)
        if was is not None and was.text != clipping.text:
            self.old_texts.setdefault(clipping.id, was.text)

    def put_records(self, records: dict[int, Record]) -> None:
        for record_id, record in records.items():
            self.upserts[record_id] = record
            self.deletes.discard(record_id)

    def drop(self, clippings: Iterable[Clipping]) -> None:
        for clipping in clippings:
            self.upserts.pop(clipping.id, None)
            self.deletes.add(clipping.id)
            self.old_texts.setdefault(clipping.id, clipping.text)

    def link(self, links: Mapping[int, set[int]]) -> None:
        for record_id, ids in links.items():
            self.links.setdefault(record_id, set()).update(ids)


def keys(state: SourceState) -> dict[str, str]:
    """The segments' version keys as the segments table keeps them."""
    return {name: orjson.dumps(list(key)).decode() for name, key in state.segments.items()}


def read(source: Source, name: str) -> tuple[Mapping[int, Record], list[Damage]]:
    """The clippings of one segment, and the damaged records the store skipped in it (a store
    notes them in `skipped`, see Store.note; a source without it reports none)."""
    skipped = getattr(source, "skipped", None)
    if not isinstance(skipped, dict):
        return source.read_segment(name).get("clippings", {}), []
    source.skipped = {}  # type: ignore[attr-defined]  # only this segment's, for the moment
    try:
        records = source.read_segment(name).get("clippings", {})
        damaged = [d for d in source.skipped.values() if isinstance(d, Damage)]  # type: ignore[attr-defined]
    finally:
        source.skipped = {**skipped, **source.skipped}  # type: ignore[attr-defined]
    return records, damaged


Reads = dict[str, tuple[Mapping[int, Record], list[Damage]]]  # segments read, by name


class Rebuild(Exception):
    """A catch-up cannot take out what it must (see rows.StaleText): rebuild instead."""


def apply_reads(
    conn: sqlite3.Connection, reads: Reads, vanished: list[str], progress: Progress | None
) -> None:
    """Index what changed in the segments read again, and take out those that vanished;
    Rebuild (or rows.StaleText) when a clipping must go whose text is not at hand."""
    names = [*reads, *vanished]
    marks = ", ".join("?" * len(names))
    have: dict[int, tuple[str | None, bytes, bytes]] = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute(
            "SELECT id, segment, digest, text_digest FROM docs "
            f"WHERE segment IS NULL OR segment IN ({marks})",
            names,
        )
    }
    found: dict[int, tuple[str, Record]] = {
        i: (name, record) for name, (records, _) in reads.items() for i, record in records.items()
    }
    if any(i not in found for i in have):
        raise Rebuild  # gone from the store (by hand): its indexed words are not at hand
    changed: dict[str, dict[int, Record]] = {}
    moved: list[tuple[str, int]] = []
    for record_id, (name, record) in found.items():
        indexed = have.get(record_id)
        if indexed is None:
            indexed = _row_of(conn, record_id)
        if indexed is not None and indexed[1] == digest(orjson.dumps(record)):
            if indexed[0] != name:
                moved.append((name, record_id))
            continue
        changed.setdefault(name, {})[record_id] = record
    old = [i for records in changed.values() for i in records if i in have or _row_of(conn, i)]
    remove(conn, old, {i: [str(found[i][1].get("text") or "")] for i in old})
    total, done = sum(len(records) for records in changed.values()), 0
    for name, records in changed.items():
        insert(conn, records.items(), total, progress, segment=name, done=done)
        done += len(records)
    conn.executemany("UPDATE docs SET segment = ? WHERE id = ?", moved)
    for name in names:
        record_damage(conn, name, reads[name][1] if name in reads else [])


def _row_of(conn: sqlite3.Connection, record_id: int) -> tuple[str | None, bytes, bytes] | None:
    row = conn.execute(
        "SELECT segment, digest, text_digest FROM docs WHERE id = ?", (record_id,)
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def apply_changes(
    conn: sqlite3.Connection, changes: Changes, indexed: Mapping[str, str],
    before: SourceState, after: SourceState,
) -> bool:  # fmt: skip
    """Index one committed write (inside the caller's write transaction); whether the index
    now reflects `after`. `indexed`: the segments the index reflected before."""
    # Current only when it reflected the state this write changed and no other
    # write came between (`after` is taken once the lock is released).
    current = dict(indexed) == keys(before) and after.generation == before.generation + 1
    old_keys, new_keys = keys(before), keys(after)
    touched = [n for n in {*old_keys, *new_keys} if old_keys.get(n) != new_keys.get(n)]
    doomed = [*changes.upserts, *changes.deletes]
    # Only linked: their cards gain the links; they stay where they are.
    linked = {i: ids for i, ids in changes.links.items() if i not in changes.upserts
              and i not in changes.deletes}  # fmt: skip
    # Which segment holds each clipping indexed: the one touched, or for a write across
    # segments (a near duplicate's links) those the writer named, when they are exactly the
    # segments that changed; else none, and the next read reads them again (and names them).
    homes: dict[int, str | None] = dict.fromkeys(changes.upserts)
    named = current and bool(doomed) and {
        changes.segments.get(i) for i in [*doomed, *linked]
    } | changes.folded == {*touched}
    if current and len(touched) == 1:
        homes = dict.fromkeys(changes.upserts, touched[0])
    elif named:
        homes = {i: changes.segments[i] for i in changes.upserts}
    texts = {
        i: [t for t in (changes.old_texts.get(i), _text_of(changes.upserts.get(i)))
            if t is not None]
        for i in doomed
    }  # fmt: skip
    remove(conn, doomed, texts)
    for home in dict.fromkeys(homes.values()):
        records = [(i, r) for i, r in changes.upserts.items() if homes[i] == home]
        insert(conn, records, len(records), None, segment=home)
    add_links(conn, linked)
    if current:
        if len(touched) > 1 and not named:  # read again (and named) by the next read
            new_keys = {n: k for n, k in new_keys.items() if n not in touched}
        record_state(conn, new_keys, after.generation)
    return current


def _text_of(record: Record | None) -> str | None:
    if record is None:
        return None
    text = record.get("text")
    return text if isinstance(text, str) else ""


def record_state(conn: sqlite3.Connection, keys: dict[str, str], generation: int) -> None:
    """What the index now reflects: these segments at these keys, at this generation."""
    conn.execute("UPDATE state SET generation = ?", (generation,))
    conn.execute("DELETE FROM segments")
    conn.executemany("INSERT INTO segments VALUES (?, ?)", sorted(keys.items()))


def record_damage(conn: sqlite3.Connection, segment: str, damaged: Sequence[Damage]) -> None:
    """The damaged records a read of the segment skipped (a write through the library keeps
    damaged records as they are: no change there)."""
    conn.execute("DELETE FROM damaged WHERE segment = ?", (segment,))
    conn.executemany(
        "INSERT INTO damaged VALUES (?, ?, ?, ?)",
        [(segment, d.table, d.key, d.reason) for d in damaged],
    )


def damaged_in(conn: sqlite3.Connection) -> list[Damage]:
    """The damaged records of the store the index reflects."""
    return [Damage(*row) for row in conn.execute("SELECT tbl, key, reason FROM damaged")]
