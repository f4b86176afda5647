"""The rows the index keeps for a clipping: derived from its stored record, written, removed."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import struct
import uuid as uuids
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson

from clipper.capture.dedup import band_keys
from clipper.model import Clipping, date_key, site_of
from clipper.search.analysis import analyzer
from clipper.search.folding import fold

BATCH = 500
# An outlet named by its domain: labels of letters, digits and inner hyphens, an alphabetic TLD.
_DOMAIN_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")

# The FTS table's columns: ranked terms per field, then the exact (folded) words per field.
RANKED = ("title", "body", "source", "author")
EXACT = ("title_x", "body_x", "source_x", "author_x")
FTS_COLUMNS = ", ".join((*RANKED, *EXACT))
_MARKS = ", ".join("?" * (len(RANKED) + len(EXACT)))

Record = dict[str, Any]
Progress = Callable[[int, int], None]


def digest(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


def _period_end(day: str) -> str:
    """A YYYY or YYYY-MM date as text that compares like its last day (2023 -> 2023-99-99)."""
    return day + "-99-99"[len(day) - 4 :] if len(day) in (4, 7) else day


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def keys_row(record_id: int, record: Record) -> tuple[Any, ...]:
    """What duplicate checks compare (URL, text hash, uuid) and near-duplicate detection needs
    (signature, word count), as a row of the small `keys` table: hashes, signatures and uuids
    as their bytes (see packed_hex, packed_uuid)."""
    words = record.get("word_count")
    return (
        record_id,
        _text(record.get("url")) or None,
        packed_hex(_text(record.get("content_hash")) or None),
        packed_uuid(_text(record.get("uuid")) or None),
        packed_hex(_text(record.get("signature")) or None),
        words if isinstance(words, int) else 0,
    )


_HEX = re.compile(r"(?:[0-9a-f]{2})+")


def packed_hex(value: str | None) -> bytes | str | None:
    """A hash or signature as the index keeps it: lowercase hex as its bytes (half the
    size); anything else (a hand edit) as written. SQLite never finds a blob equal to a
    text, so a lookup packed the same way matches exactly what the text would have."""
    return bytes.fromhex(value) if value is not None and _HEX.fullmatch(value) else value


def unpacked_hex(value: object) -> str | None:
    return value.hex() if isinstance(value, bytes) else None if value is None else str(value)


def packed_uuid(value: str | None) -> bytes | str | None:
    """A uuid in its canonical form as its 16 bytes; anything else as written."""
    try:
        parsed = uuids.UUID(value) if value is not None else None
    except ValueError:
        return value
    return parsed.bytes if parsed is not None and str(parsed) == value else value


def unpacked_uuid(value: object) -> str | None:
    if isinstance(value, bytes):
        return str(uuids.UUID(bytes=value))
    return None if value is None else str(value)


def derive(
    record_id: int, record: Record
) -> tuple[tuple[Any, ...], tuple[str, ...], list[str]] | None:
    """The docs row (without segment, digests and card), FTS values and tags of a stored record.

    The FTS values are the ranked columns (the terms of title, text, outlet and authors:
    stemmed in the clipping's language, without its stopwords), then the exact columns (the
    same fields folded, every word kept, for quoted words, phrases and prefixes).

    None for a record that is not a clipping (a hand edit gone wrong): it is left out.
    """
    try:
        clipping = Clipping.from_dict(record)
    except (ValueError, TypeError):
        return None
    url = _text(clipping.url) or None
    source = _text(clipping.source)
    site = site_of(url) if url else outlet_site(source)
    authors = _strings(clipping.authors)
    day = date_key(_text(clipping.published)) or date_key(_text(clipping.captured))
    row = (
        record_id,
        day,
        _period_end(day),
        date_key(_text(clipping.captured)),
        int(bool(clipping.starred)),
        1 if _text(clipping.note).strip() else 0,
        1 if authors else 0,
        _text(clipping.language).lower() or None,
        site,
        url.lower() if url else None,
        source.casefold() or None,
    )
    fields = (_text(clipping.title), _text(clipping.text), f"{source} {site or ''}",
              " ; ".join(authors))  # fmt: skip
    ranked = analyzer(_text(clipping.language)).text
    texts = (*(ranked(value) for value in fields), *(fold(value) for value in fields))
    return row, texts, _strings(clipping.tags)


def outlet_site(source: str) -> str | None:
    """The site an outlet's name spells out (News.Az is news.az), for `site:` on clippings kept
    without a URL; None for a name that is not a domain (Reuters, The Daily Example). Only
    the whole name counts: no guess from its words."""
    name = source.strip().casefold().removeprefix("www.")
    return name if _DOMAIN_NAME.fullmatch(name) else None


# What a card (the index's summary of a clipping, for the lines of `clip list` and the
# counts of `clip stats`) leaves out of the stored record: the text and what derives from it
# or is shown only with it. The whole record stays in the store, read where it is needed.
# The keys table has the text's hash; empty values are the defaults a clipping loads with.
CARD_OMITS = frozenset(
    ("text", "signature", "description", "passages", "provenance", "content_hash")
)
# Two fields that queries read in SQL (`has:duplicates`, the authors of `clip stats`) are
# columns of docs beside the card, as JSON (NULL when empty), not in it.
CARD_COLUMNS = ("authors", "near_duplicates")
_EMPTY: tuple[object, ...] = (None, False, [], {})
# The rest of the card is JSON compressed with raw DEFLATE (RFC 1951) and this preset
# dictionary (RFC 1950's FDICT): the field names in the order clip writes them, the JSON
# around them and the forms of its values, the commonest last (DEFLATE finds the nearest
# match cheapest). Nothing of any library is in it. A card of about 370 bytes of JSON takes
# about 180. Part of the index format: a change to it bumps INDEX_FORMAT.
CARD_DICTIONARY = (
    b'"snapshot":"","note":"","starred":true,"title_source":"extracted",'
    b'"title_source":"generated",'
    b'"url":"http://","published":"T::Z","language":"","tags":["/"],'
    b'{"id":,"uuid":"-4-","title":"","captured":"T::Z","title_source":"given",'
    b'"url":"https://www.","source":"","published":"-","language":"en","tags":["",""],'
    b'"word_count":'
)


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, CARD_DICTIONARY)
    return packer.compress(data) + packer.flush()


def _inflated(blob: bytes) -> bytes:
    try:
        unpacker = zlib.decompressobj(-15, CARD_DICTIONARY)
        return unpacker.decompress(blob) + unpacker.flush()
    except zlib.error as error:  # a damaged index: said as such, like SQLite's own damage
        raise sqlite3.DatabaseError(f"a card of the index cannot be read ({error})") from None


class StaleText(Exception):
    """A clipping cannot be taken out of the full-text table: its text as indexed is not at
    hand (the FTS table is contentless: a row is deleted by giving the values it indexed).
    The caller rebuilds the index instead."""


def card(record: Record) -> tuple[bytes, str | None, str | None]:
    """The record without its text and what goes with it, as the docs table keeps it: the
    compressed card, then the CARD_COLUMNS as JSON (None when empty)."""
    kept = {
        k: v for k, v in record.items()
        if k not in CARD_OMITS and k not in CARD_COLUMNS and v not in _EMPTY
    }  # fmt: skip
    authors, near = (record.get(name) for name in CARD_COLUMNS)
    return (
        _deflated(orjson.dumps(kept)),
        None if authors in _EMPTY else orjson.dumps(authors).decode(),
        None if near in _EMPTY else orjson.dumps(near).decode(),
    )


def add_links(conn: sqlite3.Connection, links: Mapping[int, Iterable[int]]) -> None:
    """Add near-duplicate links to the cards of indexed clippings whose records were not read
    (see storage/pending): their `near` column, the card itself unchanged. Their digest is then
    unknown (empty, matching no record): the next read of their segment indexes them again
    from the store."""
    ids = list(links)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id, near FROM docs WHERE id IN ({marks})", chunk)
        updates = []
        for record_id, near in rows.fetchall():
            value = orjson.loads(near) if near is not None else []
            current = {i for i in value if isinstance(i, int)} if isinstance(value, list) else set()
            joined = sorted(current | set(links[record_id]))
            updates.append((orjson.dumps(joined).decode() if joined else None, b"", record_id))
        conn.executemany("UPDATE docs SET near = ?, digest = ? WHERE id = ?", updates)


def card_record(blob: bytes, authors: str | None, near: str | None) -> Record:
    """The record a card stands for (what `card` kept of it), from docs' card columns."""
    record: Record = orjson.loads(_inflated(blob))
    if authors is not None:
        record["authors"] = orjson.loads(authors)
    if near is not None:
        record["near_duplicates"] = orjson.loads(near)
    return record


