"""`clip config`: the settings in effect and where each comes from."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from clipper.render.console import err, is_terminal, one_line, out
from clipper.render.data import print_json, print_rows


def shown(value: Any) -> str:
    """A setting's value as text: tags joined by commas, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def print_settings(
    rows: list[tuple[str, Any, str, str]], *, path: str, exists: bool, as_json: bool = False
) -> None:
    """Rows of (name, value, origin, help): JSON, tab-separated lines, or a table."""
    if as_json:
        print_json({
            "file": path,
            "file_exists": exists,
            "settings": {name: {"value": list(value) if isinstance(value, tuple) else value,
                                "origin": origin} for name, value, origin, _ in rows},
        })  # fmt: skip
        return
    if not is_terminal():
        print_rows([[name, shown(value), origin] for name, value, origin, _ in rows])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("setting", style="cyan", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("from", style="dim", no_wrap=True)
    table.add_column("what it does", style="dim", overflow="fold")
    for name, value, origin, what in rows:
        table.add_row(name, Text(one_line(shown(value))), origin, what)
    out().print(table)
    if exists:
        err().print(Text.assemble(("config file: ", "dim"), one_line(path)))
    else:
        err().print(Text.assemble(
            ("No config file yet: ", "dim"), one_line(path),
            (" (`clip config edit` makes one).", "dim"),
        ))  # fmt: skip
