"""CSV: one row per clipping, lists joined, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from clipper.model import Clipping
from clipper.sanitize import inert

COLUMNS = (
    "id", "uuid", "title", "source", "url", "published", "captured", "authors", "tags",
    "language", "starred", "note", "word_count", "text",
)  # fmt: skip
LIST_SEPARATOR = "; "


# A spreadsheet takes a cell starting with one of these for a formula (`=HYPERLINK(...)`,
# `@SUM(...)`, `-2+3`): OWASP's rule is to make it text with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str, *, raw: bool = False) -> str:
    """A cell's text: escape sequences and control characters removed (the CSV may go to a
    terminal), and unless `raw`, a leading apostrophe where a spreadsheet would see a formula."""
    text = inert(value)
    return text if raw or not text.startswith(FORMULA_STARTS) else "'" + text


def dumps(clippings: Sequence[Clipping], *, excel: bool = False, raw: bool = False) -> str:
    """A CSV document with a header row; authors and tags joined with '; '. Cells that a
    spreadsheet would run as formulas start with an apostrophe, unless `raw`. `excel`: a UTF-8
    byte order mark and CRLF line ends, without which Excel reads UTF-8 as its local code page
    and garbles every accent."""
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(COLUMNS)
    for clipping in clippings:
        row = []
        for column in COLUMNS:
            value = getattr(clipping, column)
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append("" if value is None else cell(str(value), raw=raw))
        writer.writerow(row)
    return buffer.getvalue()
