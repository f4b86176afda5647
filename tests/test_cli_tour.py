"""The README's quick tour, step by step, on the sample article the repository ships."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Clip

SAMPLE = Path(__file__).parent.parent / "examples" / "harbour-tram-vote.txt"


def test_the_quick_tour(clip: Clip) -> None:
    added = clip("add", str(SAMPLE), "-t", "transport", "--source", "Portmere Courier",
                 "--date", "2026-03-14")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.stdout == "1\n"

    [row] = [line.split("\t") for line in clip("list").stdout.splitlines()]
    assert row[:3] == ["1", "2026-03-14", "Portmere Courier"]
    assert row[4] == "transport"

    assert clip("tag", "1", "-t", "region/portmere").exit_code == 0
    assert clip("note", "1", "Vote 31-18; opens 2030.").exit_code == 0
    assert clip("star", "1").exit_code == 0
    [clipping] = json.loads(clip("show", "1", "--json").stdout)
    assert clipping["tags"] == ["transport", "region/portmere"]
    assert clipping["note"] == "Vote 31-18; opens 2030."
    assert clipping["starred"] is True
    assert "Thirty-one councillors voted in favour" in clipping["text"]
    assert [c["id"] for c in json.loads(clip("list", "-t", "region", "--json").stdout)] == [1]

    shown = clip("show", "1", "--no-pager")
    assert shown.exit_code == 0
    assert "Thirty-one councillors voted in favour" in shown.stdout

    assert clip("rm", "1").exit_code == 0
    assert clip("list").stdout == ""
    assert clip("trash", "restore", "1").exit_code == 0
    [restored] = json.loads(clip("show", "1", "--json").stdout)
    assert restored == clipping
