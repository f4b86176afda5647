"""Recognizing an import file by its content: the extension is only a hint, since exports are
often renamed (`bookmarks.html`, `export.txt`, `feed` with no extension at all)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from clipper.errors import UsageError

IMPORT_FORMATS = (
    "clipper-json", "jsonl", "md-folder", "feed", "netscape", "pocket-html", "pocket-csv",
    "wallabag", "links-json", "csv",
)  # fmt: skip
_ALIASES = {
    "json": "clipper-json", "clipper": "clipper-json", "ndjson": "jsonl", "md": "md-folder",
    "markdown": "md-folder", "md-files": "md-folder", "rss": "feed", "atom": "feed",
    "json-feed": "feed", "jsonfeed": "feed", "bookmarks": "netscape", "html": "netscape",
    "pocket": "pocket-html", "pinboard": "links-json", "omnivore": "links-json",
    "delicious": "links-json", "folder": "md-folder",
}  # fmt: skip
_ROOT = re.compile(rb"<([A-Za-z][\w:.\-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"channel"}
_CSV_SEPARATORS = (",", ";", "\t")


def check_import_format(name: str) -> str:
    """The canonical name of an import format, or 'auto'; an unknown one is a usage error."""
    wanted = name.strip().lower()
    wanted = _ALIASES.get(wanted, wanted)
    if wanted != "auto" and wanted not in IMPORT_FORMATS:
        raise UsageError(
            f"unknown import format {name!r}: use auto or one of {', '.join(IMPORT_FORMATS)}."
        )
    return wanted


def detect(source: Path | bytes, *, name: str = "the file") -> str:
    """The import format of a folder or of a file's bytes; UsageError when it is none of them."""
    if isinstance(source, Path):
        if source.is_dir():
            return "md-folder"
        source = source.read_bytes()
    data = source.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not data:
        raise UsageError(f"{name} is empty; nothing was imported.")
    if b"\x00" in data[:4096]:
        raise UsageError(f"{name} is a binary file, not an export clip can read.")
    first = data[:1]
    if first in (b"{", b"["):
        return _json_kind(data, name)
    if first == b"<":
        return _markup_kind(data, name)
    if data.startswith(b"---"):
        return "md-folder"  # one Markdown file with front matter
    head = data[:4096].decode("utf-8", errors="replace")
    header = head.splitlines()[0].strip().lower()
    if any(sep in header for sep in _CSV_SEPARATORS):
        columns = {c.strip().strip('"') for c in re.split(r"[,;\t]", header)}
        if {"url", "time_added"} <= columns:
            return "pocket-csv"
        return "csv"
    raise UsageError(
        f"cannot tell what kind of export {name} is; give --format ({', '.join(IMPORT_FORMATS)})."
    )


def _json_kind(data: bytes, name: str) -> str:
    first_line, _, rest = data.partition(b"\n")
    if first_line.startswith(b"{") and rest.strip().startswith(b"{"):
        try:
            record = orjson.loads(first_line)
        except orjson.JSONDecodeError:
            record = None
        if isinstance(record, dict) and "clippings" not in record:
            return "jsonl"  # several lines, each a whole object
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise UsageError(f"{name} is not valid JSON ({error}); nothing was imported.") from None
    return _document_kind(document, name)


def _document_kind(document: Any, name: str) -> str:
    from clipper.formats.wallabag import is_wallabag

    if isinstance(document, dict):
        if isinstance(document.get("clippings"), list):
            return "clipper-json"
        if "jsonfeed.org" in str(document.get("version", "")):
            return "feed"
        if isinstance(document.get("text"), str):
            return "jsonl"  # a single clipping on one line
    if isinstance(document, list):
        if is_wallabag(document):
            return "wallabag"
        if not document or (isinstance(document[0], dict) and "text" in document[0]):
            return "clipper-json"
    from clipper.formats.link_lists import has_links

    if has_links(document):
        return "links-json"  # Pinboard, Delicious, Omnivore, browsers' JSON bookmarks...
    raise UsageError(
        f"{name} is JSON, but not a clipper export, a feed, or a list of links; "
        "nothing was imported."
    )


def _markup_kind(data: bytes, name: str) -> str:
    head = data[:8192].lower()
    if b"netscape-bookmark-file" in head:
        return "netscape"
    root = _root_element(head)
    if root in _FEED_ROOTS or (root == b"entry" and b"2005/atom" in head):
        return "feed"
    if b"<title>pocket export" in head or b"time_added=" in head:
        return "pocket-html"
    if re.search(rb"<dt>\s*<a\s[^>]*href", head):
        return "netscape"
    if root in (b"html", b"head", b"body", b"!doctype"):
        raise UsageError(
            f"{name} is a web page, not an export; to keep an article, use `clip add`."
        )
    raise UsageError(f"{name} is XML, but not an RSS or Atom feed; nothing was imported.")


def _root_element(head: bytes) -> bytes | None:
    """The first element name, past the XML declaration, comments and the doctype."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.S)
    doctype = re.match(rb"\s*<!doctype", text)
    if doctype:
        end = text.find(b">", doctype.end())
        after = text[end + 1 :] if end >= 0 else b""
        match = _ROOT.search(after)
        return match.group(1) if match else b"!doctype"
    match = _ROOT.search(text)
    return match.group(1) if match else None
