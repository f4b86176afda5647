"""`clip add`: save a clipping from text, a file, standard input or the editor."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.context import (
    JsonOption,
    LibraryOption,
    open_library,
    split_tags,
    stdin_is_terminal,
)
from clipper.errors import ClipperError, UsageError


def add(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT|FILE|-]",
            help="The text itself, a .txt or .md file, or - for standard input. "
            "Without it, your $EDITOR opens.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Headline (default: found in or made from the text)."),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where the article was published (http or https).")
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--source", help='The outlet, e.g. "BBC News".')
    ] = None,
    authors: Annotated[
        list[str] | None, typer.Option("--author", help="An author; repeat for several.")
    ] = None,
    published: Annotated[
        str | None, typer.Option("--date", help="Publication date, YYYY-MM-DD or ISO 8601.")
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="A tag; repeat or separate with commas.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Your own note or summary.")] = None,
    language: Annotated[
        str | None, typer.Option("--lang", help="Language code, e.g. en, de, pt-BR.")
    ] = None,
    star: Annotated[bool, typer.Option("--star", help="Star it for press reviews.")] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate", help="Keep it even if the same URL or text is already kept."
        ),
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Save a clipping and print its id.

    Examples:

      clip add article.txt -t politics --source "BBC News" --date 2023-02-23

      pbpaste | clip add - --url https://example.org/story

      clip add "Short item text" --title "Headline"
    """
    from clipper.capture.text import draft_from_text
    from clipper.render.clippings import print_added
    from clipper.render.data import print_json

    text = _read_source(source)
    draft = draft_from_text(text, title=title)
    draft.url = url
    draft.source = outlet
    draft.authors = list(authors or [])
    draft.published = published
    draft.tags = split_tags(tags)
    draft.note = note
    draft.language = language
    draft.starred = star
    clipping = open_library(ctx, library).add(draft, allow_duplicate=allow_duplicate)
    if as_json:
        print_json(clipping.to_dict())
    else:
        print_added(clipping)


def _read_source(source: str | None) -> str:
    from clipper.capture import files

    if source == "-" or (source is None and not stdin_is_terminal()):
        if sys.stdin is None:
            raise UsageError("no text given: pass TEXT, a FILE, or - with text on standard input.")
        data = sys.stdin.buffer.read(files.MAX_BYTES + 1)
        if len(data) > files.MAX_BYTES:
            raise UsageError("standard input holds over 20 MB; clip takes texts up to 20 MB.")
        if not data.strip():
            raise UsageError("standard input is empty; nothing was saved.")
        return files.decode_text(data, name="standard input")
    if source is None:
        from clipper.cli.editor import edit_text

        text, path = edit_text("")
        path.unlink(missing_ok=True)
        if not text.strip():
            raise ClipperError("the text is empty; nothing was saved.")
        return text
    if source.lower().startswith(("http://", "https://")):
        raise UsageError(
            "fetching URLs is not available in this version; save the page text to a file "
            "and add it with --url."
        )
    if files.looks_like_path(source):
        path = Path(source).expanduser()
        if path.name.lower().endswith(files.HTML_SUFFIXES):
            raise UsageError(
                f"{path} is an HTML page; HTML capture is not available in this version. "
                "Save the article as text and add that."
            )
        return files.read_text_file(path)
    return source


def register(app: typer.Typer) -> None:
    app.command("add")(add)
