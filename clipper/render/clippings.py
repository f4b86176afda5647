"""How clippings look on a terminal and in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clipper.model import Clipping
from clipper.render.console import (
    err,
    is_terminal,
    one_line,
    out,
    safe,
    stderr_is_terminal,
    write,
)

if TYPE_CHECKING:
    from rich.constrain import Constrain
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from clipper.formats.stories import Story
    from clipper.search.searcher import Estimate

# rich is imported inside the functions that draw: output to a pipe never loads it.
from clipper.render.data import cut_notice, print_cut, print_rows

# `clip show` is at most this wide, however wide the terminal: lines of text much longer than
# this are hard to read (typographers' measure is 60 to 100 characters).
MEASURE = 100
# In `clip list` the title comes first: it gets up to this many columns before the tags get
# more than their minimum (the tags then end in an ellipsis, on one line; `clip show` has all).
TITLE_ROOM, TAGS_MIN, TAGS_MAX, SOURCE_MAX = 72, 12, 28, 18
# Quoted passages stand out like a highlighter's marks, and still read without colour.
PASSAGE_STYLE = "bold black on yellow"


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
        write(f"{clipping.id}\n")
        return
    from rich.console import Group
    from rich.text import Text

    head = Text.assemble(("Added ", "green"), (f"{clipping.id}", "bold green"), "  ")
    head.append(one_line(clipping.title), "bold")
    if clipping.title_source == "generated":
        head.append(" (title generated)", "dim")
    indent = " " * (len(f"Added {clipping.id}") + 2)
    lines = [head, Text(indent + byline(clipping), "dim")]
    tag_line = Text(indent + "tags: " + one_line(", ".join(clipping.tags)))
    hint = Text.assemble(("suggested: ", "dim"), (one_line(", ".join(suggested)), "cyan"),
                         (f"  (clip tag {clipping.id} -t ...)", "dim"))  # fmt: skip
    if clipping.tags and suggested and tag_line.cell_len + 3 + hint.cell_len <= out().width:
        lines.append(tag_line + Text("   ") + hint)  # on one line when it fits
    else:
        lines += [tag_line] if clipping.tags else []
        lines += [Text(indent) + hint] if suggested else []
    out().print(Group(*lines))


def print_near_duplicates(clipping: Clipping, near: Sequence[tuple[int, str, float]]) -> None:
    """A warning on stderr for each earlier clipping telling the same story (id, title, share):
    one line each when stderr is not a terminal (a log, a script), without loading rich."""
    if not near:
        return
    plain = not stderr_is_terminal()
    for other_id, other_title, overlap in near:
        said = (
            f"clipping {clipping.id} tells the same story as clipping {other_id} "
            f"“{one_line(other_title)}” ({overlap:.0%} of the text shared); kept anyway."
        )
        if plain:
            sys.stderr.write(f"Warning: {said}\n")
            continue
        from rich.text import Text

        err().print(Text.assemble(("Warning: ", "yellow"), said))
    sys.stderr.flush()


def print_list(
    clippings: Sequence[Clipping],
    *,
    title: str | None = None,
    to_stderr: bool = False,
    pager: bool = True,
    total: int | None = None,
    stories: Sequence[Story] | None = None,
    estimate: Estimate | None = None,
) -> None:
    """A table on a terminal, in the pager when taller than the screen (as `clip show`);
    tab-separated id, date, source, title, tags when piped (and, with `stories`, the ids of
    each story's other copies).

    `to_stderr` shows the table to the person (a preview before a question), never as data.
    """
    copies = copies_of(stories)
    if to_stderr:
        if err().is_terminal and clippings:
            err().print(_table(clippings, title, err().width))
        return
    shown = len(clippings)
    total = shown if total is None else total
    if not is_terminal():
        print_rows([_row(c) + also_in_cell(c, copies) for c in clippings])
        print_cut(shown, total, estimate=estimate)
        return
    if not clippings:
        err().print("No clippings.", style="dim")
        return
    from clipper.render.pager import print_paged

    # Each clipping is a row at least, under a header of three lines (and the title's).
    table = _table(clippings, title, out().width, copies)
    print_paged(table, pager=pager, min_lines=len(clippings) + 3)
    if stories is not None:
        held = sum(len(story.clippings) for story in stories)
        noun = "story" if len(stories) == 1 else "stories"
        line = f"{len(stories)} {noun} · {held} clippings"
        err().print(cut_notice(shown, total) or line, style="dim")
        return
    noun = "clipping" if total == 1 else "clippings"
    footer = cut_notice(shown, total, estimate=estimate) or f"{shown} {noun}"
    err().print(footer, style="dim")


def copies_of(stories: Sequence[Story] | None) -> dict[int, Story] | None:
    """The stories with other copies, by the id of the clipping that leads them; None when
    the clippings are not folded into stories."""
    if stories is None:
        return None
    return {s.lead.id: s for s in stories if s.copies}


def also_in_line(story: Story) -> str:
    """'also in APA, Trend (2): #4 #5 #7', for a story's row."""
    ids = " ".join(f"#{c.id}" for c in story.copies)
    return one_line(f"also in {story.also_in()}: {ids}")


def also_in_cell(clipping: Clipping, copies: Mapping[int, Story] | None) -> list[str]:
    """The piped column of --stories: the other copies' ids; no column without --stories."""
    if copies is None:
        return []
    story = copies.get(clipping.id)
    return [" ".join(str(c.id) for c in story.copies) if story else ""]


def with_copies(record: dict[str, Any], copies: Mapping[int, Story] | None) -> dict[str, Any]:
    """A clipping's JSON; with --stories, the ids of its story's other copies too."""
    if copies is None:
        return record
    story = copies.get(record["id"])
    return {**record, "copies": [c.id for c in story.copies] if story else []}


def _table(
    clippings: Sequence[Clipping], title: str | None, width: int,
    copies: Mapping[int, Story] | None = None,
) -> Table:  # fmt: skip
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, title=title, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", max_width=SOURCE_MAX, no_wrap=True, overflow="ellipsis")
    table.add_column("title", ratio=1, overflow="fold")
    tags_width = _tags_width(clippings, width)
    table.add_column("tags", style="magenta", max_width=tags_width, no_wrap=True,
                     overflow="ellipsis")  # fmt: skip
    for c in clippings:
        star = Text.assemble(("★ ", "yellow")) if c.starred else Text("")
        headline = star + Text(one_line(c.title))
        if copies and c.id in copies:
            headline.append("\n" + also_in_line(copies[c.id]), "dim")
        table.add_row(
            str(c.id),
            c.date,
            Text(one_line(c.source or c.site)),
            headline,
            Text(one_line(" ".join(c.tags))),
        )
    return table


def _tags_width(clippings: Sequence[Clipping], width: int) -> int:
    """The tags' share of a `width`-column table: what the title leaves, within bounds."""
    from rich.cells import cell_len

    def widest(cells: list[str], header: str, most: int = 10_000) -> int:
        return min(most, max([cell_len(header), *(cell_len(cell) for cell in cells)]))

    cells = (
        widest([str(c.id) for c in clippings], "#")
        + widest([c.date for c in clippings], "date")
        + widest([one_line(c.source or c.site) for c in clippings], "source", SOURCE_MAX)
    )
    fixed = cells + 3 * 4 + 2  # a space each side of the four column rules, and the two edges
    title = widest([one_line(c.title) + "★ " * c.starred for c in clippings], "title", TITLE_ROOM)
    return max(TAGS_MIN, min(TAGS_MAX, width - fixed - title))


def _row(c: Clipping) -> list[str]:
    return [str(c.id), c.date, c.source or c.site or "", c.title, ",".join(c.tags)]


def metadata_panel(clipping: Clipping, near: Mapping[int, Clipping] | None = None) -> Panel:
    """The header of `clip show`: title, outlet, date, authors, link, tags, note, and the
    clippings telling the same story (`near`: those of them still in the library, by id)."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

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
        # Who added it: only a team library's clippings say (clipper/team/rows.py).
        ("added by", one_line(getattr(clipping, "added_by", None))),
        ("snapshot", one_line(clipping.snapshot)),
    ]
    # How each field was found, dimmed after its value: the user judges what capture guessed.
    origins = clipping.provenance
    field_of = {"outlet": "source", "published": "published", "authors": "authors",
                "language": "language"}  # fmt: skip
    for name, value in fields:
        if value:
            origin = origins.get(field_of.get(name, ""))
            shown = Text(value)
            if origin:
                shown.append(f"  ({origin})", style="dim")
            grid.add_row(name, shown)
    if clipping.note:
        grid.add_row("note", Text(safe(clipping.note), style="italic"))
    if clipping.near_duplicates:
        grid.add_row("same story", _near_lines(clipping.near_duplicates, near or {}))
    if clipping.passages:
        count = len(clipping.passages)
        grid.add_row("passages", Text(f"{count} quoted, highlighted below", style=PASSAGE_STYLE))
    # The headline inside the panel rather than on its border, where a long one would be cut.
    title = Text(one_line(clipping.title), style="bold")
    if clipping.starred:
        title = Text.assemble(("★ ", "yellow")) + title
    if clipping.title_source == "generated":
        title.append(" (title generated)", style="dim")
    elif origins.get("title") not in (None, "given"):
        title.append(f" (title from the {origins['title']})", style="dim")
    return Panel(Group(title, Text(""), grid), title=f"#{clipping.id}", title_align="left",
                 box=box.ROUNDED, expand=True)  # fmt: skip


def _near_lines(ids: Sequence[int], near: Mapping[int, Clipping]) -> Text:
    """One line per near duplicate: its id, outlet and date, title; only the id once deleted."""
    from rich.text import Text

    lines = Text(no_wrap=True, overflow="ellipsis")
    for number, other_id in enumerate(ids):
        if number:
            lines.append("\n")
        lines.append(f"#{other_id}", "cyan")
        other = near.get(other_id)
        if other is None:
            lines.append("  no longer in the library", "dim")
            continue
        where = " · ".join(one_line(p) for p in (other.source or other.site, other.date) if p)
        lines.append(f"  {where}", "dim")
        lines.append(f"  {one_line(other.title)}")
    return lines


def show_body(clipping: Clipping, text: Text, near: Mapping[int, Clipping] | None) -> Constrain:
    """A clipping as `clip show` prints it: the panel, then the text, at most MEASURE wide."""
    from rich.console import Group
    from rich.constrain import Constrain
    from rich.text import Text

    return Constrain(Group(metadata_panel(clipping, near), text + Text("\n")), MEASURE)


def print_clippings(
    clippings: Sequence[Clipping],
    *,
    pager: bool = True,
    near: Mapping[int, Clipping] | None = None,
) -> None:
    """Clippings in full; in a pager on a terminal when they do not fit on the screen."""
    if not is_terminal():
        parts = [_plain(c) for c in clippings]
        write("\n\n".join(parts) + "\n")
        return
    from rich.console import Group

    from clipper.render.pager import print_paged

    print_paged(Group(*(show_body(c, quoted_text(c), near) for c in clippings)), pager=pager)


def quoted_text(clipping: Clipping) -> Text:
    """The clipping's text with the passages the user quoted highlighted."""
    from rich.text import Text

    from clipper.passages import spans

    text = safe(clipping.text)
    marked = Text(text)
    for start, end in spans(text, clipping.passages):
        marked.stylize(PASSAGE_STYLE, start, end)
    return marked


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
            ("provenance", ", ".join(f"{k}={v}" for k, v in c.provenance.items())),
        ) if value),
        f"captured: {c.captured}",
        *(f"added by: {one_line(by)}" for by in [getattr(c, "added_by", None)] if by),
        *(f"passage {n}: {one_line(p)}" for n, p in enumerate(c.passages, start=1)),
    ]  # fmt: skip
    return "\n".join(header) + "\n\n" + safe(c.text)


def print_raw(clippings: Sequence[Clipping]) -> None:
    """The text alone, for piping into other tools."""
    write("\n\n".join(safe(c.text) for c in clippings) + "\n")


def print_tag_counts(counts: dict[str, int]) -> None:
    if not is_terminal():
        print_rows([[tag, str(n)] for tag, n in counts.items()])
        return
    if not counts:
        err().print("No tags yet. Add some with `clip tag ID -t TAG`.", style="dim")
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("tag", style="magenta")
    table.add_column("clippings", justify="right")
    for tag, count in counts.items():
        table.add_row(Text(one_line(tag)), str(count))
    out().print(table)
