"""Consoles for data (stdout) and people (stderr), and text made safe for a terminal."""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import TYPE_CHECKING

from clipper import sanitize
from clipper.sanitize import inert

if TYPE_CHECKING:
    from rich.console import Console

# Bidirectional embeddings, overrides and isolates: in a terminal that lays out right-to-left
# text itself, one left open in a title would reorder the rest of its table row. Marks (LRM,
# RLM) only affect their neighbours and stay.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

__all__ = [
    "configure", "err", "is_terminal", "message", "one_line", "out", "pager_command", "safe",
    "stderr_is_terminal", "write",
]  # fmt: skip

DEFAULT_PAGER = "less -FRX"
# Set by the command line from the settings (`configure`); rich alone decides with "auto".
_settings = {"color": "auto", "pager": DEFAULT_PAGER}


def configure(*, color: str = "auto", pager: str = DEFAULT_PAGER) -> None:
    """Colour (auto, always: even in a pipe, never) and pager command for what is printed next."""
    _settings.update(color=color, pager=pager)
    out.cache_clear()
    err.cache_clear()


def pager_command() -> str:
    return _settings["pager"]


def _console(*, stderr: bool, soft_wrap: bool) -> Console:
    # Imported here: rich costs about 20 ms, and piped output (below) never needs it.
    from rich.console import Console

    color = _settings["color"]
    return Console(
        stderr=stderr,
        soft_wrap=soft_wrap,
        highlight=False,
        emoji=False,
        # "never" keeps tables and bold on a terminal; "always" renders results as on a
        # terminal even in a pipe (`clip list | less -R`), but never draws progress bars into
        # a redirected stderr; "auto" lets rich follow the terminal and NO_COLOR, FORCE_COLOR
        # and TTY_COMPATIBLE.
        no_color=True if color == "never" else None,
        force_terminal=True if color == "always" and not stderr else None,
    )


def safe(text: str | None) -> str:
    """Text from the outside world without escape sequences or control characters."""
    return inert(text)


def one_line(text: str | None) -> str:
    """Inert text on one line (a table cell, a heading), free of bidirectional controls."""
    return sanitize.one_line(text).translate(_BIDI_CONTROLS)


@cache
def out() -> Console:
    """The console for results (stdout)."""
    return _console(stderr=False, soft_wrap=False)


@cache
def err() -> Console:
    """The console for messages and progress (stderr)."""
    return _console(stderr=True, soft_wrap=False)


def is_terminal() -> bool:
    """Whether results go to a terminal (tables) or to a pipe (plain lines)."""
    if not _may_be_forced() and not _isatty(sys.stdout):
        return False  # a pipe, and nothing asks for a terminal: decided without loading rich
    return out().is_terminal


def stderr_is_terminal() -> bool:
    """Whether messages and progress go to a terminal (decided without rich for a pipe)."""
    if not _may_be_forced() and not _isatty(sys.stderr):
        return False
    return err().is_terminal


def _may_be_forced() -> bool:
    """Whether settings or the environment may make rich treat a pipe as a terminal."""
    return _settings["color"] == "always" or any(
        os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    )


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def write(text: str) -> None:
    """Plain text to stdout, exactly as given (for piped and JSON output)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def message(text: str) -> None:
    """A plain message for people, on stderr; what it quotes cannot reach the terminal raw.

    Written without rich: unstyled and unwrapped, rich would print the same characters (tabs
    expanded), and loading it is most of what a `clip tag` costs beyond its own work."""
    sys.stderr.write(safe(text).expandtabs(8) + "\n")
    sys.stderr.flush()
