"""clipper JSON (the lossless backup) and JSON Lines: the clippings exactly as stored."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

from clipper import __version__
from clipper.errors import ClipperError, UsageError
from clipper.model import Clipping, Draft, utc_now
from clipper.sanitize import json_inert
from clipper.storage.read import RECORDS_VERSION as SCHEMA_VERSION

Entry = tuple[str, Draft | ClipperError]

FORMAT_NAME = "clipper"


def dumps_json(clippings: Sequence[Clipping]) -> str:
    """One JSON document: who wrote it, when, with which schema, and the clippings."""
    document = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "exported": utc_now(),
        "generator": f"clip {__version__}",
        "clippings": [c.to_dict() for c in clippings],
    }
    return json_inert(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()) + "\n"


def dumps_jsonl(clippings: Sequence[Clipping]) -> str:
    """One clipping per line."""
    return json_inert("".join(orjson.dumps(c.to_dict()).decode() + "\n" for c in clippings))


def read_json(data: bytes | str) -> list[Any]:
    """The records of a clipper JSON export (or a bare JSON list of clipping objects)."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise UsageError(f"not valid JSON: {error}.") from None
    if isinstance(document, dict) and isinstance(document.get("clippings"), list):
        version = document.get("schema_version", SCHEMA_VERSION)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise UsageError(
                f"the export was written by a newer clip (schema {version}); upgrade clip."
            )
        records: list[Any] = document["clippings"]
        return records
    if isinstance(document, list):
        return document
    raise UsageError("JSON, but not a clipper export: expected a list of clippings.")


def read_jsonl(data: bytes | str) -> Iterator[tuple[int, Any]]:
    """(line number, record or UsageError) for each non-blank line.

    Bytes are read a line at a time (a line of UTF-8 ends at the byte "\n", which no other
    character contains), never decoded or split whole: a file of 100,000 clippings is not held
    three times over. A line that is not valid JSON as bytes is read as text decoded with
    replacement characters, as the whole file was read before."""
    # Lines end at "\n" alone: str.splitlines() would also cut at U+2028, U+0085 and the like,
    # which JSON keeps raw inside strings.
    lines: Iterable[bytes | str] = (
        (line.removesuffix(b"\n") for line in io.BytesIO(data))
        if isinstance(data, bytes)
        else data.split("\n")
    )
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
            continue
        except orjson.JSONDecodeError as error:
            problem = str(error)
        if isinstance(line, bytes):
            text = line.decode("utf-8", errors="replace")
            if not text.strip():  # blank but for spaces of Unicode's own
                continue
            try:
                yield number, orjson.loads(text)
                continue
            except orjson.JSONDecodeError as error:
                problem = str(error)  # as the text reads it: columns in characters
        yield number, UsageError(f"line {number} is not valid JSON: {problem}.")


def read_clipper_json(data: bytes, *, name: str, base_url: str | None = None) -> list[Entry]:
    """(label, draft or error) per record of a clipper JSON file; a file that is no clipper
    JSON at all is one error, and nothing is imported."""
    from clipper.formats.records import draft_from_clipping

    try:
        records = read_json(data)
    except UsageError as error:
        raise UsageError(f"{name}: {error.message} Nothing was imported.") from None
    entries: list[Entry] = []
    for number, record in enumerate(records, start=1):
        try:
            entries.append((f"record {number}", draft_from_clipping(record)))
        except ClipperError as error:
            entries.append((f"record {number}", error))
    return entries


def read_clipper_jsonl(data: bytes, *, name: str, base_url: str | None = None) -> list[Entry]:
    """(label, draft or error) per line of a clipper JSON Lines file."""
    from clipper.formats.records import draft_from_clipping

    entries: list[Entry] = []
    for number, record in read_jsonl(data):
        label = f"line {number}"
        if isinstance(record, ClipperError):
            entries.append((label, record))
            continue
        try:
            entries.append((label, draft_from_clipping(record)))
        except ClipperError as error:
            entries.append((label, error))
    return entries
