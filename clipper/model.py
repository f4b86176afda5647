"""The clipping: its fields, their normalization and validation."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import uuid as uuid_module
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from clipper.dates import dateparser_day, read_date
from clipper.errors import UsageError
from clipper.passages import validated as validated_passages
from clipper.provenance import validate_provenance
from clipper.signature import normalized_signature, normalized_signatures

MAX_TEXT_BYTES = 20 * 1024 * 1024  # the largest text kept, in UTF-8 (capture reads no more)

# Where a title came from: typed by the user, found in the source, or made from the text.
TITLE_SOURCES = ("given", "extracted", "generated")
WORDS_PER_MINUTE = 230

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_WORD_AND_YEAR = re.compile(r"^(?=.*[^\W\d_])(?=.*(?<!\d)\d{4}(?!\d))")
_DATE_FORMS = (
    re.compile(r"^\d{4}$"),
    re.compile(r"^\d{4}-\d{2}$"),
    re.compile(r"^\d{4}-\d{2}-\d{2}$"),
)


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with a Z, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_text(text: str) -> str:
    """Text as it is compared for duplicates: NFKC, case-folded, whitespace collapsed (split
    and joined: what a regex replacing each run of whitespace by one space, then a strip, gives;
    all three ask str.isspace)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """sha256 of the normalized text, so a re-pasted article is recognised."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def text_keys(text: str) -> tuple[str, str]:
    """The content hash and the MinHash signature of a text, from one normalization of it:
    the signature's words are those of the normalized text (collapsing whitespace moves no
    word boundary), so both come out as `content_hash` and `text_signature` make them."""
    normalized = normalize_text(text)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest(), normalized_signature(normalized)


def texts_keys(texts: list[str]) -> list[tuple[str, str, int]]:
    """`text_keys` of each text with its `count_words`; many texts are signed together
    (signature.py), faster. A text's words are counted once, by the signing, when its
    normalization leaves them as they are (`_counted_alike`); the others are counted again."""
    normalized, alike = [], []
    for text in texts:
        nfkc = unicodedata.normalize("NFKC", text)
        normalized.append(" ".join(nfkc.casefold().split()))  # normalize_text
        alike.append(_counted_alike(text, nfkc))
    digests = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in normalized]
    signed = normalized_signatures(normalized)
    rows = zip(digests, signed, alike, texts, strict=True)
    return [
        (digest, signature, words if same else count_words(text))
        for digest, (signature, words), same, text in rows
    ]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FOLDS_ALIKE: dict[str, bool] = {}  # by character: `_folds_alike`, remembered


def _counted_alike(text: str, nfkc: str) -> bool:
    """Whether `count_words` of a text is the number of `\\w+` runs of its normalized form.
    So when NFKC leaves the text as it is (composing or decomposing can join or split words:
    'e' and a combining accent, '½'), and case folding every character left is alike: an
    ASCII text, or one whose other characters each fold into word characters if it is one,
    into none if not (not 'İ', which folds into 'i' and a combining dot), and are no ideograph
    or kana (which `count_words` counts one a word). Collapsing whitespace moves no word."""
    if text.isascii():
        return True
    if nfkc != text:
        return False
    for char in set(_NON_ASCII.findall(text)):
        alike = _FOLDS_ALIKE.get(char)
        if alike is None:
            alike = _FOLDS_ALIKE[char] = _folds_alike(char)
        if not alike:
            return False
    return True


def _folds_alike(char: str) -> bool:
    if _unspaced().match(char):
        return False
    word = _WORD.match(char) is not None
    folded = char.casefold()
    return bool(folded) and all((_WORD.match(part) is not None) == word for part in folded)


# Chinese and Japanese write no spaces between words: each ideograph or kana counts as one word,
# the usual convention for their word counts (Korean separates words with spaces).
# Compiled on first use (its ranges cost 3 ms to compile; a tag or a list counts no words).
@functools.cache
def _unspaced() -> re.Pattern[str]:
    return re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Number of words; in Chinese and Japanese, the number of characters."""
    unspaced = 0 if text.isascii() else len(_unspaced().findall(text))
    if unspaced:
        text = _unspaced().sub(" ", text)
    return len(_WORD.findall(text)) + unspaced


