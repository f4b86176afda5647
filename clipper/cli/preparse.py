"""The argv pre-parser: which command a command line runs, read before typer sees it.

typer builds every registered command's parameters before it parses anything (about 30 ms
for twenty commands). `main()` therefore keeps only the command the arguments name, or all of
them for the root's help, completion or an unknown name. The root's options that take a value
are read from the app itself, so that a new one can never be mistaken for a command's name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import typer


def root_value_options(typer_app: typer.Typer) -> frozenset[str]:
    """The root's options that take a value (`--library PATH`, `-L PATH`), read from the root
    callback's own parameters: the word after one is its value, never a command's name."""
    from typer.main import get_params_convertors_ctx_param_name_from_function

    info = typer_app.registered_callback
    if info is None or info.callback is None:
        return frozenset()
    params, _, _ = get_params_convertors_ctx_param_name_from_function(info.callback)
    return frozenset(
        name
        for param in params
        if param.param_type_name == "option"
        and not getattr(param, "is_flag", False)
        and not getattr(param, "count", False)
        for name in (*param.opts, *param.secondary_opts)
    )


def invoked_command(
    args: Sequence[str], environ: Mapping[str, str], value_options: Collection[str]
) -> str | None:
    """The command a command line runs, when that is plain from its words; None for the root's
    help, shell completion, or anything unsure. `value_options` are the root's options whose
    next word is their value (`root_value_options`); `--library=PATH` and `-LPATH` are one word."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # completion lists every command
    takes_value = False
    for arg in args:
        if takes_value:
            takes_value = False
        elif arg in value_options:
            takes_value = True
        elif arg in ("-h", "--help", "--"):
            return None
        elif arg == "--version":
            return arg  # answered by the root before any command: none needs building
        elif not arg.startswith("-"):
            return arg
    return "--version"  # no command at all: the root answers alone (`clip`, the dashboard)


def only_command(typer_app: typer.Typer, name: str | None) -> None:
    """Keep only the command `name` (a known one) in the app: typer then builds that command's
    parameters alone, not all twenty (about 30 ms of every start, for nothing)."""
    commands = [c for c in typer_app.registered_commands if c.name == name]
    groups = [
        g for g in typer_app.registered_groups
        if (g.name or (g.typer_instance.info.name if g.typer_instance else None)) == name
    ]  # fmt: skip
    # An unknown name keeps them all, for click's "did you mean".
    if commands or groups or name == "--version":
        typer_app.registered_commands, typer_app.registered_groups = commands, groups
