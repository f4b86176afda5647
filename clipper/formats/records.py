"""Records read from files, turned into drafts: type checks, and the identity they carry."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.model import Draft, everyday_date, iso_date, normalize_tag, validate_language
from clipper.provenance import validate_provenance

MAX_KEPT_ID = 1_000_000_000
_WEEKDAY = re.compile(r"^\s*[^\W\d]+\.?,\s*")
# Formats whose readers settle the language themselves: clipper's own records
# (`draft_from_clipping`), and folders, whose other files are captured like `clip add FILE`.
SETTLED_LANGUAGE = ("clipper-json", "jsonl", "md-folder", "folder")
_TEXT_FIELDS = (
    "title", "url", "source", "published", "language", "note", "uuid", "captured", "description",
)  # fmt: skip


@dataclass(slots=True)
class Record:
    """One item of an import file: where it is (for the report) and its draft, or why not."""

    label: str
    draft: Draft | None = None
    error: ClipperError | None = None
    path: Path | None = None  # a file of a folder, read when the import runs (importing_files)


@dataclass(slots=True)
class Batch:
    """Everything read from one import source, in file order."""

    source: str
    format: str
    records: list[Record] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # files not imported, and why

    def add(self, label: str, draft_or_error: Draft | ClipperError) -> None:
        if isinstance(draft_or_error, Draft):
            self.records.append(Record(label, draft=draft_or_error))
        else:
            self.records.append(Record(label, error=draft_or_error))


def draft_from_clipping(data: Any) -> Draft:
    """A draft from a clipper record (JSON, JSONL, front matter) keeping uuid, capture time,
    title source, star, note and id; wrong types are a UsageError for this record only."""
    if not isinstance(data, dict):
        raise UsageError(f"expected a clipping object, found {type(data).__name__}.")
    text = data.get("text")
    if not isinstance(text, str):
        raise UsageError("the record has no text.")
    values: dict[str, Any] = {"text": text}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise UsageError(f"{name} must be text, not {type(value).__name__}.")
        values[name] = value
    for name in ("authors", "tags", "passages"):
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise UsageError(f"{name} must be a list of text values.")
        values[name] = list(value)
    starred = data.get("starred", False)
    if not isinstance(starred, bool):
        raise UsageError("starred must be true or false.")
    values["starred"] = starred
    values["provenance"] = validate_provenance(data.get("provenance") or {})
    title_source = data.get("title_source")
    if title_source in ("given", "extracted", "generated"):
        values["title_source"] = title_source
    values.update(_numbering(data))
    if "title" not in values:
        from clipper.capture.text import generate_title

        values["title"] = generate_title(text) or "Untitled"
        values["title_source"] = "generated"
    draft = Draft(**values)
    # A record that names no language at all is detected; one that says `null` (clipper's own
    # exports do) keeps none, so that a backup reads back exactly as it was.
    return with_language(draft) if data.get("language", "") == "" else draft


def with_language(draft: Draft) -> Draft:
    """The draft with its text's language when it gives none. A link whose only text is its
    title or its address keeps none: too little to tell, and a wrong language is worse."""
    if draft.language or draft.text in (draft.title, draft.url):
        return draft
    from clipper.capture.language import detect_language

    draft.language = detect_language(draft.text)
    return draft


def detect_languages(batch: Batch) -> None:
    """The language of every record of a foreign format that gives none (after --fetch, so
    that a fetched article is read rather than its feed summary)."""
    if batch.format in SETTLED_LANGUAGE:
        return
    for record in batch.records:
        if record.draft is not None:
            with_language(record.draft)


def _numbering(data: dict[str, Any]) -> dict[str, Any]:
    """The id a record had, and the ids of its near duplicates, when it says."""
    values: dict[str, Any] = {}
    record_id = kept_id(data.get("id"))
    if record_id is not None:
        values["id"] = record_id
    links = data.get("near_duplicates")
    if links is not None:
        if not isinstance(links, list) or not _all_ids(links):
            raise UsageError("near_duplicates must be a list of clipping ids.")
        values["near_duplicates"] = list(links)
    return values


def _all_ids(values: list[Any]) -> bool:
    """Whether every value is an id `kept_id` keeps: plain ints in range are checked by their
    least and greatest (an export's lists of links, 20 ids a clipping at 100,000)."""
    if all(type(value) is int for value in values):
        return not values or (min(values) > 0 and max(values) < MAX_KEPT_ID)
    return all(_is_id(value) for value in values)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and kept_id(value) is not None


def link_draft(
    *,
    url: str | None,
    title: str | None,
    text: str | None = None,
    tags: Iterable[str] = (),
    **fields: Any,
) -> Draft:
    """A draft for a saved link (bookmark, feed entry, read-it-later item), which often has no
    article text: the text is the given text, else the title, else the URL itself."""
    from clipper.capture.text import generate_title

    url = web_url(url)
    title = " ".join((title or "").split())
    body = (text or "").strip() or title or url or ""
    if title:
        title_source = "extracted"
    else:
        title = generate_title(body) if body != url else (url or "")
        title_source = "generated"
    return Draft(
        text=body, title=title or "Untitled", title_source=title_source, url=url,
        tags=clean_tags(tags), **fields,
    )  # fmt: skip


def web_url(url: str | None) -> str | None:
    """The canonical form of an http(s) URL; anything else (relative, urn:, javascript:) is
    dropped, since only web addresses are kept."""
    if not url or not url.strip():
        return None
    from clipper.capture.urls import canonical_url

    try:
        return canonical_url(url.strip())
    except ClipperError:
        return None


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags from a foreign source: those that cannot be clip tags are left out, not fatal."""
    kept: dict[str, None] = {}
    for tag in tags:
        try:
            kept.setdefault(normalize_tag(tag), None)
        except ClipperError:
            continue
    return list(kept)


def kept_id(value: Any) -> int | None:
    """The id an exported clipping had, when it is one clip could have given: a positive
    integer below a billion (a larger one would push every later id out of range)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_KEPT_ID:
        return value
    return None


def unix_time(value: str) -> str | None:
    """A time in Unix seconds (some browsers write milli- or microseconds), or a web-server
    log date such as 10/Oct/2000:13:55:36 +0300."""
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            moment = datetime.strptime(value.strip(), "%d/%b/%Y:%H:%M:%S %z")
        except ValueError:
            return None
        return _in_utc(moment)
    if not math.isfinite(seconds):  # inf, nan, or more digits than a float holds
        return None
    # Beyond the year 5138 in seconds: a finer unit, milli-, micro- or nanoseconds, and no
    # further (a bounded number of steps, whatever the file holds).
    for _ in range(3):
        if seconds <= 1e11:
            break
        seconds /= 1000
    if seconds <= 0 or seconds > 1e11:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def loose_date(value: Any) -> str | None:
    """An ISO 8601 date, an RFC 822 one (also with a weekday in another language, which
    feedparser gives up on: `mer, 16 nov 2022 00:38:15 +0100`), or a date in the forms
    `clip add --date` reads (`26-FEB-1987 15:01:01`); None when none, or when it is ambiguous."""
    if not isinstance(value, str) or not value.strip():
        return None
    found = iso_date(value.strip())
    if found is not None:
        return found
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(_WEEKDAY.sub("", value))
    except (TypeError, ValueError, IndexError):
        try:
            return everyday_date(value.strip())
        except ClipperError:  # 03/04/2023 from a file says nothing of its order
            return None
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return _in_utc(moment)


def as_utc(value: str) -> str:
    """An ISO 8601 time with an offset as UTC with a Z; other values unchanged."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return _in_utc(moment) or value  # else left as it is, for validation to judge


def _in_utc(moment: datetime) -> str | None:
    """A time with an offset as UTC with a Z; None for one that UTC takes out of the years
    datetime knows (0001-01-01T00:00+05:00, 9999-12-31T23:00-05:00)."""
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:
        return None


def loose_language(value: Any) -> str | None:
    """A language code from a foreign export, or None when it is missing or not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return validate_language(value)
    except ClipperError:
        return None
