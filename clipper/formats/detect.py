"""Recognizing an import file by its content: the extension is only a hint, since exports are
often renamed (`bookmarks.html`, `export.txt`, `feed` with no extension at all)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from clipper.errors import UsageError
from clipper.formats import import_format, import_names

_ROOT = re.compile(rb"<([A-Za-z][\w:.\-]*)")
_FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"channel"}
_CSV_SEPARATORS = (",", ";", "\t")
_INVALID = object()  # what a document that is not JSON parses to


def check_import_format(name: str) -> str:
    """The canonical name of an import format, or 'auto'; an unknown one is a usage error."""
    fmt = import_format(name)
    return "auto" if fmt is None else fmt.name


def detect(source: Path | bytes, *, name: str = "the file") -> str:
    """The import format of a folder or of a file's bytes; UsageError when it is none of them.

    Each format of the table names its rule (`Format.sniff`), a function of `Sample` below; the
    rules exclude one another, so the first that holds is the only one."""
    if isinstance(source, Path):
        if source.is_dir():
            return "md-folder"
        source = source.read_bytes()
    sample = Sample(source)
    if not sample.data:
        raise UsageError(f"{name} is empty; nothing was imported.")
    if b"\x00" in sample.data[:4096]:
        raise UsageError(f"{name} is a binary file, not an export clip can read.")
    from clipper.formats import FORMATS

    for fmt in FORMATS:
        if fmt.sniff is not None and RULES[fmt.sniff](sample):
            return fmt.name
    raise UsageError(sample.none_of_them(name))


class Sample:
    """The start of a file, as the rules look at it: its first byte, its parsed JSON, its
    root element, its header line; each computed once, when a rule first asks."""

    def __init__(self, data: bytes) -> None:
        data = data.lstrip(b"\xef\xbb\xbf \t\r\n")  # a byte order mark, blank lines
        self.data = data
        self.first = data[:1]
        self.head = data[:8192].lower()
        self._document: Any = None
        self._parsed = False
        self._error = ""

    @property
    def is_json(self) -> bool:
        return self.first in (b"{", b"[")

    @property
    def is_markup(self) -> bool:
        return self.first == b"<"

    @property
    def is_text(self) -> bool:
        return not (self.is_json or self.is_markup)

    def document(self) -> Any:
        """The whole file as JSON, or _INVALID."""
        if not self._parsed:
            self._parsed = True
            try:
                self._document = orjson.loads(self.data)
            except orjson.JSONDecodeError as error:
                self._document, self._error = _INVALID, str(error)
        return self._document

    def json_dict(self) -> dict[str, Any] | None:
        document = self.document() if self.is_json else None
        return document if isinstance(document, dict) else None

    def json_list(self) -> list[Any] | None:
        document = self.document() if self.is_json else None
        return document if isinstance(document, list) else None

    def several_json_lines(self) -> bool:
        """Several lines, each a whole object, the first not a clipper export: JSON Lines,
        told apart before parsing, since JSON Lines are no JSON document."""
        first_line, _, rest = self.data.partition(b"\n")
        if not (first_line.startswith(b"{") and rest.strip().startswith(b"{")):
            return False
        try:
            record = orjson.loads(first_line)
        except orjson.JSONDecodeError:
            return False
        return isinstance(record, dict) and "clippings" not in record

    def root(self) -> bytes | None:
        return _root_element(self.head) if self.is_markup else None

    def header(self) -> set[str] | None:
        """The column names of a first line with separators, None when it has none."""
        if not self.is_text or self.data.startswith(b"---"):
            return None
        head = self.data[:4096].decode("utf-8", errors="replace")
        line = head.splitlines()[0].strip().lower()
        if not any(sep in line for sep in _CSV_SEPARATORS):
            return None
        return {c.strip().strip('"') for c in re.split(r"[,;\t]", line)}

    def none_of_them(self, name: str) -> str:
        """Why no rule holds: the message for the kind of file this is."""
        if self.is_json:
            if not self.several_json_lines() and self.document() is _INVALID:
                return f"{name} is not valid JSON ({self._error}); nothing was imported."
            return (
                f"{name} is JSON, but not a clipper export, a feed, or a list of links; "
                "nothing was imported."
            )
        if self.is_markup:
            if self.root() in (b"html", b"head", b"body", b"!doctype"):
                return f"{name} is a web page, not an export; to keep an article, use `clip add`."
            return f"{name} is XML, but not an RSS or Atom feed; nothing was imported."
        names = ", ".join(import_names())
        return f"cannot tell what kind of export {name} is; give --format ({names})."


def _clipper_document(sample: Sample) -> bool:
    found = sample.json_dict()
    return found is not None and isinstance(found.get("clippings"), list)


def _json_feed(sample: Sample) -> bool:
    found = sample.json_dict()
    return (
        found is not None
        and not _clipper_document(sample)
        and "jsonfeed.org" in str(found.get("version", ""))
    )


def _jsonl(sample: Sample) -> bool:
    if not sample.is_json:
        return False
    if sample.several_json_lines():
        return True
    found = sample.json_dict()  # a single clipping on one line
    return (
        found is not None
        and not _clipper_document(sample)
        and not _json_feed(sample)
        and isinstance(found.get("text"), str)
    )


def _wallabag(sample: Sample) -> bool:
    from clipper.formats.wallabag import is_wallabag

    return not sample.several_json_lines() and is_wallabag(sample.json_list())


def _clipper_json(sample: Sample) -> bool:
    if sample.several_json_lines():
        return False
    if _clipper_document(sample):
        return True
    records = sample.json_list()
    if records is None or _wallabag(sample):
        return False
    return not records or (isinstance(records[0], dict) and "text" in records[0])


def _links_json(sample: Sample) -> bool:
    """Pinboard, Delicious, Omnivore, browsers' JSON bookmarks...: what no other JSON is."""
    if not sample.is_json or sample.several_json_lines() or sample.document() is _INVALID:
        return False
    if _clipper_json(sample) or _json_feed(sample) or _jsonl(sample) or _wallabag(sample):
        return False
    from clipper.formats.link_lists import has_links

    return has_links(sample.document())


