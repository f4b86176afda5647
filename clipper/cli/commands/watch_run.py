"""`clip watch run`, `clip watch test` and `clip watch schedule`: running the watches."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.context import JsonOption, LibraryOption, build_filter, open_library

QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress and no summary; warnings still show.")
]


def _day(value: str, what: str, order: str | None) -> datetime:
    from clipper.search.periods import parse_day

    return datetime.fromisoformat(parse_day(value, what=what, order=order)).replace(tzinfo=UTC)


def run(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...", help="Watches to run (default: all).", show_default=False
        ),
    ] = None,
    digest: Annotated[
        str | None,
        typer.Option(
            "--digest",
            metavar="FILE",
            help="Also write a Markdown digest of what this "
            "run added, by watch and story ('-': print it).",
        ),
    ] = None,
    max_age: Annotated[
        str,
        typer.Option(
            "--max-age",
            help="On a watch's first run on a feed, leave out items "
            "published before this (30d, 2w, a date).",
        ),
    ] = "30d",
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            help="How long to wait for another run holding the library's watch lock.",
        ),
    ] = 600.0,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot",
            help="Keep the page of each item kept (HTML, gzipped) in the library's snapshots/.",
        ),
    ] = False,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
    library: LibraryOption = None,
) -> None:
    """Fetch the feeds of the watches, keep the new items that match, tagged with the watch.

    Exit code 0 when every feed ran, 1 when one failed (a warning names it).

    Examples:

      clip watch run

      clip watch run caucasus --digest today.md
    """
    from clipper.errors import UsageError
    from clipper.library.core import Library
    from clipper.render.console import message, write
    from clipper.render.data import print_json
    from clipper.render.watch import feed_progress, print_run
    from clipper.storage.atomic import write_atomically
    from clipper.watch.digest import render_digest
    from clipper.watch.run import run_watches

    if digest == "-" and as_json:
        raise UsageError("--digest - and --json both print to standard output; choose one.")
    lib = open_library(ctx, library)
    if snapshot and not isinstance(lib, Library):
        raise UsageError("a team library keeps no page snapshots; run without --snapshot.")
    now = datetime.now(UTC)
    cutoff = _day(max_age, "--max-age", lib.date_order)
    total = len({url for w in lib.watches().values() for url in w.feeds})

    def waiting() -> None:
        message("Another `clip watch run` is at work on this library; waiting for it to finish…")
        sys.stderr.flush()

    with feed_progress(total, quiet=quiet or as_json) as advance:
        report = run_watches(lib, names or [], now=now, cutoff=cutoff, wait=wait,
                             waiting=waiting, feed_done=advance, snapshot=snapshot)  # fmt: skip
    if digest is not None:
        text = render_digest(report, now=now)
        if digest == "-":
            write(text)
        else:
            write_atomically(Path(digest).expanduser(), text.encode("utf-8"))
    if as_json:
        print_json(report.to_dict())
    print_run(report, quiet=quiet)
    if report.failed:
        raise typer.Exit(1)


def test(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The watch to try.")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only what was published since (30d, 2w, a date)."),
    ] = None,
    feeds: Annotated[
        bool, typer.Option("--feeds", help="Also judge the items in its feeds now (fetched).")
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Preview a watch: its query on the clippings kept, and with --feeds on its feeds' items.

    Writes nothing. An item whose summary cannot decide is shown as "full text decides".

    Example:

      clip watch test caucasus --since 30d --feeds
    """
    from clipper.render.data import print_json
    from clipper.render.watch import print_preview
    from clipper.watch.preview import preview
    from clipper.watch.watches import find

    lib = open_library(ctx, library)
    watch = find(lib.watches(), [name])[0]
    where = build_filter(None, None, since, None, False, lib.date_order) if since else None
    cutoff = _day(since, "--since", lib.date_order) if since else None
    result = preview(lib, watch, where=where, feeds=feeds, now=datetime.now(UTC), cutoff=cutoff)
    if as_json:
        print_json(result.to_dict())
    else:
        print_preview(result)


def schedule(
    ctx: typer.Context,
    every: Annotated[
        str,
        typer.Option(
            "--every",
            help="How often: 15m, 30m, 1h, 2h, 6h ... (a divisor of "
            "an hour, or of a day in hours).",
        ),
    ] = "1h",
    digest: Annotated[
        Path | None,
        typer.Option("--digest", metavar="FILE", help="Have each run write its digest here."),
    ] = None,
    library: LibraryOption = None,
) -> None:
    """Print a crontab line and a systemd user timer that run the watches of this library.

    Runs never overlap: a run that finds another at work waits for it.

    Example:

      clip watch schedule --every 30m
    """
    import shutil

    from clipper.library.core import Library
    from clipper.render.console import write
    from clipper.watch.schedule import parse_every
    from clipper.watch.schedule import schedule as make

    lib = open_library(ctx, library)
    found = shutil.which("clip")
    clip = [str(Path(found).resolve())] if found else [sys.executable, "-m", "clipper"]
    if isinstance(lib, Library):
        location, logs = str(lib.paths.home.resolve()), lib.paths.home.resolve()
    else:  # a team library: its URL, and a log of one's own
        import platformdirs

        location, logs = lib.url, platformdirs.user_log_path("clipper", ensure_exists=True)
    plan = make(clip, location, logs, minutes=parse_every(every),
                digest=digest.expanduser().resolve() if digest else None)  # fmt: skip
    write(
        f"# crontab -e, then add:\n{plan.crontab}\n\n"
        f"# or systemd: ~/.config/systemd/user/clip-watch.service\n{plan.service}\n"
        f"# ~/.config/systemd/user/clip-watch.timer\n{plan.timer}\n"
        "# then: systemctl --user daemon-reload && systemctl --user enable --now clip-watch.timer\n"
    )


def register(group: typer.Typer) -> None:
    group.command("run")(run)
    group.command("test")(test)
    group.command("schedule")(schedule)
