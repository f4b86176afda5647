"""A saved watch: a name, a query in clip's query language, the feeds it runs over, and the
tags its clippings get. Checked once, when saved, so that a bad query never reaches a run."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from clipper.errors import NotFoundError, UsageError
from clipper.model import normalize_tag, normalize_tags, utc_now, validate_url
from clipper.search.query import Node, parse

# A DOCTYPE that declares entities: the way to a "billion laughs" or to reading local files.
# Feeds and OPML files never need one, so a document with one is refused before parsing.
_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.I | re.S)


@dataclass(slots=True)
class Watch:
    """One saved watch, exactly as the library keeps it (`to_dict`)."""

    name: str
    query: str
    feeds: list[str]
    tags: list[str] = field(default_factory=list)
    # Fetch an item's page to decide when its title and summary cannot (and to keep the
    # article rather than the summary); off: title and summary only, nothing else fetched.
    full_text: bool = True
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Watch:
        return cls(
            name=str(data.get("name", "")),
            query=str(data.get("query", "")),
            feeds=[str(f) for f in data.get("feeds") or []],
            tags=[str(t) for t in data.get("tags") or []],
            full_text=bool(data.get("full_text", True)),
            created=str(data.get("created", "")),
        )

    @property
    def clipping_tags(self) -> list[str]:
        """The tags every clipping this watch keeps is given: its name, then its own."""
        return normalize_tags([self.name, *self.tags])

    def parsed(self, *, order: str | None = None, today: date | None = None) -> Node:
        """The watch's query as a tree (dates such as since:7d read relative to `today`)."""
        return parse(self.query, order=order, today=today)


def new_watch(
    name: str,
    query: str,
    feeds: list[str],
    tags: list[str] | None = None,
    *,
    full_text: bool = True,
    order: str | None = None,
) -> Watch:
    """A watch checked for saving: a usable name, a query that parses, http(s) feeds."""
    watch = Watch(
        name=watch_name(name),
        query=" ".join(query.split()),
        feeds=feed_urls(feeds),
        tags=normalize_tags(tags or []),
        full_text=full_text,
        created=utc_now(),
    )
    check(watch, order=order)
    return watch


def check(watch: Watch, *, order: str | None = None) -> None:
    """Raise UsageError when a watch cannot run: a bad query, no feed."""
    try:
        watch.parsed(order=order)
    except UsageError as error:
        raise UsageError(
            f"the query of watch {watch.name!r} is malformed: {error.message}"
        ) from None
    if not watch.feeds:
        raise UsageError(
            f"watch {watch.name!r} has no feed: give one with --feed URL or --opml FILE."
        )


def watch_name(name: str) -> str:
    """A watch's name as kept: a tag (its clippings carry it), without a '/'."""
    normal = normalize_tag(name)
    if "/" in normal or ":" in normal:
        raise UsageError(f"{name!r} is not a watch name: use letters, digits and '-' only.")
    return normal


def feed_urls(urls: list[str]) -> list[str]:
    """Feed addresses checked (http(s) only), without repeats, in the order given."""
    kept: dict[str, None] = {}
    for url in urls:
        try:
            kept.setdefault(validate_url(url), None)
        except UsageError:
            raise UsageError(
                f"{url!r} is not a feed address: only http:// and https:// feeds are watched."
            ) from None
    return list(kept)


def find(watches: dict[str, Watch], names: list[str]) -> list[Watch]:
    """The watches named (all of them when none is), or NotFoundError for an unknown name."""
    if not names:
        return list(watches.values())
    found = []
    for name in dict.fromkeys(names):
        key = name.strip().lower()
        if key not in watches:
            known = ", ".join(watches) or "none yet"
            raise NotFoundError(f"no watch {name!r} (watches: {known}). See `clip watch list`.")
        found.append(watches[key])
    return found


def refuse_entities(data: bytes, name: str) -> None:
    """UsageError for an XML document that declares entities (expansion, external files)."""
    if _ENTITY_DECLARATION.search(data[:65536]):
        raise UsageError(
            f"{name} declares XML entities, which feeds never need and which can expand without "
            "bound or read local files; it was refused."
        )


def opml_feeds(path: Path) -> list[str]:
    """The feed addresses (xmlUrl) of every outline of an OPML file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotFoundError(f"cannot read {path}: {error.strerror or error}.") from None
    refuse_entities(data, str(path))
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise UsageError(f"{path} is not an OPML file ({error}).") from None
    urls = [
        (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        for outline in root.iter("outline")
    ]
    urls = [url for url in urls if url]
    if root.tag.lower() != "opml" or not urls:
        raise UsageError(f"{path} is not an OPML file with feeds (no outline has an xmlUrl).")
    return urls


def watch_text(watch: Watch) -> str:
    """A watch as text to edit in the editor (`clip watch edit NAME` without options)."""
    feeds = "".join(f"{url}\n" for url in watch.feeds)
    return (
        f"# The watch {watch.name}. Lines starting with # are left out. Save and close the\n"
        "# editor to keep your changes; a bad query or no feed keeps the watch as it was.\n"
        f"query: {watch.query}\n"
        f"tags: {', '.join(watch.tags)}\n"
        f"pages: {'full-text' if watch.full_text else 'summary-only'}\n"
        f"feeds (one address a line):\n{feeds}"
    )


def read_watch_text(text: str, watch: Watch, *, order: str | None = None) -> Watch:
    """The watch as edited; UsageError (nothing saved) when the text cannot be one."""
    values: dict[str, str] = {}
    feeds: list[str] = []
    in_feeds = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if in_feeds and not (colon and key.strip().lower() in ("query", "tags", "pages")):
            feeds.append(line)
            continue
        key = key.strip().lower()
        if key.startswith("feeds"):
            in_feeds = True
        elif colon and key in ("query", "tags", "pages"):
            values[key] = value.strip()
        else:
            raise UsageError(f"the edited watch has a line clip does not know: {line!r}.")
    pages = values.get("pages", "full-text" if watch.full_text else "summary-only").lower()
    if pages not in ("full-text", "summary-only"):
        raise UsageError(f"pages: is full-text or summary-only, not {pages!r}.")
    edited = Watch(
        name=watch.name,
        query=" ".join(values.get("query", "").split()),
        feeds=feed_urls(feeds),
        tags=normalize_tags([t for t in values.get("tags", "").split(",") if t.strip()]),
        full_text=pages == "full-text",
        created=watch.created,
    )
    check(edited, order=order)
    return edited
