"""The store: clippings.json, a TinyDB database written atomically under a cross-process lock.

The store is the truth of a library; everything else (the search index) is derived from it.
Every change happens in a `transaction()`: take the lock, read the file, apply the change in
memory, write a complete new file beside the old one, fsync it and `os.replace` it over the old
one. A reader therefore always sees a whole file, either before or after a change, and two
writers never overwrite each other's work.
"""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from clipper.debris import is_stale, sweep, temporaries
from clipper.errors import StoreError
from clipper.model import MAX_ID, record_problem
from clipper.store_check import (
    Damage,
    counter,
    counting_on,
    highest_id,
    meta_problems,
    record_id,
    split_tables,
)
from clipper.store_layout import Appendable, serialize
from clipper.store_read import (
    _META_ID,
    CLIPPINGS,
    META,
    SCHEMA_VERSION,
    TABLES,
    TRASH,
    Record,
    load_file,
    parse_store,
    read_raw,
    refuse_dangling,
    store_stat,
)

__all__ = [
    "CLIPPINGS", "META", "SCHEMA_VERSION", "TABLES", "TRASH", "Record", "Snapshot", "Store",
    "StoreState", "Transaction", "load_file", "parse_store", "read_raw", "store_stat",
]  # fmt: skip
# The second record of the meta table holds the saved feed watches (`clip watch`): small,
# read with the meta table, and backed up with the clippings since it lives in their file.
WATCHES_ID = 2


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
        # Damaged records, by table and key: out of the transaction's sight, written back as
        # they were read.
        self.set_aside: dict[str, dict[str, Any]] = {}
        self.damage: list[Damage] = []
        self.state: dict[str, dict[str, Record]] | None = self.load()
        self.dirty = False

    def load(self) -> dict[str, dict[str, Record]] | None:
        """The sound part of the file as read; its damaged records go to `set_aside`."""
        if self.raw is None:
            return None
        sound, self.set_aside, self.damage = split_tables(parse_store(self.raw, self.path))
        return sound

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
                write_atomically(self.path.resolve(), serialize(self.whole()))
            except WriteError as error:
                raise StoreError(
                    f"cannot write {self.path}: {error.reason}; the library is unchanged."
                ) from None
            self.dirty = False

    def whole(self) -> dict[str, dict[str, Record]]:
        """The state with the damaged records put back, and next_id above every id in the
        file, theirs included (an append, which does not read them, must not reuse one)."""
        state = self.state or {}
        if not self.set_aside:
            return state
        whole = {name: {**self.set_aside.get(name, {}), **table} for name, table in state.items()}
        ids = [i for table in self.set_aside.values() if (i := highest_id(table))]
        meta = dict(whole.get(META, {}).get(str(_META_ID), {}))
        next_id = counter(meta, "next_id", 1) or 1
        if ids and max(ids) >= next_id:
            meta["next_id"] = max(ids) + 1
            whole[META] = {**whole.get(META, {}), str(_META_ID): meta}
        return whole


def _bounded(new_id: int) -> int:
    if new_id > MAX_ID:
        raise StoreError(f"the library has used every id up to {MAX_ID}; nothing was saved.")
    return new_id


@dataclass(frozen=True, slots=True)
class StoreState:
    """What the store is at one moment: its write generation, and a version key per segment
    (stable name -> a key that changes whenever that segment's content does)."""

    generation: int
    segments: dict[str, tuple[object, ...]]


@dataclass
class Snapshot:
    """A read-only copy of the store at one moment."""

    clippings: dict[int, Record] = field(default_factory=dict)
    trash: dict[int, Record] = field(default_factory=dict)
    meta: Record = field(default_factory=dict)
    damaged: list[Damage] = field(default_factory=list)  # records skipped, see store_check


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
        aside = self._file.set_aside.get(table, {})
        clash = next((i for i in records if str(i) in aside), None) if aside else None
        if clash is not None:  # the write would replace what the user has yet to fix
            raise StoreError(
                f"clipping {clash} is damaged in clippings.json ({table}); fix it by hand "
                "first (see `clip doctor`). Nothing was changed."
            )
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

    @property
    def has_damaged(self) -> bool:
        """Whether the file holds damaged records, set aside from this transaction."""
        return any(self._file.set_aside.values())

    def remove(self, table: str, record_ids: list[int]) -> None:
        target = self._db.table(table)
        doomed = [record_id for record_id in record_ids if target.contains(doc_id=record_id)]
        if doomed:
            target.remove(doc_ids=doomed)

    def rollback(self) -> None:
        """Forget every change of this transaction: nothing will be written."""
        file = self._file
        file.dirty = False
        file.state = file.load() or {}
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
            # The ids of damaged records are taken too: they are kept, and may be repaired.
            tables = [self._state.get(CLIPPINGS, {}), self._state.get(TRASH, {}),
                      *self._file.set_aside.values()]  # fmt: skip
            self._highest = max(highest_id(table) for table in tables)
        # A next_id broken by a hand edit counts for nothing; the ids in use still count.
        next_id = _bounded(max(counter(self.meta, "next_id", 1) or 1, self._highest + 1))
        self.set_meta(next_id=next_id + 1)
        self._highest = next_id
        return next_id

    def get_many(self, table: str, record_ids: Iterable[int]) -> dict[int, Record]:
        """Copies of the records of a table among the ids, by id (missing ones absent)."""
        records = self._state.get(table, {})
        return {i: dict(records[str(i)]) for i in dict.fromkeys(record_ids) if str(i) in records}

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
        """The sound records of the trash (a damaged one stays in the file as it is)."""
        return {
            i: record
            for key, record in self._file.trash.items()
            if (i := record_id(key)) is not None and record_problem(record) is None
        }

    @property
    def generation(self) -> int:
        return int(self.meta["generation"])

    def allocate_id(self, highest: int) -> int:
        """A new id above `highest` (the highest id the caller knows in use) and next_id."""
        used = [highest, highest_id(self._file.trash), *self.records]
        next_id = _bounded(max(int(self.meta["next_id"]), max(used) + 1))
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


