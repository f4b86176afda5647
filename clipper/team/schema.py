"""The team library's tables, created and migrated by clip: versioned like the local store
(schema_version in the clip_meta table), each migration a small step in order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clipper.errors import StoreError

if TYPE_CHECKING:
    import psycopg

SCHEMA_VERSION = 3
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
# Version 2: what `clip add` asks on every write, answered without reading the whole table.
# - `bands`: the 32 LSH band keys of the MinHash signature, banded as capture/dedup.py's
#   SignatureBuckets bands it (two bins a band, the band's number above its 16 bits), under a
#   GIN index: the near-duplicate candidates are the clippings sharing a band.
# - `clip_tag_counts`: how many kept clippings carry each tag, kept up to date by a trigger
#   (tag suggestions and `clip tags` read it instead of unnesting every row's tags). The
#   trigger runs as the tables' owner, so that members need no right to write the counts.
# - `added_by` in each record too (as clip 2 writes it), so that a loaded clipping says who
#   added it.
# - an index on `config`: the loose index scan of reading.configs probes it; indexes on the
#   URL and text hash of every row, for the duplicate checks (the unique ones are partial).
_V2 = """
CREATE FUNCTION clip_bands(signature text) RETURNS integer[] LANGUAGE sql IMMUTABLE STRICT
PARALLEL SAFE AS $$
    SELECT CASE WHEN signature ~ '^[0-9a-fA-F]{128}$' THEN ARRAY(
        SELECT ('x' || substr(signature, 4 * band + 1, 4))::bit(16)::integer | (band << 16)
        FROM generate_series(0, 31) AS band ORDER BY band
    ) ELSE '{}'::integer[] END
$$;
ALTER TABLE clippings ADD COLUMN bands integer[] NOT NULL DEFAULT '{}';
UPDATE clippings SET bands = clip_bands(signature) WHERE signature <> '';
CREATE INDEX clippings_bands ON clippings USING gin (bands) WHERE NOT trashed;
UPDATE clippings SET record = (record::jsonb || jsonb_build_object('added_by', added_by))::json
    WHERE added_by IS NOT NULL;
CREATE INDEX clippings_config ON clippings (config);
CREATE INDEX clippings_url_all ON clippings (url);  -- the unique ones skip kept duplicates
CREATE INDEX clippings_text_all ON clippings (content_hash);
CREATE TABLE clip_tag_counts (tag text PRIMARY KEY, n integer NOT NULL);
INSERT INTO clip_tag_counts
    SELECT t, count(*) FROM clippings c, unnest(c.tags) t WHERE NOT c.trashed GROUP BY t;
CREATE FUNCTION clip_count_tags() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.tags = NEW.tags AND OLD.trashed = NEW.trashed THEN
        RETURN NULL;  -- most updates (a note, a link, a star) leave the counts alone
    END IF;
    IF TG_OP <> 'INSERT' AND NOT OLD.trashed AND cardinality(OLD.tags) > 0 THEN
        UPDATE clip_tag_counts SET n = n - 1 WHERE tag = ANY(OLD.tags);
        DELETE FROM clip_tag_counts WHERE tag = ANY(OLD.tags) AND n <= 0;
    END IF;
    IF TG_OP <> 'DELETE' AND NOT NEW.trashed AND cardinality(NEW.tags) > 0 THEN
        INSERT INTO clip_tag_counts SELECT DISTINCT t, 1 FROM unnest(NEW.tags) t
            ON CONFLICT (tag) DO UPDATE SET n = clip_tag_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER clippings_tag_counts AFTER INSERT OR UPDATE OR DELETE ON clippings
    FOR EACH ROW EXECUTE FUNCTION clip_count_tags();
DO $$
DECLARE member text;
BEGIN  -- who may read the clippings may read their tag counts
    FOR member IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = 'clippings' AND privilege_type = 'SELECT'
            AND grantee <> current_user LOOP
        EXECUTE 'GRANT SELECT ON clip_tag_counts TO '
            || CASE WHEN member = 'PUBLIC' THEN member ELSE quote_ident(member) END;
    END LOOP;
END
$$;
"""
# Version 3: the feed watches (`clip watch`) and what their runs remember of each feed, as a
# library folder keeps them in its store and in watch-state.json: here for the whole team.
# Who may write clippings may keep watches and run them.
_V3 = """
CREATE TABLE clip_watches (name text PRIMARY KEY, watch jsonb NOT NULL);
CREATE TABLE clip_watch_feeds (url text PRIMARY KEY, state jsonb NOT NULL);
DO $$
DECLARE member text;
BEGIN
    FOR member IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = 'clippings' AND privilege_type = 'INSERT'
            AND grantee <> current_user LOOP
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON clip_watches, clip_watch_feeds TO '
            || CASE WHEN member = 'PUBLIC' THEN member ELSE quote_ident(member) END;
    END LOOP;
END
$$;
"""
# Also in version 3: the RUM index (the rum extension, where the server has it), which hands
# a search the best matches of its words in its own order, so that the exact rank scores a
# shortlist instead of every match (reading._shortlisted). Without it, searches rank every
# match, as before. A member may not create the extension: the owner's first run does (or
# the server's administrator, `CREATE EXTENSION rum`; then the index, docs/team-library.md).
_V3 += """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS rum;
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;  -- only a superuser may: the library goes without the index
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
        CREATE INDEX IF NOT EXISTS clippings_rank ON clippings USING rum (tsv rum_tsvector_ops)
            WHERE NOT trashed;
    END IF;
END
$$;
"""
MIGRATIONS = (_V1, _V2, _V3)  # MIGRATIONS[n] brings a schema at version n to version n + 1
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
    """The schema's version; None before clip's tables exist. One round trip when they do
    (every command asks): the missing table is the rare case, told by the error."""
    import psycopg

    try:
        with conn.transaction():
            found = conn.execute(
                "SELECT value FROM clip_meta WHERE key = 'schema_version'"
            ).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
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
