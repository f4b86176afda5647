"""The `clip` application: the root command, error handling and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from clipper import __version__
from clipper.errors import ClipperError, ExitCode

# typer re-exports click's exception types only through its own subclasses; the base class of
# every argument error (unknown option, bad value, missing argument) is found from them.
_ARGUMENT_ERROR: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)


class ClipGroup(TyperGroup):
    """Turns a ClipperError from any command into `Error: ...` on stderr and its exit code,
    and argument errors into the same one line (with a pointer to the command's help)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        forward = (args, prog_name, complete_var)
        if not standalone_mode:
            return super().main(*forward, False, windows_expand_args, **extra)
        try:
            code = super().main(*forward, False, windows_expand_args, **extra)
        except _ARGUMENT_ERROR as error:
            context = getattr(error, "ctx", None)
            if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
                sys.stdout.write(context.get_help() + "\n")  # `clip tags` alone etc.: help
                sys.exit(0)
            sys.stderr.write(f"Error: {_argument_error_line(error)}\n")
            sys.exit(int(getattr(error, "exit_code", ExitCode.USAGE)))
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            sys.exit(int(ExitCode.ERROR))
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClipperError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _argument_error_line(error: Exception) -> str:
    from clipper.render.console import one_line

    message = one_line(getattr(error, "format_message", error.__str__)())
    context = getattr(error, "ctx", None)
    if context is not None:
        message = message.rstrip(".") + f". See `{context.command_path} -h`."
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


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
        search,
        tags,
        trash,
        where,
    )

    for module in (add, reading, search, edit, tags, marks, trash, exchange, maintenance, where):
        module.register(app)


_register()


def main() -> None:
    """Entry point of the `clip` command."""
    app()
