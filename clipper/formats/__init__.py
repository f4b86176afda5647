"""Formats: converting clippings to and from documents, one module per format, one table.

`FORMATS` is the one list of formats: export (`clip export -f`), import (`clip import -f`),
detection of an import file and shell completion all read it. A new format is a module that
reads or writes it and a row here. Modules are named by path and imported only when their
format is used, so that reading the table costs nothing at startup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from clipper.errors import ClipperError, UsageError

if TYPE_CHECKING:
    from clipper.formats.press_review import Options
    from clipper.model import Clipping, Draft

Entry = tuple[str, "Draft | ClipperError"]


@dataclass(frozen=True, slots=True)
class Format:
    """One row of the table. `writer` and `reader` are "module:function" paths.

    A writer is called as `function(clippings, **arguments)`, with those of `takes` among
    `options` (the review options), `excel` and `raw`; it returns text, or bytes when
    `binary`. A reader is given the file as `reads` says (its bytes, also with `base_url`;
    its text; or its parsed JSON) and the keyword `name`, and returns (label, draft or error)
    per record. `sniff` names the rule of `formats/detect.py` that recognizes the format by
    content; `extensions` are what its files are usually called (never used to choose a reader:
    exports get renamed)."""

    name: str
    summary: str
    writer: str | None = None
    takes: tuple[str, ...] = ()
    reader: str | None = None
    reads: Literal["bytes", "text", "json"] = "bytes"
    sniff: str | None = None
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    review: bool = False  # one of the press reviews (formats/press_review.py)
    binary: bool = False  # written to a file only
    folder: bool = False  # written to, or read from, a folder of files


_F = "clipper.formats."
# In the order help, completion and errors list them (export's names, then import's, keep the
# order they always had).
FORMATS: tuple[Format, ...] = (
    Format("md", "a press review in Markdown", writer=_F + "markdown_digest:render",
           takes=("options",), extensions=(".md",), aliases=("markdown",), review=True),
    Format("md-files", "one Markdown file per clipping, in a folder",
           writer=_F + "markdown_folder:write", extensions=(".md",), folder=True),
    Format("json", "clipper JSON: every field, read back identically",
           writer=_F + "json_formats:dumps_json", extensions=(".json",)),
    Format("clipper-json", "clipper JSON, as `clip export -f json` writes it",
           reader=_F + "json_formats:read_clipper_json", sniff="clipper_json",
           extensions=(".json",), aliases=("json", "clipper")),
    Format("jsonl", "clipper JSON Lines: one clipping per line",
           writer=_F + "json_formats:dumps_jsonl", reader=_F + "json_formats:read_clipper_jsonl",
           sniff="jsonl", extensions=(".jsonl", ".ndjson"), aliases=("ndjson",)),
    Format("md-folder", "Markdown files with front matter (md-files), and folders",
           reader=_F + "markdown_files:read_file", reads="text", sniff="front_matter",
           extensions=(".md", ".markdown"), aliases=("md", "markdown", "md-files", "folder"),
           folder=True),
    Format("feed", "RSS 0.9x, 1.0, 2.0, Atom and JSON Feed", reader=_F + "feeds:read_feed",
           sniff="feed", extensions=(".xml", ".rss", ".atom", ".json"),
           aliases=("rss", "atom", "json-feed", "jsonfeed")),
    Format("netscape", "browser bookmarks (Netscape HTML)", reader=_F + "bookmarks:read_bookmarks",
           reads="text", sniff="netscape", extensions=(".html", ".htm"),
           aliases=("bookmarks", "html")),
    Format("pocket-html", "Pocket's ril_export.html", reader=_F + "pocket:read_pocket_html",
           reads="text", sniff="pocket_html", extensions=(".html",), aliases=("pocket",)),
    Format("pocket-csv", "Pocket's CSV export", reader=_F + "pocket:read_pocket_csv",
           reads="text", sniff="pocket_csv", extensions=(".csv",)),
    Format("wallabag", "wallabag JSON exports (v1 and v2)", reader=_F + "wallabag:read_wallabag",
           reads="json", sniff="wallabag", extensions=(".json",)),
    Format("links-json", "JSON link lists: Pinboard, Delicious, Omnivore, browsers' bookmarks",
           reader=_F + "link_lists:read_link_list", reads="json", sniff="links_json",
           extensions=(".json",), aliases=("pinboard", "omnivore", "delicious")),
    Format("csv", "one row per clipping, or a table with a header row from another tool",
           writer=_F + "csv_table:dumps", takes=("excel", "raw"),
           reader=_F + "csv_import:read_table", reads="text", sniff="csv",
           extensions=(".csv",)),
    Format("html", "the press review as a web page", writer=_F + "html_review:render",
           takes=("options",), extensions=(".html", ".htm"), review=True),
    Format("pdf", "the press review as an A4 PDF", writer=_F + "pdf_review:render",
           takes=("options",), extensions=(".pdf",), review=True, binary=True),
    Format("docx", "the press review as a Word document", writer=_F + "docx_review:render",
           takes=("options",), extensions=(".docx",), aliases=("word",), review=True,
           binary=True),
    Format("ris", "RIS records (newspaper articles) for EndNote, Zotero and Mendeley",
           writer=_F + "ris:dumps_ris", extensions=(".ris",)),
    Format("bibtex", "@article entries for LaTeX and reference managers",
           writer=_F + "citations:dumps_bibtex", extensions=(".bib",), aliases=("bib",)),
    Format("csl-json", "CSL JSON (article-newspaper) for Zotero, Pandoc and citeproc",
           writer=_F + "citations:dumps_csl_json", extensions=(".json",),
           aliases=("csljson",)),
)  # fmt: skip



def export_names() -> list[str]:
    """What `clip export -f` takes, in the table's order."""
    return [f.name for f in FORMATS if f.writer]


