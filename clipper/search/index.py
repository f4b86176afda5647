"""index.sqlite3: the search index, derived from clippings.json and safe to delete.

It holds, per clipping, the columns that queries filter and sort on, the whole stored record
(so that list, show and search never have to parse clippings.json at scale), and an FTS5
table of the folded title, text, outlet and authors. The FTS5 table is contentless (the
record is already kept once): a row is deleted by handing FTS5 the values it indexed, which
are derived again from the stored record.

The index records the state of the store it reflects: the store file's modification time,
size and inode, and the store's write generation. A read compares a `stat()` of the store
with that (cheap) and, when they differ, loads the store once and catches up by comparing a
digest of every record with the one indexed. Writes through the library update the index
right after the store commits (`apply_commit`); if anything goes wrong there, the next read
catches up. A missing, damaged or outdated index is rebuilt into a temporary file that then
replaces it, so readers never see half an index.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from clipper.errors import StoreError
from clipper.model import Clipping
from clipper.search.analysis import ANALYSIS_VERSION
from clipper.search.folding import FOLD_VERSION
from clipper.search.rows import FTS_COLUMNS, Progress, Record, digest, insert, remove
from clipper.storage.check import Damage

# Bump the first part when the tables change; FOLD_VERSION and ANALYSIS_VERSION change what
# the FTS table holds. 400: docs.captured (the capture day, for `captured:`), a clipping
# without a URL takes its site from an outlet named by its domain, a `damaged` table lists the
# records skipped, ranked columns of stemmed terms without stopwords beside the exact folded
# words, and the languages indexed; an older index is rebuilt by itself, once.
INDEX_FORMAT = 400 + 10 * ANALYSIS_VERSION + FOLD_VERSION
StatKey = tuple[int, int, int]

_SCHEMA = f"""
CREATE TABLE state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    mtime_ns INTEGER, size INTEGER, inode INTEGER, generation INTEGER
);
INSERT INTO state (one) VALUES (1);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    day_end TEXT NOT NULL,
    captured TEXT NOT NULL,
    starred INTEGER NOT NULL,
    has_note INTEGER NOT NULL,
    has_author INTEGER NOT NULL,
    lang TEXT,
    site TEXT,
    url TEXT,
    source_key TEXT,
    digest BLOB NOT NULL,
    record BLOB NOT NULL
);
CREATE INDEX docs_by_day ON docs (day, id);
-- The languages of the clippings indexed (a query word is analysed in each); one kept after
-- its last clipping went only costs a query an extra stem to look for.
CREATE TABLE langs (lang TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE tags (tag TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tag, id)) WITHOUT ROWID;
CREATE INDEX tags_by_id ON tags (id);
CREATE TABLE keys (
    id INTEGER PRIMARY KEY, url TEXT, content_hash TEXT, uuid TEXT, signature TEXT,
    words INTEGER NOT NULL
);
CREATE INDEX keys_by_url ON keys (url);
CREATE INDEX keys_by_hash ON keys (content_hash);
CREATE INDEX keys_by_uuid ON keys (uuid);
CREATE VIRTUAL TABLE fts USING fts5 (
    {FTS_COLUMNS}, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE vocab USING fts5vocab (fts, 'col');
CREATE TABLE damaged (tbl TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL);
"""


@dataclass(slots=True)
class StoreState:
    """What the index is built from: the store's clippings by id, and its write generation."""

    records: dict[int, Record]
    generation: int
    # The records of the store skipped as damaged (store_check): kept, so that a read answered
    # from the index can still warn about them.
    damaged: list[Damage] = field(default_factory=list)


Loader = Callable[[], StoreState]


@dataclass(slots=True)
class Changes:
    """What one store transaction changed among the clippings, for the index."""

    upserts: dict[int, Record] = field(default_factory=dict)
    deletes: set[int] = field(default_factory=set)

    def put(self, clipping: Clipping) -> None:
        self.upserts[clipping.id] = clipping.to_dict()
        self.deletes.discard(clipping.id)

    def put_records(self, records: dict[int, Record]) -> None:
        for record_id, record in records.items():
            self.upserts[record_id] = record
            self.deletes.discard(record_id)

    def drop(self, clipping_ids: Iterable[int]) -> None:
        for clipping_id in clipping_ids:
            self.upserts.pop(clipping_id, None)
            self.deletes.add(clipping_id)


def memory_index() -> sqlite3.Connection:
    """An empty index of this schema in memory, for clippings not in the library (feed items
    a watch judges): the same columns, the same folding, so the same query semantics."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(_SCHEMA)
    return conn


def stat_key(path: Path) -> StatKey | None:
    """What changes whenever the store file is written: mtime, size, inode; None if absent."""
    from clipper.storage.store import store_stat  # loaded already by the library

    info = store_stat(path)
    return None if info is None else (info.st_mtime_ns, info.st_size, info.st_ino)


class SearchIndex:
    """One library's index file, opened and kept current on demand."""

    def __init__(self, path: Path, *, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None

    # Opening -------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection; call `ensure_current` or `rebuild` first."""
        if self._conn is None:
            raise RuntimeError("the search index is not open")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connect(self, path: Path | str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=self.timeout, isolation_level=None)
        conn.execute("PRAGMA temp_store = MEMORY")
        return conn

    def _open_existing(self) -> sqlite3.Connection | None:
        """The index file if it exists, is an SQLite file and has this version's format."""
        if self._conn is not None:
            return self._conn
        if not self.path.exists():
            return None
        conn = self._connect(self.path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:  # not a database, or damaged: rebuilt over it
            conn.close()
            return None
        if version != INDEX_FORMAT:
            conn.close()
            return None
        self._conn = conn
        return conn

    def problem(self) -> str | None:
        """What is wrong with the index file, if anything (a missing index is fine)."""
        if not self.path.exists():
            return None
        if self.path.is_dir():
            return f"{self.path.name} is a folder, where the search index should be: remove it"
        try:
            conn = self._connect(self.path)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            return f"{self.path.name} is not a usable index ({error}); it will be rebuilt"
        if version != INDEX_FORMAT:
            return f"{self.path.name} was built by another version of clip; it will be rebuilt"
        if check != "ok":
            return f"{self.path.name} is damaged ({check}); it will be rebuilt"
        return None

    def reflecting(self, key: StatKey | None, generation: int) -> sqlite3.Connection | None:
        """The open index when it reflects exactly the store file with `key` at `generation`,
        else None (the caller reads the store instead). Never builds nor catches up."""
        if key is None:
            return None
        try:
            conn = self._open_existing()
            if conn is not None and self.recorded() == (key, generation):
                return conn
        except sqlite3.DatabaseError:
            pass
        self.close()
        return None

    def recorded(self) -> tuple[StatKey | None, int | None]:
        """The store state the index says it reflects."""
        row = self.conn.execute("SELECT mtime_ns, size, inode, generation FROM state").fetchone()
        key = None if row[0] is None else (row[0], row[1], row[2])
        return key, row[3]

    # Keeping current -----------------------------------------------------------------------

    def ensure_current(
        self, key: StatKey | None, load: Loader, progress: Progress | None = None
    ) -> None:
        """Open the index and bring it up to the store whose file has `key` (stat before load)."""
        try:
            conn = self._open_existing()
            if conn is not None:
                if self.recorded()[0] == key and key is not None:
                    return
                self._catch_up(key, load, progress)
                return
        except sqlite3.DatabaseError:  # damaged inside: start again from the store
            self.close()
        self.rebuild(key, load, progress)

    def rebuild(
        self, key: StatKey | None, load: Loader, progress: Progress | None = None,
        *, durable: bool = False,
    ) -> int:  # fmt: skip
        """Build the index anew from the store; returns the number of clippings indexed.

        When the file cannot be written, the index is built in memory for this process (a
        library on read-only media still searches); with `durable` (asked for by `reindex`),
        that is a StoreError saying why, after the in-memory build.
        """
        state = load()
        self.close()
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.unlink(missing_ok=True)
            conn = self._connect(temporary)
            try:
                count = self._build(conn, key, state, progress)
            finally:
                conn.close()
            with self._old_index_locked():
                temporary.replace(self.path)
        except (sqlite3.OperationalError, OSError) as error:
            # A folder we cannot write (a library on read-only media): index in memory, for
            # this process only.
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            conn = self._connect(":memory:")
            count = self._build(conn, key, state, progress)
            self._conn = conn
            if durable and key is not None:  # (no store yet: no index to keep either)
                reason = error.strerror if isinstance(error, OSError) else None
                raise StoreError(
                    f"cannot write the search index {self.path}: {reason or error}; "
                    f"{'it is a folder: remove it; ' if self.path.is_dir() else ''}"
                    "searches still work, from a temporary index held in memory."
                ) from None
            return count
        self._conn = self._connect(self.path)
        return count

    @contextlib.contextmanager
    def _old_index_locked(self) -> Iterator[None]:
        """Hold the write lock of the index being replaced, so that no other process is
        halfway through a write to it (whose journal would then meet the new file)."""
        old: sqlite3.Connection | None = None
        if self.path.exists():
            try:
                old = self._connect(self.path)
                old.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as error:
                if old is not None:
                    old.close()
                if isinstance(error, sqlite3.OperationalError):
                    raise  # still locked after the timeout
                old = None  # not an SQLite file: nobody can be writing it
        try:
            yield
        finally:
            if old is not None:
                old.execute("ROLLBACK")
                old.close()

    def _build(
        self, conn: sqlite3.Connection, key: StatKey | None, state: StoreState,
        progress: Progress | None,
    ) -> int:  # fmt: skip
        conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: no rollback needed
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)  # executescript commits first: the schema goes alone
        conn.execute("BEGIN")
        count = insert(conn, state.records.items(), len(state.records), progress)
        _record_state(conn, key, state.generation, state.damaged)
        conn.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
        conn.execute("COMMIT")
        return count

    def _catch_up(self, key: StatKey | None, load: Loader, progress: Progress | None) -> None:
        state = load()
        conn = self.conn
        with _immediate(conn):
            if self.recorded()[0] == key and key is not None:
                return  # another process caught up meanwhile
            have: dict[int, bytes] = dict(conn.execute("SELECT id, digest FROM docs"))
            changed: dict[int, Record] = {}
            for record_id, record in state.records.items():
                if have.pop(record_id, None) != digest(orjson.dumps(record)):
                    changed[record_id] = record
            remove(conn, [*have, *changed])
            insert(conn, changed.items(), len(changed), progress)
            _record_state(conn, key, state.generation, state.damaged)

    def apply_commit(
        self,
        changes: Changes,
        *,
        before: StatKey | None,
        after: StatKey | None,
        generation: int,
    ) -> None:
        """Index one committed write of the store, without a rebuild.

        The index is marked current only when it reflected exactly the file this write
        changed (`before`, a stat taken under the store's lock); otherwise the changes are
        still applied and the next read catches up on whatever else changed.
        """
        try:
            conn = self._open_existing()
            if conn is None:
                return  # no index yet: the next read builds it
            with _immediate(conn):
                key, indexed_generation = self.recorded()
                if indexed_generation is not None and indexed_generation >= generation:
                    return  # already reflects this write or a later one
                remove(conn, [*changes.upserts, *changes.deletes])
                insert(conn, changes.upserts.items(), len(changes.upserts), None)
                if key == before and before is not None and indexed_generation == generation - 1:
                    _record_state(conn, after, generation)
        except sqlite3.Error:
            pass  # the store has the change; the next read finds the index stale and catches up
        finally:
            self.close()


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _record_state(
    conn: sqlite3.Connection, key: StatKey | None, generation: int,
    damaged: list[Damage] | None = None,
) -> None:  # fmt: skip
    """What the index now reflects; with `damaged`, a read of the whole store: what it skipped
    (a write through the library keeps damaged records as they are: no change there)."""
    mtime, size, inode = key if key is not None else (None, None, None)
    conn.execute(
        "UPDATE state SET mtime_ns = ?, size = ?, inode = ?, generation = ?",
        (mtime, size, inode, generation),
    )
    if damaged is not None:
        conn.execute("DELETE FROM damaged")
        conn.executemany(
            "INSERT INTO damaged VALUES (?, ?, ?)", [(d.table, d.key, d.reason) for d in damaged]
        )


def damaged_in(conn: sqlite3.Connection) -> list[Damage]:
    """The damaged records of the store the index reflects."""
    return [Damage(*row) for row in conn.execute("SELECT tbl, key, reason FROM damaged")]
