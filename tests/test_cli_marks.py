"""`clip note`, `clip star`, `clip unstar`."""

from __future__ import annotations

import json

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def two(clip: Clip) -> Clip:
    clip("add", "First article.", "--title", "First")
    clip("add", "Second article.", "--title", "Second")
    return clip


def field(clip: Clip, name: str, *ids: int) -> list[object]:
    return [c[name] for c in json.loads(clip("show", *map(str, ids), "--json").stdout)]


def test_note_sets_and_an_empty_note_removes(two: Clip) -> None:
    result = two("note", "1", "  Minister attended; quote in paragraph 3. ")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Note set on 1.\n"
    assert field(two, "note", 1) == ["Minister attended; quote in paragraph 3."]
    result = two("note", "1", "")
    assert result.stderr == "Note removed on 1.\n"
    assert field(two, "note", 1) == [None]


def test_note_json_prints_the_clipping(two: Clip) -> None:
    printed = json.loads(two("note", "2", "Mine", "--json").stdout)
    assert printed["id"] == 2
    assert printed["note"] == "Mine"


def test_note_needs_its_text(two: Clip) -> None:
    result = two("note", "1")
    assert result.exit_code == ExitCode.USAGE
    assert field(two, "note", 1) == [None]


def test_star_and_unstar_several(two: Clip) -> None:
    result = two("star", "1", "2")
    assert result.exit_code == 0
    assert result.stderr == "Starred 1, 2.\n"
    assert field(two, "starred", 1, 2) == [True, True]
    assert two("unstar", "2").stderr == "Unstarred 2.\n"
    assert field(two, "starred", 1, 2) == [True, False]
    assert [c["id"] for c in json.loads(two("list", "--starred", "--json").stdout)] == [1]


def test_star_json_prints_a_list(two: Clip) -> None:
    printed = json.loads(two("star", "2", "--json").stdout)
    assert [(c["id"], c["starred"]) for c in printed] == [(2, True)]


@pytest.mark.parametrize(
    "args", [["note", "9", "x"], ["star", "1", "9"], ["unstar", "9"]], ids=" ".join
)
def test_marks_on_a_missing_clipping_exit_3_and_change_nothing(two: Clip, args: list[str]) -> None:
    assert "no clipping 9" in error_message(two(*args), ExitCode.NOT_FOUND)
    assert field(two, "starred", 1) == [False]
