"""`clip push` and `clip pull`: clippings between a library and a team library."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import (
    JsonOption,
    LibraryOption,
    QueryArgument,
    joined_query,
    open_library,
    settings,
)

UrlArgument = Annotated[
    str,
    typer.Argument(metavar="URL", help="The team library: postgresql://user@host/database.",
                   show_default=False),
]  # fmt: skip
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Report what would be copied; write nothing.")
]


def push(
    ctx: typer.Context,
    url: UrlArgument,
    query: QueryArgument = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Copy clippings of this library (those a query selects, else all) into a team library,
    with their tags, notes and passages; what the team library has already (same uuid, URL
    or text) is skipped. Reports added, skipped and failed.

    Examples:

      clip push postgresql://me@db.example/press tag:azerbaijan

      clip push postgresql://me@db.example/press --dry-run
    """
    _copy(ctx, url, query, dry_run, as_json, library, to_team=True)


def pull(
    ctx: typer.Context,
    url: UrlArgument,
    query: QueryArgument = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Copy clippings of a team library (those a query selects, else all) into this library,
    to take them offline; what this library has already is skipped. Reports added, skipped
    and failed.

    Examples:

      clip pull postgresql://me@db.example/press 'tag:azerbaijan since:30d'

      clip pull postgresql://me@db.example/press is:starred --dry-run
    """
    _copy(ctx, url, query, dry_run, as_json, library, to_team=False)


def _copy(ctx: typer.Context, url: str, query: list[str] | None, dry_run: bool, as_json: bool,
          library: str | None, *, to_team: bool) -> None:  # fmt: skip
    from clipper.errors import UsageError
    from clipper.library.moving import copy_clippings
    from clipper.paths import library_url, redacted
    from clipper.render.imports import print_report
    from clipper.team.library import TeamLibrary

    if library_url(url) is None:
        raise UsageError(f"{url} is not a team library; give its postgresql:// URL.")
    here = open_library(ctx, library)
    chosen = settings(ctx)
    team = TeamLibrary.connect(url, user=chosen["user"], date_order=chosen["date_order"])
    ctx.call_on_close(team.close)
    source, target = (here, team) if to_team else (team, here)
    where = here.label if isinstance(here, TeamLibrary) else str(here.paths.home)
    label = where if to_team else redacted(url)
    report = copy_clippings(source, target, joined_query(query), label=label, dry_run=dry_run)
    print_report(report, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command("push")(push)
    app.command("pull")(pull)
