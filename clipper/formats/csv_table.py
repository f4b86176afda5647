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


def dumps(clippings: Sequence[Clipping]) -> str:
    """A CSV document with a header row; authors and tags joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
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
