"""`clip rm` and `clip trash`: removing clippings, and bringing them back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from clipper.cli.context import (
    IdsArgument,
    JsonOption,
    LibraryOption,
    open_library,
    stdin_is_terminal,
)

YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def rm(
    ctx: typer.Context, ids: IdsArgument, yes: YesOption = False, library: LibraryOption = None
) -> None:
    """Move clippings to the trash (restore them with `clip trash restore ID`).

    Asks first on a terminal.

    Example:

      clip rm 42 43
    """
    from clipper.render.console import message

    lib = open_library(ctx, library)
    chosen = lib.get_many(ids)
    if not yes and stdin_is_terminal():
        from clipper.render.clippings import print_list

        print_list(chosen, to_stderr=True)
        if not typer.confirm(f"Move {_count(chosen)} to the trash?", default=True, err=True):
            raise typer.Exit(1)
    moved = lib.remove([c.id for c in chosen])
    listed = ", ".join(str(c.id) for c in moved)
    undo = " ".join(str(c.id) for c in moved)
    message(f"Moved {listed} to the trash. Undo with `clip trash restore {undo}`.")


def _count(items: Sequence[object]) -> str:
    return f"{len(items)} clipping{'s' if len(items) != 1 else ''}"


trash_app = typer.Typer(
    name="trash", no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None,
)  # fmt: skip


def _library_of(ctx: typer.Context, library: str | None) -> str | None:
    return library or (ctx.obj or {}).get("library") or (ctx.find_root().obj or {}).get("library")


@trash_app.callback(invoke_without_command=True)
def trash(ctx: typer.Context, as_json: JsonOption = False, library: LibraryOption = None) -> None:
    """List the clippings in the trash.

    Examples:

      clip trash

      clip trash restore 42

      clip trash empty --yes
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"library": _library_of(ctx, library)}
        return
    from clipper.render.clippings import print_list
    from clipper.render.data import print_json

    items = open_library(ctx, library).trash()
    if as_json:
        print_json([c.to_dict() for c in items])
    else:
        print_list(items, title="Trash")


@trash_app.command("restore")
def restore(ctx: typer.Context, ids: IdsArgument, library: LibraryOption = None) -> None:
    """Bring clippings back from the trash, under their old ids.

    Example:

      clip trash restore 42
    """
    from clipper.render.console import message

    restored = open_library(ctx, _library_of(ctx, library)).restore(ids)
    message(f"Restored {', '.join(str(c.id) for c in restored)}.")


@trash_app.command("empty")
def empty(ctx: typer.Context, yes: YesOption = False, library: LibraryOption = None) -> None:
    """Delete the clippings in the trash for good. Asks first; --yes when not on a terminal.

    Example:

      clip trash empty --yes
    """
    from clipper.errors import UsageError
    from clipper.render.console import message

    lib = open_library(ctx, _library_of(ctx, library))
    waiting = lib.trash()
    if not waiting:
        message("The trash is empty.")
        return
    if not yes:
        if not stdin_is_terminal():
            raise UsageError("emptying the trash deletes for good; confirm with --yes.")
        if not typer.confirm(f"Delete {_count(waiting)} for good?", default=False, err=True):
            raise typer.Exit(1)
    count = lib.empty_trash()
    message(f"Deleted {_count([None] * count)} for good.")


def register(app: typer.Typer) -> None:
    app.command("rm")(rm)
    app.add_typer(trash_app)
