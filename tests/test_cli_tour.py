"""The README's short tour, step by step, on the sample article the repository ships."""

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


EXAMPLES = SAMPLE.parent


def test_from_install_to_a_press_review(clip: Clip, tmp_path: Path) -> None:
    """The README's tour: three sample articles, nothing given but the files and tags."""
    for name, tags in (("harbour-tram-vote", ["transport"]),
                       ("ferry-strike", ["transport", "labour"]),
                       ("tram-route-approved", ["transport"])):  # fmt: skip
        args = [str(EXAMPLES / f"{name}.txt")] + [f"-t{tag}" for tag in tags]
        assert clip("add", *args).exit_code == 0
    found = {c["id"]: c for c in json.loads(clip("list", "--json").stdout)}
    assert [(c["source"], c["published"]) for c in found.values()] == [
        ("Coastal Times", "2026-03-19"), ("Harbour Herald", "2026-03-16"),
        ("Portmere Courier", "2026-03-14"),
    ]  # fmt: skip
    assert all(c["title_source"] == "extracted" for c in found.values())

    dashboard = dict(line.split("\t", 1) for line in clip().stdout.splitlines()[:2])
    assert dashboard["clippings"] == "3"
    assert [h["id"] for h in json.loads(clip("search", "tram -ferry", "--json").stdout)] == [3, 1]
    assert clip("tag", "1", "3", "-t", "region/portmere").exit_code == 0
    assert clip("note", "1", "Vote 31-18; opens 2030.").exit_code == 0
    assert clip("star", "1").exit_code == 0
    stats = json.loads(clip("stats", "--json").stdout)
    assert stats["tags"][:2] == [{"tag": "transport", "count": 3},
                                 {"tag": "region/portmere", "count": 2}]  # fmt: skip

    review = tmp_path / "review.md"
    exported = clip("export", "tag:transport", "--group-by", "source", "--excerpt", "40",
                    "-o", str(review))  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    text = review.read_text(encoding="utf-8")
    assert text.startswith("# Press review: transport\n\n3 clippings · 14 Mar 2026 – 19 Mar 2026")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Coastal Times", "## Harbour Herald", "## Portmere Courier"
    ]
    assert "### ★ Harbour city council approves tram line to the old docks" in text
    assert "> **Note:** Vote 31-18; opens 2030." in text
