"""`clip watch`: saved queries over news feeds, run from cron, keeping only what matches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.context import JsonOption, LibraryOption, open_library, split_tags

if TYPE_CHECKING:
    from clipper.watch.watches import Watch

watch_app = typer.Typer(
    name="watch", no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None,
    help="Saved queries over news feeds: `clip watch add`, then `clip watch run` from cron.\n\n"
    "Example:\n\n  clip watch add caucasus 'azerbaijan OR armenia' --feed URL",
)  # fmt: skip

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The watch's name.")]
FeedOption = Annotated[
    list[str] | None,
    typer.Option("--feed", "-f", metavar="URL", help="A feed (RSS, Atom, JSON Feed); repeat."),
]
OpmlOption = Annotated[
    Path | None, typer.Option("--opml", metavar="FILE", help="Every feed of this OPML file.")
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="A tag for what it keeps, besides its name; repeat."),
]
SummaryOption = Annotated[
    bool | None,
    typer.Option(
        "--summary-only/--full-text",
        help="Judge and keep items on their title and summary only, never fetching their page "
        "(default: fetch the page where the summary does not decide, and keep the article).",
        show_default=False,
    ),
]


def _feeds(feeds: list[str] | None, opml: Path | None) -> list[str]:
    from clipper.watch.watches import opml_feeds

    return [*(feeds or []), *(opml_feeds(opml.expanduser()) if opml else [])]


@watch_app.command("add")
def add(
    ctx: typer.Context,
    name: NameArgument,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...", help="What to keep, in the query language of `clip search`."
        ),
    ],
    feeds: FeedOption = None,
    opml: OpmlOption = None,
    tags: TagOption = None,
    summary_only: SummaryOption = None,
    library: LibraryOption = None,
) -> None:
    """Save a watch: a query and the feeds it runs over. A bad query is refused here.

    Examples:

      clip watch add caucasus 'azerbaijan OR armenia OR georgia' --feed https://example.org/rss

      clip watch add energy '"gas pipeline" -sport' --opml feeds.opml -t energy
    """
    from clipper.render.console import message
    from clipper.watch.watches import new_watch

    lib = open_library(ctx, library)
    watch = new_watch(name, " ".join(query), _feeds(feeds, opml), split_tags(tags),
                      full_text=not summary_only, order=lib.date_order)  # fmt: skip
    lib.save_watch(watch, new=True)
    counted = f"{len(watch.feeds)} feed{'s' if len(watch.feeds) != 1 else ''}"
    message(f"Saved watch {watch.name} ({counted}). "
            f"Preview it with `clip watch test {watch.name} --feeds`.")  # fmt: skip


@watch_app.command("list")
def list_watches(
    ctx: typer.Context, as_json: JsonOption = False, library: LibraryOption = None
) -> None:
    """List the saved watches.

    Example:

      clip watch list --json
    """
    from clipper.render.data import print_json
    from clipper.render.watch import print_watches

    watches = list(open_library(ctx, library).watches().values())
    if as_json:
        print_json([w.to_dict() for w in watches])
    else:
        print_watches(watches)


@watch_app.command("show")
def show(ctx: typer.Context, name: NameArgument, as_json: JsonOption = False,
         library: LibraryOption = None) -> None:  # fmt: skip
    """Show a watch: its query, tags and feeds.

    Example:

      clip watch show caucasus
    """
    from clipper.render.data import print_json
    from clipper.render.watch import print_watch
    from clipper.watch.watches import find

    watch = find(open_library(ctx, library).watches(), [name])[0]
    if as_json:
        print_json(watch.to_dict())
    else:
        print_watch(watch)


@watch_app.command("edit")
def edit(
    ctx: typer.Context,
    name: NameArgument,
    query: Annotated[str | None, typer.Option("--query", "-q", help="A new query.")] = None,
    feeds: FeedOption = None,
    opml: OpmlOption = None,
    drop_feeds: Annotated[
        list[str] | None,
        typer.Option("--drop-feed", metavar="URL", help="Stop watching this feed; repeat."),
    ] = None,
    tags: TagOption = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Drop one of its tags.")
    ] = None,
    summary_only: SummaryOption = None,
    library: LibraryOption = None,
) -> None:
    """Change a watch: its query, feeds (added or dropped), tags, page fetching. Without an
    option, in your editor.

    Examples:

      clip watch edit caucasus

      clip watch edit caucasus --query 'azerbaijan OR armenia' --feed https://example.net/atom
    """
    from clipper.errors import NotFoundError
    from clipper.model import normalize_tags
    from clipper.render.console import message
    from clipper.watch.watches import check, feed_urls, find

    lib = open_library(ctx, library)
    watch = find(lib.watches(), [name])[0]
    given = (query, feeds, opml, drop_feeds, tags, untag, summary_only)
    if all(value is None for value in given):
        edited = _in_editor(ctx, watch, lib.date_order)
        if edited == watch:
            message(f"No change to watch {watch.name}.")
            return
        lib.save_watch(edited, new=False)
        message(f"Saved watch {watch.name}.")
        return
    if query is not None:
        watch.query = " ".join(query.split())
    watch.feeds = feed_urls([*watch.feeds, *_feeds(feeds, opml)])
    for url in drop_feeds or []:
        if url.strip() not in watch.feeds:
            raise NotFoundError(
                f"watch {watch.name} has no feed {url!r}. See `clip watch show {watch.name}`."
            )
        watch.feeds.remove(url.strip())
    dropped = set(normalize_tags(split_tags(untag)))
    watch.tags = [t for t in normalize_tags([*watch.tags, *split_tags(tags)]) if t not in dropped]
    if summary_only is not None:
        watch.full_text = not summary_only
    check(watch, order=lib.date_order)
    lib.save_watch(watch, new=False)
    message(f"Saved watch {watch.name}.")


def _in_editor(ctx: typer.Context, watch: Watch, order: str | None) -> Watch:
    from clipper.cli.context import settings
    from clipper.cli.editor import edit_text
    from clipper.watch.watches import read_watch_text, watch_text

    text, path = edit_text(watch_text(watch), suffix=".txt", editor=settings(ctx)["editor"])
    path.unlink(missing_ok=True)
    return read_watch_text(text, watch, order=order)


@watch_app.command("rm")
def rm(ctx: typer.Context, name: NameArgument, library: LibraryOption = None) -> None:
    """Forget a watch. The clippings it kept stay, with its tag.

    Example:

      clip watch rm caucasus
    """
    from clipper.render.console import message

    open_library(ctx, library).remove_watch(name.strip().lower())
    message(
        f"Removed watch {name.strip().lower()}; its clippings stay (tag:{name.strip().lower()})."
    )


def register(app: typer.Typer) -> None:
    from clipper.cli.commands import watch_run

    watch_run.register(watch_app)
    app.add_typer(watch_app)
