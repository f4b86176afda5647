"""The library on disk (schema 3): clippings.json, a small manifest, and segment files by id range.

    clippings.json                  TinyDB file: tables `meta` (counters, watches), `segments`
                                    and `pending` (links waiting for their segment: storage/pending)
    clippings.d/000003.g000057.json TinyDB file: tables `clippings` and `trash`, ids 501-750

A segment holds the clippings (kept and trashed) whose ids fall in its range of SEGMENT_SIZE
ids; its number is in its file name, with the generation of the commit that wrote it, so a new
version of a segment never overwrites a file that a reader may be reading. The manifest's
`segments` table names the current file of each segment (record key: the segment number) with
its counts and size; replacing the manifest is what makes a commit visible.

A schema-1 library is one clippings.json holding `meta`, `trash` and `clippings`: read as it
is, converted on its first write (see store.Store.transaction). A schema-2 manifest is one
without the `pending` table: its first write adds it.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

CLIPPINGS, TRASH, META, SEGMENTS, PENDING = "clippings", "trash", "meta", "segments", "pending"
META_KEY = "1"
JSON_OPTIONS = orjson.OPT_NON_STR_KEYS
# Ids per segment. At about 3 KB a clipping a segment is about 750 KB: parsed and checked in a
# few milliseconds, so a write that touches one costs that, whatever the library's size; a
# million clippings make a manifest of 4,000 records (about 420 KB, parsed in 2-4 ms). See
# docs/decisions/001-storage-layout.md. A library keeps the size it was written with (meta's
# `segment_size`): a later clip with another size still reads it.
SEGMENT_SIZE = 250
FOLDER_SUFFIX = ".d"  # clippings.json -> clippings.d/

Record = dict[str, Any]
Tables = dict[str, dict[str, Record]]

_FILE = re.compile(r"^(\d{6,})\.g(\d{6,})\.json$")


def segment_of(record_id: int, size: int) -> int:
    """The number of the segment that holds an id (1 for ids 1 to `size`)."""
    return (record_id - 1) // size + 1


def id_range(number: int, size: int) -> tuple[int, int]:
    """The first and last id a segment of `size` ids holds."""
    return (number - 1) * size + 1, number * size


def segment_name(number: int) -> str:
    """A segment's stable name, as `Store.state()` gives it: '000003'."""
    return f"{number:06d}"


def file_name(number: int, generation: int) -> str:
    return f"{number:06d}.g{generation:06d}.json"


def parse_file_name(name: str) -> tuple[int, int] | None:
    """(segment number, generation) of a segment file's name; None for any other file."""
    match = _FILE.match(name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def serialize(tables: Tables) -> bytes:
    """Tables in TinyDB's layout, in the order given, one record per line: still one JSON
    document that TinyDB opens and a person reads (and `grep` finds a clipping's whole
    record on one line), without the indentation of every field, which cost about a tenth
    of the store (docs/decisions/004-indented-json.md)."""
    parts = []
    for name, table in tables.items():
        lines = [b"    " + _key(key) + b": " + orjson.dumps(record, option=JSON_OPTIONS)
                 for key, record in table.items()]  # fmt: skip
        body = b"{\n" + b",\n".join(lines) + b"\n  }" if lines else b"{}"
        parts.append(b"  " + _key(name) + b": " + body)
    return b"{\n" + b",\n".join(parts) + b"\n}\n"


def _key(key: object) -> bytes:
    # As OPT_NON_STR_KEYS would write a key of the whole document (TinyDB's keys are text).
    return orjson.dumps(key if isinstance(key, str) else str(key))


def segment_bytes(clippings: dict[str, Any], trash: dict[str, Any]) -> bytes:
    """A segment file, records in id order (a person reads it; a diff stays small)."""
    return serialize({CLIPPINGS: _by_id(clippings), TRASH: _by_id(trash)})


def manifest_bytes(meta: dict[str, Record], segments: dict[int, Record], pending: Any) -> bytes:
    """clippings.json of schema 3: the counters' record first, as `clip doctor` reads it."""
    ordered = dict(sorted(meta.items(), key=lambda item: (item[0] != META_KEY, item[0])))
    tables = {META: ordered, SEGMENTS: {str(n): segments[n] for n in sorted(segments)}}
    if not isinstance(pending, dict):  # a hand edit's, kept as it was read (see pending.py)
        body = serialize(tables)
        return body[: -len(b"\n}\n")] + b',\n  "pending": ' + orjson.dumps(pending) + b"\n}\n"
    return serialize({**tables, PENDING: pending})


def _by_id(table: dict[str, Any]) -> dict[str, Any]:
    # A damaged record's key may be no number: those go last, in the order read.
    numbered = sorted((k for k in table if k.isdigit()), key=int)
    return {**{k: table[k] for k in numbered}, **table}
