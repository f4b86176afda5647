"""Provenance: how each field of a clipping was found, in `clip show`, `--json`, edits and
JSON/JSONL exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from clipper.model import Clipping
from tests.conftest import Clip

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

ITEM = (
    "The embassy of Azerbaijan in Pakistan co-organized a seminar on the anniversary, held on "
    "Thursday at the institute in Islamabad.\n\n"
    "The participants first viewed a photo exhibition, the embassy told News.Az\n\n"
    "The minister attended the event as an honorary guest."
)


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    result = clip("show", str(clipping_id), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]  # type: ignore[no-any-return]


def test_json_shows_how_each_field_was_found(clip: Clip) -> None:
    assert clip("add", ITEM, "--date", "2023-02-23").exit_code == 0
    assert stored(clip)["provenance"] == {
        "title": "generated", "source": "attribution", "published": "given",
        "language": "detected",
    }  # fmt: skip


def test_show_puts_the_origin_beside_each_value(clip: Clip, terminal: None) -> None:
    assert clip("add", ITEM, "--date", "2023-02-23").exit_code == 0
    shown = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", clip("show", "1").stdout))
    assert "News.Az (attribution)" in shown
    assert "2023-02-23 (given)" in shown
    assert "en (detected)" in shown


def test_show_in_a_pipe_has_a_provenance_line(clip: Clip) -> None:
    assert clip("add", ITEM, "--date", "2023-02-23").exit_code == 0
    lines = clip("show", "1").stdout.splitlines()
    origins = "title=generated, source=attribution, published=given, language=detected"
    assert f"provenance: {origins}" in lines


def test_a_field_the_user_edits_becomes_given(clip: Clip) -> None:
    assert clip("add", ITEM).exit_code == 0
    assert clip("edit", "1", "--source", "News.Az Weekly").exit_code == 0
    assert stored(clip)["provenance"]["source"] == "given"
    assert clip("edit", "1", "--source", "").exit_code == 0
    assert "source" not in stored(clip)["provenance"]


def test_json_and_jsonl_exports_keep_provenance(clip: Clip, tmp_path: Path) -> None:
    assert clip("add", ITEM).exit_code == 0
    before = stored(clip)["provenance"]
    for kind in ("json", "jsonl"):
        export = tmp_path / f"all.{kind}"
        assert clip("export", "--format", kind, "-o", str(export)).exit_code == 0
        (only,) = json.loads(clip("list", "--json").stdout)
        assert clip("rm", str(only["id"]), "--yes").exit_code == 0
        assert clip("trash", "empty", "--yes").exit_code == 0
        assert clip("import", str(export)).exit_code == 0, kind
        (again,) = json.loads(clip("list", "--json").stdout)
        assert stored(clip, again["id"])["provenance"] == before


def test_a_record_without_provenance_stays_valid() -> None:
    record = {"id": 1, "uuid": "0b8a8e8e-4c1b-4b7e-9f5e-2f1f7a8f9c11", "title": "Old",
              "text": "Kept before provenance.", "captured": "2023-02-23T10:00:00Z"}  # fmt: skip
    assert Clipping.from_dict(record).provenance == {}


def test_an_import_with_an_unknown_provenance_reports_that_record(
    clip: Clip, tmp_path: Path
) -> None:
    records = [
        {"title": "One", "text": "First story text.", "provenance": {"source": "rumour"}},
        {"title": "Two", "text": "Second story text.", "provenance": {"source": "url"},
         "source": "example.org"},
    ]  # fmt: skip
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = clip("import", str(path), "--json")
    outcomes = json.loads(result.stdout)
    assert "'rumour' is not a provenance" in json.dumps(outcomes)
    titles = [c["title"] for c in json.loads(clip("list", "--json").stdout)]
    assert titles == ["Two"]


def test_a_fetched_article_fills_a_feed_entry_with_its_own_origins() -> None:
    from clipper.library.importing_fetch import merge_article
    from clipper.model import Draft

    entry = Draft(text="Summary.", title="Bridge reopens", title_source="extracted",
                  source="Portmere Courier", provenance={"title": "feed", "source": "feed"})
    article = Draft(text="The whole story.", title="Bridge reopens", title_source="extracted",
                    source="portmere.example", authors=["Ann Smith"], published="2024-03-14",
                    provenance={"title": "page metadata", "source": "url",
                                "authors": "page metadata", "published": "page metadata"})
    merged = merge_article(entry, article)
    assert merged.provenance == {"title": "feed", "source": "feed", "authors": "page metadata",
                                 "published": "page metadata"}  # fmt: skip
