"""Formats: converting clippings to and from documents, one module per format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clipper.errors import UsageError

if TYPE_CHECKING:
    from clipper.formats.press_review import Options
    from clipper.model import Clipping

# Every export format; md-files writes a folder, the others one document.
EXPORT_FORMATS = (
    "md", "md-files", "json", "jsonl", "csv", "html", "pdf", "docx", "bibtex", "csl-json",
)  # fmt: skip
# The press reviews: one review model (formats/press_review.py) in four documents.
REVIEW_FORMATS = ("md", "html", "pdf", "docx")
# Binary documents, written to a file only.
BINARY_FORMATS = ("pdf", "docx")


def check_format(name: str) -> str:
    """The format's canonical name; an unknown one is a usage error listing the known ones."""
    wanted = name.strip().lower()
    aliases = {
        "markdown": "md", "csljson": "csl-json", "bib": "bibtex", "ndjson": "jsonl",
        "word": "docx",
    }  # fmt: skip
    wanted = aliases.get(wanted, wanted)
    if wanted not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {name!r}: use one of {', '.join(EXPORT_FORMATS)}.")
    return wanted


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

    fmt = check_format(name)
    chosen = options or Options()
    if fmt == "md":
        from clipper.formats import markdown_digest

        return markdown_digest.render(clippings, chosen)
    if fmt == "html":
        from clipper.formats import html_review

        return html_review.render(clippings, chosen)
    if fmt == "pdf":
        from clipper.formats import pdf_review

        return pdf_review.render(clippings, chosen)
    if fmt == "docx":
        from clipper.formats import docx_review

        return docx_review.render(clippings, chosen)
    if fmt in ("json", "jsonl"):
        from clipper.formats import json_formats

        return (json_formats.dumps_json if fmt == "json" else json_formats.dumps_jsonl)(clippings)
    if fmt == "csv":
        from clipper.formats import csv_table

        return csv_table.dumps(clippings, excel=excel, raw=raw_csv)
    if fmt in ("bibtex", "csl-json"):
        from clipper.formats import citations

        writer = citations.dumps_bibtex if fmt == "bibtex" else citations.dumps_csl_json
        return writer(clippings)
    raise UsageError("md-files writes a folder: give it one with -o FOLDER.")
