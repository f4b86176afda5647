"""The store: clippings.json, a TinyDB database written atomically under a cross-process lock.

The store is the truth of a library; everything else (the search index) is derived from it.
Every change happens in a `transaction()`: take the lock, read the file, apply the change in
memory, write a complete new file beside the old one, fsync it and `os.replace` it over the old
one. A reader therefore always sees a whole file, either before or after a change, and two
writers never overwrite each other's work.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from clipper.atomic import WriteError, write_atomically
from clipper.backups import Backups
from clipper.errors import StoreError
from clipper.store_layout import Appendable, serialize

SCHEMA_VERSION = 1
CLIPPINGS, TRASH, META = "clippings", "trash", "meta"
TABLES = (CLIPPINGS, TRASH, META)
_META_ID = 1
# The second record of the meta table holds the saved feed watches (`clip watch`): small,
# read with the meta table, and backed up with the clippings since it lives in their file.
WATCHES_ID = 2

Record = dict[str, Any]


def _damaged(path: Path, problem: str) -> StoreError:
    return StoreError(
        f"{path} {problem}. clip has not changed it; `clip doctor --repair` restores the "
        "newest good backup and keeps a copy of this file."
    )


def read_raw(path: Path) -> bytes | None:
    """The bytes of a store file, None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a clip library file.") from None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}.") from None


