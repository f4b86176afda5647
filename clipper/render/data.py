"""Machine-readable output: JSON from the same dicts the store keeps, and tab-separated lines."""

from __future__ import annotations

from typing import Any

import orjson

from clipper.render.console import one_line, write


def json_text(data: Any) -> str:
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    try:
        return orjson.dumps(data, option=options).decode() + "\n"
    except TypeError:
        # A file name that is not UTF-8 (a report naming it) reaches here as lone surrogates,
        # which JSON cannot hold: those are shown escaped (\\udce9).
        return orjson.dumps(_escaped(data), option=options).decode() + "\n"


def _escaped(data: Any) -> Any:
    if isinstance(data, str):
        return data.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(data, dict):
        return {_escaped(key): _escaped(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_escaped(item) for item in data]
    return data


def print_json(data: Any) -> None:
    write(json_text(data))


def print_rows(rows: list[list[str]]) -> None:
    """Tab-separated lines, one per row; cells are made single-line and tab-free."""
    write("".join("\t".join(one_line(cell) for cell in row) + "\n" for row in rows))
