"""`clip edit`: change a clipping's fields, with options or in $EDITOR."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clipper.cli.context import (
    IdArgument,
    JsonOption,
    LibraryOption,
    open_library,
    settings,
    split_tags,
)

if TYPE_CHECKING:
    from clipper.cli.context import AnyLibrary
    from clipper.model import Clipping


def edit(
    ctx: typer.Context,
    clipping_id: IdArgument,
    title: Annotated[str | None, typer.Option("--title", help="New headline.")] = None,
    url: Annotated[str | None, typer.Option("--url", help='New URL; "" removes it.')] = None,
    outlet: Annotated[
        str | None, typer.Option("--source", help='New outlet; "" removes it.')
    ] = None,
    authors: Annotated[
        list[str] | None,
        typer.Option("--author", help="Authors (replace the old ones); repeat for several."),
    ] = None,
    published: Annotated[
        str | None, typer.Option("--date", help='Publication date; "" removes it.')
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Tags (replace the old ones).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help='New note; "" removes it.')] = None,
    language: Annotated[
        str | None, typer.Option("--lang", help='Language code; "" removes it.')
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="New text (use `clip edit ID` alone to edit it in $EDITOR)."),
    ] = None,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Edit a clipping: with options, or in $EDITOR when none is given.

    In the editor you see the fields as YAML front matter above the text. If what you save
    does not parse, the clipping stays as it was and your edit is kept in a file.

    Examples:

      clip edit 42 --title "Corrected headline" --date 2023-02-24

      clip edit 42
    """
    from clipper.render.console import message
    from clipper.render.data import print_json

    lib = open_library(ctx, library)
    options: dict[str, Any] = {
        "title": title, "url": url, "source": outlet, "published": published,
        "note": note, "language": language, "text": text,
        "authors": list(authors) if authors is not None else None,
        "tags": split_tags(tags) if tags is not None else None,
    }  # fmt: skip
    changes = {name: value for name, value in options.items() if value is not None}
    changes = {
        k: (None if v == "" and k not in ("title", "text") else v) for k, v in changes.items()
    }
    if changes:
        updated = lib.edit(clipping_id, changes)
    else:
        edited = _edit_in_editor(lib, clipping_id, settings(ctx)["editor"])
        if edited is None:
            message(f"No changes; clipping {clipping_id} is unchanged.")
            return
        updated = edited
    if as_json:
        print_json(updated.to_dict())
    else:
        message(f"Saved {updated.id}: {updated.title}")


def _edit_in_editor(lib: AnyLibrary, clipping_id: int, editor: str | None) -> Clipping | None:
    from clipper.cli.editor import edit_text
    from clipper.errors import ClipperError
    from clipper.formats import frontmatter

    current = lib.get(clipping_id)
    original = frontmatter.dump(current)
    shown = frontmatter.parse(original)
    edited, path = edit_text(original, editor=editor)
    if edited == original:
        path.unlink(missing_ok=True)
        return None
    try:
        # Only what the user changed: a change made by another clip while the editor was
        # open (a tag, a star) must not be overwritten by the stale values in the document.
        fields = frontmatter.parse(edited)
        changes = {name: value for name, value in fields.items() if shown.get(name) != value}
        if not changes:
            path.unlink(missing_ok=True)
            return None
        updated = lib.edit(clipping_id, changes)
    except ClipperError as error:
        error.message = (
            f"{error.message} Clipping {clipping_id} is unchanged; your edit is in {path}."
        )
        raise
    path.unlink(missing_ok=True)
    return updated


def register(app: typer.Typer) -> None:
    app.command("edit")(edit)
