"""`clip search`, `clip related` and `clip reindex`: finding clippings again."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.commands.reading import StoriesOption
from clipper.cli.context import (
    MAX_NUMBER,
    IdArgument,
    JsonOption,
    LibraryOption,
    open_library,
    open_local_library,
)

QueryArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="QUERY...",
        help="What to find; several arguments are joined with spaces. See the examples.",
        show_default=False,
    ),
]
LimitOption = Annotated[
    int,
    typer.Option(
        "--limit", "-n", min=0, max=MAX_NUMBER, help="Show at most this many; 0 for all."
    ),
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
    stories: StoriesOption = False,
    all_words: Annotated[
        bool,
        typer.Option(
            "--all-words",
            help="Only clippings with all the words: no partial matches filling the page.",
        ),
    ] = False,
    any_words: Annotated[
        bool, typer.Option("--any", help="Clippings with any of the words, ranked as one list.")
    ] = False,
    expand: Annotated[
        bool | None,
        typer.Option(
            "--expand/--no-expand",
            help="Add the best terms of the "
            "first hits to the query (default: the search_expand setting).",
            show_default=False,
        ),
    ] = None,
    count: Annotated[
        bool,
        typer.Option(
            "--count",
            help="Print how many clippings match, not the clippings ('about N' where a team "
            "library estimated it; with --json: total, exact, and low and high when estimated).",
        ),
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Search clippings, best match first, with the matched words highlighted.

    Words must all match, in any case and with or without accents (munchen finds München),
    by their stems in each clipping's language (elections finds election); when fewer
    clippings than --limit have them all, the best with only some fill the page, below a
    "partial matches" line. Stopwords (the, und, и) do not count towards the ranking.
    "Quoted" words and phrases match the words exactly as written.
    "a phrase" matches the words in order; a OR b either one; -word or NOT word excludes;
    prefix* matches word beginnings; parentheses group. Fields: tag:politics, tag:region/*
    (a tag and the tags below it), source:"News.Az", site:news.az, author:smith, lang:de,
    title:word, url:text; publication dates after:2023-01-01, before:2023-03, on:2023-02-23,
    on:2019-W47 (a week), since:7d (also 2w, 3m, 1y, yesterday, last-week); the day clipped
    captured:7d, captured:2026-11; is:starred, has:note, has:duplicates. --stories shows the
    copies of a story among the hits once. A query that starts with '-' goes
    after '--'. A team library counts the matches exactly up to the exact_count setting
    (10,000) and estimates above it: "about 104,000 clippings".

    Examples:

      clip search khojaly

      clip search '"climate change" -sport since:30d'

      clip search 'tag:region/* (election OR vote) after:2023-01-01' --sort newest

      clip search budget --json | jq -r '.[].snippet'

      clip search election --count --json | jq .exact

      clip search --expand 'airport strike'

      clip search -- -sport tag:politics
    """
    import time

    from clipper.cli.context import command_settings
    from clipper.errors import UsageError
    from clipper.render.search import index_progress, print_hits

    if all_words and any_words:
        raise UsageError("--all-words and --any exclude each other: choose one.")
    lib = open_library(ctx, library)
    if expand is None:
        expand = bool(command_settings(ctx, library)["search_expand"])
    words = "all" if all_words else "any" if any_words else "fill"
    started = time.perf_counter()
    with index_progress() as progress:
        lib.index_progress = progress
        if count:  # the total alone: one hit in date order, not a ranked page
            sort, limit, offset = "newest", 1, 0
        results = lib.search(
            " ".join(query), sort=sort, limit=limit or None, offset=offset, words=words,
            expand=expand,
        )
    elapsed_ms = (time.perf_counter() - started) * 1000
    if count:
        from clipper.render.console import write
        from clipper.render.data import print_json, total_json, total_text

        if as_json:
            print_json(total_json(results.total, results.estimate))
        else:
            write(total_text(results.total, results.estimate) + "\n")
        return
    hits, folded = results.hits, None
    if stories:
        from clipper.formats.stories import fold

        # Each story at the rank of its best-ranked copy, shown by its lead among the hits.
        by_id = {hit.clipping.id: hit for hit in hits}
        folded = fold([hit.clipping for hit in hits])
        hits = [by_id[story.lead.id] for story in folded]
    print_hits(
        hits, total=results.total, offset=offset, elapsed_ms=elapsed_ms, as_json=as_json,
        stories=folded, estimate=results.estimate,
    )  # fmt: skip


def related(
    ctx: typer.Context,
    clipping_id: IdArgument,
    limit: LimitOption = 10,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Show the clippings most like this one: those sharing its most distinctive words.

    The score is how alike a clipping is, as a share of the clipping's own score (at most 1:
    as alike as itself); clippings below 0.2 are not shown, so the list may be shorter than
    --limit.

    Examples:

      clip related 42

      clip related 42 -n 5 --json | jq '.[].id'
    """
    from clipper.render.search import index_progress, print_hits

    lib = open_library(ctx, library)
    with index_progress() as progress:
        lib.index_progress = progress
        results = lib.related(clipping_id, limit=limit or None)
    print_hits(results.hits, total=results.total, as_json=as_json, pages=False, scores=True)


def reindex(
    ctx: typer.Context,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Rebuild the search index from the library, and link the near duplicates (the same
    story told twice) that are not linked yet.

    Never needed in everyday use: the index follows every change, including hand edits of
    clippings.json, and is rebuilt when deleted; add and import link near duplicates. Use it
    after copying a library by hand, when `clip doctor` suggests it, or to link the clippings
    of a library built by an older clip.

    Example:

      clip reindex
    """
    import time

    from clipper.render.console import message
    from clipper.render.data import print_json
    from clipper.render.search import index_progress

    lib = open_local_library(ctx, library)
    started = time.perf_counter()
    linked = lib.link_near_duplicates()
    with index_progress("Indexing", quiet=quiet or as_json) as progress:
        lib.index_progress = progress
        count = lib.reindex()
    seconds = time.perf_counter() - started
    if as_json:
        print_json({"indexed": count, "linked": linked, "seconds": round(seconds, 3),
                    "index": str(lib.paths.index)})  # fmt: skip
    elif not quiet:
        line = f"Indexed {count} {_noun(count)} in {seconds:.1f} s"
        if linked:
            line += f"; {linked} {_noun(linked)} newly linked with their near duplicates"
        message(line + ".")


def _noun(count: int) -> str:
    return "clipping" if count == 1 else "clippings"


def register(app: typer.Typer) -> None:
    app.command("search")(search)
    app.command("related")(related)
    app.command("reindex")(reindex)
