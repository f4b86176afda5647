"""Records read from files, turned into drafts: type checks, and the identity they carry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.model import Draft, normalize_tag, parse_date, validate_language
from clipper.provenance import validate_provenance

_WEEKDAY = re.compile(r"^\s*[^\W\d]+\.?,\s*")
_TEXT_FIELDS = (
    "title", "url", "source", "published", "language", "note", "uuid", "captured", "description",
)  # fmt: skip


@dataclass(slots=True)
class Record:
    """One item of an import file: where it is (for the report) and its draft, or why not."""

    label: str
    draft: Draft | None = None
    error: ClipperError | None = None


@dataclass(slots=True)
class Batch:
    """Everything read from one import source, in file order."""

    source: str
    format: str
    records: list[Record] = field(default_factory=list)

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
    for name in ("authors", "tags"):
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
    record_id = data.get("id")
    if isinstance(record_id, int) and not isinstance(record_id, bool) and record_id > 0:
        values["id"] = record_id
    if "title" not in values:
        from clipper.capture.text import generate_title

        values["title"] = generate_title(text) or "Untitled"
        values["title_source"] = "generated"
    return Draft(**values)


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
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    while seconds > 1e11:  # beyond the year 5138 in seconds: a finer unit
        seconds /= 1000
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def loose_date(value: Any) -> str | None:
    """An ISO 8601 date, or an RFC 822 one (also with a weekday in another language, which
    feedparser gives up on: `mer, 16 nov 2022 00:38:15 +0100`); None when neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_date(value)
    except ClipperError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(_WEEKDAY.sub("", value))
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_utc(value: str) -> str:
    """An ISO 8601 time with an offset as UTC with a Z; other values unchanged."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def loose_language(value: Any) -> str | None:
    """A language code from a foreign export, or None when it is missing or not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return validate_language(value)
    except ClipperError:
        return None
