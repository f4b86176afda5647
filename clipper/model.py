"""The clipping: its fields, their normalization and validation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid as uuid_module
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from clipper.capture.dedup import text_signature
from clipper.errors import UsageError
from clipper.provenance import validate_provenance

# Where a title came from: typed by the user, found in the source, or made from the text.
TITLE_SOURCES = ("given", "extracted", "generated")
WORDS_PER_MINUTE = 230

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_DATE_FORMS = (
    (re.compile(r"^\d{4}$"), "%Y"),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
)


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with a Z, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_text(text: str) -> str:
    """Text as it is compared for duplicates: NFKC, case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """sha256 of the normalized text, so a re-pasted article is recognised."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


# Chinese and Japanese write no spaces between words: each ideograph or kana counts as one word,
# the usual convention for their word counts (Korean separates words with spaces).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Number of words; in Chinese and Japanese, the number of characters."""
    unspaced = len(_UNSPACED.findall(text))
    if unspaced:
        text = _UNSPACED.sub(" ", text)
    return len(_WORD.findall(text)) + unspaced


def clean_text(text: str) -> str:
    """Article text with unified newlines, trailing spaces and blank-line runs removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return cleaned.strip("\n").strip()


def normalize_tag(tag: str) -> str:
    """A tag as stored: lowercase, trimmed, inner spaces as '-', '/' for hierarchy."""
    visible = "".join(ch for ch in tag if unicodedata.category(ch) != "Cc" or ch.isspace())
    raw = unicodedata.normalize("NFC", visible).strip().lstrip("#")
    parts = [_SPACES.sub("-", part.strip().lower()) for part in raw.split("/")]
    parts = [part for part in parts if part]
    if not parts:
        raise UsageError(f"{tag!r} is not a tag: a tag needs at least one letter or digit.")
    if any(part.startswith("-") for part in parts):
        raise UsageError(f"{tag!r} is not a tag: a tag cannot start with '-'.")
    return "/".join(parts)


def normalize_tags(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Normalized tags, without duplicates, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(normalize_tag(tag), None)
    return list(seen)


def parse_date(value: str, *, what: str = "date") -> str:
    """Validate a publication date and return it in ISO 8601 form.

    Accepts YYYY, YYYY-MM, YYYY-MM-DD and ISO datetimes; an impossible date is an error.
    """
    text = value.strip()
    for pattern, form in _DATE_FORMS:
        if pattern.match(text):
            try:
                datetime.strptime(text, form)
            except ValueError:
                break
            return text
    else:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            iso = parsed.isoformat()
            return iso[:-6] + "Z" if iso.endswith("+00:00") else iso
    raise UsageError(
        f"{value!r} is not a valid {what}: use YYYY-MM-DD (for example 2023-02-23) "
        "or an ISO 8601 date and time."
    )


def date_key(value: str | None) -> str:
    """The YYYY-MM-DD prefix of an ISO date, for sorting and filtering ('' when missing)."""
    return (value or "")[:10]


def validate_url(url: str) -> str:
    """An http(s) URL with a host, stripped of surrounding space; anything else is an error."""
    text = url.strip()
    parts = urlsplit(text)
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise UsageError(f"{url!r} is not a web address: it holds spaces or control characters.")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r} is not a web address: only http:// and https:// URLs are kept.")
    return text


def site_of(url: str | None) -> str | None:
    """The host of a URL without 'www.', for `site:` filters and display."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


