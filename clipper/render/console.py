"""Consoles for data (stdout) and people (stderr), and text made safe for a terminal."""

from __future__ import annotations

import re
import sys
from functools import cache

from rich.console import Console

# C0 and C1 control characters except tab and newline, and DEL: never sent to a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def safe(text: str | None) -> str:
    """Text from the outside world without escape sequences or control characters."""
    if not text:
        return ""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str | None) -> str:
    """Safe text on one line, for table cells and tab-separated output."""
    return " ".join(safe(text).split())


@cache
def out() -> Console:
    """The console for results (stdout)."""
    return Console(soft_wrap=False, highlight=False, emoji=False)


@cache
def err() -> Console:
    """The console for messages and progress (stderr)."""
    return Console(stderr=True, highlight=False, emoji=False)


def is_terminal() -> bool:
    """Whether results go to a terminal (tables) or to a pipe (plain lines)."""
    return out().is_terminal


def write(text: str) -> None:
    """Plain text to stdout, exactly as given (for piped and JSON output)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def message(text: str) -> None:
    """A plain message for people, on stderr; what it quotes cannot reach the terminal raw."""
    err().print(safe(text), markup=False, highlight=False, soft_wrap=True)