CARD_SQL = "{d}card, {d}authors, {d}near"  # the columns card_record reads, in its order


def text_digest(record: Record) -> bytes:
    return digest(_text(record.get("text")).encode("utf-8", "surrogatepass"))


def insert(
    conn: sqlite3.Connection,
    items: Iterable[tuple[int, Record]],
    total: int,
    progress: Progress | None,
    *,
    segment: str | None = None,
    done: int = 0,
) -> int:
    """Index records of one store segment (None: not known yet); their ids must not be in the
    index. Returns how many were indexed; `done` counts on from earlier segments' progress."""
    docs: list[tuple[Any, ...]] = []
    texts: list[tuple[Any, ...]] = []
    tags: list[tuple[str, int]] = []
    keys: list[tuple[Any, ...]] = []
    bands: list[tuple[int, int]] = []
    indexed = 0
    for record_id, record in items:
        done += 1
        derived = derive(record_id, record)
        if derived is not None:
            row, values, tag_list = derived
            whole = digest(orjson.dumps(record))
            docs.append((*row, segment, whole, text_digest(record), *card(record)))
            texts.append((record_id, *values))
            tags.extend((tag, record_id) for tag in dict.fromkeys(tag_list))
            keys.append(keys_row(record_id, record))
            bands.extend((key, record_id) for key in band_keys(_text(record.get("signature"))))
            indexed += 1
        if len(docs) >= BATCH:
            _flush(conn, docs, texts, tags, keys, bands)
            if progress is not None:
                progress(done, max(total, done))
    _flush(conn, docs, texts, tags, keys, bands)
    if progress is not None:
        progress(done, max(total, done))
    return indexed


