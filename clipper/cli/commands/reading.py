"""`clip list` and `clip show`: reading the library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.context import (
    MAX_NUMBER,
    IdArgument,
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
        int | None,
        typer.Option(
            "--limit", "-n", min=0, max=MAX_NUMBER,
            help="Show at most this many (0, the default: all).",
        ),
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
    from clipper.render.data import print_cut, print_json
    from clipper.render.search import index_progress

    lib = open_library(ctx, library)
    where = build_filter(tags, source, since, until, starred, order=lib.date_order)
    with index_progress() as lib.index_progress:
        # The lines of a list need no text: the index's cards, unless --json prints records.
        if stories:  # the limit counts stories: fold first, then cut
            every_one = lib.select_page(
                where, sort=sort, limit=None, query=joined_query(query), cards=not as_json
            )
            chosen, total, estimate = every_one.items, None, None
        else:
            page = lib.select_page(
                where, sort=sort, limit=limit or None, query=joined_query(query), cards=not as_json
            )
            chosen, total, estimate = page.items, page.total, page.estimate
    folded = None
    if stories:
        from clipper.formats.stories import fold

        every = fold(chosen)
        folded = every[: limit or None]
        chosen = [story.lead for story in folded]
        total, estimate = len(every), None
    if as_json:
        from clipper.render.clippings import copies_of, with_copies

        copies = copies_of(folded)
        print_json([with_copies(c.to_dict(), copies) for c in chosen])
        if total is not None:
            print_cut(len(chosen), total, estimate=estimate)
    else:
        print_list(chosen, pager=pager, stories=folded, total=total, estimate=estimate)


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
    clipping_id: IdArgument,
    snapshot: Annotated[
        bool,
        typer.Option("--snapshot", help="Open the page kept with `clip add --snapshot` instead."),
    ] = False,
    library: LibraryOption = None,
) -> None:
    """Open a clipping's web page (its URL) in your browser, or the copy of it kept.

    Examples:

      clip open 42

      clip open 42 --snapshot

      clip open "$(clip list -n 1 --json | jq '.[0].id')"
    """
    from clipper.errors import NotFoundError
    from clipper.render.console import message

    lib = open_library(ctx, library)
    if snapshot:
        page = lib.snapshot_page(clipping_id)
        address = _local_copy(page, clipping_id).as_uri()
        _launch(address)
        message(f"Opened the snapshot of clipping {clipping_id}: {address}")
        return
    [clipping] = lib.get_many([clipping_id])
    if not clipping.url:
        raise NotFoundError(
            f"clipping {clipping_id} has no URL to open; add one with "
            f"`clip edit {clipping_id} --url URL`."
        )
    _launch(clipping.url)
    message(f"Opened {clipping.url}")


def _launch(address: str) -> None:
    """Hand an address to the browser, or say that none could take it (exit 1)."""
    import webbrowser

    from clipper.errors import ClipperError

    try:
        opened = webbrowser.open(address)
    except webbrowser.Error:  # no browser registered at all
        opened = False
    if not opened:
        raise ClipperError(
            f"no web browser could be started; open {address} yourself, or set $BROWSER."
        )


def _local_copy(page: bytes, clipping_id: int) -> Path:
    """The page in a private temporary folder: the browser reads it after clip has exited, so
    the file stays (the system's temporary folder is cleaned by the system)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="clip-snapshot-"))  # 0700, a fresh name
    path = folder / f"clipping-{clipping_id}.html"
    path.write_bytes(page)
    return path


def register(app: typer.Typer) -> None:
    app.command("list")(list_clippings)
    app.command("show")(show)
    app.command("open")(open_)
