"""Every command explains itself: help with an example, help on every option, an entry in the
command reference; the docs stay the size their readers can take, and their links lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from clipper.cli.app import app

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
COMMAND_REFERENCE = ROOT / "docs" / "commands.md"


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
def test_every_command_is_in_the_command_reference(path: str) -> None:
    reference = COMMAND_REFERENCE.read_text(encoding="utf-8")
    mentioned = re.search(rf"\bclip {re.escape(path)}(?![\w-])", reference) is not None
    assert mentioned, f"`clip {path}` is not mentioned in docs/commands.md"



def test_every_format_is_in_the_formats_reference() -> None:
    from clipper import formats

    reference = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w-]+)`", reference, flags=re.M))
    listed |= set(re.findall(r"^\| [^|]*?, `([\w-]+)`", reference, flags=re.M))
    assert sorted({*formats.export_names(), *formats.import_names()} - listed) == []


# A newcomer reads the README through; the next engineer reads ARCHITECTURE.md through. Past
# these sizes, the reference belongs in docs/ and the detail in docs/internals/ or docstrings.
SIZE_LIMITS = {"README.md": 10_000, "ARCHITECTURE.md": 12_000}


@pytest.mark.parametrize("name", sorted(SIZE_LIMITS))
def test_the_front_pages_stay_short(name: str) -> None:
    size = len((ROOT / name).read_bytes())
    assert size <= SIZE_LIMITS[name], f"{name} is {size} bytes, over {SIZE_LIMITS[name]}"


def doc_pages() -> list[Path]:
    return [README, ROOT / "ARCHITECTURE.md", ROOT / "BENCHMARKS.md", ROOT / "CHANGELOG.md",
            *sorted((ROOT / "docs").rglob("*.md"))]  # fmt: skip


def relative_links(text: str) -> list[str]:
    """The targets of Markdown links that point into the repository (no URL, no anchor alone)."""
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:|#", t)]


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_between_the_docs_leads_to_a_file(page: Path) -> None:
    broken = [
        target
        for target in relative_links(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert broken == [], f"{page.relative_to(ROOT)} links to missing {broken}"


def test_the_link_check_sees_links() -> None:
    text = "[a](docs/a.md) [b](https://x.org/b) [c](#c) [d](d.md#part) [e](mailto:x@y)"
    assert relative_links(text) == ["docs/a.md", "d.md"]
