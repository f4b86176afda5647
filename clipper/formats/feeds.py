"""News feeds: RSS 0.9x, 1.0 and 2.0 and Atom (with feedparser), and JSON Feed, one draft per
entry. A feed that cannot be read at all is one error; a bad entry is reported alone."""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson

from clipper.errors import ClipperError, UsageError
from clipper.formats.feed_outlets import feed_outlet, with_feed_provenance
from clipper.formats.html_text import html_to_text, looks_like_html
from clipper.formats.records import link_draft, loose_date, loose_language
from clipper.model import Draft

Entry = tuple[str, Draft | ClipperError]
# (label, the entry's own id (RSS guid, Atom id, JSON Feed id) or None, draft or error)
Item = tuple[str, str | None, Draft | ClipperError]


def read_feed(data: bytes, *, base_url: str | None = None, name: str = "the feed") -> list[Entry]:
    """(label, draft or error) for every entry of an RSS, Atom or JSON feed.

    Raises UsageError when the document is not a feed or is broken before its first entry.
    """
    return [(label, result) for label, _, result in read_feed_items(data, base_url, name)]


def read_feed_items(data: bytes, base_url: str | None = None, name: str = "the feed") -> list[Item]:
    """`read_feed` with each entry's own id, which says whether it was seen before."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"{", b"["):
        return list(_json_feed(start, name))  # orjson refuses a byte order mark
    return list(_xml_feed(data, base_url, name))


def _xml_feed(data: bytes, base_url: str | None, name: str) -> Iterator[Item]:
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    if not parsed.version:
        raise UsageError(f"{name} is not an RSS or Atom feed; nothing was imported.")
    if parsed.bozo and not parsed.entries:
        problem = " ".join(str(parsed.get("bozo_exception", "malformed XML")).split())
        problem = re.sub(r"^<unknown>:(\d+):(\d+):", r"line \1, column \2:", problem)
        raise UsageError(
            f"{name} is a broken feed ({problem}) with no readable entry; nothing was imported."
        )
    channel = parsed.feed
    title = _plain(channel.get("title_detail") or channel.get("title"))
    site = channel.get("link") or base_url
    language = loose_language(channel.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        guid = _own(entry, "id") or None
        try:
            yield f"entry {number}", guid, _xml_entry(entry, (title, site), language)
        except ClipperError as error:
            yield f"entry {number}", guid, error


def _xml_entry(entry: Any, channel: tuple[str | None, str | None], language: str | None) -> Draft:
    contents = entry.get("content") or []
    body = next((_plain(c) for c in contents if _plain(c)), None)
    summary = _plain(entry.get("summary_detail") or entry.get("summary"))
    title = _plain(entry.get("title_detail") or entry.get("title"))
    url = entry.get("link") or next(
        (link.get("href") for link in entry.get("links", []) if link.get("href")), None
    )
    if entry.get("guidislink") and url == entry.get("id") and "#" in str(url):
        # feedparser takes a permalink guid as the link; but one that points into a page that
        # several items share (scripting.com's `...#When:12:59:01PM`) is no article address:
        # without the fragment, which clip drops from URLs, they would look like one article.
        url = None
    names = [a.get("name", "") for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names = [entry["author"]]
    outlet, origin = feed_outlet(*channel, url)
    draft = link_draft(
        url=url,
        title=title,
        text=body or summary,
        tags=[t.get("term") or "" for t in entry.get("tags", [])],
        source=outlet,
        authors=[n for n in names if n],
        published=_struct_date(_own(entry, "published_parsed") or _own(entry, "updated_parsed"))
        or loose_date(_own(entry, "published") or _own(entry, "updated")),
        language=language,
    )
    return with_feed_provenance(draft, origin)


def _own(entry: Any, key: str) -> Any:
    # dict.get, not entry.get: feedparser's own lookup maps updated to published with a
    # DeprecationWarning when one of them is missing.
    return dict.get(entry, key)


def _plain(value: Any) -> str | None:
    """The text of a feedparser text construct (or a plain string), HTML turned into text."""
    if value is None:
        return None
    if isinstance(value, str):
        raw, kind = value, "text/html" if looks_like_html(value) else "text/plain"
    else:
        raw, kind = str(value.get("value") or ""), str(value.get("type") or "text/plain")
    text = html_to_text(raw) if "html" in kind else raw.strip()
    return text or None


def _struct_date(value: time.struct_time | None) -> str | None:
    """feedparser's dates are UTC struct_times; an ISO 8601 UTC time, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# JSON Feed (https://jsonfeed.org/version/1.1) -------------------------------------------------


def _json_feed(data: bytes, name: str) -> Iterator[Item]:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise UsageError(f"{name} is not valid JSON ({error}); nothing was imported.") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or "jsonfeed.org" not in version:
        raise UsageError(f"{name} is JSON but not a JSON Feed; nothing was imported.")
    items = document.get("items")
    if not isinstance(items, list):
        raise UsageError(f"{name} is a JSON Feed without an items list; nothing was imported.")
    title = html_to_text(document["title"]) if isinstance(document.get("title"), str) else None
    site = document.get("home_page_url") if isinstance(document.get("home_page_url"), str) else None
    language = loose_language(document.get("language"))
    for number, item in enumerate(items, start=1):
        guid = item.get("id") if isinstance(item, dict) else None
        guid = str(guid) if isinstance(guid, str | int) and str(guid) else None
        try:
            yield f"item {number}", guid, _json_item(item, (title, site), language, document)
        except ClipperError as error:
            yield f"item {number}", guid, error


def _json_item(
    item: Any, channel: tuple[str | None, str | None], language: str | None, feed: Any
) -> Draft:
    if not isinstance(item, dict):
        raise UsageError(f"a JSON Feed item must be an object, not {type(item).__name__}.")
    text = _text_field(item.get("content_text"))
    if not text and isinstance(item.get("content_html"), str):
        text = html_to_text(item["content_html"]) or None
    summary = _text_field(item.get("summary"))
    names = _author_names(item) or _author_names(feed)
    tags = [t for t in _list(item.get("tags")) if isinstance(t, str)]
    url = _text_field(item.get("url")) or _text_field(item.get("external_url"))
    outlet, origin = feed_outlet(*channel, url)
    draft = link_draft(
        url=url,
        title=_text_field(item.get("title")),
        text=text or summary,
        tags=tags,
        source=outlet,
        authors=names,
        published=loose_date(item.get("date_published") or item.get("date_modified")),
        language=loose_language(item.get("language")) or language,
    )
    return with_feed_provenance(draft, origin)


def _author_names(node: dict[str, Any]) -> list[str]:
    """`authors` (1.1: a list of objects) or `author` (1.0: one object; some write a name)."""
    authors = _list(node.get("authors")) or [node.get("author")]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def _list(value: Any) -> list[Any]:
    # A field of another type ("tags": 5, "authors": true) is as good as missing.
    return value if isinstance(value, list) else []


def _text_field(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
