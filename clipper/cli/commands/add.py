"""`clip add`: save a clipping from text, a file, a web page, standard input or the editor."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from clipper.cli.context import (
    JsonOption,
    LibraryOption,
    complete_tag,
    open_library,
    settings,
    split_tags,
    stdin_is_terminal,
)
from clipper.errors import UsageError

if TYPE_CHECKING:
    from clipper.capture.hints import Hints
    from clipper.capture.sources import Captured
    from clipper.library.intake import Added


def add(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT|FILE|URL|-]",
            help="The text itself, a .txt, .md or .html file, a web address (http(s)://, or "
            "www.site.com/... and site.com/... as a browser shows them), or - for standard "
            "input. Without it, your $EDITOR opens on a template with the fields.",
            show_default=False,
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            help="The clipping's text, taken as it is even when it looks like a file name or "
            "a web address.",
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
        str | None, typer.Option(
            "--date",
            help="Publication date: 2023-02-23, 23 February 2023, 23.02.2023, ISO 8601 ...",
        )
    ] = None,
    tags: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            "-t",
            help="A tag; repeat or separate with commas.",
            autocompletion=complete_tag,
        ),
    ] = None,
    no_default_tags: Annotated[
        bool,
        typer.Option(
            "--no-default-tags", help="Leave out the default_tags of your settings (clip config)."
        ),
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="Your own note or summary.")] = None,
    language: Annotated[
        str | None, typer.Option("--lang", help="Language code, e.g. en, de, pt-BR.")
    ] = None,
    star: Annotated[bool, typer.Option("--star", help="Star it for press reviews.")] = False,
    auto_tag: Annotated[
        bool, typer.Option("--auto-tag", help="Also apply the suggested tags.")
    ] = False,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot", help="Keep the original page (HTML, gzipped) in the library's snapshots/."
        ),
    ] = False,
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

    The date, the outlet, a title and the language are found in the text (or the page) when
    not given; what you give always wins.

    Examples:

      clip add article.txt -t politics --source "BBC News" --date 2023-02-23

      clip add https://example.org/story --snapshot --auto-tag

      clip add www.news.az/en/news/123 -t azerbaijan

      pbpaste | clip add - --url https://example.org/story

      clip add "Short item text" --title "Headline"
    """
    from clipper.capture.hints import Hints
    from clipper.render.clippings import print_added, print_near_duplicates
    from clipper.render.data import print_json

    chosen = settings(ctx)
    hints = Hints(title, url, outlet, list(authors or []), published, language)

    def save(captured: Captured, given_tags: list[str]) -> Added:
        if snapshot and captured.page is None:
            raise UsageError("--snapshot keeps a web page's HTML; this source is plain text.")
        draft = captured.draft
        draft.tags = [*(() if no_default_tags else chosen["default_tags"]), *given_tags]
        draft.note = note
        draft.starred = star
        return open_library(ctx, library).add_captured(
            draft,
            allow_duplicate=allow_duplicate,
            auto_tag=auto_tag,
            page=captured.page if snapshot else None,
        )

    if text is not None:
        if source is not None:
            raise UsageError("give the text either as TEXT or with --text, not both.")
        added = save(_capture_given_text(text, hints), split_tags(tags))
    elif source is None and stdin_is_terminal():
        from clipper.capture.sources import capture_text
        from clipper.cli.add_template import edit_draft

        with edit_draft(hints, split_tags(tags), editor=chosen["editor"]) as written:
            added = save(capture_text(written.text, hints), written.tags)
    else:
        added = save(_capture(source, hints), split_tags(tags))
    near = [(n.id, n.title, n.overlap) for n in added.near_duplicates]
    print_near_duplicates(added.clipping, near)
    if as_json:
        print_json(added.clipping.to_dict())
    else:
        print_added(added.clipping, added.suggested_tags)


def _capture(source: str | None, hints: Hints) -> Captured:
    """What the argument, or standard input (`-`, or no argument off a terminal), holds."""
    from clipper.capture import files, sources

    if source is None or source == "-":
        if sys.stdin is None:
            raise UsageError("no text given: pass TEXT, a FILE, or - with text on standard input.")
        return sources.capture_bytes(files.read_stream(sys.stdin.buffer), hints,
                                     name="standard input")  # fmt: skip
    if not source.strip():
        raise UsageError("the text is empty; nothing was saved.")
    return sources.capture_argument(source, hints)


def _capture_given_text(text: str, hints: Hints) -> Captured:
    from clipper.capture import sources

    if not text.strip():
        raise UsageError("the text is empty; nothing was saved.")
    return sources.capture_text(text, hints)


def register(app: typer.Typer) -> None:
    app.command("add")(add)
