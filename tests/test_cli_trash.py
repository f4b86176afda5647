"""`clip rm` and `clip trash`: nothing is lost until the trash is emptied on purpose."""

from __future__ import annotations

import json

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def kept(clip: Clip) -> list[int]:
    return [c["id"] for c in json.loads(clip("list", "--json", "--sort", "added").stdout)]


def trashed(clip: Clip) -> list[int]:
    return [c["id"] for c in json.loads(clip("trash", "--json").stdout)]


@pytest.fixture
def three(clip: Clip) -> Clip:
    for n in range(1, 4):
        assert clip("add", f"Article number {n}.", "--title", f"Article {n}").exit_code == 0
    return clip


def test_rm_moves_to_the_trash_and_says_how_to_undo(three: Clip) -> None:
    result = three("rm", "1", "3", "--yes")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Moved 1, 3 to the trash. Undo with `clip trash restore 1 3`.\n"
    assert kept(three) == [2]
    assert trashed(three) == [3, 1]


def test_rm_without_a_terminal_proceeds_without_asking(three: Clip) -> None:
    assert three("rm", "2").exit_code == 0
    assert kept(three) == [3, 1]


def test_rm_on_a_terminal_asks_first(three: Clip, terminal_stdin: None) -> None:
    refused = three("rm", "2", input="n\n")
    assert refused.exit_code == 1
    assert "Move 1 clipping to the trash?" in refused.stderr
    assert kept(three) == [3, 2, 1]
    accepted = three("rm", "2", input="y\n")
    assert accepted.exit_code == 0
    assert kept(three) == [3, 1]


def test_rm_yes_on_a_terminal_does_not_ask(three: Clip, terminal_stdin: None) -> None:
    result = three("rm", "1", "-y")
    assert result.exit_code == 0
    assert "?" not in result.stderr
    assert kept(three) == [3, 2]


def test_rm_of_a_missing_id_removes_nothing(three: Clip) -> None:
    assert "no clipping 8" in error_message(three("rm", "1", "8", "--yes"), ExitCode.NOT_FOUND)
    assert kept(three) == [3, 2, 1]


def test_rm_of_a_trashed_id_points_to_the_trash(three: Clip) -> None:
    three("rm", "1")
    assert "in the trash" in error_message(three("rm", "1"), ExitCode.NOT_FOUND)


def test_trash_lists_piped_as_tab_separated_lines(three: Clip) -> None:
    three("rm", "2")
    result = three("trash")
    assert result.exit_code == 0
    [row] = [line.split("\t") for line in result.stdout.splitlines()]
    assert row[0] == "2"
    assert row[3] == "Article 2"


def test_trash_restore_brings_the_same_clipping_back_under_its_id(three: Clip) -> None:
    before = json.loads(three("show", "2", "--json").stdout)
    three("rm", "2")
    result = three("trash", "restore", "2")
    assert result.exit_code == 0
    assert result.stderr == "Restored 2.\n"
    assert json.loads(three("show", "2", "--json").stdout) == before
    assert trashed(three) == []
    assert three("add", "A fourth article.", "--title", "Four").stdout == "4\n"


def test_trash_restore_of_an_id_not_in_the_trash_exits_3(three: Clip) -> None:
    assert "clip trash" in error_message(three("trash", "restore", "1"), ExitCode.NOT_FOUND)


def test_trash_empty_without_a_terminal_needs_yes(three: Clip) -> None:
    three("rm", "1")
    message = error_message(three("trash", "empty"), ExitCode.USAGE)
    assert "--yes" in message
    assert trashed(three) == [1]


def test_trash_empty_yes_deletes_for_good_and_ids_are_not_reused(three: Clip) -> None:
    three("rm", "3", "1")
    result = three("trash", "empty", "--yes")
    assert result.exit_code == 0
    assert result.stderr == "Deleted 2 clippings for good.\n"
    assert trashed(three) == []
    assert kept(three) == [2]
    assert error_message(three("trash", "restore", "3"), ExitCode.NOT_FOUND)
    assert three("add", "A fourth article.", "--title", "Four").stdout == "4\n"


def test_trash_empty_on_a_terminal_asks_and_defaults_to_no(
    three: Clip, terminal_stdin: None
) -> None:
    three("rm", "1", "--yes")
    refused = three("trash", "empty", input="\n")
    assert refused.exit_code == 1
    assert "Delete 1 clipping for good?" in refused.stderr
    assert trashed(three) == [1]
    assert three("trash", "empty", input="y\n").exit_code == 0
    assert trashed(three) == []


def test_emptying_an_empty_trash_says_so(clip: Clip) -> None:
    result = clip("trash", "empty")
    assert result.exit_code == 0
    assert result.stderr == "The trash is empty.\n"