def parse_store(raw: bytes, path: Path) -> dict[str, dict[str, Record]]:
    """The content of a store file, checked for shape and schema; StoreError when unusable."""
    if not raw.strip():
        raise _damaged(path, "is empty (0 bytes of data)")
    try:
        # Some editors start UTF-8 with a byte-order mark; the README invites hand edits.
        data = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        raise _damaged(path, f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise _damaged(path, "is JSON but not a clip library (expected tables of records)")
    meta = data.get(META, {}).get(str(_META_ID), {})
    version = meta.get("schema_version", SCHEMA_VERSION) if isinstance(meta, dict) else None
    if not isinstance(version, int):
        raise _damaged(path, f"has a malformed schema_version {version!r}")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer clip (library schema {version}; this clip reads "
            f"up to {SCHEMA_VERSION}). Upgrade clip; the file was left untouched."
        )
    foreign = sorted(set(data) - set(TABLES))
    if foreign:
        raise _damaged(path, f"is not a clip library (it has the table {foreign[0]!r})")
    for table_name, table in data.items():
        for key, record in table.items():
            if not isinstance(record, dict) or not str(key).isdigit():
                raise _damaged(path, f"has a malformed record {key!r} in table {table_name!r}")
    return data


def load_file(path: Path) -> dict[str, dict[str, Record]] | None:
    """The parsed content of a store file, None when it does not exist; checks its shape."""
    raw = read_raw(path)
    return None if raw is None else parse_store(raw, path)


# Migrations from schema n to n + 1, in order: MIGRATIONS[n - 1] upgrades a version-n store.
MIGRATIONS: list[Callable[[Transaction], None]] = []


def migrate(transaction: Transaction, version: int) -> None:
    """Bring a store of an older schema up to SCHEMA_VERSION, one step at a time."""
    for step in MIGRATIONS[version - 1 :]:
        step(transaction)


def keep_damaged(path: Path, content: bytes) -> Path:
    """Keep a copy of a damaged store beside it before anything replaces it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    write_atomically(copy, content)
    return copy


class _StoreFile(Storage):
    """The TinyDB storage of clippings.json: parses with orjson, and writes once, atomically,
    when the transaction commits (`flush`).

    TinyDB writes after every table operation; here those writes only replace the state in
    memory. The bytes read are kept for the backup taken before a destructive change.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.raw = read_raw(path)
        self.state: dict[str, dict[str, Record]] | None = (
            None if self.raw is None else parse_store(self.raw, path)
        )
        self.dirty = False

    def read(self) -> dict[str, dict[str, Record]] | None:
        return self.state

    def write(self, data: dict[str, dict[str, Record]]) -> None:
        self.state = data
        self.dirty = True

    def close(self) -> None:
        pass  # nothing is held open: the file is read whole and replaced whole

    def flush(self) -> None:
        if self.dirty and self.state is not None:
            try:
                # resolve(): a clippings.json linked into a synced folder stays a link.
                write_atomically(self.path.resolve(), serialize(self.state))
            except WriteError as error:
                raise StoreError(
                    f"cannot write {self.path}: {error.reason}; the library is unchanged."
                ) from None
            self.dirty = False


@dataclass
class Snapshot:
    """A read-only copy of the store at one moment."""

    clippings: dict[int, Record] = field(default_factory=dict)
    trash: dict[int, Record] = field(default_factory=dict)
    meta: Record = field(default_factory=dict)


class Transaction:
    """The store's tables, as a TinyDB database, while a change is being made; written when
    the transaction ends.

    Changes go through TinyDB's table operations, batched so that a command costs one pass
    over a table rather than one per record (each TinyDB write rebuilds the table it changes).
    Scans read the storage's state directly, without building a Document per record.
    """

    def __init__(self, file: _StoreFile) -> None:
        self._file = file
        self._db = TinyDB(storage=lambda: file)
        self._highest: int | None = None  # the highest id in use, once allocate_id asked

    @property
    def _state(self) -> dict[str, dict[str, Record]]:
        return self._file.state or {}

    def all(self, table: str) -> dict[int, Record]:
        """Copies of the records of a table, by id: safe to change."""
        return {int(key): dict(record) for key, record in self._state.get(table, {}).items()}

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        """The records of a table as stored, without copies: fast, and for reading only."""
        for key, record in self._state.get(table, {}).items():
            yield int(key), record

    def count(self, table: str) -> int:
        return len(self._db.table(table))

    def get(self, table: str, record_id: int) -> Record | None:
        record = self._db.table(table).get(doc_id=record_id)
        return dict(record) if isinstance(record, dict) else None

    def put(self, table: str, record_id: int, record: Record) -> None:
        self.put_many(table, {record_id: record})

    def put_many(self, table: str, records: dict[int, Record]) -> None:
        """Store records under their ids, replacing whole records that exist."""
        target = self._db.table(table)
        existing = [record_id for record_id in records if target.contains(doc_id=record_id)]
        if existing:
            target.remove(doc_ids=existing)
        if records:
            target.insert_multiple(Document(record, doc_id=i) for i, record in records.items())
            if table != META:
                self._saw_id(max(records))
        elif table not in self._state:
            target.truncate()  # an empty table, so that the file always has all three

    def remove(self, table: str, record_ids: list[int]) -> None:
        target = self._db.table(table)
        doomed = [record_id for record_id in record_ids if target.contains(doc_id=record_id)]
        if doomed:
            target.remove(doc_ids=doomed)

    def rollback(self) -> None:
        """Forget every change of this transaction: nothing will be written."""
        file = self._file
        file.dirty = False
        file.state = {} if file.raw is None else parse_store(file.raw, file.path)
        self._highest = None

    def clear(self, table: str) -> None:
        if self._state.get(table):
            self._db.table(table).truncate()

    @property
    def meta(self) -> Record:
        record = self._db.table(META).get(doc_id=_META_ID)
        return dict(record) if isinstance(record, dict) else {}

    def set_meta(self, **values: Any) -> None:
        self.put_many(META, {_META_ID: {**self.meta, **values}})

    def allocate_id(self) -> int:
        """A new clipping id: never one that was handed out before, even if since deleted."""
        if self._highest is None:
            # Once per transaction: a record added by hand may sit above next_id. Later
            # allocations and puts keep _highest up to date without looking again.
            used = [*self._state.get(CLIPPINGS, {}), *self._state.get(TRASH, {})]
            self._highest = max((int(key) for key in used), default=0)
        next_id = max(int(self.meta.get("next_id", 1)), self._highest + 1)
        self.set_meta(next_id=next_id + 1)
        self._highest = next_id
        return next_id

    def _saw_id(self, record_id: int) -> None:
        if self._highest is not None and record_id > self._highest:
            self._highest = record_id


class Append:
    """New clippings for a store file that clip wrote and nobody has changed since; they are
    written after its last clipping without the file being parsed (see store_layout)."""

    def __init__(self, path: Path, file: Appendable) -> None:
        self.path = path
        self._file = file
        self.meta = file.meta
        self.records: dict[int, Record] = {}

    @property
    def trash(self) -> dict[int, Record]:
        return {int(key): record for key, record in self._file.trash.items()}

    @property
    def generation(self) -> int:
        return int(self.meta["generation"])

    def allocate_id(self, highest: int) -> int:
        """A new id above `highest` (the highest id the caller knows in use) and next_id."""
        used = [highest, *(int(key) for key in self._file.trash), *self.records]
        next_id = max(int(self.meta["next_id"]), max(used) + 1)
        self.meta["next_id"] = next_id + 1
        return next_id

    def put(self, record_id: int, record: Record) -> None:
        self.records[record_id] = record

    def commit(self) -> None:
        self.meta["generation"] = int(self.meta["generation"]) + 1
        try:
            write_atomically(self.path.resolve(), self._file.chunks(self.records, self.meta))
        except WriteError as error:
            raise StoreError(
                f"cannot write {self.path}: {error.reason}; the library is unchanged."
            ) from None


class Store:
    """clippings.json, its lock, and the backups taken before destructive changes."""

    def __init__(
        self, path: Path, *, lock_timeout: float = 10.0, backups: Backups | None = None
    ) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.backups = backups

    def snapshot(self) -> Snapshot:
        """The store as it is now, read without the lock (writes replace the file atomically)."""
        state = load_file(self.path)
        if state is None:
            return Snapshot(meta={"schema_version": SCHEMA_VERSION})
        meta = state.get(META, {}).get(str(_META_ID))
        return Snapshot(
            clippings={int(key): record for key, record in state.get(CLIPPINGS, {}).items()},
            trash={int(key): record for key, record in state.get(TRASH, {}).items()},
            meta=dict(meta) if isinstance(meta, dict) else {},
        )

    def watches(self) -> dict[str, Record]:
        """The saved watches by name, read without parsing the clippings when the file is as
        clip wrote it (the meta table is at its start)."""
        raw = read_raw(self.path)
        if raw is None:
            return {}
        file = Appendable.read(raw, SCHEMA_VERSION)
        meta = file.meta_table if file is not None else parse_store(raw, self.path).get(META, {})
        record = meta.get(str(WATCHES_ID))
        found = record.get("watches") if isinstance(record, dict) else None
        return dict(found) if isinstance(found, dict) else {}

    @contextlib.contextmanager
    def transaction(self, *, backup: str | None = None) -> Iterator[Transaction]:
        """Lock the store, yield its tables, and write them atomically if the block succeeds.

        With `backup` (the reason, e.g. "rm"), the file as it was is saved to backups/ first,
        but only when the block changed something.
        """
        with self.locked():
            self._sweep_debris()
            file = _StoreFile(self.path)
            new = file.state is None
            transaction = Transaction(file)
            version = int(transaction.meta.get("schema_version", SCHEMA_VERSION))
            if new:
                for table in (CLIPPINGS, TRASH):
                    transaction.put_many(table, {})
                transaction.set_meta(schema_version=SCHEMA_VERSION, next_id=1, generation=0)
            elif version < SCHEMA_VERSION:
                backup = backup or "migration"
                migrate(transaction, version)
            yield transaction
            if file.dirty:
                if backup and file.raw is not None and self.backups is not None:
                    self.backups.take(file.raw, backup)
                transaction.set_meta(
                    schema_version=SCHEMA_VERSION,
                    generation=int(transaction.meta.get("generation", 0)) + 1,
                )
                file.flush()

    @contextlib.contextmanager
    def appending(self) -> Iterator[Append | None]:
        """Lock the store and yield an Append when its file is exactly as clip last wrote it
        (else None: use `transaction`); what was put is written when the block succeeds."""
        with self.locked():
            self._sweep_debris()
            raw = read_raw(self.path)
            file = None if raw is None else Appendable.read(raw, SCHEMA_VERSION)
            append = None if file is None else Append(self.path, file)
            yield append
            if append is not None and append.records:
                append.commit()

    def debris(self) -> list[Path]:
        """Temporary files of writes that were killed before their rename."""
        folder = self.path.parent
        if not folder.is_dir():
            return []
        return sorted(folder.glob(f".{self.path.name}.*.tmp"))

    def _sweep_debris(self) -> None:
        # Only a writer holding the lock creates temporary files, so while we hold it, any
        # that exist were left by a writer that died: they are never a half of anything.
        for path in self.debris():
            with contextlib.suppress(OSError):
                path.unlink()

    def replace_with(self, content: bytes, *, reason: str) -> Path | None:
        """Replace the whole store by `content` (a backup), after checking that it loads;
        the current file is backed up first, or kept aside when it is damaged (that copy's
        path is returned)."""
        parse_store(content, self.path)
        kept = None
        with self.locked():
            current = read_raw(self.path)
            try:
                if current is not None:
                    parse_store(current, self.path)
            except StoreError:
                if current is not None:
                    kept = keep_damaged(self.path, current)
            else:
                if current is not None and self.backups is not None:
                    self.backups.take(current, reason)
            try:
                write_atomically(self.path.resolve(), content)
            except WriteError as error:
                raise StoreError(
                    f"cannot write {self.path}: {error.reason}; the library is unchanged."
                ) from None
        return kept

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock of this library."""
        # Imported here: filelock costs about 10 ms to import, and only writers need it.
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.lock_path, timeout=self.lock_timeout)
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"another clip process has held the lock on {self.path} for over "
                f"{self.lock_timeout:g} s; try again when it has finished "
                f"(if none is running, delete {self.lock_path})."
            ) from None
        except OSError as error:
            raise StoreError(
                f"cannot lock {self.path}: {error.strerror or error}; the library is unchanged."
            ) from None
        try:
            yield
        finally:
            lock.release()
