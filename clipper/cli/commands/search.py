"""`clip search`, `clip related` and `clip reindex`: finding clippings again."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import MAX_NUMBER, IdArgument, JsonOption, LibraryOption, open_library

QueryArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="QUERY...",
        help="What to find; several arguments are joined with spaces. See the examples.",
        show_default=False,
    ),
]
LimitOption = Annotated[
    int, typer.Option("--limit", "-n", min=1, max=MAX_NUMBER, help="Show at most this many.")
]


def search(
    ctx: typer.Context,
    query: QueryArgument,
    sort: Annotated[
        str, typer.Option("--sort", help="relevance (best first), newest or oldest.")
    ] = "relevance",
    limit: LimitOption = 20,
    offset: Annotated[
        int,
        typer.Option(
            "--offset", min=0, max=MAX_NUMBER, help="Skip this many hits (the next page)."
        ),
    ] = 0,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Search clippings, best match first, with the matched words highlighted.

    Words must all match, in any case and with or without accents (munchen finds München).
    "a phrase" matches the words in order; a OR b either one; -word or NOT word excludes;
    prefix* matches word beginnings; parentheses group. Fields: tag:politics, tag:region/*
    (a tag and the tags below it), source:"News.Az", site:news.az, author:smith, lang:de,
    title:word, url:text; dates after:2023-01-01, before:2023-03, on:2023-02-23, since:7d
    (also 2w, 3m, 1y); is:starred, has:note. A query that starts with '-' goes after '--'.

    Examples:

      clip search khojaly

      clip search '"climate change" -sport since:30d'

      clip search 'tag:region/* (election OR vote) after:2023-01-01' --sort newest

      clip search budget --json | jq -r '.[].snippet'

      clip search -- -sport tag:politics
    """
    import time

    from clipper.render.search import index_progress, print_hits

    lib = open_library(ctx, library)
    started = time.perf_counter()
    with index_progress() as progress:
        lib.index_progress = progress
        results = lib.search(" ".join(query), sort=sort, limit=limit, offset=offset)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print_hits(
        results.hits, total=results.total, offset=offset, elapsed_ms=elapsed_ms, as_json=as_json
    )


def related(
    ctx: typer.Context,
    clipping_id: IdArgument,
    limit: LimitOption = 10,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Show the clippings most like this one: those sharing its most distinctive words.

    Examples:

      clip related 42

      clip related 42 -n 5 --json | jq '.[].id'
    """
    from clipper.render.search import index_progress, print_hits

    lib = open_library(ctx, library)
    with index_progress() as progress:
        lib.index_progress = progress
        hits = lib.related(clipping_id, limit=limit)
    print_hits(hits, total=len(hits), as_json=as_json)


def reindex(
    ctx: typer.Context,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Rebuild the search index from the library.

    Never needed in everyday use: the index follows every change, including hand edits of
    clippings.json, and is rebuilt when deleted. Use it after copying a library by hand, or
    when `clip doctor` suggests it.

    Example:

      clip reindex
    """
    import time

    from clipper.render.console import message
    from clipper.render.data import print_json
    from clipper.render.search import index_progress

    lib = open_library(ctx, library)
    started = time.perf_counter()
    with index_progress("Indexing", quiet=quiet or as_json) as progress:
        lib.index_progress = progress
        count = lib.reindex()
    seconds = time.perf_counter() - started
    if as_json:
        print_json({"indexed": count, "seconds": round(seconds, 3), "index": str(lib.paths.index)})
    elif not quiet:
        noun = "clipping" if count == 1 else "clippings"
        message(f"Indexed {count} {noun} in {seconds:.1f} s.")


def register(app: typer.Typer) -> None:
    app.command("search")(search)
    app.command("related")(related)
    app.command("reindex")(reindex)
