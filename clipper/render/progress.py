"""Progress bars for long commands: on a terminal only, never in a pipe or with --quiet."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from clipper.render.console import err, stderr_is_terminal

MIN_ITEMS = 200  # below this a bar would only flicker


@contextlib.contextmanager
def progress(
    total: int, description: str, *, quiet: bool = False, min_items: int = MIN_ITEMS
) -> Iterator[Callable[[], None]]:
    """Yield an `advance()` callback; it draws a bar on stderr when that is a terminal. Work
    whose every item is slow (a page to fetch or to extract) sets a lower `min_items`."""
    if quiet or total < min_items or not stderr_is_terminal():
        yield lambda: None
        return
    console = err()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


@contextlib.contextmanager
def working(total: int, description: str, *, quiet: bool = False) -> Iterator[None]:
    """A spinner on stderr while work that cannot count its steps runs on `total` items."""
    if quiet or total < MIN_ITEMS or not stderr_is_terminal():
        yield
        return
    console = err()
    with console.status(f"{description} ({total:,} clippings)…"):
        yield
