"""The library at a glance: `clip` alone (the dashboard) and `clip stats` (bar charts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from clipper.render.console import is_terminal, one_line, out
from clipper.render.data import print_json, print_rows

if TYPE_CHECKING:
    from clipper.search.stats import Overview, Stats

MONTHS_DRAWN = 36  # more months than this are drawn per year (--json has every month)
BAR_WIDTH = 40
_EIGHTHS = " ▏▎▍▌▋▊▉"


def home_label(path: Path) -> str:
    """A folder as people write it: ~/... under the home folder."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):  # elsewhere, or no home folder
        return str(path)


def bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a character, at least a sliver for any count above 0."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()


# The dashboard ---------------------------------------------------------------------------


def print_dashboard(overview: Overview, home: Path | str) -> None:
    """How many clippings, the newest, the most used tags, and what to type next (`home`: the
    library folder, or a team library's URL)."""
    where = home_label(home) if isinstance(home, Path) else home
    if not is_terminal():
        rows = [["library", str(home)], ["clippings", str(overview.clippings)]]
        rows += [["newest", str(c.id), c.date, c.source or c.site or "", c.title]
                 for c in overview.newest]  # fmt: skip
        rows += [["tag", tag, str(n)] for tag, n in overview.tags]
        print_rows(rows)
        return
    console = out()
    if overview.clippings == 0:
        console.print(Text.assemble("No clippings yet in ", (where, "bold"), "."))
        console.print(Text.assemble(
            "Start with ", ("`clip add FILE|URL|TEXT -t TAG`", "cyan"), " or ",
            ("`clip import FILE`", "cyan"), "; ", ("`clip -h`", "cyan"), " lists every command.",
        ))  # fmt: skip
        return
    noun = "clipping" if overview.clippings == 1 else "clippings"
    head = Text.assemble(
        (f"{overview.clippings:,}", "bold"), f" {noun} in ", (where, "bold")
    )
    parts: list[Table | Text] = [head, Text(""), _newest_table(overview), Text("")]
    if overview.tags:
        tags = Text.assemble(("tags  ", "dim"))
        for number, (tag, n) in enumerate(overview.tags):
            tags.append(" · " if number else "", "dim")
            tags.append(one_line(tag), "magenta")
            tags.append(f" {n:,}", "dim")
        parts += [tags, Text("")]
    parts.append(_hint(overview))
    console.print(Group(*parts))


def _newest_table(overview: Overview) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=18, no_wrap=True, overflow="ellipsis")
    table.add_column("title")
    for c in overview.newest:
        title = Text.assemble(("★ ", "yellow")) if c.starred else Text("")
        title.append(one_line(c.title))
        title.no_wrap, title.overflow = True, "ellipsis"  # one line per clipping
        table.add_row(str(c.id), c.date, Text(one_line(c.source or c.site)), title)
    return table


def _hint(overview: Overview) -> Text:
    example_tag = overview.tags[0][0] if overview.tags else "TAG"
    newest = overview.newest[0].id if overview.newest else 1
    hints = [f"clip show {newest}", "clip search WORDS", f"clip export -t {example_tag} -o "
             "review.md", "clip -h"]  # fmt: skip
    text = Text.assemble(("next  ", "dim"))
    for number, hint in enumerate(hints):
        text.append(" · " if number else "", "dim")
        text.append(one_line(hint), "cyan")
    return text


# Statistics ------------------------------------------------------------------------------


def print_stats(stats: Stats, *, as_json: bool = False, query: str | None = None) -> None:
    """`clip stats`: JSON, tab-separated counts in a pipe, or bar charts on a terminal."""
    if as_json:
        print_json({"query": query, **stats.to_dict()})
        return
    if not is_terminal():
        print_rows(_stat_rows(stats))
        return
    console = out()
    if stats.clippings == 0:
        console.print(Text("No clippings match." if query else "No clippings yet.", "dim"))
        return
    noun = "clipping" if stats.clippings == 1 else "clippings"
    head = Text.assemble((f"{stats.clippings:,}", "bold"), f" {noun}")
    if stats.starred:
        head.append(f" · {stats.starred:,} starred")
    if stats.first and stats.last:
        head.append(f" · {stats.first} – {stats.last}" if stats.first != stats.last
                    else f" · {stats.first}")  # fmt: skip
    if query:
        head.append(f"  ({one_line(query)})", "dim")
    charts: list[Table | Text] = []
    if not stats.months or len(stats.months) > MONTHS_DRAWN:
        charts.append(_chart("per year", stats.years, label_width=4))
    else:
        charts.append(_chart("per month", stats.months, label_width=7))
        if stats.year_only:
            noun = "clipping is" if stats.year_only == 1 else "clippings are"
            charts.append(Text(f"{stats.year_only:,} {noun} dated by the year alone "
                               "and not drawn here", "dim"))  # fmt: skip
    lists = Table.grid(padding=(1, 4))
    lists.add_column()
    lists.add_column()
    lists.add_row(_ranking("sources", stats.sources), _ranking("tags", stats.tags, "magenta"))
    lists.add_row(_ranking("authors", stats.authors), _ranking("languages", stats.languages))
    console.print(Group(head, Text(""), *charts, Text(""), lists))


def _chart(title: str, counts: Sequence[tuple[str, int]], *, label_width: int) -> Table:
    largest = max((n for _, n in counts), default=0)
    table = Table.grid(padding=(0, 1))
    table.title, table.title_justify, table.title_style = title, "left", "bold"
    table.add_column(no_wrap=True, width=label_width)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for label, n in counts:
        table.add_row(label, Text(bar(n, largest), "cyan"), Text(f"{n:,}" if n else "", "dim"))
    return table


def _ranking(title: str, counts: Sequence[tuple[str, int]], style: str = "") -> Table:
    largest = max((n for _, n in counts), default=0)
    table = Table.grid(padding=(0, 1))
    table.title, table.title_justify, table.title_style = title, "left", "bold"
    table.add_column(no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column(no_wrap=True, width=10)
    table.add_column(justify="right", no_wrap=True)
    for name, n in counts:
        table.add_row(Text(one_line(name), style), Text(bar(n, largest, 10), "cyan"), f"{n:,}")
    if not counts:
        table.add_row(Text("none", "dim"), "", "")
    return table


def _stat_rows(stats: Stats) -> list[list[str]]:
    rows = [["clippings", str(stats.clippings)], ["starred", str(stats.starred)]]
    rows += [["first", stats.first or ""], ["last", stats.last or ""]]
    for kind, pairs in (("year", stats.years), ("month", stats.months), ("source", stats.sources),
                        ("tag", stats.tags), ("author", stats.authors),
                        ("language", stats.languages)):  # fmt: skip
        rows += [[kind, name, str(n)] for name, n in pairs]
    return rows
