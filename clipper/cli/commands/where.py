"""`clip where`: the paths in use."""

from __future__ import annotations

import os

import typer

from clipper.cli.context import JsonOption, LibraryOption, open_library


def where(ctx: typer.Context, as_json: JsonOption = False, library: LibraryOption = None) -> None:
    """Print where the library and its files are.

    Example:

      clip where
    """
    from clipper.paths import user_config_file
    from clipper.render.data import print_json, print_rows

    paths = open_library(ctx, library).paths
    rows = {
        "library": paths.home,
        "store": paths.store,
        "index": paths.index,
        "backups": paths.backups,
        "snapshots": paths.snapshots,
        "config": user_config_file(dict(os.environ)),
    }
    if as_json:
        print_json({name: str(path) for name, path in rows.items()})
    else:
        print_rows([[name, str(path)] for name, path in rows.items()])


def register(app: typer.Typer) -> None:
    app.command("where")(where)