def import_names() -> list[str]:
    """What `clip import -f` takes besides auto, in the table's order."""
    return [f.name for f in FORMATS if f.reader]


def review_names() -> list[str]:
    """The press reviews: one review model (formats/press_review.py) in several documents."""
    return [f.name for f in FORMATS if f.review]


def spelled(names: Sequence[str]) -> str:
    """Names as help text lists them: 'a, b or c'."""
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)


def _lookup(name: str, formats: Iterable[Format]) -> Format | None:
    wanted = name.strip().lower()
    return next((f for f in formats if wanted == f.name or wanted in f.aliases), None)


def export_format(name: str) -> Format:
    """The export format `name` (or an alias); an unknown one is a usage error listing them."""
    found = _lookup(name, (f for f in FORMATS if f.writer))
    if found is None:
        raise UsageError(f"unknown format {name!r}: use one of {', '.join(export_names())}.")
    return found


def import_format(name: str) -> Format | None:
    """The import format `name` (or an alias), None for 'auto'; an unknown one is a usage
    error listing them."""
    if name.strip().lower() == "auto":
        return None
    found = _lookup(name, (f for f in FORMATS if f.reader))
    if found is None:
        raise UsageError(
            f"unknown import format {name!r}: use auto or one of {', '.join(import_names())}."
        )
    return found


def named(name: str) -> Format:
    """The row of a canonical name (a programming error when there is none)."""
    return next(f for f in FORMATS if f.name == name)


def check_format(name: str) -> str:
    """The canonical name of an export format; an unknown one is a usage error."""
    return export_format(name).name


def function(path: str) -> Callable[..., Any]:
    """The function a "module:function" path of the table names, its module imported now."""
    module, _, attribute = path.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return found


def render_document(
    name: str,
    clippings: Sequence[Clipping],
    options: Options | None = None,
    *,
    excel: bool = False,
    raw_csv: bool = False,
) -> str | bytes:
    """The export of `clippings` as one document in the format `name` (not md-files): text,
    or bytes for pdf and docx. `options` shape the reviews; `excel` makes the CSV one for
    spreadsheets (see csv_table.dumps), and CSV cells that look like formulas are defused
    unless `raw_csv`."""
    from clipper.formats.press_review import Options

    fmt = export_format(name)
    if fmt.folder or fmt.writer is None:
        raise UsageError("md-files writes a folder: give it one with -o FOLDER.")
    given = {"options": options or Options(), "excel": excel, "raw": raw_csv}
    document: str | bytes = function(fmt.writer)(clippings, **{k: given[k] for k in fmt.takes})
    return document


def read_document(
    fmt: Format, data: bytes, *, name: str, base_url: str | None = None
) -> list[Entry]:
    """The records of one file in the import format `fmt`, as (label, draft or error)."""
    assert fmt.reader is not None, fmt.name
    reader = function(fmt.reader)
    if fmt.reads == "bytes":
        return list(reader(data, name=name, base_url=base_url))
    if fmt.reads == "text":
        from clipper.capture.files import decode_text

        return list(reader(decode_text(data, name=name), name=name))
    import orjson

    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise UsageError(f"{name} is not valid JSON ({error}).") from None
    return list(reader(document, name=name))
