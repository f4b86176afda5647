"""index.sqlite3: the search index, derived from the store and safe to delete.

It holds what search needs, not a second copy of the library: per clipping the columns that
queries filter and sort on, a card (the record without its text, compressed, for the lines of
`clip list` and the counts of `clip stats`), the keys duplicate checks compare and the text's
signature, and an FTS5 table of the analysed title, text, outlet and authors. Whole records
(`clip show`, snippets, exports, `--json`) are read from the store by id. The FTS5 table is
contentless: a row is deleted by handing FTS5 the values it indexed, derived again from the
card and the text the clipping had, which the index knows by its digest; when that text is
not at hand (changed or deleted behind clip's back), the index is rebuilt instead.

The index records the state of the store it reflects: a version key per store segment and the
write generation. A read compares the store's state with that (cheap) and catches up by
reading again only the segments whose key changed, comparing a digest of each of their
records with the one indexed. Writes through the library update the index right after the
store commits (`apply_commit`); if anything goes wrong there, the next read catches up. A
missing, damaged or outdated index is rebuilt into a temporary file that then replaces it, so
readers never see half an index.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from clipper.errors import StoreError
from clipper.search import segments
from clipper.search.analysis import ANALYSIS_VERSION
from clipper.search.folding import FOLD_VERSION
from clipper.search.rows import FTS_COLUMNS, Progress, StaleText, insert
from clipper.search.segments import (
    Changes,
    Reads,
    Rebuild,
    Source,
    SourceState,
    apply_changes,
    damaged_in,
    keys,
    record_damage,
    record_state,
)

__all__ = ["Changes", "Reads", "SearchIndex", "Source", "SourceState", "damaged_in", "memory_index"]

# Bump the first part when the tables change; FOLD_VERSION and ANALYSIS_VERSION change what
# the FTS table holds. 400: docs.captured (the capture day, for `captured:`), a clipping
# without a URL takes its site from an outlet named by its domain, a `damaged` table lists the
# records skipped, ranked columns of stemmed terms without stopwords beside the exact folded
# words, and the languages indexed; an older index is rebuilt by itself, once. 500: cards
# instead of whole records, and the state per store segment. 600: hashes, signatures and
# uuids as bytes, and a bulk build compacted (FTS5 optimize, VACUUM INTO). 700: cards
# compressed, their authors and near duplicates in columns beside them; a bucket's ids in one
# row.
INDEX_FORMAT = 700 + 10 * ANALYSIS_VERSION + FOLD_VERSION

_SCHEMA = f"""
CREATE TABLE state (one INTEGER PRIMARY KEY CHECK (one = 1), generation INTEGER);
INSERT INTO state (one) VALUES (1);
-- The store's segments as indexed: name -> the version key they had (JSON).
CREATE TABLE segments (name TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID;
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
    segment TEXT,  -- the store segment holding the record; NULL until a read of it says
    digest BLOB NOT NULL,  -- of the whole record: a changed record is indexed again
    text_digest BLOB NOT NULL,  -- of its text: the old words can be taken out if it is at hand
    card BLOB NOT NULL,  -- the record without its text (rows.card: compressed), for lists
    authors TEXT,  -- rows.CARD_COLUMNS: JSON, NULL when empty (the authors of stats,
    near TEXT  -- and the near duplicates of has:duplicates)
);
CREATE INDEX docs_by_segment ON docs (segment);
CREATE INDEX docs_by_day ON docs (day, id);
-- The languages of the clippings indexed (a query word is analysed in each); one kept after
-- its last clipping went only costs a query an extra stem to look for.
CREATE TABLE langs (lang TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE tags (tag TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tag, id)) WITHOUT ROWID;
CREATE INDEX tags_by_id ON tags (id);
-- How many clippings carry each tag, kept with `tags`: what `clip add` suggests tags from,
-- without counting the whole tags table at every add.
CREATE TABLE tag_totals (tag TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
-- content_hash, uuid and signature: their bytes (rows.packed_hex, packed_uuid), or the text
-- of a value that is not in the form clip writes (a hand edit).
CREATE TABLE keys (
    id INTEGER PRIMARY KEY, url TEXT, content_hash BLOB, uuid BLOB, signature BLOB,
    words INTEGER NOT NULL
);
-- The signatures' LSH buckets (capture.dedup.band_keys): near-duplicate candidates by lookup.
-- One row a bucket: the ids in it, four bytes each (rows.bucket_ids), in the order added.
CREATE TABLE bands (key INTEGER PRIMARY KEY, ids BLOB NOT NULL);
CREATE INDEX keys_by_url ON keys (url);
CREATE INDEX keys_by_hash ON keys (content_hash);
CREATE INDEX keys_by_uuid ON keys (uuid);
CREATE VIRTUAL TABLE fts USING fts5 (
    {FTS_COLUMNS}, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE vocab USING fts5vocab (fts, 'col');
CREATE TABLE damaged (
    segment TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL
);
"""


def memory_index() -> sqlite3.Connection:
    """An empty index of this schema in memory, for clippings not in the library (feed items
    a watch judges): the same columns, the same folding, so the same query semantics."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(_SCHEMA)
    return conn


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

    def segments(self) -> dict[str, str]:
        """The store segments the index says it reflects, with their version keys."""
        return dict(self.conn.execute("SELECT name, key FROM segments"))

    def generation(self) -> int | None:
        """The store's write generation the index says it reflects."""
        row = self.conn.execute("SELECT generation FROM state").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def reflects(self, state: SourceState) -> bool:
        """Whether the open index reflects exactly this state of the store."""
        return self.segments() == keys(state)

    # Keeping current -----------------------------------------------------------------------

    def ensure_current(
        self, source: Source, progress: Progress | None = None, *,
        state: SourceState | None = None,
    ) -> None:  # fmt: skip
        """Open the index and bring it up to the store's `state` (taken before any read)."""
        state = source.state() if state is None else state
        try:
            conn = self._open_existing()
            if conn is not None:
                if self.reflects(state):
                    return
                self._catch_up(source, state, progress)
                return
        except sqlite3.DatabaseError:  # damaged inside: start again from the store
            self.close()
        self.rebuild(source, progress, state=state)

    def rebuild(
        self, source: Source, progress: Progress | None = None, *, durable: bool = False,
        state: SourceState | None = None, reads: Reads | None = None,
    ) -> int:  # fmt: skip
        """Build the index anew from the store, one segment at a time; returns the number of
        clippings indexed. `reads`: segments read already (by a catch-up that gave up).

        When the file cannot be written, the index is built in memory for this process (a
        library on read-only media still searches); with `durable` (asked for by `reindex`),
        that is a StoreError saying why, after the in-memory build.
        """
        state = source.state() if state is None else state
        self.close()
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.unlink(missing_ok=True)
            conn = self._connect(temporary)
            try:
                count = self._build(conn, source, state, progress, reads or {})
                _compact(conn, temporary)
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
            count = self._build(conn, source, state, progress, reads or {})
            self._conn = conn
            if durable and state.segments:  # (no store yet: no index to keep either)
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
        self, conn: sqlite3.Connection, source: Source, state: SourceState,
        progress: Progress | None, reads: Reads,
    ) -> int:  # fmt: skip
        conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: no rollback needed
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)  # executescript commits first: the schema goes alone
        conn.execute("BEGIN")
        count = done = 0
        names = list(state.segments)
        seen: set[int] = set()  # an id in two segments (a hand edit) is indexed once
        for position, name in enumerate(names):
            records, damaged = reads[name] if name in reads else segments.read(source, name)
            # The total is known once every segment is read: until then, estimated.
            total = (done + len(records)) * len(names) // (position + 1)
            items = [(i, record) for i, record in records.items() if i not in seen]
            seen.update(records)
            count += insert(conn, items, total, progress, segment=name, done=done)
            done += len(records)
            record_damage(conn, name, damaged)
        record_state(conn, keys(state), state.generation)
        conn.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
        conn.execute("COMMIT")
        return count

    def _catch_up(self, source: Source, state: SourceState, progress: Progress | None) -> None:
        """Read again the segments whose key changed and index what changed in them; a
        rebuild when something must be taken out whose text is no longer at hand."""
        recorded = self.segments()
        wanted = keys(state)
        changed = [name for name, key in wanted.items() if recorded.get(name) != key]
        # Read before taking the index's write lock: readers of the index are not held.
        reads = {name: segments.read(source, name) for name in changed}
        try:
            with _immediate(self.conn):
                if self.segments() == wanted:
                    return  # another process caught up meanwhile
                segments.apply_reads(
                    self.conn, reads, [n for n in recorded if n not in wanted], progress
                )
                record_state(self.conn, wanted, state.generation)
        except (Rebuild, StaleText):
            self.rebuild(source, progress, state=state, reads=reads)

    def apply_commit(self, changes: Changes, *, before: SourceState, after: SourceState) -> None:
        """Index one committed write of the store, without reading it again.

        The index is marked current only when it reflected exactly the state this write
        changed (`before`, taken under the store's lock); otherwise the changes are still
        applied and the next read catches up on whatever else changed. A write that touched
        one segment names it for the clippings it indexes; one that touched several leaves
        those segments to be read again by the next read (which names them).
        """
        try:
            conn = self._open_existing()
            if conn is None:
                return  # no index yet: the next read builds it
            with _immediate(conn):
                indexed_generation = self.generation()
                if indexed_generation is not None and indexed_generation >= after.generation:
                    return  # already reflects this write or a later one
                apply_changes(conn, changes, self.segments(), before, after)
        except (sqlite3.Error, StaleText):
            pass  # the store has the change; the next read finds the index stale and catches up
        finally:
            self.close()


def _compact(conn: sqlite3.Connection, built: Path) -> None:
    """Pack a freshly built index: its FTS5 segments merged into one (`optimize`), then
    every table written anew in key order (`VACUUM INTO`), since rows inserted in id order
    leave the b-trees keyed otherwise (bands, the keys' lookups, the tags) with pages about
    two thirds full. About 6% of the file; `VACUUM INTO` writes the copy once, to disk (an
    in-place VACUUM with temp_store = MEMORY would hold a copy of the index in memory).
    Packing is only a saving: when it fails (the disk too full for the copy), the index is
    kept as built."""
    packed = built.with_name(built.name + ".packed")
    try:
        conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        packed.unlink(missing_ok=True)
        _pack_into(conn, packed)
        packed.replace(built)
    except (sqlite3.OperationalError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError):
            packed.unlink(missing_ok=True)


def _pack_into(conn: sqlite3.Connection, target: Path) -> None:
    conn.execute("VACUUM INTO ?", (str(target),))


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
