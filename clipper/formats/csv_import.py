"""CSV with a header row, from a spreadsheet or another tool (clip's own CSV export, Instapaper):
common column names are mapped to clipping fields; one draft per row."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.formats.csv_table import FORMULA_STARTS
from clipper.formats.records import as_utc, kept_id, link_draft, loose_date, unix_time
from clipper.model import Draft

Entry = tuple[str, Draft | ClipperError]

# Column names (lowercase, spaces and dashes as '_') for each field, most specific first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name", "subject"),
    "url": ("url", "link", "href", "address", "uri", "permalink"),
    "text": ("text", "content", "body", "article", "full_text", "selection", "excerpt",
             "summary", "description", "extended"),
    "source": ("source", "outlet", "publication", "publisher", "site", "site_name", "newspaper"),
    "tags": ("tags", "tag", "keywords", "labels", "categories", "category"),
    "published": ("published", "date", "pubdate", "published_at", "publication_date",
                  "date_published", "pub_date"),
    "captured": ("captured", "time_added", "added", "date_added", "created", "created_at",
                 "saved", "saved_at"),
    "authors": ("authors", "author", "byline", "creator", "creators", "by"),
    "note": ("note", "notes", "comment", "comments", "annotation", "annotations"),
    "language": ("language", "lang"),
    "starred": ("starred", "star", "favorite", "favourite", "is_starred", "flagged"),
    "folder": ("folder",),
    "uuid": ("uuid",),
    "title_source": ("title_source",),
    "id": ("id",),
}  # fmt: skip
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")
_TAG_SPLIT = re.compile(r"\s*[;|,]\s*")
_TRUE = ("1", "true", "yes", "y", "x", "★", "starred")
# Instapaper's folders that are states, not topics.
_STATE_FOLDERS = {"unread": None, "archive": None, "starred": "starred"}


def column_map(header: list[str]) -> dict[str, str]:
    """Which header column holds each field (the first matching name wins)."""
    names = {re.sub(r"[\s\-]+", "_", column.strip().lower()): column for column in header}
    chosen: dict[str, str] = {}
    for field_name, candidates in COLUMNS.items():
        for candidate in candidates:
            if candidate in names and names[candidate] not in chosen.values():
                chosen[field_name] = names[candidate]
                break
    return chosen


def read_table(text: str, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each data row of a CSV file with a header."""
    try:
        return _read_table(text, name)
    except csv.Error as error:
        raise UsageError(f"{name} is not valid CSV ({error}); nothing was imported.") from None


def _read_table(text: str, name: str) -> list[Entry]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if not header:
        raise UsageError(f"{name} is empty; nothing was imported.")
    columns = column_map(header)
    if "url" not in columns and "text" not in columns:
        raise UsageError(
            f"{name} has no url or text column (its header is {', '.join(header[:8])}); "
            "name a column url, text, title, source, tags, published, authors or note."
        )
    positions = {field_name: header.index(column) for field_name, column in columns.items()}
    entries: list[Entry] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: _unguarded(row[i]) if i < len(row) else "" for f, i in positions.items()}
        try:
            entries.append((f"line {number}", _draft(values)))
        except ClipperError as error:
            entries.append((f"line {number}", error))
    if not entries:
        raise UsageError(f"{name} has a header but no rows; nothing was imported.")
    return entries


def _unguarded(cell: str) -> str:
    """A cell without the apostrophe that defuses a formula (clip's CSV export writes `'=x`
    for `=x`, as OWASP advises), so that an export reads back as it was."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _draft(values: dict[str, str]) -> Draft:
    tags = [t for t in _TAG_SPLIT.split(values.get("tags", "")) if t]
    starred = values.get("starred", "").lower() in _TRUE
    folder = values.get("folder", "")
    if folder:
        state = _STATE_FOLDERS.get(folder.lower(), folder)
        starred = starred or state == "starred"
        if state and state != "starred":
            tags.append(folder)
    url = values.get("url") or None
    if url and not re.match(r"(?i)^https?://", url):
        raise UsageError(f"{url[:80]!r} is not a web address: only http:// and https:// are kept.")
    draft = link_draft(
        url=url,
        title=values.get("title"),
        text=values.get("text"),
        tags=tags,
        source=values.get("source") or None,
        authors=[a for a in _LIST_SPLIT.split(values.get("authors", "")) if a],
        published=_date(values.get("published", "")),
        captured=_date(values.get("captured", ""), utc=True),
        language=values.get("language") or None,
        note=values.get("note") or None,
        starred=starred,
        uuid=values.get("uuid") or None,
    )
    if values.get("title_source") in ("given", "extracted", "generated") and values.get("title"):
        draft.title_source = values["title_source"]
    draft.id = kept_id(values.get("id", ""))
    return draft


def _date(value: str, *, utc: bool = False) -> str | None:
    """A date column: ISO 8601, RFC 822 or Unix seconds; anything else is kept as it is, so
    that validation reports it for this row."""
    if not value:
        return None
    if re.fullmatch(r"\d{9,16}(\.\d+)?", value):
        return unix_time(value)
    found = loose_date(value)
    if found and utc and len(found) > 10:
        return as_utc(found)
    return found or value
