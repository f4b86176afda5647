"""`clip tag`, `clip untag`, `clip tags` and `clip tags rename`."""

from __future__ import annotations

import json

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def tags_of(clip: Clip, *ids: int) -> list[list[str]]:
    result = clip("show", *map(str, ids), "--json")
    assert result.exit_code == 0, result.stderr
    return [c["tags"] for c in json.loads(result.stdout)]


@pytest.fixture
def three(clip: Clip) -> Clip:
    for n in range(1, 4):
        assert clip("add", f"Article number {n}.", "--title", f"Article {n}").exit_code == 0
    return clip


def test_tag_adds_normalized_tags_and_reports_on_stderr(three: Clip) -> None:
    result = three("tag", "1", "2", "-t", "Politics", "-t", "Region / Azerbaijan,press review")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "1: politics region/azerbaijan press-review",
        "2: politics region/azerbaijan press-review",
    ]
    assert tags_of(three, 1, 2, 3) == [["politics", "region/azerbaijan", "press-review"]] * 2 + [[]]


def test_tag_json_prints_the_changed_clippings(three: Clip) -> None:
    result = three("tag", "3", "1", "-t", "x", "--json")
    assert [(c["id"], c["tags"]) for c in json.loads(result.stdout)] == [(3, ["x"]), (1, ["x"])]


def test_tagging_twice_keeps_one_tag(three: Clip) -> None:
    three("tag", "1", "-t", "x")
    three("tag", "1", "-t", "X")
    assert tags_of(three, 1) == [["x"]]


def test_untag_removes_tags(three: Clip) -> None:
    three("tag", "1", "-t", "a,b,c")
    result = three("untag", "1", "-t", "A", "-t", "c")
    assert result.exit_code == 0
    assert result.stderr == "1: b\n"
    assert tags_of(three, 1) == [["b"]]
    assert three("untag", "1", "-t", "b").stderr == "1: (no tags)\n"


def test_tag_of_a_missing_id_exits_3_and_tags_nothing(three: Clip) -> None:
    assert "no clipping 9" in error_message(three("tag", "1", "9", "-t", "x"), ExitCode.NOT_FOUND)
    assert tags_of(three, 1) == [[]]


@pytest.mark.parametrize("tag", [",", " , ", "/", "-x"])
def test_tag_with_no_usable_tag_exits_2(three: Clip, tag: str) -> None:
    error_message(three("tag", "1", "-t", tag), ExitCode.USAGE)
    assert tags_of(three, 1) == [[]]


def test_tag_without_the_tag_option_is_a_usage_error(three: Clip) -> None:
    result = three("tag", "1")
    assert result.exit_code == ExitCode.USAGE
    assert "--tag" in result.stderr


def test_tags_lists_counts_most_used_first(three: Clip) -> None:
    three("tag", "1", "2", "3", "-t", "common")
    three("tag", "1", "-t", "rare,region/az")
    three("tag", "2", "-t", "region/az")
    result = three("tags")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [["common", "3"], ["region/az", "2"], ["rare", "1"]]
    assert json.loads(three("tags", "--json").stdout) == [
        {"tag": "common", "count": 3}, {"tag": "region/az", "count": 2},
        {"tag": "rare", "count": 1},
    ]  # fmt: skip


def test_tags_of_an_empty_library(clip: Clip) -> None:
    assert clip("tags").stdout == ""
    assert json.loads(clip("tags", "--json").stdout) == []


def test_tags_rename_renames_the_subtree(three: Clip) -> None:
    three("tag", "1", "-t", "region/az")
    three("tag", "2", "-t", "region")
    three("tag", "3", "-t", "regional")
    result = three("tags", "rename", "Region", "places")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "on 2 clippings" in result.stderr
    assert tags_of(three, 1, 2, 3) == [["places/az"], ["places"], ["regional"]]


def test_tags_rename_merges_into_an_existing_tag(three: Clip) -> None:
    three("tag", "1", "-t", "election,elections")
    three("tag", "2", "-t", "election")
    three("tag", "3", "-t", "elections")
    assert three("tags", "rename", "election", "elections").exit_code == 0
    assert tags_of(three, 1, 2, 3) == [["elections"]] * 3
    assert json.loads(three("tags", "--json").stdout) == [{"tag": "elections", "count": 3}]


def test_tags_rename_reaches_the_trash(three: Clip) -> None:
    three("tag", "1", "-t", "brexit")
    three("rm", "1", "--yes")
    assert three("tags", "rename", "brexit", "politics/brexit").exit_code == 0
    three("trash", "restore", "1")
    assert tags_of(three, 1) == [["politics/brexit"]]


def test_tags_rename_of_an_unknown_tag_exits_3(three: Clip) -> None:
    message = error_message(three("tags", "rename", "nope", "other"), ExitCode.NOT_FOUND)
    assert "'nope'" in message
    assert "clip tags" in message


def test_tags_rename_to_itself_exits_2(three: Clip) -> None:
    three("tag", "1", "-t", "x")
    assert "same tag" in error_message(three("tags", "rename", "x", "X"), ExitCode.USAGE)


def test_tags_rename_to_a_bad_tag_exits_2(three: Clip) -> None:
    three("tag", "1", "-t", "x")
    error_message(three("tags", "rename", "x", "/"), ExitCode.USAGE)
    assert tags_of(three, 1) == [["x"]]
