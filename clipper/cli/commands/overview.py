"""`clip` alone (a dashboard of the library) and `clip stats`: the library at a glance."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import (
    MAX_NUMBER,
    LibraryOption,
    QueryArgument,
    joined_query,
    open_library,
)

NEWEST = 5
DASHBOARD_TAGS = 8


def dashboard(ctx: typer.Context) -> None:
    """What `clip` alone prints: the library, its newest clippings and tags, what to type next."""
    from clipper.library.core import Library
    from clipper.render.overview import print_dashboard
    from clipper.render.search import index_progress

    lib = open_library(ctx, None)
    with index_progress() as lib.index_progress:
        overview = lib.overview(newest=NEWEST, top_tags=DASHBOARD_TAGS)
    print_dashboard(overview, lib.paths.home if isinstance(lib, Library) else lib.label)


def stats(
    ctx: typer.Context,
    query: QueryArgument = None,
    top: Annotated[
        int,
        typer.Option(
            "--top", "-n", min=1, max=MAX_NUMBER, metavar="N",
            help="How many sources, tags, authors to list.",
        ),
    ] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
    library: LibraryOption = None,
) -> None:
    """Statistics: clippings per month as a bar chart, top sources, tags, authors, languages.

    Months are those of publication (else of capture); a span of more than three years is
    drawn per year, and --json always has every month.

    Examples:

      clip stats

      clip stats 'tag:khojaly after:2023-01-01'

      clip stats --json | jq '.months[-1]'
    """
    from clipper.render.overview import print_stats
    from clipper.render.search import index_progress

    wanted = joined_query(query)
    lib = open_library(ctx, library)
    with index_progress() as lib.index_progress:
        counted = lib.stats(wanted, top=top)
    print_stats(counted, as_json=as_json, query=wanted)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
