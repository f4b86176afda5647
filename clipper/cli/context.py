"""What commands share: the library option, opening the library, reading ids."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from clipper.library import Library

LibraryOption = Annotated[
    str | None,
    typer.Option(
        "--library",
        "-L",
        metavar="PATH",
        help="Library folder to use (default: $CLIPPER_HOME, else your user data folder).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON: the same fields the library stores.")
]
IdsArgument = Annotated[list[int], typer.Argument(metavar="ID...", help="Clipping ids.")]


def open_library(ctx: typer.Context, library: str | None) -> Library:
    """The library chosen by this command's --library, the root --library, or the environment."""
    from clipper.library import Library
    from clipper.paths import resolve_home

    root = ctx.find_root().obj or {}
    chosen = library or root.get("library")
    paths = resolve_home(chosen, dict(os.environ))
    return Library(
        paths,
        lock_timeout=_lock_timeout(os.environ.get("CLIPPER_LOCK_TIMEOUT")),
        keep_backups=_backup_count(os.environ.get("CLIPPER_BACKUPS")),
    )


def _backup_count(value: str | None) -> int:
    """How many automatic backups to keep ($CLIPPER_BACKUPS, default 10; 0 turns them off)."""
    from clipper.backups import DEFAULT_KEEP
    from clipper.errors import UsageError

    if not value or not value.strip():
        return DEFAULT_KEEP
    if not value.strip().isdigit():
        raise UsageError(f"CLIPPER_BACKUPS={value!r} is not a whole number of backups (e.g. 10).")
    return int(value)


def _lock_timeout(value: str | None) -> float:
    """Seconds to wait for another clip's lock; a malformed value is a usage error."""
    from math import isfinite

    from clipper.errors import UsageError

    if not value or not value.strip():
        return 10.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    # filelock waits forever for a negative timeout: refuse it rather than hang.
    if not isfinite(seconds) or seconds < 0:
        raise UsageError(
            f"CLIPPER_LOCK_TIMEOUT={value!r} is not a number of seconds (for example 10)."
        )
    return seconds


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def split_tags(values: list[str] | None) -> list[str]:
    """Tags from repeated -t options, each of which may also hold a comma-separated list."""
    return [part for value in values or [] for part in value.split(",") if part.strip()]
