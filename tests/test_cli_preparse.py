"""The argv pre-parser that keeps only the command being run: from argv to the command, with
the root's value-taking options read from the app. CliRunner never goes through `main()`, so
these tests call the pre-parser directly, and run `main()` itself in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer

from clipper.cli.app import app
from clipper.cli.preparse import invoked_command, only_command, root_value_options

ROOT_VALUES = root_value_options(app)


def test_the_roots_value_options_come_from_the_app() -> None:
    assert {"--library", "-L"} == ROOT_VALUES  # --version, --help and completion are flags


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["add", "article.txt", "-t", "x"], "add"),
        (["--library", "lib", "list"], "list"),
        (["-L", "lib", "search", "tram"], "search"),
        (["-L", "list", "show", "1"], "show"),  # a library folder named like a command
        (["--library=lib", "tags", "rename", "a", "b"], "tags"),
        (["-Llib", "watch", "run"], "watch"),
        (["list", "-h"], "list"),
        (["trash", "restore", "1"], "trash"),
        (["nosuch"], "nosuch"),
        (["--version"], "--version"),
        (["-L", "lib", "--version"], "--version"),
        ([], "--version"),  # `clip` alone: the dashboard, no command
        (["-L", "lib"], "--version"),
        (["--library"], "--version"),  # click reports the missing value
        (["-h"], None),
        (["--help", "list"], None),
        (["--", "list"], None),
    ],
)
def test_from_argv_to_the_command(argv: list[str], command: str | None) -> None:
    assert invoked_command(argv, {}, ROOT_VALUES) == command


def test_completion_keeps_every_command() -> None:
    assert invoked_command(["list"], {"_CLIP_COMPLETE": "bash_complete"}, ROOT_VALUES) is None


def _app_with_a_new_root_option() -> typer.Typer:
    other = typer.Typer()

    @other.callback()
    def root(
        profile: Annotated[str | None, typer.Option("--profile", "-p")] = None,
        verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
        quiet: Annotated[bool, typer.Option("--quiet/--loud")] = False,
    ) -> None:
        """A root with an option that takes a value, a counter and a switch."""

    @other.command("list")
    def list_() -> None:
        """List."""

    @other.command("work")
    def work() -> None:
        """Work."""

    return other


def test_a_new_root_option_with_a_value_is_learned_from_the_app() -> None:
    other = _app_with_a_new_root_option()
    values = root_value_options(other)
    assert values == {"--profile", "-p"}
    assert invoked_command(["--profile", "work", "list"], {}, values) == "list"
    assert invoked_command(["-v", "-v", "--loud", "work"], {}, values) == "work"
    only_command(other, invoked_command(["-p", "work", "list"], {}, values))
    assert [c.name for c in other.registered_commands] == ["list"]


def test_an_unknown_name_keeps_every_command_for_did_you_mean() -> None:
    other = _app_with_a_new_root_option()
    only_command(other, "lsit")
    assert [c.name for c in other.registered_commands] == ["list", "work"]


def _run_main(*argv: str) -> tuple[int, str, list[str]]:
    """Exit code, stdout, and the commands left registered after `clip ARGV` ran main()."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['clip', *{list(argv)!r}]\n"
        "from clipper.cli.app import app, main\n"
        "code = 0\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    code = exit.code or 0\n"
        "names = [c.name for c in app.registered_commands]\n"
        "names += [g.typer_instance.info.name for g in app.registered_groups]\n"
        "sys.stderr.write(json.dumps([code, names]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    code, names = json.loads(done.stderr.splitlines()[-1])
    return code, done.stdout, names


def test_main_builds_only_the_command_a_library_option_precedes(tmp_path: Path) -> None:
    code, stdout, names = _run_main("-L", str(tmp_path / "lib"), "tags", "--json")
    assert (code, json.loads(stdout), names) == (0, [], ["tags"])
    code, stdout, names = _run_main("--library", str(tmp_path / "lib"), "where", "--json")
    assert code == 0 and names == ["where"]
    assert json.loads(stdout)["library"] == str(tmp_path / "lib")