def _flush(
    conn: sqlite3.Connection,
    docs: list[tuple[Any, ...]],
    texts: list[tuple[Any, ...]],
    tags: list[tuple[str, int]],
    keys: list[tuple[Any, ...]],
    bands: list[tuple[int, int]],
) -> None:
    conn.executemany(f"INSERT INTO docs VALUES ({', '.join('?' * 17)})", docs)
    conn.executemany("INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?)", keys)
    buckets: defaultdict[int, bytes] = defaultdict(bytes)
    for key, record_id in bands:
        buckets[key] += _ID.pack(record_id)
    # `||` makes text of two blobs; CAST gives back the same bytes (the index is UTF-8).
    conn.executemany(
        "INSERT INTO bands VALUES (?, ?) ON CONFLICT (key) "
        "DO UPDATE SET ids = CAST(ids || excluded.ids AS BLOB)",
        buckets.items(),
    )
    conn.executemany(f"INSERT INTO fts (rowid, {FTS_COLUMNS}) VALUES (?, {_MARKS})", texts)
    conn.executemany("INSERT OR IGNORE INTO tags (tag, id) VALUES (?, ?)", tags)
    conn.executemany(
        "INSERT INTO tag_totals VALUES (?, ?) ON CONFLICT (tag) DO UPDATE SET n = n + excluded.n",
        Counter(tag for tag, _ in tags).items(),
    )
    languages = {(row[7] or "",) for row in docs}
    conn.executemany("INSERT OR IGNORE INTO langs (lang) VALUES (?)", sorted(languages))
    for batch in (docs, texts, tags, keys, bands):
        batch.clear()


