"""Long output in the user's pager (the `pager` setting), when it does not fit on the screen."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator

from rich.console import RenderableType
from rich.pager import Pager

from clipper.render.console import out, pager_command


class CommandPager(Pager):
    """Runs a pager command (`less -FRX`, `more`, `bat -p`) on the rendered text."""

    def __init__(self, command: str) -> None:
        self.command = command

    def show(self, content: str) -> None:
        argv = shlex.split(self.command)
        if not argv or argv[0] == "cat":
            _write(content)
            return
        env = dict(os.environ)
        # As git does: less quits on one screen, keeps colours and leaves the text on screen,
        # unless the user set LESS (or LV, for lv) to something else.
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        with _interrupts_ignored():  # Ctrl-C belongs to the pager while it runs
            try:
                subprocess.run(argv, input=content.encode("utf-8"), env=env, check=False)
            except OSError:
                _write(content)  # no such pager: the text is still wanted


def print_paged(body: RenderableType, *, pager: bool = True, min_lines: int = 0) -> None:
    """Print to stdout; through the pager on a terminal when taller than the screen.

    `min_lines`: lines the body takes at least (a table's rows); when that is already taller
    than the screen, the body is not rendered a first time just to measure it.
    """
    console = out()
    if pager and console.is_terminal:
        if min_lines > console.height:
            height = min_lines
        else:
            height = len(console.render_lines(body, console.options, pad=False))
        if height > console.height:
            with console.pager(CommandPager(pager_command()), styles=not console.no_color):
                console.print(body)
            return
    console.print(body)


def _write(content: str) -> None:
    sys.stdout.write(content)
    sys.stdout.flush()


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
