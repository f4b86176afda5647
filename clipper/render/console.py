"""Consoles for data (stdout) and people (stderr), and text made safe for a terminal."""

from __future__ import annotations

import sys
from functools import cache

from rich.console import Console

from clipper.sanitize import inert, one_line

__all__ = ["err", "is_terminal", "message", "one_line", "out", "safe", "write"]


def safe(text: str | None) -> str:
    """Text from the outside world without escape sequences or control characters."""
    return inert(text)


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
