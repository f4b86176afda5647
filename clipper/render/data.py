"""Machine-readable output: JSON from the same dicts the store keeps, and tab-separated lines."""

from __future__ import annotations

from typing import Any

import orjson

from clipper.render.console import one_line, write


def json_text(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n"


def print_json(data: Any) -> None:
    write(json_text(data))


def print_rows(rows: list[list[str]]) -> None:
    """Tab-separated lines, one per row; cells are made single-line and tab-free."""
    write("".join("\t".join(one_line(cell) for cell in row) + "\n" for row in rows))
