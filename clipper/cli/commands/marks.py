"""`clip note`, `clip star`, `clip unstar`: the user's own marks on a clipping."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import IdArgument, IdsArgument, JsonOption, LibraryOption, open_library


def note(
    ctx: typer.Context,
    clipping_id: IdArgument,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The note; an empty string removes it.")
    ],
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Set the note of a clipping (your summary or comment).

    Example:

      clip note 42 "Minister attended; quote in paragraph 3."
    """
    from clipper.render.console import message
    from clipper.render.data import print_json

    clipping = open_library(ctx, library).set_note(clipping_id, text)
    if as_json:
        print_json(clipping.to_dict())
    else:
        message(f"Note {'set' if clipping.note else 'removed'} on {clipping.id}.")


def _star(
    ctx: typer.Context, ids: list[int], starred: bool, as_json: bool, library: str | None
) -> None:
    from clipper.render.console import message
    from clipper.render.data import print_json

    changed = open_library(ctx, library).set_starred(ids, starred)
    if as_json:
        print_json([c.to_dict() for c in changed])
    else:
        word = "Starred" if starred else "Unstarred"
        message(f"{word} {', '.join(str(c.id) for c in changed)}.")


def star(
    ctx: typer.Context, ids: IdsArgument, as_json: JsonOption = False, library: LibraryOption = None
) -> None:
    """Star clippings: they come first in press reviews.

    Example:

      clip star 42 43
    """
    _star(ctx, ids, True, as_json, library)


def unstar(
    ctx: typer.Context, ids: IdsArgument, as_json: JsonOption = False, library: LibraryOption = None
) -> None:
    """Remove the star from clippings.

    Example:

      clip unstar 42
    """
    _star(ctx, ids, False, as_json, library)


def register(app: typer.Typer) -> None:
    app.command("note")(note)
    app.command("star")(star)
    app.command("unstar")(unstar)
