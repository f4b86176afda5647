"""`clip tag`, `clip untag`, `clip tags` and `clip tags rename`."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import (
    IdsArgument,
    JsonOption,
    LibraryOption,
    complete_tag,
    open_library,
    split_tags,
)

TagsOption = Annotated[
    list[str],
    typer.Option(
        "--tag", "-t", help="A tag; repeat or separate with commas.", autocompletion=complete_tag
    ),
]


def tag(
    ctx: typer.Context, ids: IdsArgument, tags: TagsOption, as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:  # fmt: skip
    """Add tags to clippings. Tags are lowercase; '/' makes a hierarchy.

    Examples:

      clip tag 42 43 -t politics -t region/azerbaijan

      clip tag 42 -t "press review,q1"
    """
    _change(ctx, ids, tags, as_json, library, add=True)


def untag(
    ctx: typer.Context, ids: IdsArgument, tags: TagsOption, as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:  # fmt: skip
    """Remove tags from clippings.

    Example:

      clip untag 42 -t draft
    """
    _change(ctx, ids, tags, as_json, library, add=False)


def _change(
    ctx: typer.Context, ids: list[int], tags: list[str], as_json: bool, library: str | None,
    *, add: bool,
) -> None:  # fmt: skip
    from clipper.errors import UsageError
    from clipper.render.console import message
    from clipper.render.data import print_json

    wanted = split_tags(tags)
    if not wanted:
        raise UsageError("give at least one tag with -t TAG.")
    lib = open_library(ctx, library)
    changed = lib.tag(ids, wanted) if add else lib.untag(ids, wanted)
    if as_json:
        print_json([c.to_dict() for c in changed])
        return
    for clipping in changed:
        message(f"{clipping.id}: {' '.join(clipping.tags) or '(no tags)'}")


tags_app = typer.Typer(
    name="tags", no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None,
)  # fmt: skip


@tags_app.callback(invoke_without_command=True)
def tags(ctx: typer.Context, as_json: JsonOption = False, library: LibraryOption = None) -> None:
    """List tags with the number of clippings carrying each, most used first.

    Examples:

      clip tags

      clip tags --json

      clip tags rename brexit politics/brexit
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"library": library or (ctx.find_root().obj or {}).get("library")}
        return
    from clipper.render.clippings import print_tag_counts
    from clipper.render.data import print_json
    from clipper.render.search import index_progress

    lib = open_library(ctx, library)
    with index_progress() as lib.index_progress:
        counts = lib.tag_counts()
    if as_json:
        print_json([{"tag": name, "count": count} for name, count in counts.items()])
    else:
        print_tag_counts(counts)


@tags_app.command("rename")
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The tag to rename (tags below it follow).")],
    new: Annotated[str, typer.Argument(help="Its new name; if it exists already, the two merge.")],
    library: LibraryOption = None,
) -> None:
    """Rename a tag everywhere, merging it into NEW when NEW exists.

    Example:

      clip tags rename election elections
    """
    from clipper.render.console import message

    count = open_library(ctx, library or (ctx.obj or {}).get("library")).rename_tag(old, new)
    message(f"Renamed {old!r} to {new!r} on {count} clipping{'s' if count != 1 else ''}.")


def register(app: typer.Typer) -> None:
    app.command("tag")(tag)
    app.command("untag")(untag)
    app.add_typer(tags_app)
