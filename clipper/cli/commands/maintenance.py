"""`clip backup`, `clip restore` and `clip doctor`: keeping a library healthy."""

from __future__ import annotations

from typing import Annotated

import typer

from clipper.cli.context import JsonOption, LibraryOption, open_local_library, stdin_is_terminal


def backup(
    ctx: typer.Context,
    list_them: Annotated[
        bool, typer.Option("--list", help="List the backups instead of taking one.")
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Back up the library now, or list its backups and why each is kept.

    clip also backs up by itself before rm, trash empty, tags rename, import, restore, doctor
    --repair and migrations. It keeps the newest $CLIPPER_BACKUPS (default 10), every backup
    taken before a destructive command or by hand for 30 days, and the newest of each of the
    last 7 days, within $CLIPPER_BACKUPS_MAX_MB megabytes (default 2000; the newest backup is
    always kept).

    Examples:

      clip backup

      clip backup --list
    """
    from clipper.render.console import message
    from clipper.render.data import print_json, print_rows

    lib = open_local_library(ctx, library)
    if list_them:
        found = lib.backups.verdicts()
        if as_json:
            print_json([{"name": b.path.name, "taken": b.taken, "reason": b.reason,
                         "kind": b.kind, "bytes": b.size, "path": str(b.path),
                         "kept": v.keep, "why": list(v.why)} for b, v in found])  # fmt: skip
        elif found:
            fate = {True: "kept: ", False: "removed at the next backup: "}
            print_rows([[b.path.name, b.taken, b.kind, str(b.size), fate[v.keep] + "; ".join(v.why)]
                        for b, v in found])  # fmt: skip
        else:
            message("No backups yet. Take one with `clip backup`.")
        return
    path = lib.backup_now()
    if as_json:
        print_json({"name": path.name, "path": str(path)})
    else:
        message(f"Backed up to {path}.")


def restore(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="BACKUP", help="A name from `clip backup --list`, or a path.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    library: LibraryOption = None,
) -> None:
    """Replace the library by a backup. The current state is backed up first.

    Example:

      clip restore clippings-20261129T101500Z-rm.json
    """
    from clipper.errors import UsageError
    from clipper.render.console import message

    lib = open_local_library(ctx, library)
    source = lib.backups.find(name)
    if not yes:
        if not stdin_is_terminal():
            raise UsageError("restoring replaces the library; confirm with --yes.")
        if not typer.confirm(f"Replace the library by {source.name}?", default=False, err=True):
            raise typer.Exit(1)
    lib.restore_backup(str(source))
    message(f"Restored {source.name}. The state before is in {lib.paths.backups}.")


def doctor(
    ctx: typer.Context,
    fix: Annotated[
        bool,
        typer.Option(
            "--repair", help="Fix what can be fixed (a copy of anything damaged is kept)."
        ),
    ] = False,
    as_json: JsonOption = False,
    library: LibraryOption = None,
) -> None:
    """Check the library: the store, ids, fields, the search index, snapshots.

    Exits with 1 when problems remain.

    Examples:

      clip doctor

      clip doctor --repair
    """
    from clipper.library import doctor as checkup
    from clipper.render.console import message
    from clipper.render.data import print_json

    lib = open_local_library(ctx, library)
    repaired = checkup.repair(lib) if fix else checkup.Repair()
    findings = checkup.examine(lib)
    salvage = repaired.salvage
    if as_json:
        print_json({
            "repaired": repaired.done,
            "problems": [{"kind": f.kind, "message": f.message, "repairable": f.repairable}
                         for f in findings],
            "salvaged": None if salvage is None else {
                "backup": salvage.backup,
                "read": salvage.comparison.read,
                "file": None if salvage.path is None else str(salvage.path),
                "lacking": [{"id": item.id, "title": item.title, "change": item.change,
                             "fields": list(item.fields), "damaged_text": item.damaged_text}
                            for item in salvage.comparison.lacking],
                "trashed_lacking": salvage.comparison.trashed_lacking,
                "unread_ids": list(salvage.comparison.unread),
            },
        })  # fmt: skip
    else:
        for line in repaired.done:
            message(f"Repaired: {line}")
        for line in salvage.lines() if salvage is not None else []:
            message(line)
        for finding in findings:
            message(f"Problem: {finding.message}")
        message(checkup.summary(findings))
    if findings:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("doctor")(doctor)
