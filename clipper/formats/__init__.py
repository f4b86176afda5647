"""Formats: converting clippings to and from documents, one module per format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clipper.errors import UsageError

if TYPE_CHECKING:
    from clipper.model import Clipping

# Every export format; md-files writes a folder, the others one document.
EXPORT_FORMATS = ("md", "md-files", "json", "jsonl", "csv", "html", "bibtex", "csl-json")


def check_format(name: str) -> str:
    """The format's canonical name; an unknown one is a usage error listing the known ones."""
    wanted = name.strip().lower()
    aliases = {"markdown": "md", "csljson": "csl-json", "bib": "bibtex", "ndjson": "jsonl"}
    wanted = aliases.get(wanted, wanted)
    if wanted not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {name!r}: use one of {', '.join(EXPORT_FORMATS)}.")
    return wanted


def render_document(
    name: str,
    clippings: Sequence[Clipping],
    *,
    title: str = "Press review",
    group_by: str = "date",
    excerpt_words: int | None = None,
    excel: bool = False,
    raw_csv: bool = False,
) -> str:
    """The export of `clippings` as one document in the format `name` (not md-files);
    `excel` makes the CSV one for spreadsheets (see csv_table.dumps), and CSV cells that look
    like formulas are defused unless `raw_csv`."""
    fmt = check_format(name)
    if fmt == "md":
        from clipper.formats import markdown_digest

        return markdown_digest.render(
            clippings, title=title, group_by=group_by, excerpt_words=excerpt_words
        )
    if fmt == "html":
        from clipper.formats import html_review

        return html_review.render(
            clippings, title=title, group_by=group_by, excerpt_words=excerpt_words
        )
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
