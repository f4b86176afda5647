"""`clip export`: press reviews and backups out of the library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.context import (
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
    settings,
    split_tags,
)
from clipper.formats import export_names, import_names, review_names, spelled

SLOW_ITEMS = 10  # a bar for ten pages to fetch or files to read: each takes a moment


def _complete_export_format(incomplete: str) -> list[str]:
    """Shell completion of export's -f: the formats, not file names."""
    return [name for name in export_names() if name.startswith(incomplete.lower())]


def _complete_import_format(incomplete: str) -> list[str]:
    """Shell completion of import's -f: auto and the formats, not file names."""
    return [name for name in ("auto", *import_names()) if name.startswith(incomplete.lower())]


def _export_format_help() -> str:
    reviews = review_names()
    data = [name for name in export_names() if name not in reviews]
    return (
        f"{', '.join(reviews)} (press reviews), {spelled(data)} "
        "(default: md, or export_format in clip config)."
    )


def _import_format_help() -> str:
    return f"auto (recognized by content), {spelled(import_names())}."


def export(
    ctx: typer.Context,
    query: QueryArgument = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=_export_format_help(),
            show_default=False,
            autocompletion=_complete_export_format,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (a folder for md-files); default: standard output.",
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            help="Sections of reviews (md, html, pdf, docx): date, tag, source or none "
            "(default: date, or group_by in clip config).",
            show_default=False,
        ),
    ] = None,
    excerpt_words: Annotated[
        int | None,
        typer.Option(
            "--excerpt",
            metavar="N",
            help="Only the first N words of each text (or its quoted passages); with "
            "--share-safe, the word cap (default 60).",
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="Heading of reviews (default: Press review, and the query)."
        ),
    ] = None,
    subtitle: Annotated[
        str | None,
        typer.Option(
            "--subtitle",
            help="The audience line under the title (default: review_subtitle in clip config).",
        ),
    ] = None,
    share_safe: Annotated[
        bool | None,
        typer.Option(
            "--share-safe/--full-text",
            help="Reviews with no full text: per story its passages or first sentences up to "
            "the --excerpt cap, and an attribution line (default: share_safe in clip config).",
            show_default=False,
        ),
    ] = None,
    no_group: Annotated[
        bool,
        typer.Option(
            "--no-group", help="Reviews: every copy of a story, not the story once."
        ),
    ] = False,
    tags: TagFilter = None,
    source: SourceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    starred: StarredFilter = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="md-files: overwrite the files you edited since the last export too (by "
            "default they are kept and listed).",
        ),
    ] = False,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="csv: cells as they are, even those starting with = + - @ (by default they get "
            "a leading ' so that a spreadsheet never runs them as formulas).",
        ),
    ] = False,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for spreadsheets: a UTF-8 byte order mark and CRLF line ends, so Excel "
            "shows accents right (implies -f csv).",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    library: LibraryOption = None,
) -> None:
    """Export clippings: a Markdown press review (the default), one file per clipping, or data.

    Examples:

      clip export -t khojaly --group-by source --excerpt 60 -o review.md

      clip export -f md-files -o vault/

      clip export -f json -o backup.json

      clip export -f html --since 7d -o week.html

      clip export -f pdf --share-safe --subtitle "For the minister's office" -o review.pdf

      clip export --excel -t politics -o politics.csv
    """
    from clipper import formats
    from clipper.errors import UsageError
    from clipper.render.console import message, write
    from clipper.render.progress import progress, working
    from clipper.render.search import index_progress

    chosen = settings(ctx)
    row = formats.export_format(fmt or ("csv" if excel else chosen["export_format"]))
    name = row.name
    if excel and name != "csv":
        raise UsageError(f"--excel makes a CSV file; it does not apply to -f {name}.")
    sections = group_by or chosen["group_by"]
    if excerpt_words is not None and excerpt_words <= 0:
        raise UsageError("--excerpt takes a number of words greater than 0.")
    if share_safe and not row.review:
        # Data formats carry whole texts by design; the setting alone leaves them to backups.
        raise UsageError(
            f"--share-safe makes a press review (md, html, pdf, docx); -f {name} holds full texts."
        )
    safe = chosen["share_safe"] if share_safe is None else share_safe
    if row.binary and (output is None or str(output) == "-"):
        raise UsageError(
            f"-f {name} makes a binary file: give its name with -o review{row.extensions[0]}."
        )
    lib = open_library(ctx, library)
    to_stdout = output is not None and str(output) == "-"
    paths = getattr(lib, "paths", None)  # a team library has no folder to protect
    if output is not None and not to_stdout and paths is not None:
        paths.refuse_inside(output)
    where = build_filter(tags, source, since, until, starred, order=lib.date_order)
    with index_progress(quiet=quiet) as lib.index_progress:
        selected = lib.select(where, sort="newest", query=joined_query(query))
    from clipper.formats.press_review import review_title

    heading = title or review_title(joined_query(query))
    if row.folder:
        from clipper.formats import markdown_folder
        from clipper.render.exports import print_refresh

        if output is None or to_stdout:
            raise UsageError("md-files writes one file per clipping: give a folder with -o.")
        with progress(len(selected), "Exporting", quiet=quiet) as advance:
            refresh = markdown_folder.write(selected, output, force=force, advance=advance)
        print_refresh(refresh, output, quiet=quiet)
        return
    from clipper.formats.press_review import Options

    options = Options(
        title=heading,
        subtitle=subtitle or chosen["review_subtitle"],
        group_by=sections,
        excerpt_words=excerpt_words,
        share_safe=bool(safe) and row.review,
        group_copies=not no_group,
    )
    with working(len(selected), f"Writing {name}", quiet=quiet):
        document = formats.render_document(
            name, selected, options, excel=excel, raw_csv=raw_csv
        )
    if output is None or to_stdout:
        assert isinstance(document, str)  # binary formats were refused without -o above
        write(document)
        return
    from clipper.storage.atomic import write_output

    data = document if isinstance(document, bytes) else document.encode("utf-8")
    write_output(output, data)
    if not quiet:
        count = len(selected)
        message(f"Wrote {count} clipping{'s' if count != 1 else ''} to {output}.")