def _head_meta(path: Path) -> Record | None:
    """The counters' record, read from the start of a file in clip's layout (the meta table
    comes first); None when the file does not start that way."""
    try:
        with path.open("rb") as stream:
            head = stream.read(64 * 1024)
    except OSError:
        return None
    end = head.find(b'\n  },\n  "trash": ')
    if not head.startswith(b'{\n  "meta": {\n') or end < 0:
        return None
    try:
        meta = orjson.loads(head[: end + 4] + b"\n}")[META].get(str(_META_ID))
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return None
    return meta if isinstance(meta, dict) else None


class Store:
    """clippings.json, its lock, and the backups taken before destructive changes."""

    def __init__(
        self, path: Path, *, lock_timeout: float = 10.0, backups: Backups | None = None
    ) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.backups = backups
        # Every damaged record and broken counter seen by this object's reads, for the one
        # warning a command prints (the core never prints).
        self.skipped: dict[tuple[str, str], Damage] = {}
        self.meta_problems: dict[str, None] = {}

    def snapshot(self) -> Snapshot:
        """The store as it is now, read without the lock (writes replace the file atomically)."""
        data = load_file(self.path)
        if data is None:
            return Snapshot(meta={"schema_version": SCHEMA_VERSION})
        state, _, damaged = split_tables(data)
        meta = state.get(META, {}).get(str(_META_ID))
        snapshot = Snapshot(
            clippings={int(key): record for key, record in state.get(CLIPPINGS, {}).items()},
            trash={int(key): record for key, record in state.get(TRASH, {}).items()},
            meta=dict(meta) if isinstance(meta, dict) else {},
            damaged=damaged,
        )
        self.note(damaged, snapshot.meta)
        return snapshot

    # The segment interface, on a store of one file -------------------------------------------
    # Read paths of the index and of intake use only these four (and Transaction.get_many).
    # Here the store is one segment, the whole file, read whole and filtered: a store of
    # several segment files answers them reading only the segments concerned.

    def state(self) -> StoreState:
        """The write generation and each segment's version key (here: the file's stat)."""
        info = store_stat(self.path)
        if info is None:
            return StoreState(0, {})
        key = (info.st_mtime_ns, info.st_size, info.st_ino)
        # A search must not parse the whole file to know it; only a regular file is opened
        # (a pipe would wait for a writer): anything else is load_file's error.
        meta = _head_meta(self.path) if stat.S_ISREG(info.st_mode) else None
        if meta is None:
            meta = self._meta_of(load_file(self.path))
        return StoreState(counter(meta, "generation", 0) or 0, {self.path.name: key})

    def read_segment(self, name: str) -> dict[str, dict[int, Record]]:
        """The sound records of one segment by table and id (damage noted, see `note`)."""
        if name != self.path.name:
            return {}
        snapshot = self.snapshot()
        return {CLIPPINGS: snapshot.clippings, TRASH: snapshot.trash}

    def read_records(self, table: str, ids: Iterable[int]) -> dict[int, Record]:
        """The sound records of a table among `ids`, by id; missing ids are absent."""
        records = self.read_segment(self.path.name).get(table, {})
        return {i: records[i] for i in dict.fromkeys(ids) if i in records}

    def scan(self, table: str) -> Iterator[tuple[int, Record]]:
        """The sound records of a table, one segment at a time."""
        for name in self.state().segments:
            yield from self.read_segment(name).get(table, {}).items()

    @staticmethod
    def _meta_of(data: dict[str, dict[str, Record]] | None) -> Record:
        meta = (data or {}).get(META, {}).get(str(_META_ID))
        return meta if isinstance(meta, dict) else {}

    # ------------------------------------------------------------------------------------------

    def note(self, damaged: list[Damage], meta: Record) -> None:
        """Remember what a read skipped or found broken, for the command's warning."""
        for damage in damaged:
            self.skipped[(damage.table, damage.key)] = damage
        for problem in meta_problems(meta):
            self.meta_problems[problem] = None

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
            self.note(file.damage, transaction.meta)
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
                    generation=(counter(transaction.meta, "generation", 0) or 0) + 1,
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
        # Other writers (an index rebuild, a backup by another library object) do not
        # always hold this lock: theirs go only when stale (see debris).
        folders = [self.path.parent, *([self.backups.folder] if self.backups else [])]
        sweep([path for folder in folders for path in temporaries(folder) if is_stale(path)])

    def replace_with(self, content: bytes, *, reason: str) -> Path | None:
        """Replace the whole store by `content` (a backup), after checking that it loads;
        the current file is backed up first, or kept aside when it is damaged (that copy's
        path is returned)."""
        incoming = parse_store(content, self.path)
        kept = None
        payload: bytes | Sequence[bytes | memoryview] = content
        with self.locked():
            # Read whatever it starts with: a damaged file is kept aside, not refused.
            current = read_raw(self.path, check_start=False)
            try:
                if current is not None:
                    payload = counting_on(incoming, parse_store(current, self.path), content)
            except StoreError:
                if current is not None:
                    kept = keep_damaged(self.path, current)
            else:
                if current is not None and self.backups is not None:
                    self.backups.take(current, reason)
            try:
                write_atomically(self.path.resolve(), payload)
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

        refuse_dangling(self.path)  # never a new library beside a link to an absent one
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
