"""The store: clippings.json (a manifest) and the segment files it names, changed under a lock.

The store is the truth of a library; everything else (the search index) is derived from it.

Writers: `transaction()` takes the library's one lock, reads the manifest and loads only the
segments the change touches (storage/transaction). On success each changed segment is written
under a new name (temporary file, fsync, rename), then the manifest is replaced atomically
(it holds the new generation), then the superseded segment files are deleted. A crash at any
point leaves the old manifest (new segment files are debris, swept by the next writer) or the
new one: readers never see half a change.

Readers take no lock: they read the manifest, then the segment files it names; when one has
vanished (a writer committed and cleaned up in between) they start over from the manifest.
Every segment read has the manifest's pending links applied (Manifest.segment).

What the search index uses, lock-free:
- `read_records(table, ids)`: just those records; only the segments holding them are parsed.
- `scan(table)`: every record of a table, one segment at a time (memory: one segment).
- `state()`: the generation and, per segment name ('000003'), a version key (file name, size,
  mtime_ns, inode, and a digest of its pending links when it has some) that changes with its
  content, a hand edit included; parses no segment.
- `read_segment(name)`: the tables of one segment, for catching up with a changed key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from clipper.errors import NotFoundError, StoreError
from clipper.storage import commit as committing
from clipper.storage.backups import Backups
from clipper.storage.check import Damage, counter, meta_problems
from clipper.storage.debris import is_stale, sweep, temporaries
from clipper.storage.layout import (
    CLIPPINGS,
    FOLDER_SUFFIX,
    META,
    SEGMENTS,
    TRASH,
    Record,
    parse_file_name,
    segment_name,
    segment_of,
)
from clipper.storage.read import SCHEMA_VERSION, parse_store, read_raw, refuse_dangling, store_stat
from clipper.storage.segments import (
    Manifest,
    Segment,
    Vanished,
    legacy_segments,
    read_manifest,
)
from clipper.storage.transaction import Transaction

__all__ = [
    "CLIPPINGS", "META", "SCHEMA_VERSION", "SEGMENTS", "TRASH", "Record", "Snapshot", "Store",
    "StoreVersion", "Transaction", "parse_store", "read_raw", "store_stat",
]  # fmt: skip
# The second record of the meta table holds the saved feed watches (`clip watch`): small,
# read with the manifest, and backed up with the clippings.
WATCHES_ID = 2
_T = TypeVar("_T")
_RETRIES = 50  # a reader starts over this often before giving up (a writer per few ms)


@dataclass
class Snapshot:
    """A read-only copy of the store at one moment."""

    clippings: dict[int, Record] = field(default_factory=dict)
    trash: dict[int, Record] = field(default_factory=dict)
    meta: Record = field(default_factory=dict)
    damaged: list[Damage] = field(default_factory=list)  # records skipped, see storage/check


@dataclass(frozen=True)
class StoreVersion:
    """What the store is at, cheaply: its generation, and a key per segment that changes
    whenever that segment's file does (name, size, mtime_ns, inode)."""

    generation: int
    segments: dict[str, tuple[str | int, ...]]


