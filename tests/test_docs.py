"""Every command explains itself: help with an example, help on every option, a README entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from clipper.cli.app import app

README = Path(__file__).parent.parent / "README.md"


def all_commands() -> dict[str, typer.core.TyperCommand | typer.core.TyperGroup]:
    """Every command and subcommand by its path, e.g. 'tags rename'."""
    found: dict[str, typer.core.TyperCommand | typer.core.TyperGroup] = {}

    def walk(command: object, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found[" ".join([*path, name])] = sub
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = all_commands()


def test_the_command_tree_is_walked() -> None:
    assert {"add", "list", "show", "tags", "tags rename", "trash restore"} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(path: str) -> None:
    text = COMMANDS[path].help or ""
    assert text.strip(), f"`clip {path}` has no help"
    assert "Example" in text, f"`clip {path}` has no example in its help"
    assert f"clip {path}" in text, f"the example of `clip {path}` does not show the command"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_and_argument_has_help(path: str) -> None:
    missing = [
        param.name
        for param in COMMANDS[path].params
        if not (getattr(param, "help", None) or "").strip()
    ]
    assert missing == [], f"`clip {path}`: no help for {missing}"


def test_the_root_has_help_and_every_root_option_too() -> None:
    root = typer.main.get_command(app)
    assert (root.help or "").strip()
    assert [p.name for p in root.params if not (getattr(p, "help", None) or "").strip()] == []


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_is_in_the_readme(path: str) -> None:
    readme = README.read_text(encoding="utf-8")
    mentioned = re.search(rf"\bclip {re.escape(path)}(?![\w-])", readme) is not None
    assert mentioned, f"`clip {path}` is not mentioned in README.md"
