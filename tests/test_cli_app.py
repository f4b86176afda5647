"""What every command shares: --library, --version, -h, `clip where`, errors, hostile text."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

from clipper import __version__
from clipper.cli.app import app
from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from tests.conftest import Clip
from tests.expect import error_message


def command_paths() -> list[list[str]]:
    """Every command and subcommand, as the words typed after `clip`."""
    paths: list[list[str]] = []

    def walk(command: typer.core.TyperGroup | typer.core.TyperCommand, path: list[str]) -> None:
        subcommands = getattr(command, "commands", {})
        for name, sub in sorted(subcommands.items()):
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])  # type: ignore[arg-type]
    return paths


# --version, -h, where --------------------------------------------------------------------


def test_version(clip: Clip) -> None:
    result = clip("--version")
    assert result.exit_code == 0
    assert result.stdout == f"clip {__version__}\n"
    assert result.stderr == ""


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help(clip: Clip, path: list[str], flag: str) -> None:
    result = clip(*path, flag)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Usage: clip {' '.join(path)}")
    assert result.stderr == ""


def test_clip_alone_shows_the_library_not_an_error(clip: Clip, library_home: Path) -> None:
    result = clip()  # the dashboard: tests/test_cli_overview.py
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"library\t{library_home}\n")
    assert not library_home.exists()


def test_where_prints_the_paths_in_use(clip: Clip, library_home: Path) -> None:
    result = clip("where")
    assert result.exit_code == 0
    rows = dict(line.split("\t") for line in result.stdout.splitlines())
    assert rows["library"] == str(library_home)
    assert rows["store"] == str(library_home / "clippings.json")
    assert rows["index"] == str(library_home / "index.sqlite3")
    assert rows["backups"] == str(library_home / "backups")
    assert rows["snapshots"] == str(library_home / "snapshots")
    assert rows["config"] == str(library_home.parent / "config" / "config.toml")
    assert json.loads(clip("where", "--json").stdout) == rows


def test_where_creates_nothing(clip: Clip, library_home: Path) -> None:
    assert clip("where").exit_code == 0
    assert not library_home.exists()


def test_a_library_path_that_is_a_file_is_a_usage_error(clip: Clip, tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a library")
    message = error_message(clip("--library", str(a_file), "list"), ExitCode.USAGE)
    assert str(a_file) in message
    assert a_file.read_text() == "not a library"


# --library before and after the command --------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A second library with clippings 1 and 2 tagged x, and 3 in the trash."""
    home = tmp_path / "elsewhere"
    library = Library(LibraryPaths(home))
    for n in range(1, 4):
        library.add(Draft(text=f"Article {n}.", title=f"Article {n}", tags=["x"]))
    library.remove([3])
    return home


READS: dict[str, tuple[list[str], Callable[[Any], bool]]] = {
    "list": (["list", "--json"], lambda out: [c["id"] for c in out] == [2, 1]),
    "show": (["show", "2", "--json"], lambda out: out[0]["title"] == "Article 2"),
    "tags": (["tags", "--json"], lambda out: out == [{"tag": "x", "count": 2}]),
    "trash": (["trash", "--json"], lambda out: [c["id"] for c in out] == [3]),
}
WRITES = [
    ["add", "A new article.", "--title", "New"],
    ["edit", "1", "--title", "Edited"],
    ["tag", "1", "-t", "y"],
    ["untag", "1", "-t", "x"],
    ["note", "1", "mine"],
    ["star", "1"],
    ["rm", "1", "--yes"],
    ["trash", "restore", "3"],
    ["trash", "empty", "--yes"],
    ["tags", "rename", "x", "z"],
]


def placements(args: list[str], home: Path) -> dict[str, list[str]]:
    chosen = {
        "before": ["--library", str(home), *args],
        "short before": ["-L", str(home), *args],
        "after": [*args, "--library", str(home)],
    }
    if args[0] in ("tags", "trash") and len(args) > 1 and not args[1].startswith("-"):
        chosen["between"] = [args[0], "--library", str(home), *args[1:]]
    return chosen


