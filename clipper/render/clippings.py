"""How clippings look on a terminal and in a pipe."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from clipper.model import Clipping
from clipper.render.console import err, is_terminal, one_line, out, safe
from clipper.render.data import print_rows

PAGER_THRESHOLD_LINES = 0  # 0: page when the text is taller than the terminal


def byline(clipping: Clipping) -> str:
    """Outlet · date · language · words · reading time, skipping what is unknown."""
    parts = [
        clipping.source or clipping.site or "",
        clipping.date,
        clipping.language or "",
        f"{clipping.word_count} words",
        f"{clipping.reading_minutes} min",
    ]
    return " · ".join(one_line(part) for part in parts if part)


def print_added(clipping: Clipping, suggested: Sequence[str] = ()) -> None:
    """The summary after `clip add`: on a terminal a few lines, in a pipe the id alone."""
    if not is_terminal():
        out().file.write(f"{clipping.id}\n")
        return
    head = Text.assemble(("Added ", "green"), (f"{clipping.id}", "bold green"), "  ")
    head.append(one_line(clipping.title), "bold")
    if clipping.title_source == "generated":
        head.append(" (title generated)", "dim")
    indent = " " * (len(f"Added {clipping.id}") + 2)
    lines = [head, Text(indent + byline(clipping), "dim")]
    if clipping.tags or suggested:
        tag_line = Text(indent)
        if clipping.tags:
            tag_line.append("tags: " + one_line(", ".join(clipping.tags)))
        if suggested:
            tag_line.append(("   " if clipping.tags else "") + "suggested: ", "dim")
            tag_line.append(one_line(", ".join(suggested)), "cyan")
            tag_line.append(f"  (clip tag {clipping.id} -t ...)", "dim")
        lines.append(tag_line)
    out().print(Group(*lines))


def print_near_duplicates(clipping: Clipping, near: Sequence[tuple[int, str, float]]) -> None:
    """A warning on stderr for each earlier clipping telling the same story (id, title, share)."""
    for other_id, other_title, overlap in near:
        err().print(
            Text.assemble(
                ("Warning: ", "yellow"),
                f"clipping {clipping.id} tells the same story as clipping {other_id} "
                f"“{one_line(other_title)}” ({overlap:.0%} of the text shared); kept anyway.",
            )
        )


def print_list(
    clippings: Sequence[Clipping], *, title: str | None = None, to_stderr: bool = False
) -> None:
    """A table on a terminal; tab-separated id, date, source, title, tags when piped.

    `to_stderr` shows the table to the person (a preview before a question), never as data.
    """
    if to_stderr:
        if err().is_terminal and clippings:
            err().print(_table(clippings, title))
        return
    if not is_terminal():
        print_rows([_row(c) for c in clippings])
        return
    if not clippings:
        err().print("No clippings.", style="dim")
        return
    out().print(_table(clippings, title))
    noun = "clipping" if len(clippings) == 1 else "clippings"
    err().print(f"{len(clippings)} {noun}", style="dim")


def _table(clippings: Sequence[Clipping], title: str | None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=18, no_wrap=True, overflow="ellipsis")
    table.add_column("title", ratio=1, overflow="fold")
    table.add_column("tags", style="magenta", max_width=28, overflow="fold")
    for c in clippings:
        star = Text("★ ", "yellow") if c.starred else Text("")
        table.add_row(
            str(c.id),
            c.date,
            Text(one_line(c.source or c.site)),
            star + Text(one_line(c.title)),
            Text(one_line(" ".join(c.tags))),
        )
    return table


def _row(c: Clipping) -> list[str]:
    return [str(c.id), c.date, c.source or c.site or "", c.title, ",".join(c.tags)]


def metadata_panel(clipping: Clipping) -> Panel:
    """The header of `clip show`: title, outlet, date, authors, link, tags, note."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    fields: list[tuple[str, str]] = [
        ("outlet", one_line(clipping.source or clipping.site)),
        ("published", one_line(clipping.published)),
        ("authors", one_line(", ".join(clipping.authors))),
        ("url", one_line(clipping.url)),
        ("tags", one_line(" ".join(clipping.tags))),
        ("language", one_line(clipping.language)),
        ("length", f"{clipping.word_count} words · {clipping.reading_minutes} min"),
        ("captured", clipping.captured),
        ("same story", " ".join(f"#{i}" for i in clipping.near_duplicates)),
        ("snapshot", one_line(clipping.snapshot)),
    ]
    for name, value in fields:
        if value:
            grid.add_row(name, Text(value))
    if clipping.note:
        grid.add_row("note", Text(safe(clipping.note), style="italic"))
    title = Text(one_line(clipping.title), style="bold")
    if clipping.starred:
        title = Text("★ ", "yellow") + title
    if clipping.title_source == "generated":
        title.append(" (title generated)", style="dim")
    return Panel(grid, title=title, title_align="left", subtitle=f"#{clipping.id}",
                 subtitle_align="right", box=box.ROUNDED, expand=True)  # fmt: skip


def print_clippings(clippings: Sequence[Clipping], *, pager: bool = True) -> None:
    """Clippings in full; in a pager on a terminal when they do not fit on the screen."""
    if not is_terminal():
        parts = [_plain(c) for c in clippings]
        out().file.write("\n\n".join(parts) + "\n")
        return
    console = out()
    renderables: list[Panel | Text] = []
    for clipping in clippings:
        renderables += [metadata_panel(clipping), Text(safe(clipping.text) + "\n")]
    body = Group(*renderables)
    lines = sum(len(c.text) // max(console.width, 20) + c.text.count("\n") + 12 for c in clippings)
    if pager and lines > console.height:
        os.environ.setdefault("LESS", "-FRX")  # quit if one screen, keep colours, no clear
        with console.pager(styles=True):
            console.print(body)
    else:
        console.print(body)


def _plain(c: Clipping) -> str:
    header = [
        f"# {one_line(c.title)}",
        f"id: {c.id}",
        *(f"{name}: {one_line(value)}" for name, value in (
            ("source", c.source), ("published", c.published), ("url", c.url),
            ("authors", ", ".join(c.authors)), ("tags", ", ".join(c.tags)),
            ("language", c.language), ("note", c.note),
            ("same story", " ".join(f"#{i}" for i in c.near_duplicates)),
            ("snapshot", c.snapshot),
        ) if value),
        f"captured: {c.captured}",
    ]  # fmt: skip
    return "\n".join(header) + "\n\n" + safe(c.text)


def print_raw(clippings: Sequence[Clipping]) -> None:
    """The text alone, for piping into other tools."""
    out().file.write("\n\n".join(safe(c.text) for c in clippings) + "\n")


def print_tag_counts(counts: dict[str, int]) -> None:
    if not is_terminal():
        print_rows([[tag, str(n)] for tag, n in counts.items()])
        return
    if not counts:
        err().print("No tags yet. Add some with `clip tag ID -t TAG`.", style="dim")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("tag", style="magenta")
    table.add_column("clippings", justify="right")
    for tag, count in counts.items():
        table.add_row(Text(one_line(tag)), str(count))
    out().print(table)
