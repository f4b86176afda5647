"""What a damaged store file still holds, and what of it a backup lacks.

A store file cut short (a full disk, a copy interrupted) or with garbage in the middle (a bad
sector, a stray editor paste) no longer parses as JSON, but most of its records are usually
whole. They are found by scanning for every `"<id>": {` and decoding one JSON object from
there: a record that decodes, reads as a clipping and says the id it is stored under is taken;
anything else is skipped and the scan goes on after the place it started. Each record belongs
to the table whose key last came before it ("trash" or "clippings"; clippings when the head
of the file is gone, clippings being the table that holds nearly every record).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clipper.model import Clipping, content_hash
from clipper.storage.layout import CLIPPINGS, META, META_KEY, TRASH

Record = dict[str, Any]
Tables = dict[str, dict[str, Record]]

# Inside a JSON string every quote is escaped (\"9\": {), so a text that quotes JSON never
# matches: only the file's own keys do, wherever the damage left the scan.
_TABLE_KEY = re.compile(r'"(clippings|trash|meta)"\s*:\s*\{')
_RECORD_KEY = re.compile(r'"(\d+)"\s*:\s*(?=\{)')
_META_RECORD = re.compile(r'"meta"\s*:\s*\{\s*"1"\s*:\s*(?=\{)')
# Derived from the text or from other clippings: not a change the user made.
_DERIVED = frozenset({"near_duplicates", "signature", "word_count"})


@dataclass(frozen=True, slots=True)
class Found:
    """A clipping record read out of a damaged file, and the table it was in."""

    table: str
    record: Record


@dataclass(frozen=True, slots=True)
class Lacking:
    """A clipping of the damaged file that the backup lacks, or has in an older state."""

    record: Record
    change: str  # "added" or "changed"
    fields: tuple[str, ...]  # for "changed": what differs from the backup
    damaged_text: bool = False  # its text no longer matches its content hash

    @property
    def id(self) -> int:
        return int(self.record["id"])

    @property
    def title(self) -> str:
        return " ".join(str(self.record.get("title") or "").split())


@dataclass(frozen=True, slots=True)
class Comparison:
    """What could be read of a damaged file, and what of it the backup lacks."""

    read: int  # clippings read (outside the trash)
    lacking: list[Lacking]
    trashed_lacking: int  # trashed clippings the backup lacks (not salvaged: they were removed)
    # Ids handed out after the backup (the damaged file's next_id says so) of which nothing
    # could be read: clippings lost with the damage.
    unread: tuple[int, ...] = ()


def read_records(raw: bytes) -> list[Found]:
    """Every whole clipping record that can still be decoded in a damaged store file."""
    text = raw.decode("utf-8", errors="replace")
    tables = [(m.start(), m.group(1)) for m in _TABLE_KEY.finditer(text)]
    decoder = json.JSONDecoder()
    found: list[Found] = []
    resume = 0
    for match in _RECORD_KEY.finditer(text):
        if match.start() < resume:
            continue  # inside a record already taken
        try:
            record, end = decoder.raw_decode(text, match.end())
        except json.JSONDecodeError:
            continue
        if not _is_clipping(record, int(match.group(1))):
            continue
        table = _table_at(tables, match.start())
        if table in (CLIPPINGS, TRASH):
            found.append(Found(table, record))
        resume = end
    return found


def next_id(raw: bytes) -> int | None:
    """The next id the damaged file would have handed out, when its meta record is readable."""
    match = _META_RECORD.search(raw.decode("utf-8", errors="replace"))
    if match is None:
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(match.string, match.end())
    except json.JSONDecodeError:
        return None
    value = meta.get("next_id") if isinstance(meta, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def compare(found: list[Found], backup: Tables, *, handed_out: int | None = None) -> Comparison:
    """The clippings of `found` that `backup` lacks or has in an older state; with
    `handed_out` (the damaged file's next_id), also the ids added since of which nothing
    was found."""
    by_uuid: dict[str, tuple[str, Record]] = {}
    by_id: dict[int, tuple[str, Record]] = {}
    for table in (CLIPPINGS, TRASH):
        for key, record in backup.get(table, {}).items():
            if record.get("uuid"):
                by_uuid[str(record["uuid"])] = (table, record)
            by_id[int(key)] = (table, record)
    lacking: list[Lacking] = []
    trashed = 0
    seen: set[str] = set()
    for item in found:
        record = item.record
        identity = str(record.get("uuid") or f"id {record['id']}")
        if identity in seen:
            continue  # the same clipping twice in a damaged file: the first is taken
        seen.add(identity)
        match = by_uuid.get(str(record.get("uuid") or "")) or _same_text(by_id, record)
        if item.table == TRASH:
            trashed += match is None
            continue
        damaged = _damaged_text(record)
        if match is None:
            lacking.append(Lacking(record, "added", (), damaged))
            continue
        table, older = match
        ignored = _DERIVED
        if damaged and older.get("content_hash") == record.get("content_hash"):
            ignored = _DERIVED | {"text"}  # the damage hit the text the backup has whole
        fields = sorted(
            name
            for name in set(record) | set(older)
            if name not in ignored and record.get(name) != older.get(name)
        )
        if table == TRASH:
            fields.insert(0, "restored from the trash")
        if fields:
            lacking.append(Lacking(record, "changed", tuple(fields), damaged))
    read = sum(1 for item in found if item.table == CLIPPINGS)
    lacking.sort(key=lambda item: item.id)
    return Comparison(read, lacking, trashed, _unread(found, backup, by_id, handed_out))


def _unread(
    found: list[Found], backup: Tables, by_id: dict[int, Any], handed_out: int | None
) -> tuple[int, ...]:
    meta = backup.get(META, {}).get(META_KEY, {})
    first = meta.get("next_id") if isinstance(meta, dict) else None
    if not isinstance(first, int) or handed_out is None:
        return ()
    first = max([first, *(key + 1 for key in by_id)])
    if not 0 <= handed_out - first <= 1_000_000:  # beyond that, the number itself is damage
        return ()
    seen = {int(item.record["id"]) for item in found}
    return tuple(i for i in range(first, handed_out) if i not in seen)


def _same_text(by_id: dict[int, tuple[str, Record]], record: Record) -> tuple[str, Record] | None:
    """A record without a uuid is the backup's record of the same id and text, if any."""
    if record.get("uuid"):
        return None
    match = by_id.get(int(record["id"]))
    if match and match[1].get("content_hash") == record.get("content_hash"):
        return match
    return None


def _damaged_text(record: Record) -> bool:
    """A text that is not the one its content hash was made from: garbage landed in it."""
    stored = record.get("content_hash")
    return bool(stored) and stored != content_hash(str(record.get("text", "")))


def _is_clipping(record: object, key: int) -> bool:
    if not isinstance(record, dict):
        return False
    try:
        clipping = Clipping.from_dict(record)
    except (ValueError, TypeError):
        return False
    return clipping.id == key


def _table_at(tables: list[tuple[int, str]], position: int) -> str:
    table = CLIPPINGS
    for start, name in tables:
        if start > position:
            break
        table = name
    return table


@dataclass(frozen=True, slots=True)
class Salvage:
    """What a restored backup lacks of the damaged file, and where it was saved."""

    backup: str
    comparison: Comparison
    path: Path | None  # the JSONL file of what the backup lacks; None when it lacks nothing

    def lines(self, most: int = 10) -> list[str]:
        """What to tell the user, in a few lines."""
        found, lacking = self.comparison, self.comparison.lacking
        if not found.read and not found.trashed_lacking and not found.unread:
            return [
                "Nothing could be read from the damaged file: whether clippings were added or "
                f"changed after {self.backup} cannot be told."
            ]
        lines = []
        if lacking:
            added = sum(1 for item in lacking if item.change == "added")
            counts = [f"{n} {change} after it" for n, change in
                      ((added, "added"), (len(lacking) - added, "changed")) if n]  # fmt: skip
            lines.append(
                f"{self.backup} lacks {count_of(len(lacking))} read from the damaged file "
                f"({', '.join(counts)}):"
            )
            for item in lacking[:most]:
                what = "added  " if item.change == "added" else "changed"
                notes = [*item.fields, *(["its text is damaged"] if item.damaged_text else [])]
                detail = f" ({', '.join(notes)})" if notes else ""
                lines.append(f"  {what} {item.id}  {item.title}{detail}")
            if len(lacking) > most:
                lines.append(f"  ... and {len(lacking) - most} more")
            them = "it" if len(lacking) == 1 else "them"
            lines.append(f"Saved {them} to {self.path}; add {them} back with:")
            lines.append(f"  clip import {self.path}")
            if added < len(lacking):
                lines.append(
                    "The changed ones are in the library as they were at the backup, and "
                    "`clip import` skips them as duplicates: their newer state is in that file."
                )
        else:
            lines.append(
                f"{self.backup} holds all {count_of(found.read)} read from the damaged file."
            )
        if found.unread:
            ids = ", ".join(str(i) for i in found.unread[:most])
            more = f" and {len(found.unread) - most} more" if len(found.unread) > most else ""
            lines.append(
                f"{count_of(len(found.unread))} added after the backup could not be read from "
                f"the damaged file and cannot be saved: id {ids}{more}."
            )
        if found.trashed_lacking:
            lines.append(
                f"{count_of(found.trashed_lacking)} in the damaged file's trash "
                f"{'is' if found.trashed_lacking == 1 else 'are'} not in the backup and "
                "were not saved."
            )
        return lines


def compare_with(damaged: bytes, backup: Path) -> Comparison:
    """What a good backup lacks of a damaged store file."""
    from clipper.storage.commit import backup_tables as read_backup

    backup_tables = read_backup(backup)
    return compare(read_records(damaged), backup_tables, handed_out=next_id(damaged))


def save_lacking(
    store: Path, damaged: bytes, backup: Path, dumps_jsonl: Callable[[list[Clipping]], str]
) -> Salvage:
    """Compare the damaged file with the backup restored, and save what the backup lacks as
    JSON Lines that `clip import` reads (written by `dumps_jsonl`, the export's own), beside
    the library."""
    from clipper.storage.atomic import write_atomically

    comparison = compare_with(damaged, backup)
    if not comparison.lacking:
        return Salvage(backup.name, comparison, None)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = store.with_name(f"{store.name}.salvaged-{stamp}.jsonl")
    number = 1
    while path.exists():
        number += 1
        path = path.with_name(f"{store.name}.salvaged-{stamp}-{number}.jsonl")
    records = [Clipping.from_dict(item.record) for item in comparison.lacking]
    write_atomically(path, dumps_jsonl(records).encode())
    return Salvage(backup.name, comparison, path)


def count_of(count: int) -> str:
    """'1 clipping', '2 clippings'."""
    return f"{count} clipping" + ("" if count == 1 else "s")