def _netscape_marker(sample: Sample) -> bool:
    return sample.is_markup and b"netscape-bookmark-file" in sample.head


def _markup_feed(sample: Sample) -> bool:
    root = sample.root()
    return not _netscape_marker(sample) and (
        root in _FEED_ROOTS or (root == b"entry" and b"2005/atom" in sample.head)
    )


def _pocket_html(sample: Sample) -> bool:
    return (
        sample.is_markup
        and not _netscape_marker(sample)
        and not _markup_feed(sample)
        and (b"<title>pocket export" in sample.head or b"time_added=" in sample.head)
    )


def _netscape(sample: Sample) -> bool:
    if _netscape_marker(sample):
        return True
    return (
        sample.is_markup
        and not _markup_feed(sample)
        and not _pocket_html(sample)
        and re.search(rb"<dt>\s*<a\s[^>]*href", sample.head) is not None
    )


def _front_matter(sample: Sample) -> bool:
    return sample.is_text and sample.data.startswith(b"---")  # one Markdown file


def _pocket_csv(sample: Sample) -> bool:
    columns = sample.header()
    return columns is not None and {"url", "time_added"} <= columns


def _csv(sample: Sample) -> bool:
    columns = sample.header()
    return columns is not None and not {"url", "time_added"} <= columns


RULES: dict[str, Callable[[Sample], bool]] = {
    "clipper_json": _clipper_json,
    "jsonl": _jsonl,
    "feed": lambda sample: _json_feed(sample) or _markup_feed(sample),
    "wallabag": _wallabag,
    "links_json": _links_json,
    "netscape": _netscape,
    "pocket_html": _pocket_html,
    "front_matter": _front_matter,
    "pocket_csv": _pocket_csv,
    "csv": _csv,
}


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
