"""Machine-readable output: JSON from the same dicts the store keeps, and tab-separated lines."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any

import orjson

from clipper.render.console import one_line, write
from clipper.sanitize import json_inert

if TYPE_CHECKING:
    from clipper.search.searcher import Estimate


def json_text(data: Any) -> str:
    """Indented JSON; the C1 controls JSON allows raw are escaped, so a terminal never acts
    on them (the data reads back the same)."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    try:
        document = orjson.dumps(data, option=options).decode()
    except TypeError:
        # A file name that is not UTF-8 (a report naming it) reaches here as lone surrogates,
        # which JSON cannot hold: those are shown escaped (\\udce9).
        document = orjson.dumps(_escaped(data), option=options).decode()
    return json_inert(document) + "\n"


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


def total_text(total: int, estimate: Estimate | None = None) -> str:
    """A total as a person reads it: as counted, or an estimate said as one and rounded to
    what its range vouches for (103,819 within 100,100..107,500: "about 104,000")."""
    if estimate is None:
        return str(total)
    half = max((estimate.high - estimate.low) / 2, 1.0)
    step = 10 ** math.floor(math.log10(half))
    return f"about {max(step, round(total / step) * step):,}"


def total_json(total: int, estimate: Estimate | None = None) -> dict[str, Any]:
    """A total for a script (`--count --json`): exact, or the estimate with its 95% range."""
    if estimate is None:
        return {"total": total, "exact": True}
    return {"total": total, "exact": False, "low": estimate.low, "high": estimate.high}


def cut_notice(shown: int, total: int, offset: int = 0,
               estimate: Estimate | None = None) -> str | None:  # fmt: skip
    """What to tell when a page stops before the last match, or None when nothing was cut."""
    if offset + shown >= total:
        return None
    told = total_text(total, estimate)
    if offset:
        following = offset + shown
        return f"{offset + 1}–{following} of {told} shown (--offset {following} for more)"
    return f"{shown} of {told} shown (--limit 0 for all)"


def print_cut(shown: int, total: int, offset: int = 0,
              estimate: Estimate | None = None) -> None:  # fmt: skip
    """On stderr, for a pipe or JSON: results cut at their limit say so, never silently.

    Written without rich: output to a pipe never loads it."""
    notice = cut_notice(shown, total, offset, estimate)
    if notice is not None:
        sys.stderr.write(notice + "\n")
        sys.stderr.flush()
