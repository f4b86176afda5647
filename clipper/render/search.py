"""How search results, related clippings and highlighted text look, and the indexing bar."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from clipper.render.clippings import also_in_cell, also_in_line, copies_of, with_copies
from clipper.render.console import err, is_terminal, one_line, out, safe, stderr_is_terminal
from clipper.render.data import print_cut, print_json, print_rows, total_text

if TYPE_CHECKING:
    from rich.progress import TaskID
    from rich.table import Table
    from rich.text import Text

    from clipper.formats.stories import Story
    from clipper.model import Clipping
    from clipper.search.highlight import Marked
    from clipper.search.searcher import Estimate, Hit

# rich's tables, panels and texts are imported where a terminal needs them: in a pipe, a
# search prints plain lines and should not pay for loading them.

HIGHLIGHT = "bold yellow"
MIN_PROGRESS_ITEMS = 200  # below this a bar would only flicker


def marked_text(marked: Marked, *, line: bool = False) -> Text:
    """Rich text with the highlighted pieces styled; `line` keeps it on one line."""
    from rich.text import Text

    text = Text()
    for piece, lit in marked.pieces:
        clean = one_line(piece) if line else safe(piece)
        if line and piece[:1].isspace():
            clean = " " + clean
        if line and piece[-1:].isspace() and clean:
            clean += " "
        text.append(clean, HIGHLIGHT if lit else "")
    return text


def print_hits(
    hits: Sequence[Hit], *, total: int, offset: int = 0, elapsed_ms: float | None = None,
    as_json: bool = False, pages: bool = True, stories: Sequence[Story] | None = None,
    scores: bool = False, estimate: Estimate | None = None,
) -> None:  # fmt: skip
    """Search results: a table on a terminal, tab-separated lines in a pipe, or JSON; `pages`
    when the command has --offset for the next page. With `stories` (--stories), each hit
    leads its story, whose other copies it names; `scores` shows each hit's score (after the
    id in a pipe); `estimate`: the total was estimated, and is said as such."""
    copies = copies_of(stories)
    if as_json:
        print_json([with_copies(hit.to_dict(), copies) for hit in hits])
        print_cut(len(hits), total, offset, estimate)
        return
    if not is_terminal():
        rows = [_row(hit) + also_in_cell(hit.clipping, copies) for hit in hits]
        if scores:
            rows = [[row[0], _score(hit), *row[1:]] for row, hit in zip(rows, hits, strict=True)]
        print_rows(rows)
        print_cut(len(hits), total, offset, estimate)
        return
    if not hits:
        err().print("No clippings match.", style="dim")
        return
    out().print(_table(hits, scores, copies))
    full = sum(1 for hit in hits if not hit.partial)
    if full < len(hits):  # a page filled with partial matches: say how many have all words
        noun = "clipping has" if total == 1 else "clippings have"
        told = total_text(total, estimate)
        footer = f"{told} {noun} all the words · {len(hits) - full} partial"
        if elapsed_ms is not None:
            footer += f" · {elapsed_ms:.0f} ms"
    else:
        footer = _footer(full, total, offset, elapsed_ms, pages, estimate)
    err().print(footer, style="dim")


def _table(hits: Sequence[Hit], scores: bool, copies: dict[int, Story] | None) -> Table:
    """The hits as a rich table, partial matches below a line."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    if scores:
        table.add_column("score", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=18, no_wrap=True, overflow="ellipsis")
    table.add_column("title", ratio=1, overflow="fold")
    partial_line = False
    for hit in hits:
        clipping = hit.clipping
        if hit.partial and not partial_line:  # the clippings below have only some words
            if table.row_count:
                table.add_section()
            blank = ["", "", "", ""] if scores else ["", "", ""]
            table.add_row(*blank, Text("partial matches", style="dim italic"))
            table.add_section()
            partial_line = True
        cell = Text()
        if clipping.starred:
            cell.append("★ ", "yellow")
        cell.append_text(marked_text(hit.title, line=True))
        cell.stylize("bold")
        if hit.snippet.pieces:
            cell.append("\n")
            cell.append_text(marked_text(hit.snippet, line=True))
        if copies and clipping.id in copies:
            cell.append("\n" + also_in_line(copies[clipping.id]), "dim")
        source = Text(one_line(clipping.source or clipping.site))
        first = [str(clipping.id), _score(hit)] if scores else [str(clipping.id)]
        table.add_row(*first, clipping.date, source, cell)
    return table


def _footer(shown: int, total: int, offset: int, elapsed_ms: float | None, pages: bool,
            estimate: Estimate | None = None) -> str:  # fmt: skip
    noun = "clipping" if total == 1 and estimate is None else "clippings"
    told = total_text(total, estimate)
    text = f"{offset + 1}–{offset + shown} of {told} {noun}" if shown < total else f"{told} {noun}"
    if elapsed_ms is not None:
        text += f" · {elapsed_ms:.0f} ms"
    if offset + shown < total:
        more = f"more with --offset {offset + shown}, " if pages else ""
        text += f" · {more}all with --limit 0"
    return text


def _score(hit: Hit) -> str:
    return "" if hit.score is None else f"{hit.score:.2f}"


def _row(hit: Hit) -> list[str]:
    c = hit.clipping
    return [str(c.id), c.date, c.source or c.site or "", c.title, hit.snippet.plain]


def print_highlighted(
    items: Sequence[tuple[Clipping, Marked, Marked]],
    *,
    pager: bool = True,
    near: Mapping[int, Clipping] | None = None,
) -> None:
    """Clippings in full with a query's words highlighted in the title and the text."""
    from rich.console import Group

    from clipper.render.clippings import show_body
    from clipper.render.pager import print_paged

    body = Group(*(show_body(clipping, marked_text(text), near) for clipping, _, text in items))
    print_paged(body, pager=pager)


@contextlib.contextmanager
def index_progress(
    description: str = "Indexing", *, quiet: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback drawing a bar on stderr once there is enough to index."""
    if quiet or not stderr_is_terminal():
        yield lambda done, total: None
        return
    console = err()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    tasks: list[TaskID] = []

    def update(done: int, total: int) -> None:
        if total < MIN_PROGRESS_ITEMS:
            return
        if not tasks:
            bar.start()
            tasks.append(bar.add_task(description, total=total))
        bar.update(tasks[0], completed=done, total=total)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()
