"""`clip config`, `clip config path` and `clip config edit`: the settings and their file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from clipper.cli.context import command_settings, library_paths

config_app = typer.Typer(
    name="config", no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]}, rich_markup_mode=None,
)  # fmt: skip


def _config_file() -> Path:
    from clipper.paths import user_config_file

    return user_config_file(dict(os.environ))


@config_app.callback(invoke_without_command=True)
def config(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the settings and their origins as JSON.")
    ] = False,
) -> None:
    """Show the settings in effect and where each comes from: an option, an environment
    variable, a line of config.toml, or the default.

    The file (see `clip config path`) is TOML, one setting a line: library, editor, pager,
    color (auto, always, never), default_tags (a list), export_format, group_by, backups,
    backups_max_mb, lock_timeout, date_order (day-first, month-first). clip's own variables
    ($CLIPPER_HOME, $CLIPPER_EDITOR, $CLIPPER_PAGER, $CLIPPER_COLOR, $CLIPPER_DEFAULT_TAGS,
    $CLIPPER_EXPORT_FORMAT, $CLIPPER_GROUP_BY, $CLIPPER_BACKUPS, $CLIPPER_BACKUPS_MAX_MB,
    $CLIPPER_LOCK_TIMEOUT, $CLIPPER_DATE_ORDER) override it; it overrides $VISUAL, $EDITOR,
    $PAGER, $NO_COLOR and, for date_order, the locale ($LC_ALL, $LC_TIME, $LANG).

    Examples:

      clip config

      clip config --json | jq -r '.settings.editor.value'

      clip config edit
    """
    if ctx.invoked_subcommand is not None:
        return
    from clipper.cli.editor import editor_command
    from clipper.config import SETTINGS
    from clipper.render.settings import print_settings

    chosen = command_settings(ctx, None)
    rows = []
    for setting in SETTINGS:
        value = chosen.values[setting.name]
        shown = value.value
        if setting.name == "library":
            from clipper.paths import library_url, redacted

            url = library_url(shown)
            shown = redacted(url) if url else str(library_paths(chosen).home)
        elif setting.name == "editor" and shown is None:
            shown = " ".join(editor_command(None))
        rows.append((setting.name, shown, value.origin, setting.help))
    path = chosen.path
    print_settings(rows, path=str(path), exists=path.is_file(), as_json=as_json)


@config_app.command("path")
def path() -> None:
    """Print the path of the config file (it may not exist yet).

    Example:

      clip config path
    """
    from clipper.render.console import write

    write(f"{_config_file()}\n")


@config_app.command("edit")
def edit() -> None:
    """Open the config file in your editor, made from a commented template if missing; the
    settings are checked when you save.

    Example:

      clip config edit
    """
    from clipper import config as settings_file
    from clipper.cli.editor import editor_command, run_editor
    from clipper.errors import ClipperError, UsageError
    from clipper.render.console import message
    from clipper.storage.atomic import write_atomically

    target = _config_file()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, settings_file.template().encode("utf-8"))
    # The editor from everything but the file about to be edited, which may well be broken.
    environ = dict(os.environ)
    editor = next((environ[n] for n in ("CLIPPER_EDITOR", "VISUAL", "EDITOR")
                   if environ.get(n, "").strip()), None)  # fmt: skip
    code = run_editor(target, editor, hint=" Set $EDITOR, or edit the file by hand.")
    if code != 0:
        raise ClipperError(f"the editor {editor_command(editor)[0]!r} exited with code {code}.")
    try:
        settings_file.load(target, environ)
    except UsageError as error:
        raise UsageError(f"{error.message} Fix it with `clip config edit`.") from None
    message(f"Saved {target}; `clip config` shows the settings in effect.")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app)