@pytest.mark.parametrize("name", READS)
def test_library_option_anywhere_for_reading(
    clip: Clip, elsewhere: Path, library_home: Path, name: str
) -> None:
    args, check = READS[name]
    for placement, argv in placements(args, elsewhere).items():
        result = clip(*argv)
        assert result.exit_code == 0, (placement, result.stderr)
        assert check(json.loads(result.stdout)), placement
    assert not library_home.exists()


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_library_option_anywhere_for_writing(
    clip: Clip, elsewhere: Path, library_home: Path, tmp_path: Path, args: list[str]
) -> None:
    store = elsewhere / "clippings.json"
    pristine = store.read_bytes()
    shutil.copytree(elsewhere, tmp_path / "pristine")
    for placement, argv in placements(args, elsewhere).items():
        shutil.rmtree(elsewhere)
        shutil.copytree(tmp_path / "pristine", elsewhere)
        result = clip(*argv)
        assert result.exit_code == 0, (placement, result.stderr)
        assert store.read_bytes() != pristine, f"{placement}: {elsewhere} was not changed"
        assert not library_home.exists(), f"{placement}: wrote to $CLIPPER_HOME"


def test_clipper_home_is_the_default_library(clip: Clip, library_home: Path) -> None:
    assert clip("add", "Some text.", "--title", "T").exit_code == 0
    assert (library_home / "clippings.json").is_file()


# Errors ----------------------------------------------------------------------------------

FAILURES = [
    (["show", "5"], ExitCode.NOT_FOUND),
    (["edit", "5", "--title", "x"], ExitCode.NOT_FOUND),
    (["tag", "5", "-t", "x"], ExitCode.NOT_FOUND),
    (["untag", "5", "-t", "x"], ExitCode.NOT_FOUND),
    (["note", "5", "x"], ExitCode.NOT_FOUND),
    (["star", "5"], ExitCode.NOT_FOUND),
    (["unstar", "5"], ExitCode.NOT_FOUND),
    (["rm", "5", "--yes"], ExitCode.NOT_FOUND),
    (["trash", "restore", "5"], ExitCode.NOT_FOUND),
    (["tags", "rename", "nope", "other"], ExitCode.NOT_FOUND),
    (["list", "--since", "2023-02-30"], ExitCode.USAGE),
    (["add", "Some text.", "--date", "2023-02-30"], ExitCode.USAGE),
    (["add", "-"], ExitCode.USAGE),
]


@pytest.mark.parametrize(("args", "code"), FAILURES, ids=[" ".join(a) for a, _ in FAILURES])
def test_every_error_is_one_line_on_stderr_with_its_exit_code(
    clip: Clip, args: list[str], code: ExitCode
) -> None:
    message = error_message(clip(*args), code)
    assert message[0].islower() or message[0] in "'\""  # reads on after "Error: "
    assert message.endswith((".", ")", "`"))


@pytest.mark.parametrize("args", [["add", "--bogus", "x"], ["show", "abc"], ["note"]])
def test_argument_errors_are_one_line_too(clip: Clip, args: list[str]) -> None:
    error_message(clip(*args), ExitCode.USAGE)