def remove(conn: sqlite3.Connection, ids: list[int], texts: Mapping[int, Sequence[str]]) -> None:
    """Take clippings out of the index (ids not in it are ignored). `texts`: what the text of
    each may have been when indexed (the one whose digest the row keeps is used); StaleText
    when none is, and nothing was removed."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, text_digest, {CARD_SQL.format(d='')} FROM docs WHERE id IN ({marks})",
            chunk,
        ).fetchall()
        deletions = []
        for record_id, indexed_text, *columns in rows:
            text = next(
                (t for t in texts.get(record_id, ()) if text_digest({"text": t}) == indexed_text),
                None,
            )
            if text is None:
                raise StaleText(record_id)
            derived = derive(record_id, {**card_record(*columns), "text": text})
            if derived is not None:
                deletions.append((record_id, *derived[1]))
        conn.executemany(
            f"INSERT INTO fts (fts, rowid, {FTS_COLUMNS}) VALUES ('delete', ?, {_MARKS})",
            deletions,
        )
        conn.execute(f"DELETE FROM docs WHERE id IN ({marks})", chunk)
        conn.executemany(
            "UPDATE tag_totals SET n = n - ? WHERE tag = ?",
            [(n, tag) for tag, n in conn.execute(
                f"SELECT tag, count(*) FROM tags WHERE id IN ({marks}) GROUP BY tag", chunk
            ).fetchall()],
        )  # fmt: skip
        conn.execute("DELETE FROM tag_totals WHERE n <= 0")
        conn.execute(f"DELETE FROM tags WHERE id IN ({marks})", chunk)
        # By its buckets, from the signature: the table has no index by id.
        signed = conn.execute(f"SELECT id, signature FROM keys WHERE id IN ({marks})", chunk)
        _unbucket(conn, [(key, i) for i, signature in signed.fetchall()
                         for key in band_keys(unpacked_hex(signature) or "")])  # fmt: skip
        conn.execute(f"DELETE FROM keys WHERE id IN ({marks})", chunk)


# A bucket's ids, as the bands table keeps them: four bytes each, big-endian. One row a bucket
# rather than one a (bucket, id) pair: at 100,000 clippings 1.3 million rows instead of 3.2
# million, a third less disk, and more as buckets fill (a million clippings put about 15 ids
# in each).
_ID = struct.Struct(">I")


def bucket_ids(blob: object) -> list[int]:
    """The ids a bucket of the bands table holds; anything but whole ids is a damaged index."""
    if not isinstance(blob, bytes) or len(blob) % _ID.size:
        raise sqlite3.DatabaseError("a bucket of the index cannot be read")
    return [value for (value,) in _ID.iter_unpack(blob)]


def _unbucket(conn: sqlite3.Connection, pairs: list[tuple[int, int]]) -> None:
    """Take (bucket, id) pairs out of the bands table; a bucket left empty goes."""
    leaving: defaultdict[int, set[int]] = defaultdict(set)
    for key, record_id in pairs:
        leaving[key].add(record_id)
    for key, ids in leaving.items():
        row = conn.execute("SELECT ids FROM bands WHERE key = ?", (key,)).fetchone()
        if row is None:
            continue
        kept = b"".join(_ID.pack(i) for i in bucket_ids(row[0]) if i not in ids)
        if kept:
            conn.execute("UPDATE bands SET ids = ? WHERE key = ?", (kept, key))
        else:
            conn.execute("DELETE FROM bands WHERE key = ?", (key,))
