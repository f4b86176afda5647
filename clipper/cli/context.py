"""What commands share: the library option, opening the library, reading ids."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from clipper.config import Config
    from clipper.library.core import Library
    from clipper.paths import LibraryPaths
    from clipper.selection import Filter
    from clipper.team.library import TeamLibrary

    # What the everyday commands work on: a library folder or a team library on a server.
    AnyLibrary = Library | TeamLibrary

LibraryOption = Annotated[
    str | None,
    typer.Option(
        "--library",
        "-L",
        metavar="PATH",
        help="Library folder (or a team library's postgresql:// URL) to use (default: "
        "$CLIPPER_HOME, else library in `clip config`, else your user data folder).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON: the same fields the library stores.")
]
# The largest number SQLite stores: a larger id, limit or count is refused as an argument
# (an OverflowError from SQLite otherwise).
MAX_NUMBER = 2**63 - 1
IdsArgument = Annotated[
    list[int], typer.Argument(metavar="ID...", max=MAX_NUMBER, help="Clipping ids.")
]
IdArgument = Annotated[int, typer.Argument(metavar="ID", max=MAX_NUMBER, help="Clipping id.")]


def settings(ctx: typer.Context) -> Config:
    """This run's settings: flags aside, from the environment, config.toml and the defaults.

    Read once per run, on first use (so that `-h` works even with a broken config file), and
    handed to rendering at once: colour and pager apply to everything printed after.
    """
    root = ctx.find_root()
    if not isinstance(root.obj, dict):
        root.obj = {}
    found: Config | None = root.obj.get("config")
    if found is None:
        from clipper import config
        from clipper.paths import user_config_file
        from clipper.render.console import configure

        environ = dict(os.environ)
        found = config.load(user_config_file(environ), environ)
        root.obj["config"] = found
        configure(color=found["color"], pager=found["pager"])
    return found


def command_settings(ctx: typer.Context, library: str | None) -> Config:
    """The settings with this command's --library, else the root's, as a flag."""
    root = ctx.find_root().obj or {}
    return settings(ctx).with_flag("library", library or root.get("library"), "--library")


def library_paths(chosen: Config) -> LibraryPaths:
    """The library the settings name: flag, $CLIPPER_HOME or config.toml, else the platform's
    user data folder. A relative path in config.toml starts beside that file."""
    from clipper.paths import library_url, resolve_home

    home = chosen.values["library"]
    folder = home.value
    if folder and home.from_file and library_url(folder) is None:
        folder = str(chosen.path.parent / Path(folder).expanduser())
    return resolve_home(folder, {})


def team_url(chosen: Config) -> str | None:
    """The team library's URL when the settings name one rather than a folder."""
    from clipper.paths import library_url

    return library_url(chosen.values["library"].value)


def open_library(ctx: typer.Context, library: str | None) -> AnyLibrary:
    """The library chosen by this command's --library, the root --library, the environment
    ($CLIPPER_HOME) or config.toml, else the platform's user data folder; a postgresql://
    URL opens a team library."""
    chosen = command_settings(ctx, library)
    url = team_url(chosen)
    if url is None:
        return open_local_library(ctx, library)
    from clipper.team.library import TeamLibrary

    team = TeamLibrary.connect(url, user=chosen["user"], date_order=chosen["date_order"],
                               exact_count=chosen["exact_count"])  # fmt: skip
    ctx.find_root().call_on_close(team.close)  # the connection ends with the command
    return team


def open_local_library(ctx: typer.Context, library: str | None) -> Library:
    """The library folder chosen as for `open_library`; a team library's URL is refused
    (for the commands that work on the files of a folder: backups, doctor, reindex...)."""
    from clipper.library.core import Library

    chosen = command_settings(ctx, library)
    opened = Library(
        library_paths(chosen),
        lock_timeout=chosen["lock_timeout"],
        keep_backups=chosen["backups"],
        backups_max_bytes=chosen["backups_max_mb"] * 1_000_000,
        date_order=chosen["date_order"],
    )
    root = ctx.find_root()
    if not isinstance(root.obj, dict):
        root.obj = {}
    root.obj.setdefault("libraries", []).append(opened)  # for the damage warning (cli.app)
    return opened


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of -t: the tags in use that start with what was typed."""
    from clipper.errors import ClipperError

    # The root's callback does not run while completing: its --library is read from its params.
    chosen = ctx.params.get("library") or ctx.find_root().params.get("library")
    try:
        tags = open_library(ctx, chosen).tag_counts()
    except ClipperError:
        return []  # completion never prints an error into the command line
    typed = incomplete.lower()
    return [tag for tag in tags if tag.startswith(typed)]


# A query in the search language, as `clip list`, `clip stats` and `clip export` take it: its
# words may be given quoted together or apart (`clip list tag:x source:y`).
QueryArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[QUERY]...",
        help="Only clippings matching this query, as in `clip search` (default: all).",
        show_default=False,
    ),
]


def joined_query(parts: list[str] | None) -> str | None:
    """The query's words as one query, None when there are none."""
    return " ".join(parts or []) or None


# The filters `clip list` and `clip export` share (the query language can say the same).
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        help="Only clippings with this tag (or a tag below it); repeat to require several.",
        autocompletion=complete_tag,
    ),
]
SourceFilter = Annotated[
    str | None,
    typer.Option("--source", help="Only clippings from this outlet or site (case-insensitive)."),
]
SinceFilter = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Published on or after this day (an undated clipping: captured on or after): "
        "2023-02-23, 23 February 2023, 2019-W47, 2023-02, yesterday, last week, 7d, 2w, 3m, 1y. "
        "For the capture date, use the query captured:7d.",
    ),
]
UntilFilter = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Published on or before this day (an undated clipping: captured on or before); "
        "a week, month or year counts to its last day. Same forms as --since.",
    ),
]
StarredFilter = Annotated[bool, typer.Option("--starred", help="Only starred clippings.")]


def build_filter(
    tags: list[str] | None,
    source: str | None,
    since: str | None,
    until: str | None,
    starred: bool,
    order: str | None = None,
) -> Filter:
    """The library filter from the shared filter options; bad dates and tags are usage errors.
    `order` (the date_order setting) reads numeric dates such as 03/04/2023."""
    from clipper.model import normalize_tags
    from clipper.search.periods import parse_day
    from clipper.selection import Filter

    return Filter(
        tags=normalize_tags(split_tags(tags)),
        source=source,
        since=parse_day(since, what="--since date", order=order) if since else None,
        until=parse_day(until, what="--until date", end=True, order=order) if until else None,
        starred=True if starred else None,
    )


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def split_tags(values: list[str] | None) -> list[str]:
    """Tags from repeated -t options, each of which may also hold a comma-separated list."""
    return [part for value in values or [] for part in value.split(",") if part.strip()]
