"""JSON link lists of other tools: Pinboard, Delicious, Omnivore, elCurator, Readability, and
the Chrome and Firefox bookmark trees. Each object with a web address is one link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.formats.records import as_utc, link_draft, loose_date, unix_time, web_url
from clipper.model import Draft

Entry = tuple[str, Draft | ClipperError]
_URL_KEYS = ("url", "href", "uri", "article__url")
_TITLE_KEYS = ("title", "name", "article__title")
_TEXT_KEYS = ("extended", "description", "article__excerpt", "excerpt", "summary", "content")
_TAG_KEYS = ("tags", "labels", "tag")
_ADDED_KEYS = ("time", "created", "created_at", "savedAt", "date_added", "dateAdded", "added")
_PUBLISHED_KEYS = ("publishedAt", "published", "date_published", "article__date_published")
_WEBKIT_EPOCH = 11_644_473_600  # seconds from 1601-01-01 (Chrome's epoch) to 1970-01-01
_EMPTY = {"", "none", "null"}
_END = object()


def _links(document: Any) -> Iterator[dict[str, Any]]:
    """Every object in the tree that holds a web address, depth first, in file order.

    A walk with a stack of its own, not a recursion: JSON may nest a thousand levels deep,
    past Python's recursion limit."""
    pending: list[Iterator[Any]] = [iter([document])]
    while pending:
        node = next(pending[-1], _END)
        if node is _END:
            pending.pop()
        elif isinstance(node, dict):
            url = next((node[k] for k in _URL_KEYS if isinstance(node.get(k), str)), None)
            if url and web_url(url):
                yield node
            else:
                pending.append(iter(node.values()))
        elif isinstance(node, list):
            pending.append(iter(node))


def has_links(document: Any) -> bool:
    return next(_links(document), None) is not None


def read_link_list(document: Any, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each link of a parsed JSON link list."""
    chrome = isinstance(document, dict) and "roots" in document
    entries: list[Entry] = []
    for number, link in enumerate(_links(document), start=1):
        try:
            entries.append((f"link {number}", _draft(link, chrome=chrome)))
        except ClipperError as error:
            entries.append((f"link {number}", error))
    if not entries:
        raise UsageError(f"{name} holds no web address; nothing was imported.")
    return entries


def _text(link: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = link.get(key)
        if isinstance(value, str) and value.strip().lower() not in _EMPTY:
            return value.strip()
    return None


def _draft(link: dict[str, Any], *, chrome: bool) -> Draft:
    url = next(link[k] for k in _URL_KEYS if isinstance(link.get(k), str))
    if "href" in link and "extended" in link:  # Pinboard: description is the title
        title, text = _text(link, ("description",)), _text(link, ("extended",))
    else:
        title, text = _text(link, _TITLE_KEYS), _text(link, _TEXT_KEYS)
    tags: list[str] = []
    for key in _TAG_KEYS:
        value = link.get(key)
        if isinstance(value, list):
            tags += [t if isinstance(t, str) else str(t.get("name", "")) for t in value
                     if isinstance(t, str | dict)]  # fmt: skip
        elif isinstance(value, str):
            tags += re.split(r"[,\s]+", value)
    author = link.get("author")
    return link_draft(
        url=url,
        title=title,
        text=text,
        tags=[t for t in tags if t.strip()],
        captured=_added(link, chrome=chrome),
        published=next((loose_date(link[k]) for k in _PUBLISHED_KEYS if link.get(k)), None),
        authors=[author] if isinstance(author, str) and author.strip() else [],
        starred=str(link.get("favorite", link.get("starred", ""))).lower() in ("1", "true"),
    )


def _added(link: dict[str, Any], *, chrome: bool) -> str | None:
    for key in _ADDED_KEYS:
        value = link.get(key)
        if value in (None, ""):
            continue
        text = str(value).strip()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            if chrome and key == "date_added":  # microseconds since 1601
                return unix_time(str(float(text) / 1_000_000 - _WEBKIT_EPOCH))
            return unix_time(text)
        found = loose_date(text.replace(" UTC", "Z").replace(" ", "T", 1))
        if found:
            return as_utc(found)
    return None
