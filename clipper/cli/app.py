"""The `clip` application: the root command, error handling and exit codes."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from clipper import __version__
from clipper.errors import ClipperError, ExitCode


class ClipGroup(TyperGroup):
    """Turns a ClipperError from any command into `Error: ...` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClipperError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def report_error(error: ClipperError) -> None:
    """One line on stderr, free of control characters whatever the message quotes."""
    from clipper.render.console import one_line

    sys.stderr.write(f"Error: {one_line(error.message)}\n")


app = typer.Typer(
    cls=ClipGroup,
    name="clip",
    help="Save, tag, search and export news clippings.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"clip {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    library: Annotated[
        str | None,
        typer.Option(
            "--library",
            "-L",
            metavar="PATH",
            help="Library folder to use (default: $CLIPPER_HOME, else your user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """clip keeps news clippings in a local library you own, and finds them again.

    Start with `clip add FILE -t TAG`, then `clip list` and `clip show ID`.
    """
    ctx.obj = {"library": library}


def _register() -> None:
    from clipper.cli.commands import (
        add,
        edit,
        exchange,
        maintenance,
        marks,
        reading,
        tags,
        trash,
        where,
    )

    for module in (add, reading, edit, tags, marks, trash, exchange, maintenance, where):
        module.register(app)


_register()


def main() -> None:
    """Entry point of the `clip` command."""
    app()
