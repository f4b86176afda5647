"""clippings.json as clip writes it, and new clippings appended to it without parsing it.

clip writes the file in one layout: the `meta` table first, then `trash`, then `clippings`,
indented by two spaces. The meta record holds a CRC-32 of every byte after the meta table
(`checksum`). When that checksum still holds, the rest of the file is byte for byte what clip
wrote: valid JSON in this layout, every record checked when it was written. Adding a clipping
to such a file needs no parsing of the (at 100,000 clippings, 300 MB) clippings table: the
new record goes before the file's closing braces, the small meta table is written anew, and
the trash table (usually small) is the only other part read.

A file that does not match (written by an older clip, edited by hand, restored from elsewhere,
damaged) simply takes the ordinary path: read and checked whole, then written in this layout.
The checksum guards against accidents (hand edits, truncation, other tools), not malice.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import orjson

CLIPPINGS, TRASH, META = "clippings", "trash", "meta"
META_KEY = "1"
JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS

Record = dict[str, Any]
Tables = dict[str, dict[str, Record]]
Chunks = Sequence[bytes | memoryview]

_HEAD = b'{\n  "meta": {\n'
_META_END = b'\n  },\n  "trash": '  # the meta table closes; the body starts at its comma
_TRASH_END = b',\n  "clippings": {\n'  # the trash table closes; clippings are not empty
_TAIL = b"\n  }\n}"  # the clippings table and the file close
_RECORD_PREFIX = b'{\n  "clippings": {\n'


def _checksum(data: bytes | memoryview, start: int = 0) -> str:
    return f"{zlib.crc32(data, start):08x}"


def serialize(state: Tables) -> Chunks:
    """The whole file in clip's layout, with the checksum of its body in the meta record; in
    pieces, so that hundreds of megabytes are not copied again to be joined."""
    body = orjson.dumps(
        {TRASH: state.get(TRASH, {}), CLIPPINGS: state.get(CLIPPINGS, {})}, option=JSON_OPTIONS
    )
    rest = memoryview(body)[1:]  # '\n  "trash": ...\n}': the file after the meta table's ','
    meta = dict(state.get(META, {}))
    meta[META_KEY] = {**meta.get(META_KEY, {}), "checksum": _checksum(rest, zlib.crc32(b","))}
    return [_head(meta), b",", rest]


def _head(meta: dict[str, Record]) -> bytes:
    """'{ "meta": {...}' without the file's closing brace; the counters' record first, as
    `clip doctor` reads it from a damaged file, whatever other records the table holds."""
    ordered = dict(sorted(meta.items(), key=lambda item: (item[0] != META_KEY, item[0])))
    return orjson.dumps({META: ordered}, option=JSON_OPTIONS)[:-2]


def record_bytes(records: dict[int, Record]) -> bytes:
    """Records as they stand in the clippings table of the file, separated by commas."""
    dumped = orjson.dumps({CLIPPINGS: {str(i): r for i, r in records.items()}}, option=JSON_OPTIONS)
    return dumped[len(_RECORD_PREFIX) : -len(_TAIL)]


class Appendable:
    """A store file whose checksum holds, of the current schema, with at least one clipping:
    what appending needs of it, read without parsing its clippings table."""

    def __init__(
        self, raw: bytes, meta: dict[str, Record], trash: dict[str, Record], body: int, crc: int
    ) -> None:
        self.raw = raw
        self.meta_table = meta
        self.trash = trash
        self._body = body  # where the file after the meta table starts
        self._crc = crc  # CRC-32 of the body up to the closing braces

    @property
    def meta(self) -> Record:
        return dict(self.meta_table.get(META_KEY, {}))

    @classmethod
    def read(cls, raw: bytes, schema_version: int) -> Appendable | None:
        """The file as an Appendable, or None when it is not exactly in clip's layout."""
        if not raw.startswith(_HEAD) or not raw.endswith(_TAIL):
            return None
        meta_end = raw.find(_META_END)
        if meta_end < 0:
            return None
        body = meta_end + 4  # after '\n  }'
        try:
            meta = orjson.loads(raw[:body] + b"\n}")[META]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return None
        record = meta.get(META_KEY) if isinstance(meta, dict) else None
        if not isinstance(record, dict) or not all(isinstance(r, dict) for r in meta.values()):
            return None
        if record.get("schema_version") != schema_version or not _whole(record):
            return None
        view = memoryview(raw)
        crc = zlib.crc32(view[body : len(raw) - len(_TAIL)])
        if _checksum(_TAIL, crc) != record.get("checksum"):
            return None
        trash_start = body + len(_META_END) - 4
        trash_end = raw.find(_TRASH_END, trash_start)
        if trash_end < 0:
            return None  # no clipping yet: nothing to append after
        # Whole, since the checksum holds: clip wrote it, and checked it before.
        trash = orjson.loads(view[trash_start:trash_end])
        return cls(raw, meta, trash, body, crc)

    def chunks(self, records: dict[int, Record], meta: Record) -> Chunks:
        """The new file: a new meta table, the old body, the records, the closing braces."""
        added = b",\n" + record_bytes(records)
        crc = zlib.crc32(_TAIL, zlib.crc32(added, self._crc))
        meta_table = {**self.meta_table, META_KEY: {**meta, "checksum": f"{crc:08x}"}}
        view = memoryview(self.raw)
        return [_head(meta_table), view[self._body : len(self.raw) - len(_TAIL)], added, _TAIL]


def _whole(record: Record) -> bool:
    """A meta record whose counters are whole numbers (a hand edit may have broken them)."""
    return all(
        isinstance(value := record.get(name), int)
        and not isinstance(value, bool)
        and 0 <= value <= 2**53  # model.MAX_ID + 1: ids beyond are never handed out
        for name in ("next_id", "generation")
    )
