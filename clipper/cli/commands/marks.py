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


def quote(
    ctx: typer.Context,
    clipping_id: Annotated[int, typer.Argument(metavar="ID", help="Clipping id.")],
    passage: Annotated[
        str | None,
        typer.Argument(
            metavar="PASSAGE",
            help="Words of the text to keep, as they read (case and line breaks aside).",
            show_default=False,
        ),
    ] = None,
    from_line: Annotated[
        int | None,
        typer.Option("--from-line", metavar="N", help="Quote the text from line N (from 1)."),
    ] = None,
    to_line: Annotated[
        int | None,
        typer.Option("--to-line", metavar="N", help="...to line N (default: --from-line)."),
    ] = None,
    remove: Annotated[
        int | None,
        typer.Option("--remove", metavar="N", help="Drop passage N (as clip show numbers them)."),
    ] = None,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Keep a passage of a clipping's text: highlighted in clip show, quoted in press reviews.

    Examples:

      clip quote 42 "the embassy told News.Az"

      clip quote 42 --from-line 3 --to-line 5

      clip quote 42 --remove 1
    """
    from clipper.errors import UsageError
    from clipper.render.console import message
    from clipper.render.data import print_json

    chosen = sum(1 for given in (passage, from_line, remove) if given is not None)
    if chosen != 1 or (to_line is not None and from_line is None):
        raise UsageError(
            "give a PASSAGE, or --from-line N (with --to-line M), or --remove N: one of them."
        )
    lib = open_library(ctx, library)
    if remove is not None:
        clipping = lib.unquote(clipping_id, remove)
        done = f"Removed passage {remove} of {clipping.id}."
    else:
        [current] = lib.get_many([clipping_id])
        if passage is None:
            from clipper.passages import lines

            passage = lines(current.text, from_line or 1, to_line)
        before = len(current.passages)
        clipping = lib.quote(clipping_id, passage)
        count = len(clipping.passages)
        done = (
            f"Quoted passage {count} of {clipping.id}."
            if count > before
            else f"That passage of {clipping.id} is already quoted."
        )
    if as_json:
        print_json(clipping.to_dict())
    else:
        message(done)


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
    app.command("quote")(quote)
    app.command("note")(note)
    app.command("star")(star)
    app.command("unstar")(unstar)
