"""`has:duplicates` and `--stories`: the copies of one story found, and folded into it."""

from __future__ import annotations

import json

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, UNRELATED

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def wire(library: Library) -> Library:
    library.add_many(
        [
            Draft(text=UNRELATED, title="Football", source="Sports Daily", published="2026-03-16"),
            Draft(text=REPUBLISHED, title="Tram line (wire)", source="Harbour Wire",
                  published="2026-03-15"),
            Draft(text=ORIGINAL, title="Tram line", source="Portmere Courier",
                  published="2026-03-14"),
        ]
    )  # fmt: skip
    assert library.get(3).near_duplicates == [2]
    return library


def ids(output: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in output.splitlines()]


def test_has_duplicates_finds_the_copies_still_in_the_library(clip: Clip, wire: Library) -> None:
    assert ids(clip("list", "has:duplicates").stdout) == [2, 3]
    assert ids(clip("search", "tram has:duplicates").stdout) != []
    assert ids(clip("list", "--", "-has:duplicates").stdout) == [1]
    wire.remove([2])  # the link stays (a restore brings it back), but the copy is gone
    assert clip("list", "has:duplicates").stdout == ""


def test_stories_fold_copies_into_the_earliest(clip: Clip, wire: Library) -> None:
    rows = [line.split("\t") for line in clip("list", "--stories").stdout.splitlines()]
    assert [(row[0], row[-1]) for row in rows] == [("1", ""), ("3", "2")]
    listed = json.loads(clip("list", "--stories", "--json").stdout)
    assert [(c["id"], c["copies"]) for c in listed] == [(1, []), (3, [2])]
    # The limit counts stories, not copies.
    assert ids(clip("list", "--stories", "-n", "2").stdout) == [1, 3]
    found = json.loads(clip("search", "tram", "--stories", "--json").stdout)
    assert [(c["id"], c["copies"]) for c in found] == [(3, [2])]
    assert "copies" not in json.loads(clip("list", "--json").stdout)[0]


def test_stories_on_a_terminal_name_the_other_outlets(
    clip: Clip, wire: Library, terminal: None
) -> None:
    result = clip("list", "--stories", "--no-pager")
    assert "also in Harbour Wire: #2" in result.stdout
    assert "2 stories · 3 clippings" in result.stderr