@pytest.mark.parametrize("args", [["add", "--bogus", "x"], ["show", "abc"], ["note"]])
def test_argument_errors_exit_2_without_a_traceback(clip: Clip, args: list[str]) -> None:
    result = clip(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_a_suggestion_keeps_its_question_mark_alone(clip: Clip) -> None:
    message = error_message(clip("lsit"), ExitCode.USAGE)
    assert message == "no such command 'lsit'. Did you mean 'list'? See `clip -h`."


@pytest.mark.parametrize("command", ["search", "list", "stats", "export"])
def test_a_query_word_that_starts_with_a_dash_says_to_put_it_after_two_dashes(
    clip: Clip, command: str
) -> None:
    message = error_message(clip(command, "-iraq"), ExitCode.USAGE)
    assert message == (
        f"-iraq is not an option of `clip {command}`; a query that starts with '-' goes "
        f"after '--': `clip {command} -- -iraq`."
    )


def test_a_query_word_read_as_a_short_option_and_its_value_says_so_too(clip: Clip) -> None:
    message = error_message(clip("search", "-nato"), ExitCode.USAGE)
    assert message == (
        "-nato reads as -n ato (--limit); a query that starts with '-' goes after '--': "
        "`clip search -- -nato`."
    )
    assert error_message(clip("search", "-n", "x", "nato"), ExitCode.USAGE).endswith(
        "See `clip search -h`."
    )  # a bad value given apart is only a bad value


def test_after_two_dashes_a_query_may_start_with_a_dash(clip: Clip, library: Library) -> None:
    library.add(Draft(text="Reports from Baghdad on Iraq.", title="Iraq"))
    library.add(Draft(text="Reports from the harbour.", title="Harbour"))
    result = clip("search", "--json", "--", "-iraq")
    assert result.exit_code == 0, result.stderr
    assert [hit["title"] for hit in json.loads(result.stdout)] == ["Harbour"]


def test_an_unknown_option_of_a_command_without_a_query_gets_no_query_hint(clip: Clip) -> None:
    assert error_message(clip("show", "-x"), ExitCode.USAGE) == (
        "no such option: -x. See `clip show -h`."
    )


# Text from the outside world -------------------------------------------------------------

MARKUP = "[bold red]x[/]"
HOSTILE = ["\x1b[31m", "\x1b]0;pwned\x07", "\x1b[2J", "\x07", "\x9b31m"]


@pytest.fixture
def hostile(library: Library) -> Library:
    """A clipping whose every field carries markup and escape sequences."""
    library.add(
        Draft(
            title=f"{MARKUP} \x1b[31mred title\x1b[0m",
            text="Body \x1b[31mred\x1b[0m [bold]b[/bold] \x1b]0;pwned\x07 \x9b31mend\x1b[2J",
            source="\x1b[31mRed News [i]",
            authors=["\x1b]0;t\x07Ann [u]"],
            note="[link=http://evil.example]n[/link]\x1b[2J\x07",
            tags=["\x1b[31mtag", "ok"],
            url="https://example.org/[bold]x[/bold]",
        )
    )
    return library


def test_a_url_with_control_characters_is_refused(clip: Clip) -> None:
    result = clip("add", "Some text.", "--title", "T", "--url", "https://example.org/\x1b[31m")
    assert "control characters" in error_message(result, ExitCode.USAGE)


def assert_harmless(output: str) -> None:
    for sequence in HOSTILE:
        assert sequence not in output, f"{sequence!r} reached the terminal"


@pytest.mark.parametrize(
    "args", [["list"], ["show", "1"], ["show", "1", "--raw"], ["trash"], ["tags"]], ids=" ".join
)
def test_piped_output_carries_no_escape_sequences(
    clip: Clip, hostile: Library, args: list[str]
) -> None:
    if args == ["trash"]:
        hostile.remove([1])
    result = clip(*args)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout


def test_piped_list_and_show_print_markup_literally(clip: Clip, hostile: Library) -> None:
    assert MARKUP in clip("list").stdout
    shown = clip("show", "1").stdout
    assert f"# {MARKUP} red title" in shown
    assert "[bold]b[/bold]" in shown
    assert "[link=http://evil.example]n[/link]" in shown


def test_json_output_escapes_control_characters(clip: Clip, hostile: Library) -> None:
    result = clip("show", "1", "--json")
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)[0]["title"].startswith(MARKUP)


@pytest.mark.parametrize(
    "args", [["list"], ["show", "1", "--no-pager"], ["trash"], ["tags"]], ids=" ".join
)
def test_terminal_output_prints_markup_literally_and_no_hostile_sequence(
    clip: Clip, hostile: Library, terminal: None, args: list[str]
) -> None:
    if args == ["trash"]:
        hostile.remove([1])
    result = clip(*args)
    assert result.exit_code == 0, result.stderr
    assert_harmless(result.stdout)
    assert_harmless(result.stderr)
    if args[0] != "tags":
        assert MARKUP in result.stdout


def test_messages_carry_no_escape_sequences(clip: Clip, hostile: Library) -> None:
    for args in (["edit", "1", "--title", "\x1b[31mNew\x1b]0;x\x07"], ["tag", "1", "-t", "z"],
                 ["untag", "1", "-t", "z"]):  # fmt: skip
        result = clip(*args)
        assert result.exit_code == 0, result.stderr
        assert_harmless(result.stderr)


def test_error_messages_carry_no_escape_sequences(clip: Clip) -> None:
    result = clip("add", "Some text.", "--date", "\x1b[31m2023\x1b]0;x\x07")
    assert result.exit_code == ExitCode.USAGE
    assert_harmless(result.stderr)


def test_no_color_is_honoured_on_a_terminal(clip: Clip, hostile: Library, terminal: None) -> None:
    result = clip("list")
    assert "\x1b[36m" not in result.stdout  # the id column is cyan when colours are on
    assert "\x1b[35m" not in result.stdout  # the tags column is magenta


def test_colours_appear_on_a_terminal_without_no_color(
    clip: Clip, library: Library, monkeypatch: pytest.MonkeyPatch, terminal: None
) -> None:
    from clipper.render import console

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLORTERM", "truecolor")
    console.out.cache_clear()
    library.add(Draft(text="Some text.", title="Coloured", tags=["x"]))
    result = clip("list")
    assert "\x1b[36m" in result.stdout  # so the NO_COLOR test above can fail


def test_an_interrupt_exits_130_with_a_word_and_no_traceback(
    clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Library, "get_many", interrupted)
    result = clip("show", "1")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "Interrupted.\n"
    assert result.stdout == ""
