"""The team library's tables, created and migrated by clip: versioned like the local store
(schema_version in the clip_meta table), each migration a small step in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clipper.errors import StoreError

if TYPE_CHECKING:
    import psycopg

SCHEMA_VERSION = 1
# One table for kept and trashed clippings (`trashed`), so that the unique indexes cover both,
# as the duplicate rules do. `record` is the clipping as the local store keeps it; the other
# columns are derived from it for filters, sorting and full-text search. URL and text hash
# are unique except for clippings kept on purpose as duplicates (`clip add --allow-duplicate`).
_V1 = """
CREATE SEQUENCE clip_ids;
CREATE TABLE clippings (
    id bigint PRIMARY KEY,
    uuid text NOT NULL UNIQUE,
    url text,
    content_hash text NOT NULL,
    duplicate_ok boolean NOT NULL DEFAULT false,
    trashed boolean NOT NULL DEFAULT false,
    record json NOT NULL,  -- json, not jsonb: a record keeps the order of its keys
    day text NOT NULL,
    day_end text NOT NULL,
    captured text NOT NULL,
    starred boolean NOT NULL,
    has_note boolean NOT NULL,
    has_author boolean NOT NULL,
    lang text,
    site text,
    url_key text,
    source_key text,
    tags text[] NOT NULL,
    near bigint[] NOT NULL,
    signature text NOT NULL,
    word_count integer NOT NULL,
    added_by text,
    config regconfig NOT NULL,
    tsv tsvector NOT NULL,
    words tsvector NOT NULL
);
CREATE UNIQUE INDEX clippings_url ON clippings (url) WHERE url IS NOT NULL AND NOT duplicate_ok;
CREATE UNIQUE INDEX clippings_text ON clippings (content_hash) WHERE NOT duplicate_ok;
CREATE INDEX clippings_tsv ON clippings USING gin (tsv);
CREATE INDEX clippings_words ON clippings USING gin (words);
CREATE INDEX clippings_tags ON clippings USING gin (tags);
CREATE INDEX clippings_day ON clippings (trashed, day DESC, id DESC);
CREATE INDEX clippings_captured ON clippings (trashed, captured);
"""
MIGRATIONS = (_V1,)  # MIGRATIONS[n] brings a schema at version n to version n + 1
# Only one clip migrates at a time: the others wait for it (an advisory lock, by number).
_LOCK = 0x636C6970


def ensure(conn: psycopg.Connection[Any]) -> None:
    """Create or migrate the tables; a library from a newer clip is refused untouched."""
    version = _version(conn)
    if version == SCHEMA_VERSION:
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS clip_meta (key text PRIMARY KEY, value jsonb NOT NULL)"
        )
        version = _version(conn) or 0
        _refuse_newer(version)
        for step in MIGRATIONS[version:]:
            conn.execute(step)
        conn.execute(
            "INSERT INTO clip_meta VALUES ('schema_version', to_jsonb(%s::int)) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SCHEMA_VERSION],
        )


def _version(conn: psycopg.Connection[Any]) -> int | None:
    with conn.transaction():
        row = conn.execute(
            "SELECT to_regclass('clip_meta') IS NOT NULL"
        ).fetchone()
        if not row or not row[0]:
            return None
        found = conn.execute(
            "SELECT value FROM clip_meta WHERE key = 'schema_version'"
        ).fetchone()
    version = found[0] if found else None
    if version is not None:
        _refuse_newer(int(version))
    return None if version is None else int(version)


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this team library has schema version {version}, newer than this clip knows "
            f"({SCHEMA_VERSION}); upgrade clip. Nothing was changed."
        )