class Store:
    """clippings.json, its segments, its lock, and the backups taken before destructive changes."""

    def __init__(
        self, path: Path, *, lock_timeout: float = 10.0, backups: Backups | None = None
    ) -> None:
        self.path = path
        self.segments = path.with_name(path.stem + FOLDER_SUFFIX)
        self.lock_path = path.with_name(path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.backups = backups
        # Every damaged record and broken counter seen by this object's reads, for the one
        # warning a command prints (the core never prints).
        self.skipped: dict[tuple[str, str], Damage] = {}
        self.meta_problems: dict[str, None] = {}

    # Reading without the lock ------------------------------------------------------------

    def _consistent(self, read: Callable[[Manifest], _T]) -> _T:
        for _ in range(_RETRIES):
            manifest = read_manifest(self.path)
            try:
                return read(manifest)
            except Vanished:
                continue  # a writer committed meanwhile: read its manifest
        raise StoreError(f"{self.path} kept changing while it was read; try again.")

    def _segments(self, manifest: Manifest, numbers: Iterable[int]) -> Iterator[Segment]:
        if manifest.legacy is not None:
            legacy = legacy_segments(manifest.legacy, manifest.size)
            for number in numbers:
                if number in legacy:
                    self._noticed(legacy[number])
                    yield legacy[number]
            return
        for number in numbers:
            if number in manifest.files:
                segment = manifest.segment(self.segments, number, vanish=True)
                self._noticed(segment)
                yield segment

    def _noticed(self, segment: Segment) -> None:
        self.note(segment.damage, {})
        if segment.broken:
            self.meta_problems[f"a segment cannot be read: {segment.broken}"] = None

    def snapshot(self) -> Snapshot:
        """The whole store as it is now (every segment parsed: for small libraries and tools)."""

        def read(manifest: Manifest) -> Snapshot:
            snapshot = Snapshot(meta=manifest.record or {"schema_version": SCHEMA_VERSION})
            numbers = _all_numbers(manifest)
            for segment in self._segments(manifest, numbers):
                snapshot.clippings.update({int(k): r for k, r in segment.tables[CLIPPINGS].items()})
                snapshot.trash.update({int(k): r for k, r in segment.tables[TRASH].items()})
                snapshot.damaged += segment.damage
            return snapshot

        snapshot = self._consistent(read)
        self.note([], snapshot.meta)
        return snapshot

    def read_records(self, table: str, ids: Iterable[int]) -> dict[int, Record]:
        """The records of `table` with these ids, in one consistent state (missing ones absent)."""
        wanted = sorted(set(ids))

        def read(manifest: Manifest) -> dict[int, Record]:
            found: dict[int, Record] = {}
            by_segment = sorted({segment_of(i, manifest.size) for i in wanted if i >= 1})
            for segment in self._segments(manifest, by_segment):
                rows = segment.tables[table]
                found.update({i: rows[str(i)] for i in wanted if str(i) in rows})
            return found

        return self._consistent(read)

    def scan(self, table: str) -> Iterator[tuple[int, Record]]:
        """Every record of a table, one segment at a time. Each segment is whole; a segment
        rewritten during the scan is read in its newer version (take `state()` before, and
        catch up after, to be exact)."""
        manifest = read_manifest(self.path)
        for number in _all_numbers(manifest):
            for _ in range(_RETRIES):
                try:
                    segments = list(self._segments(manifest, [number]))
                    break
                except Vanished:
                    manifest = read_manifest(self.path)
            else:
                raise StoreError(f"{self.path} kept changing while it was read; try again.")
            for segment in segments:
                for key, record in segment.tables[table].items():
                    yield int(key), record

    def state(self, since: StoreVersion | None = None) -> StoreVersion:
        """The generation and each segment's version key; parses no segment file. `since`: a
        state taken earlier by this process (before its own write), whose keys are kept for
        the files still named (a write gives every file it changes a new name): only new files
        are looked at. A hand edit meanwhile is then seen by the next state asked for."""
        for _ in range(_RETRIES):
            manifest = read_manifest(self.path)
            # Every read asks for the state first: a broken counter is noticed (and warned of)
            # even by a read that the index answers alone.
            self.note([], manifest.record)
            generation = counter(manifest.record, "generation", 0) or 0
            if manifest.legacy is not None:
                info = self.path.stat()
                whole = (self.path.name, info.st_size, info.st_mtime_ns, info.st_ino)
                return StoreVersion(generation, {segment_name(0): whole})
            keys: dict[str, tuple[str | int, ...]] = {}
            known = {key[0]: key[:4] for key in since.segments.values()} if since else {}
            try:
                for number, name in manifest.files.items():
                    key: tuple[str | int, ...]
                    if name in known:
                        key = known[name]
                    else:
                        info = (self.segments / name).stat()
                        key = (name, info.st_size, info.st_mtime_ns, info.st_ino)
                    links = manifest.pending.key_of(number, manifest.size)
                    keys[segment_name(number)] = key if links is None else (*key, links)
            except FileNotFoundError:
                continue
            return StoreVersion(generation, keys)
        raise StoreError(f"{self.path} kept changing while it was read; try again.")

    def read_segment(self, name: str) -> dict[str, dict[int, Record]]:
        """The sound records of one segment by table ('000000': a schema-1 file whole)."""

        def read(manifest: Manifest) -> dict[str, dict[int, Record]]:
            numbers = _all_numbers(manifest) if int(name) == 0 else [int(name)]
            tables: dict[str, dict[int, Record]] = {CLIPPINGS: {}, TRASH: {}}
            for segment in self._segments(manifest, numbers):
                for table, records in tables.items():
                    records.update({int(k): r for k, r in segment.tables[table].items()})
            return tables

        return self._consistent(read)

    def note(self, damaged: list[Damage], meta: Record) -> None:
        """Remember what a read skipped or found broken, for the command's warning."""
        for damage in damaged:
            self.skipped[(damage.table, damage.key)] = damage
        for problem in meta_problems(meta):
            self.meta_problems[problem] = None

    def watches(self) -> dict[str, Record]:
        """The saved watches by name (the manifest alone is read)."""
        record = read_manifest(self.path).meta.get(str(WATCHES_ID))
        found = record.get("watches") if isinstance(record, dict) else None
        return dict(found) if isinstance(found, dict) else {}

    # Writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, backup: str | None = None) -> Iterator[Transaction]:
        """Lock the store, yield its tables, and commit the changed segments and the manifest
        if the block succeeds. With `backup` (the reason, e.g. "rm"), the library as it was
        is saved to backups/ first, but only when the block changed something. A schema-1
        library is converted by its first write, after a `migration` backup."""
        with self.locked():
            self._sweep_debris()
            manifest = read_manifest(self.path)
            self._sweep_orphans(manifest)
            transaction = Transaction(manifest, self.segments)
            if manifest.version < SCHEMA_VERSION and manifest.raw is not None:
                backup = backup or "migration"  # its first write converts it
            if manifest.raw is None:
                transaction.set_meta(schema_version=SCHEMA_VERSION, next_id=1, generation=0)
            self.note(transaction.noticed, transaction.meta)
            yield transaction
            self.note(transaction.noticed, {})
            if transaction.changed:
                if backup and self.backups is not None and manifest.raw is not None:
                    committing.back_up(self, manifest, backup)
                committing.commit(self, manifest, transaction)

    def back_up(self, reason: str) -> Path:
        """A backup of the library as it is now, taken even when automatic ones are off."""
        assert self.backups is not None
        with self.locked():
            manifest = read_manifest(self.path)
            if manifest.raw is None:
                raise NotFoundError(f"there is no library at {self.path.parent} to back up yet.")
            return committing.back_up(self, manifest, reason, force=True)

    def restore(self, source: Path, *, reason: str) -> Path | None:
        """Replace the library by a backup (a folder, or a single file of either schema); the
        current state is backed up first, or its manifest kept aside when damaged (that
        copy's path is returned)."""
        with self.locked():
            return committing.restore(self, source, reason=reason)

    def debris(self) -> list[Path]:
        """Temporary files of writes that were killed before their rename."""
        found = []
        if self.path.parent.is_dir():
            found += sorted(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        if self.segments.is_dir():
            found += temporaries(self.segments)
        return found

    def orphans(self, manifest: Manifest | None = None) -> list[Path]:
        """Segment files no manifest names: written by a commit killed before its manifest."""
        manifest = manifest or read_manifest(self.path)
        if not self.segments.is_dir() or (manifest.legacy is not None and manifest.raw is None):
            return []
        named = set(manifest.files.values())
        return sorted(
            path for path in self.segments.iterdir()
            if parse_file_name(path.name) and path.name not in named
        )  # fmt: skip

    def _sweep_debris(self) -> None:
        # Only a writer holding the lock creates temporary files here, so while we hold it,
        # any that exist were left by a writer that died: they are never a half of anything.
        for path in self.debris():
            with contextlib.suppress(OSError):
                path.unlink()
        # Other writers (an index rebuild, a backup by another library object) do not
        # always hold this lock: theirs go only when stale (see debris).
        folders = [self.path.parent, *([self.backups.folder] if self.backups else [])]
        sweep([path for folder in folders for path in temporaries(folder) if is_stale(path)])

    def _sweep_orphans(self, manifest: Manifest) -> None:
        for path in self.orphans(manifest):
            with contextlib.suppress(OSError):
                path.unlink()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock of this library."""
        from clipper.storage.lock import LockTimeout, held

        refuse_dangling(self.path)  # never a new library beside a link to an absent one
        with contextlib.ExitStack() as holding:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                holding.enter_context(held(self.lock_path, self.lock_timeout))
            except LockTimeout:
                raise StoreError(
                    f"another clip process has held the lock on {self.path} for over "
                    f"{self.lock_timeout:g} s; try again when it has finished "
                    f"(if none is running, delete {self.lock_path})."
                ) from None
            except OSError as error:
                raise StoreError(
                    f"cannot lock {self.path}: {error.strerror or error}; the library is "
                    "unchanged."
                ) from None
            yield


def _all_numbers(manifest: Manifest) -> list[int]:
    if manifest.legacy is not None:
        return sorted(legacy_segments(manifest.legacy, manifest.size))
    return sorted(manifest.entries)

