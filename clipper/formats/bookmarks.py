"""Netscape bookmark files (what Chrome, Firefox, Safari, Edge, Shaarli, Delicious and Pinboard
export): one draft per link, tags from the folders and the TAGS attribute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from clipper.errors import ClipperError, UsageError
from clipper.formats.records import link_draft, unix_time, web_url
from clipper.model import Draft, normalize_tag

Entry = tuple[str, Draft | ClipperError]
# Folders that browsers create themselves: their names are not the user's tags.
_ROOT_MARKERS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
# Markup that ends a description (<DD>); anything else inside it is read as its text.
_LIST_TAGS = ("dt", "dl", "h3")


@dataclass(slots=True)
class Bookmark:
    """One link as found in the file."""

    href: str
    title: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    added: str | None = None


class _BookmarkParser(HTMLParser):
    """Walks the <DL> tree: <H3> names a folder, <DT><A> is a link, <DD> its description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bookmarks: list[Bookmark] = []
        self.folders: list[str | None] = []
        self.pending_folder: str | None = None
        self.heading: list[str] | None = None
        self.heading_is_root = False
        self.link: Bookmark | None = None
        self.link_text: list[str] | None = None
        self.description: list[str] | None = None
        self.after_dt = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if self.description is not None and tag not in _LIST_TAGS:
            if tag == "br":
                self.description.append("\n")
            return  # markup inside a description: only its text counts
        if tag in _LIST_TAGS:
            self._end_description()
        if tag == "dt":
            self.after_dt = True
        elif tag == "h3":
            self.heading = []
            self.heading_is_root = any(marker in values for marker in _ROOT_MARKERS)
        elif tag == "dl":
            self.folders.append(self.pending_folder)
            self.pending_folder = None
        elif tag == "a" and self.after_dt and "href" in values:
            self.after_dt = False
            self.link = Bookmark(
                href=values["href"].strip(),
                tags=_split_tags(values.get("tags", "")),
                folders=[f for f in self.folders if f],
                added=unix_time(values.get("add_date", "")),
                description=values.get("description", "").strip(),
            )
            self.link_text = []
            self.bookmarks.append(self.link)
        elif tag == "dd" and self.link is not None:
            self.description = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link is not None and self.link_text is not None:
            self.link.title = " ".join("".join(self.link_text).split())
            self.link_text = None
        elif tag == "h3" and self.heading is not None:
            name = " ".join("".join(self.heading).split())
            self.pending_folder = None if self.heading_is_root else name or None
            self.heading = None
            self.link = None  # a description after a folder heading describes the folder
        elif tag == "dl":
            self._end_description()
            if self.folders:
                self.folders.pop()

    def handle_data(self, data: str) -> None:
        if self.link_text is not None:
            self.link_text.append(data)
        elif self.heading is not None:
            self.heading.append(data)
        elif self.description is not None:
            self.description.append(data)

    def close(self) -> None:
        super().close()
        self._end_description()

    def _end_description(self) -> None:
        if self.description is not None and self.link is not None:
            text = "".join(self.description).strip()
            if text:
                self.link.description = text
        self.description = None


def parse_bookmarks(text: str) -> list[Bookmark]:
    """Every link of a Netscape bookmark file, in file order."""
    parser = _BookmarkParser()
    parser.feed(text)
    parser.close()
    return parser.bookmarks


def read_bookmarks(text: str, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each bookmark; a file with no link at all is an error."""
    bookmarks = parse_bookmarks(text)
    if not bookmarks:
        raise UsageError(f"{name} holds no bookmark (<DT><A HREF=...>); nothing was imported.")
    return [(f"bookmark {n}", _draft(b)) for n, b in enumerate(bookmarks, start=1)]


def _draft(bookmark: Bookmark) -> Draft | ClipperError:
    url = web_url(bookmark.href)
    if url is None and not bookmark.description:
        shown = bookmark.href[:80] or "(empty)"
        return UsageError(f"{shown!r} is not a web address and there is no description.")
    return link_draft(
        url=url,
        title=bookmark.title,
        text=bookmark.description,
        tags=[*bookmark.tags, *_folder_tag(bookmark.folders)],
        captured=bookmark.added,
    )


def _folder_tag(folders: list[str]) -> list[str]:
    """The folder path as one hierarchical tag: Dev > PHP becomes dev/php."""
    parts = []
    for folder in folders:
        try:
            parts.append(re.sub(r"-{2,}", "-", normalize_tag(re.sub(r"[,/]+", " ", folder))))
        except ClipperError:
            continue
    return ["/".join(parts)] if parts else []


def _split_tags(value: str) -> list[str]:
    """Firefox separates tags with commas (a tag may hold spaces); Shaarli and Delicious
    with spaces."""
    parts = value.split(",") if "," in value else value.split()
    return [tag.strip() for tag in parts if tag.strip()]