# Every character str.isspace (and so str.rstrip) takes for whitespace, but space, tab,
# newline and carriage return (tests/test_model.py checks the list).
OTHER_SPACES = (
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_OTHER_SPACE = re.compile(f"[{OTHER_SPACES}]")


def clean_text(text: str) -> str:
    """Article text with unified newlines, trailing spaces and blank-line runs removed."""
    if not (
        "\r" in text or "\ufeff" in text or "\n\n\n" in text or " \n" in text or "\t\n" in text
        or _OTHER_SPACE.search(text)
    ):  # fmt: skip
        return text.strip()  # nothing to change inside (most texts of an import): as below
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return cleaned.strip("\n").strip()


@functools.lru_cache(maxsize=4096)  # an import's thousands of clippings share a few tags
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


def parse_date(
    value: str, *, what: str = "date", order: str | None = None, slow: bool = True
) -> str:
    """A date as people and files write it, in ISO 8601 form (YYYY, YYYY-MM, YYYY-MM-DD or a
    date and time).

    Besides ISO 8601: '24 February 2023', '26 fevral 2023', '24.02.2023', '26-FEB-1987
    15:01:01', numeric dates in the `order` given (day-first or month-first), and (unless not
    `slow`) what dateparser reads. An impossible date, or one that reads two ways, is a
    UsageError.
    """
    text = value.strip()
    found = iso_date(text)
    if found is None:
        found = everyday_date(text, order=order, slow=slow)
    if found is None:
        raise UsageError(
            f"{value!r} is not a valid {what}: use YYYY-MM-DD (for example 2023-02-23), "
            "a date such as 23 February 2023, or an ISO 8601 date and time."
        )
    return found


def iso_date(text: str) -> str | None:
    """YYYY, YYYY-MM, YYYY-MM-DD or an ISO datetime (UTC written with a Z); None otherwise."""
    for pattern in _DATE_FORMS:
        if pattern.match(text):
            return text if _real_day(text) else None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    iso = parsed.isoformat()
    return iso[:-6] + "Z" if iso.endswith("+00:00") else iso


def _real_day(text: str) -> bool:
    """Whether YYYY, YYYY-MM or YYYY-MM-DD (digits checked by the caller) names a real year,
    month or day: what `strptime` with %Y, %Y-%m or %Y-%m-%d accepts, without its locale
    lookup on every call (an import reads two dates a record)."""
    try:
        date(int(text[:4]), int(text[5:7] or 1), int(text[8:10] or 1))
    except ValueError:
        return False
    return True


def everyday_date(text: str, *, order: str | None = None, slow: bool = True) -> str | None:
    """A date in the forms capture reads in pasted text, else what dateparser reads in it;
    None when neither can. As in capture, dateparser (slow to import) is only asked about a
    short value with words and a year in it: a relative 'next week' is left to its caller."""
    found = read_date(text, order=order)
    if found is None and slow and len(text) <= 100 and _WORD_AND_YEAR.match(text):
        found = dateparser_day(text, order=order)
    return found


def date_key(value: str | None) -> str:
    """The YYYY-MM-DD prefix of an ISO date, for sorting and filtering ('' when missing)."""
    return (value or "")[:10]


def validate_url(url: str) -> str:
    """An http(s) URL with a host, stripped of surrounding space; anything else is an error."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed IPv6 bracket, a host that NFKC breaks
        raise UsageError(f"{url!r} is not a web address: its host part is malformed.") from None
    if _SPACE_OR_CONTROL.search(text):
        raise UsageError(f"{url!r} is not a web address: it holds spaces or control characters.")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r} is not a web address: only http:// and https:// URLs are kept.")
    if "@" in parts.netloc:
        # A clipping's URL is shown, exported and shared: it must never carry a password.
        # Not quoted back: the message would print the password.
        raise UsageError("the web address holds a user name or password; give it without them.")
    problem = _host_problem(parts.hostname or "")
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number from 0 to 65535)
    except ValueError:
        problem = problem or "its port is not a number from 0 to 65535"
    if problem:
        raise UsageError(f"{url!r} is not a web address: {problem}.")
    return text


# Whitespace (\s asks str.isspace) or a control character (Unicode's Cc: C0, DEL and C1).
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# A DNS label (letters, digits, hyphens, and the underscores some real hosts carry).
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


@functools.lru_cache(maxsize=4096)  # an import's thousands of URLs share a few hosts
def _host_problem(host: str) -> str | None:
    """Why a URL's host cannot be a host on the web, or None."""
    if not host:
        return "it has no host"
    if ":" in host:  # an IPv6 address, from between brackets
        import ipaddress

        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"{host!r} is not an IPv6 address"
        return None
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
        labels = ascii_host.split(".")
        for label in labels:
            if label.startswith("xn--"):
                label.encode("ascii").decode("idna")  # a punycode label must decode
    except UnicodeError:
        return f"the host {host!r} is not a valid name"
    if not all(_LABEL.match(label) for label in labels) or len(ascii_host) > 253:
        return f"the host {host!r} is not a valid name"
    return None


def site_of(url: str | None) -> str | None:
    """The host of a URL without 'www.', for `site:` filters and display."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # a hand-edited record: no site rather than a crash
        return None
    return host.removeprefix("www.") or None


# Ids and counts stay within what SQLite (the index) and JSON readers in JavaScript hold exactly.
MAX_ID = 2**53 - 1


def keeps_id(wanted: int | None) -> bool:
    """Whether an exported id can be kept: one a library could have handed out (an id beyond
    MAX_ID, typed into a file, is replaced by a new one like any id that cannot be kept)."""
    return isinstance(wanted, int) and not isinstance(wanted, bool) and 1 <= wanted < MAX_ID


# The type of every stored field: a record read from a hand-edited file is checked against this
# before anything uses it, so that a wrong type is one clear problem, never a crash later.
_REQUIRED = ("id", "uuid", "title", "text", "captured")
_TEXTS = ("uuid", "title", "text", "captured", "content_hash", "signature")
_OPTIONAL_TEXTS = ("url", "source", "published", "language", "note", "description", "snapshot")
_TEXT_LISTS = ("authors", "tags")


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def record_problem(data: object) -> str | None:
    """What makes a stored record unusable as a clipping (a wrong type, a missing field, a
    number out of range), said in a few words; None when it can be loaded.

    Run on every record of every store read (100,000 at scale): one pass over the record's
    own fields, exact type tests (JSON gives no subclasses), the message only on failure.
    """
    if type(data) is not dict:
        return f"is {type(data).__name__}, not a record"
    if _sound(data):
        return None
    for name in _REQUIRED:
        if name not in data:
            return f"lacks the field {name!r}"
    for name, value in data.items():
        kind = _KINDS.get(name)
        if kind is None or _fits(value, kind):
            continue
        return _wrong(name, value, kind)
    if data["id"] == 0:
        return _wrong("id", 0, _NUMBER)
    if data.get("title_source", "given") not in TITLE_SOURCES:
        return f"has the unknown title_source {_shown(data['title_source'])}"
    return None


def _sound(d: dict[str, Any]) -> bool:
    """The common case, a record as clip wrote it, in one expression without calls per field
    (about 1 µs a record); any doubt goes to the checks that find the words."""
    t, s, n = type, str, None
    get = d.get
    return (
        t(get("id")) is int and 0 < d["id"] <= MAX_ID
        and t(get("uuid")) is s and t(get("title")) is s and t(get("text")) is s
        and t(get("captured")) is s
        and get("title_source", "given") in TITLE_SOURCES
        and t(get("content_hash", "")) is s and t(get("signature", "")) is s
        and ((v := get("url")) is n or t(v) is s) and ((v := get("source")) is n or t(v) is s)
        and ((v := get("published")) is n or t(v) is s)
        and ((v := get("language")) is n or t(v) is s)
        and ((v := get("note")) is n or t(v) is s)
        and ((v := get("description")) is n or t(v) is s)
        and ((v := get("snapshot")) is n or t(v) is s)
        and t(get("starred", False)) is bool
        and t(w := get("word_count", 0)) is int and 0 <= w <= MAX_ID
        and t(a := get("authors", [])) is list and (not a or all(t(i) is s for i in a))
        and t(g := get("tags", [])) is list and (not g or all(t(i) is s for i in g))
        # Links are the rule, not the exception, in a library of wire stories.
        and t(m := get("near_duplicates", [])) is list
        and (not m or all(t(i) is int and 0 <= i <= MAX_ID for i in m))
    )  # fmt: skip


_TEXT = "text"
_OPTIONAL = "text or null"
_LIST = "a list of texts"
_NUMBER = f"a whole number up to {MAX_ID}"
_IDS = "a list of ids"
_FLAG = "true or false"
_KINDS = {
    **dict.fromkeys(_TEXTS, _TEXT),
    **dict.fromkeys(_OPTIONAL_TEXTS, _OPTIONAL),
    **dict.fromkeys(_TEXT_LISTS, _LIST),
    "id": _NUMBER, "word_count": _NUMBER, "near_duplicates": _IDS, "starred": _FLAG,
}  # fmt: skip


def _fits(value: object, kind: str) -> bool:
    kind_of = type(value)
    if kind is _TEXT:
        return kind_of is str
    if kind is _OPTIONAL:
        return kind_of is str or value is None
    if kind is _LIST:
        return kind_of is list and all(type(item) is str for item in value)  # type: ignore[attr-defined]
    if kind is _NUMBER:
        return _count(value)
    if kind is _IDS:
        return kind_of is list and all(_count(item) for item in value)  # type: ignore[attr-defined]
    return kind_of is bool


def _wrong(name: str, value: object, kind: str) -> str:
    if name == "id":
        return f"has the id {_shown(value)}, not a number from 1 to {MAX_ID}"
    return f"has a {name} that is {_shown(value)}, not {kind}"


def _shown(value: object) -> str:
    """A value as a problem quotes it: short, whatever its size."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
    # The user's own: passages of the text quoted as highlights (`clip quote`), as written there.
    passages: list[str] = field(default_factory=list)
    # How each metadata field was found (field -> PROVENANCES); absent in older records.
    provenance: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        clipping_id: int,
        draft: Draft,
        *,
        captured: str | None = None,
        keys: tuple[str, str, int] | None = None,
    ) -> Clipping:
        """A new clipping from a validated draft (which may carry its uuid and capture time).
        `keys`: the text's `text_keys` and word count, when computed already (`texts_keys` of
        a batch)."""
        digest, signature, words = keys or (*text_keys(draft.text), count_words(draft.text))
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
            content_hash=digest,
            word_count=words,
            description=draft.description,
            signature=signature,
            passages=list(draft.passages),
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
        """The fields in their order, lists and the provenance copied (what
        `dataclasses.asdict` gives, without its deep copy of every value: an import writes
        thousands)."""
        if type(self) is not Clipping:  # a subclass's fields too (team.rows.TeamClipping)
            return asdict(self)
        return {
            "id": self.id, "uuid": self.uuid, "title": self.title, "text": self.text,
            "captured": self.captured, "title_source": self.title_source, "url": self.url,
            "source": self.source, "authors": list(self.authors), "published": self.published,
            "language": self.language, "tags": list(self.tags), "note": self.note,
            "starred": self.starred, "content_hash": self.content_hash,
            "word_count": self.word_count, "description": self.description,
            "snapshot": self.snapshot, "signature": self.signature,
            "near_duplicates": list(self.near_duplicates), "passages": list(self.passages),
            "provenance": dict(self.provenance),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clipping:
        """A clipping from stored data; unknown keys dropped, missing optional ones defaulted."""
        problem = record_problem(data)
        if problem is not None:
            raise ValueError(f"clipping {data.get('id')!r} {problem}")
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def with_changes(self, **changes: Any) -> Clipping:
        """A copy with some fields changed; derived fields follow the text."""
        updated = replace(self, **changes)
        if "text" in changes:
            updated.content_hash, updated.signature = text_keys(updated.text)
            updated.word_count = count_words(updated.text)
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
    # The ids of the near duplicates it had in an export (None: the source does not say).
    near_duplicates: list[int] | None = None
    passages: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)

    def validated(self, *, order: str | None = None) -> Draft:
        """The draft with every field normalized; raises UsageError on bad values. `order`
        (day-first, month-first) reads numeric dates such as 03/04/2023."""
        text = clean_text(self.text)
        if not _visible(text):
            raise UsageError("the clipping has no text; nothing was saved.")
        if len(text) > MAX_TEXT_BYTES // 4 and len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            # One cap for every way in (add, import, feeds, edit): a file read is capped too.
            raise UsageError("the text is over 20 MB; clip keeps texts up to 20 MB.")
        title = _SPACES.sub(" ", self.title).strip()
        if not _visible(title):
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
            published=parse_date(self.published, order=order) if self.published else None,
            language=validate_language(self.language) if self.language else None,
            tags=normalize_tags(self.tags),
            passages=validated_passages(text, self.passages) if self.passages else [],
            note=_blank_to_none(self.note),
            description=_blank_to_none(self.description),
            uuid=_valid_uuid(self.uuid) if self.uuid else None,
            captured=(
                parse_date(self.captured, what="capture time", order=order)
                if self.captured
                else None
            ),
        )
        clean.provenance = validate_provenance(self.provenance, clean)
        return clean


# The fields of a Draft that a Clipping has too: what an edit validates and carries over.
DRAFT_FIELDS = (
    "text", "title", "title_source", "url", "source", "authors", "published", "language",
    "tags", "note", "starred", "passages", "provenance",
)  # fmt: skip


def _visible(text: str) -> bool:
    """Whether a text shows anything: a character that is not space, nor invisible (zero-width
    spaces and joiners, byte-order marks, soft hyphens: Unicode's format characters)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs") for ch in text
    )


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
