"""CSV: one row per clipping, lists joined, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from clipper.model import Clipping

COLUMNS = (
    "id", "uuid", "title", "source", "url", "published", "captured", "authors", "tags",
    "language", "starred", "note", "word_count", "text",
)  # fmt: skip
LIST_SEPARATOR = "; "


def dumps(clippings: Sequence[Clipping], *, excel: bool = False) -> str:
    """A CSV document with a header row; authors and tags joined with '; '. `excel`: a UTF-8
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
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return buffer.getvalue()
