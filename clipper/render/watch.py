"""`clip watch`: the watches, one watch, a run's summary and progress, a test's preview."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from clipper.render.console import err, is_terminal, message, one_line, out, stderr_is_terminal
from clipper.render.data import print_rows

if TYPE_CHECKING:
    from clipper.watch.fetching import FeedAnswer
    from clipper.watch.preview import Preview
    from clipper.watch.run import RunReport, WatchReport
    from clipper.watch.watches import Watch


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_watches(watches: list[Watch]) -> None:
    if not is_terminal():
        print_rows([[w.name, w.query, str(len(w.feeds)), ",".join(w.tags)] for w in watches])
        return
    if not watches:
        message("No watch yet. Save one with `clip watch add NAME QUERY --feed URL`.")
        return
    table = Table(box=box.SIMPLE_HEAD, title="Watches")
    for column in ("name", "query", "feeds", "tags"):
        table.add_column(column, justify="right" if column == "feeds" else "left")
    for w in watches:
        table.add_row(Text(one_line(w.name)), Text(one_line(w.query)), str(len(w.feeds)),
                      Text(one_line(", ".join(w.tags))))  # fmt: skip
    out().print(table)


def print_watch(watch: Watch) -> None:
    rows = [
        ("name", watch.name),
        ("query", watch.query),
        ("tags", ", ".join(watch.clipping_tags)),
        ("pages", "fetched to decide and keep the article" if watch.full_text
         else "not fetched: title and summary only"),
        ("created", watch.created),
        *(("feed", url) for url in watch.feeds),
    ]  # fmt: skip
    if not is_terminal():
        print_rows([[key, value] for key, value in rows])
        return
    table = Table(box=None, show_header=False, title=f"Watch {one_line(watch.name)}")
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, Text(one_line(value)))
    out().print(table)


@contextlib.contextmanager
def feed_progress(total: int, *, quiet: bool) -> Iterator[Callable[[FeedAnswer], None]]:
    """A status line on a terminal while the feeds are fetched; nothing in a pipe."""
    if quiet or not stderr_is_terminal():
        yield lambda answer: None
        return
    done = 0
    with err().status(f"Fetching {_plural(total, 'feed')}…") as status:

        def advance(answer: FeedAnswer) -> None:
            nonlocal done
            done += 1
            then = "; judging and capturing" if done == total else ""
            status.update(f"Fetched {done} of {_plural(total, 'feed')}{then}…")

        yield advance


def watch_line(report: WatchReport) -> str:
    """caucasus: 3 new from 2 feeds, 1 feed failed"""
    line = f"{report.name}: {len(report.added)} new from {_plural(len(report.feeds), 'feed')}"
    if report.already_kept:
        line += f" ({report.already_kept} already kept)"
    if report.failed:
        line += f", {_plural(len(report.failed), 'feed')} failed"
    return line


def print_run(report: RunReport, *, quiet: bool) -> None:
    """Warnings (always), then one summary line per watch (unless quiet), on stderr."""
    for warning in report.warnings:
        message(f"Warning: {warning}")
    if not quiet:
        for watch_report in report.watches:
            message(watch_line(watch_report))


def print_preview(result: Preview) -> None:
    kept, items = result.kept, result.items
    for url, error in result.failed.items():
        message(f"Warning: feed {url} {error}")
    if not is_terminal():
        rows = [["kept", str(c.id), c.date, c.source or "", c.title] for c in kept]
        rows += [["feed", "match" if v else "full text decides", item.draft.published or "",
                  item.feed, item.draft.title] for item, v in items]  # fmt: skip
        print_rows(rows)
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"Watch {one_line(result.watch.name)}: clippings kept")
    for column in ("id", "date", "source", "title"):
        table.add_column(column)
    for c in kept:
        table.add_row(str(c.id), c.date, Text(one_line(c.source or "")), Text(one_line(c.title)))
    out().print(table if kept else Text("No clipping kept matches."))
    if result.looked_at or result.failed:
        feed_table = Table(box=box.SIMPLE_HEAD, title="In the feeds now")
        for column in ("verdict", "published", "title", "link"):
            feed_table.add_column(column)
        for item, verdict in items:
            feed_table.add_row("match" if verdict else "full text decides",
                               (item.draft.published or "")[:10], Text(one_line(item.draft.title)),
                               Text(one_line(item.link or "(no link)")))  # fmt: skip
        out().print(feed_table)
        message(f"{_plural(len(items), 'item')} of {result.looked_at} in the feeds would be "
                "considered; nothing was written.")  # fmt: skip
