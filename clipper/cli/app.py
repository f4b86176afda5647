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
            _check_encoding(sys.argv[1:] if args is None else args)
        except ClipperError as error:
            report_error(error)
            sys.exit(int(error.exit_code))
        try:
            code = super().main(*forward, False, windows_expand_args, **extra)
        except _ARGUMENT_ERROR as error:
            words = list(sys.argv[1:] if args is None else args)
            sys.stderr.write(f"Error: {_argument_error_line(error, words)}\n")
            sys.exit(int(getattr(error, "exit_code", ExitCode.USAGE)))
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            sys.exit(int(ExitCode.ERROR))
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                result = super().invoke(ctx)
            except typer.Exit:
                _warn(ctx)
                raise
            _warn(ctx)
            return result
        except ClipperError as error:
            report_error(error)  # alone: a failed command says one line
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _check_encoding(args: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 (Python hands its bytes over as lone surrogates,
    which no text, tag or query can hold), unless it names an existing file: a path may be
    any bytes."""
    import os

    from clipper.errors import UsageError

    for number, argument in enumerate(args, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            if os.path.lexists(argument):
                continue
            raw = argument.encode("utf-8", "surrogateescape")
            shown = raw.decode("utf-8", "backslashreplace")
            raise UsageError(
                f"argument {number} ({shown}) is not UTF-8 text; set your terminal to UTF-8, "
                "or give the text in a file or on standard input. Nothing was done."
            ) from None


def _warn(ctx: Any) -> None:
    if ctx.invoked_subcommand != "doctor":  # doctor lists each damaged record itself
        warn_damaged(ctx.obj.get("libraries", []) if isinstance(ctx.obj, dict) else [])


def _argument_error_line(error: Exception, words: Sequence[str]) -> str:
    from clipper.render.console import one_line

    message = one_line(getattr(error, "format_message", error.__str__)())
    context = getattr(error, "ctx", None)
    if context is not None:
        # "Did you mean 'list'?" keeps its question mark, without a full stop after it.
        message = message.rstrip(".")
        message += "" if message.endswith(("?", "!")) else "."
        dashed = _dashed_query_word(error, context, words)
        if dashed:
            word, reading = dashed
            message = (
                f"{word} {reading}; a query that starts with '-' goes after '--': "
                f"`{context.command_path} -- {word}`."
            )
        else:
            message += f" See `{context.command_path} -h`."
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _dashed_query_word(
    error: Exception, context: Any, words: Sequence[str]
) -> tuple[str, str] | None:
    """The word the user typed, and how it was read, when a query word that starts with '-'
    was taken for short options: `clip search -iraq` reads as -i -r -a -q (no such option),
    `clip search -nato` as -n ato (a bad --limit). None for any other argument error."""
    params = getattr(context.command, "params", [])
    if not any(p.name == "query" and getattr(p, "nargs", 1) == -1 for p in params):
        return None  # only commands that take a query in the search language
    dashed = [word for word in words if word.startswith("-") and word[1:2] not in ("-", "")]
    option = getattr(error, "option_name", None)
    if type(error).__name__ == "NoSuchOption" and option and not option.startswith("--"):
        word = next((w for w in dashed if w.startswith(option)), option)
        return word, f"is not an option of `{context.command_path}`"
    opts: list[str] = list(getattr(getattr(error, "param", None), "opts", None) or [])
    for short in [o for o in opts if len(o) == 2 and o[1] != "-"]:
        for word in dashed:
            if word.startswith(short) and len(word) > 2:
                return word, f"reads as {short} {word[2:]} ({max(opts, key=len)})"
    return None
def warn_damaged(libraries: list[Any]) -> None:
    """One line on stderr when the command skipped damaged records of the store (or found
    its counters broken): the command worked on the rest."""
    from clipper.render.console import one_line
    from clipper.storage.check import damage_summary

    for library in libraries:
        summary = damage_summary(*library.damage_seen())
        if summary:
            sys.stderr.write(f"Warning: {one_line(summary)}\n")


def report_error(error: ClipperError) -> None:
    """One line on stderr, free of control characters whatever the message quotes."""
    from clipper.render.console import one_line

    sys.stderr.write(f"Error: {one_line(error.message)}\n")


app = typer.Typer(
    cls=ClipGroup,
    name="clip",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"clip {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    library: Annotated[
        str | None,
        typer.Option(
            "--library",
            "-L",
            metavar="PATH",
            help="Library folder to use (default: $CLIPPER_HOME, else library in `clip config`, "
            "else your user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Save, tag, search and export news clippings, in a local library you own.

    `clip` alone shows the library at a glance: its newest clippings and tags. Start with
    `clip add FILE -t TAG`, then `clip list` and `clip show ID`; `clip COMMAND -h` explains
    a command, `clip config` your settings. Tab completion: `clip --install-completion`,
    then open a new shell.

    Examples:

      clip add article.txt -t politics

      clip search 'khojaly after:2023-01-01'

      clip export -t politics --excerpt 60 -o review.md
    """
    ctx.obj = {"library": library}
    if ctx.invoked_subcommand is None:
        from clipper.cli.commands.overview import dashboard

        dashboard(ctx)


def _register() -> None:
    from clipper.cli.commands import (
        add,
        edit,
        exchange,
        maintenance,
        marks,
        moving,
        overview,
        reading,
        search,
        serve,
        settings,
        tags,
        trash,
        watch,
        where,
    )

    for module in (add, reading, search, edit, tags, marks, trash, exchange, moving, maintenance,
                   overview, where, settings, watch, serve):  # fmt: skip
        module.register(app)


_register()


def main() -> None:
    """Entry point of the `clip` command."""
    import gc
    import os

    from clipper.cli.preparse import invoked_command, only_command, root_value_options

    # What the imports made (modules, classes, functions, typer's app) lives as long as the
    # process: frozen, the cyclic collector no longer walks it at each full collection of the
    # command's own objects, nor at exit. What is alive when the command ends is frozen too:
    # the interpreter's last collection at exit would walk it all to free nothing that
    # matters (every file and connection is closed by then; exit still flushes stdout and
    # runs the atexit handlers). About 30 ms of CPU of every run (docs/decisions/020).
    gc.freeze()
    try:
        only_command(app, invoked_command(sys.argv[1:], os.environ, root_value_options(app)))
        app()
    finally:
        gc.freeze()