@dataclass(slots=True)
class Clipping:
    """One saved news item. `to_dict()` is exactly what the store keeps and `--json` prints."""

    id: int
    uuid: str
    title: str
    text: str
    captured: str
    title_source: str = "given"
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    starred: bool = False
    content_hash: str = ""
    word_count: int = 0
    # From capture: the page's own summary, the kept original page (a file in snapshots/),
    # the text's MinHash signature, and the clippings found telling the same story.
    description: str | None = None
    snapshot: str | None = None
    signature: str = ""
    near_duplicates: list[int] = field(default_factory=list)
    # How each metadata field was found (field -> PROVENANCES); absent in older records.
    provenance: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, clipping_id: int, draft: Draft, *, captured: str | None = None) -> Clipping:
        """A new clipping from a validated draft (which may carry its uuid and capture time)."""
        return cls(
            id=clipping_id,
            uuid=draft.uuid or str(uuid_module.uuid4()),
            title=draft.title,
            title_source=draft.title_source,
            text=draft.text,
            url=draft.url,
            source=draft.source,
            authors=list(draft.authors),
            published=draft.published,
            captured=draft.captured or captured or utc_now(),
            language=draft.language,
            tags=list(draft.tags),
            note=draft.note,
            starred=draft.starred,
            content_hash=content_hash(draft.text),
            word_count=count_words(draft.text),
            description=draft.description,
            signature=text_signature(draft.text),
            provenance=dict(draft.provenance),
        )

    @property
    def date(self) -> str:
        """The date people sort by: publication if known, else capture (YYYY-MM-DD)."""
        return date_key(self.published) or date_key(self.captured)

    @property
    def site(self) -> str | None:
        return site_of(self.url)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clipping:
        """A clipping from stored data; unknown keys dropped, missing optional ones defaulted."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        try:
            clipping = cls(**values)
        except TypeError as error:
            raise ValueError(
                f"clipping {data.get('id')!r} lacks a required field: {error}"
            ) from None
        if not isinstance(clipping.id, int) or not isinstance(clipping.text, str):
            raise ValueError(f"clipping {data.get('id')!r} has a malformed id or text")
        return clipping

    def with_changes(self, **changes: Any) -> Clipping:
        """A copy with some fields changed; derived fields follow the text."""
        updated = replace(self, **changes)
        if "text" in changes:
            updated.content_hash = content_hash(updated.text)
            updated.word_count = count_words(updated.text)
            updated.signature = text_signature(updated.text)
        return updated


@dataclass(slots=True)
class Draft:
    """A clipping before it has an id: what capture produces and `Library.add` stores."""

    text: str
    title: str
    title_source: str = "given"
    url: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    starred: bool = False
    # Set when a clipping comes back from an export, so that it keeps its identity.
    uuid: str | None = None
    captured: str | None = None
    # The id it had in an export: kept when imported into a library that never gave out an id.
    id: int | None = None
    description: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    def validated(self) -> Draft:
        """The draft with every field normalized; raises UsageError on bad values."""
        text = clean_text(self.text)
        if not text:
            raise UsageError("the clipping has no text; nothing was saved.")
        title = _SPACES.sub(" ", self.title).strip()
        if not title:
            raise UsageError("the clipping has no title; give one with --title.")
        if self.title_source not in TITLE_SOURCES:
            raise ValueError(f"unknown title source {self.title_source!r}")
        clean = replace(
            self,
            text=text,
            title=title,
            url=validate_url(self.url) if self.url else None,
            source=_blank_to_none(self.source),
            authors=[a.strip() for a in self.authors if a.strip()],
            published=parse_date(self.published) if self.published else None,
            language=validate_language(self.language) if self.language else None,
            tags=normalize_tags(self.tags),
            note=_blank_to_none(self.note),
            description=_blank_to_none(self.description),
            uuid=_valid_uuid(self.uuid) if self.uuid else None,
            captured=parse_date(self.captured, what="capture time") if self.captured else None,
        )
        clean.provenance = validate_provenance(self.provenance, clean)
        return clean


_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def validate_language(value: str) -> str:
    """A BCP 47 language tag such as 'en' or 'pt-BR'."""
    text = value.strip().replace("_", "-")
    if not _LANGUAGE.match(text):
        raise UsageError(f"{value!r} is not a language tag: use a code such as en, de or pt-BR.")
    primary, *rest = text.split("-")
    return "-".join([primary.lower(), *(part.upper() if len(part) == 2 else part for part in rest)])


def _valid_uuid(value: str) -> str:
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        raise UsageError(f"{value!r} is not a valid uuid.") from None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def today() -> date:
    return datetime.now(UTC).date()


_RELATIVE = re.compile(r"^(\d{1,5})([dwmy])$")


def parse_day(value: str, *, what: str = "date", now: date | None = None, end: bool = False) -> str:
    """A day as YYYY-MM-DD from an ISO date or a span back from today (7d, 2w, 3m, 1y).

    A year or a month stands for its first day, or with `end` for its last.
    """
    text = value.strip().lower()
    match = _RELATIVE.match(text)
    if match:
        from datetime import timedelta

        amount, unit = int(match.group(1)), match.group(2)
        base = now or today()
        if unit in "dw":
            return (base - timedelta(days=amount * (7 if unit == "w" else 1))).isoformat()
        months = amount * (12 if unit == "y" else 1)
        year, month = divmod(base.year * 12 + base.month - 1 - months, 12)
        if year < 1:
            raise UsageError(f"{value!r} reaches back before year 1.")
        day_of_month = min(base.day, _days_in_month(year, month + 1))
        return date(year, month + 1, day_of_month).isoformat()
    try:
        day = date_key(parse_date(value, what=what))
    except UsageError:
        raise UsageError(
            f"{value!r} is not a valid {what}: use YYYY-MM-DD, or 7d, 2w, 3m, 1y for a span "
            "back from today."
        ) from None
    if len(day) == 4:
        return f"{day}-12-31" if end else f"{day}-01-01"
    if len(day) == 7:
        year, month = int(day[:4]), int(day[5:])
        return f"{day}-{_days_in_month(year, month):02d}" if end else f"{day}-01"
    return day


def _days_in_month(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]
