"""`clip add` of a news item pasted from a site, as in docs/commands.md: the whole path at once."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Clip

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

PASTED = """ date 2024-03-14 + ↺ − 16 px

The Portmere Harbour Authority and the city of Portmere signed an agreement on Thursday to \
rebuild the old ferry terminal, the authority told Reuters.

The terminal, closed since 2019, will reopen in 2027 with room for two ferries. Portmere \
will pay a third of the cost, the harbour authority the rest.

Advertisement

Ferry operators welcomed the plan. Portmere's mayor said the harbour would "face the sea again".

Read more: Portmere ferry timetable changes in May
"""


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    return json.loads(clip("show", str(clipping_id), "--json").stdout)[0]  # type: ignore[no-any-return]


def test_a_pasted_item_arrives_clean_and_complete(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(PASTED, encoding="utf-8")
    result = clip("add", str(path))
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert clipping["published"] == "2024-03-14"
    assert clipping["source"] == "Reuters"
    assert clipping["provenance"] == {"title": "generated", "source": "attribution",
                                      "published": "dateline", "language": "detected"}
    assert clipping["language"] == "en"
    assert clipping["title_source"] == "generated"
    assert clipping["title"].startswith("Portmere Harbour Authority and the city of Portmere")
    assert "px" not in clipping["text"]
    assert "Advertisement" not in clipping["text"] and "Read more" not in clipping["text"]
    assert clipping["text"].startswith("The Portmere Harbour Authority")
    assert clipping["word_count"] > 50


def test_options_always_win(clip: Clip) -> None:
    result = clip(
        "add", PASTED, "--title", "Ferry terminal", "--date", "2024-03-15",
        "--source", "Portmere Courier", "--lang", "de", "--author", "Ann Smith",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert (clipping["title"], clipping["title_source"]) == ("Ferry terminal", "given")
    assert clipping["published"] == "2024-03-15"
    assert clipping["source"] == "Portmere Courier"
    assert clipping["language"] == "de"
    assert clipping["authors"] == ["Ann Smith"]


def test_the_url_option_is_canonicalized(clip: Clip) -> None:
    url = "https://WWW.Harbour.example:443/ferry?utm_source=tw&id=4#comments"
    assert clip("add", PASTED, "--url", url).exit_code == 0
    assert stored(clip)["url"] == "https://www.harbour.example/ferry?id=4"


def test_the_summary_shows_suggested_tags(clip: Clip, terminal: None) -> None:
    result = clip("add", PASTED, "-t", "harbour")
    assert result.exit_code == 0, result.stderr
    shown = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # styles stay with NO_COLOR
    assert "Added 1" in shown
    assert "(title generated)" in shown
    assert "Reuters · 2024-03-14 · en" in shown
    assert "tags: harbour" in shown
    assert "suggested: portmere" in shown
    assert "clip tag 1 -t" in shown


def test_piped_the_summary_is_the_id_alone(clip: Clip) -> None:
    result = clip("add", PASTED)
    assert result.stdout == "1\n"
    assert result.stderr == ""


@pytest.mark.parametrize("argument", ["", "   "])
def test_an_empty_text_argument_is_refused(clip: Clip, argument: str) -> None:
    result = clip("add", argument)
    assert result.exit_code == 2
    assert "empty" in result.stderr


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = SHARED / "seed" / "news-az-khojaly-seminar.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed article is not here")
def test_the_seed_from_the_command_line(clip: Clip) -> None:
    assert clip("add", str(SEED)).exit_code == 0
    clipping = stored(clip)
    assert clipping["published"] == "2023-02-23"
    assert clipping["source"] == "News.Az"
    assert clipping["language"] == "en"
    assert not clipping["title"].lower().startswith("date")
    assert "16 px" not in clipping["text"]
    found = json.loads(clip("search", "khojaly", "--json").stdout)
    assert [hit["id"] for hit in found] == [1]
