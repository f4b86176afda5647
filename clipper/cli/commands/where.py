"""`clip where`: the paths in use."""

from __future__ import annotations

import os

import typer

from clipper.cli.context import (
    JsonOption,
    LibraryOption,
    command_settings,
    open_library,
    open_local_library,
    team_url,
)


def where(ctx: typer.Context, as_json: JsonOption = False, library: LibraryOption = None) -> None:
    """Print where the library and its files are.

    Example:

      clip where
    """
    from clipper.paths import user_config_file
    from clipper.render.data import print_json, print_rows

    lib = open_library(ctx, library)
    config = user_config_file(dict(os.environ))
    if team_url(command_settings(ctx, library)) is not None:
        team = {"library": getattr(lib, "label", ""), "config": str(config)}
        if as_json:
            print_json(team)
        else:
            print_rows([[name, value] for name, value in team.items()])
        return
    paths = open_local_library(ctx, library).paths
    rows = {
        "library": paths.home,
        "store": paths.store,
        "index": paths.index,
        "backups": paths.backups,
        "snapshots": paths.snapshots,
        "config": config,
    }
    if as_json:
        print_json({name: str(path) for name, path in rows.items()})
    else:
        print_rows([[name, str(path)] for name, path in rows.items()])


def register(app: typer.Typer) -> None:
    app.command("where")(where)