def import_(
    ctx: typer.Context,
    location: Annotated[
        str,
        typer.Argument(
            metavar="PATH|URL",
            help="An export file, a folder of Markdown, text or HTML files, or a feed's http(s) "
            "address.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=_import_format_help(),
            autocompletion=_complete_import_format,
        ),
    ] = "auto",
    tags: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Add this tag to every imported clipping; repeatable."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")
    ] = False,
    fetch: Annotated[
        bool,
        typer.Option("--fetch", help="Fetch each entry's full article from its URL."),
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate",
            help="Keep records whose URL, text or uuid is already kept (restores a library "
            "that kept duplicates).",
        ),
    ] = False,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    library: LibraryOption = None,
) -> None:
    """Import clippings: clipper JSON/JSONL, RSS/Atom/JSON feeds, bookmarks, Pocket, wallabag
    or CSV, or a folder (and its subfolders) of Markdown, text and HTML files, each read as
    `clip add FILE` reads it. One write for each 25,000 clippings (stopped, an import keeps
    the writes done and says so); duplicates are skipped, and a bad record is reported without
    stopping the others.

    Examples:

      clip import backup.json

      clip import vault/

      clip import saved-pages/ -t archive

      clip import https://example.org/feed.xml -t press --fetch

      clip import bookmarks.html --dry-run
    """
    from clipper.errors import ClipperError
    from clipper.library.importing import read_source, run_import
    from clipper.model import normalize_tags
    from clipper.render.imports import print_report
    from clipper.render.progress import MIN_ITEMS, progress

    extra = normalize_tags(split_tags(tags))
    lib = open_library(ctx, library)
    batch = read_source(location, fmt)
    total = len(batch.records)
    slow = fetch or batch.format == "folder"  # each record a page to fetch or a file to read
    with progress(
        total, "Fetching" if fetch else "Importing", quiet=quiet or as_json,
        min_items=SLOW_ITEMS if slow else MIN_ITEMS,
    ) as advance:  # fmt: skip
        report = run_import(
            lib,
            batch,
            tags=extra,
            dry_run=dry_run,
            fetch_articles=fetch,
            allow_duplicate=allow_duplicate,
            advance=advance,
        )
    print_report(report, as_json=as_json)
    if report.count("added") == 0 and report.count("duplicate") == 0:
        raise ClipperError(f"none of the {total} records could be imported; nothing was written.")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
