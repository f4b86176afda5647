"""`clip list` and `clip show`: reading the library."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import (
    IdsArgument,
    JsonOption,
    LibraryOption,
    QueryArgument,
    SinceFilter,
    SourceFilter,
    StarredFilter,
    TagFilter,
    UntilFilter,
    build_filter,
    joined_query,
    open_library,
)

# `--stories` on list and search: copies of one story (near duplicates) shown once.
StoriesOption = Annotated[
    bool,
    typer.Option(
        "--stories",
        help="Each story once: its near duplicates fold into the earliest (or starred) copy, "
        "with the outlets that also carried it.",
    ),
]


def list_clippings(
    ctx: typer.Context,
    query: QueryArgument = None,
    tags: TagFilter = None,
    source: SourceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    starred: StarredFilter = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="Show at most this many.")
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="newest, oldest, added (by id), or relevance.")
    ] = "newest",
    pager: Annotated[
        bool,
        typer.Option("--pager/--no-pager", help="Page a list taller than the terminal."),
    ] = True,
    stories: StoriesOption = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """List clippings, newest first; on a terminal, a long list opens in your pager.

    Examples:

      clip list --limit 20

      clip list -t region/azerbaijan --since 30d

      clip list 'khojaly OR xocali is:starred' --sort oldest

      clip list --source bbc.co.uk --json | jq '.[].title'

      clip list 'has:duplicates since:7d' --stories
    """
    from clipper.render.clippings import print_list
    from clipper.render.data import print_json
    from clipper.render.search import index_progress

    lib = open_library(ctx, library)
    where = build_filter(tags, source, since, until, starred, order=lib.date_order)
    with index_progress() as lib.index_progress:
        # The limit counts stories: fold first, then cut.
        wanted = None if stories else limit
        chosen = lib.select(where, sort=sort, limit=wanted, query=joined_query(query))
    folded = None
    if stories:
        from clipper.formats.stories import fold

        folded = fold(chosen)[:limit]
        chosen = [story.lead for story in folded]
    if as_json:
        from clipper.render.clippings import copies_of, with_copies

        copies = copies_of(folded)
        print_json([with_copies(c.to_dict(), copies) for c in chosen])
    else:
        print_list(chosen, pager=pager, stories=folded)


def show(
    ctx: typer.Context,
    ids: IdsArgument,
    raw: Annotated[bool, typer.Option("--raw", help="Print the text alone.")] = False,
    pager: Annotated[
        bool, typer.Option("--pager/--no-pager", help="Page long text on a terminal.")
    ] = True,
    highlight: Annotated[
        str | None,
        typer.Option(
            "--highlight", metavar="QUERY", help="Highlight the words of this search query."
        ),
    ] = None,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Show clippings in full: a metadata header, then the text.

    Examples:

      clip show 42

      clip show 42 --highlight 'khojaly OR xocali'

      clip show 42 43 --raw > both.txt

      clip show 42 --json | jq '.[0].url'
    """
    from clipper.render.clippings import print_clippings, print_raw
    from clipper.render.console import is_terminal
    from clipper.render.data import print_json
    from clipper.render.search import index_progress, print_highlighted

    lib = open_library(ctx, library)
    with index_progress() as lib.index_progress:
        chosen = lib.get_many(ids)
    if highlight is not None:
        from clipper.search.searcher import highlight as highlighted

        marked = [(c, *highlighted(highlight, c)) for c in chosen]  # checks the query
    if as_json:
        print_json([c.to_dict() for c in chosen])
        return
    if raw:
        print_raw(chosen)
        return
    # The panel names the clippings telling the same story: read them (only on a terminal).
    near_ids = [other for c in chosen for other in c.near_duplicates] if is_terminal() else []
    near = lib.find(near_ids) if near_ids else {}
    if highlight is not None and is_terminal():
        print_highlighted(marked, pager=pager, near=near)
    else:
        print_clippings(chosen, pager=pager, near=near)


def open_(
    ctx: typer.Context,
    clipping_id: Annotated[int, typer.Argument(metavar="ID", help="Clipping id.")],
    library: LibraryOption = None,
) -> None:
    """Open a clipping's web page (its URL) in your browser.

    Examples:

      clip open 42

      clip open "$(clip list -n 1 --json | jq '.[0].id')"
    """
    from clipper.errors import ClipperError, NotFoundError
    from clipper.render.console import message

    [clipping] = open_library(ctx, library).get_many([clipping_id])
    if not clipping.url:
        raise NotFoundError(
            f"clipping {clipping_id} has no URL to open; add one with "
            f"`clip edit {clipping_id} --url URL`."
        )
    if typer.launch(clipping.url) != 0:
        raise ClipperError(f"no web browser could be started (the address: {clipping.url}).")
    message(f"Opened {clipping.url}")


def register(app: typer.Typer) -> None:
    app.command("list")(list_clippings)
    app.command("show")(show)
    app.command("open")(open_)
