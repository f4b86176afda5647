"""Who added a clipping, shown by a team library: in `clip show` (panel and plain) and in the
JSON of its clippings; a library folder's JSON has no such field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from clipper.model import Draft
from clipper.render.clippings import metadata_panel
from clipper.team.library import TeamLibrary
from tests.conftest import Clip


def test_a_team_librarys_clippings_say_who_added_them(team_url: str, clip: Clip, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIPPER_HOME", team_url)
    monkeypatch.setenv("CLIPPER_USER", "jane")
    added = json.loads(clip("add", "The port strike entered its third day.", "--json").stdout)
    assert added["added_by"] == "jane"
    monkeypatch.delenv("CLIPPER_USER")
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"text": "Imported by the database user.", "title": "Imported"}))
    assert clip("import", str(items)).exit_code == 0
    shown = json.loads(clip("show", "1", "2", "--json").stdout)
    assert [c["added_by"] for c in shown] == ["jane", "clip_test"]
    assert [c["added_by"] for c in json.loads(clip("list", "--json").stdout)] == [
        "clip_test", "jane"]  # fmt: skip
    [hit] = json.loads(clip("search", "strike", "--json").stdout)
    assert hit["added_by"] == "jane"
    # Kept through a write that rewrites the record.
    assert clip("tag", "1", "-t", "labour").exit_code == 0
    assert clip("edit", "1", "--title", "Strike, day three").exit_code == 0
    assert json.loads(clip("show", "1", "--json").stdout)[0]["added_by"] == "jane"
    assert "added by: jane" in clip("show", "1").stdout


def test_the_panel_of_clip_show_names_who_added_it(team_url: str) -> None:
    team = TeamLibrary.connect(team_url, user="jane")
    try:
        team.add_captured(Draft(text="The port strike entered its third day.", title="Strike"))
        clipping = team.get(1)
    finally:
        team.close()
    console = Console(width=100, record=True, color_system=None)
    console.print(metadata_panel(clipping))
    assert any(line.split("│")[1].split() == ["added", "by", "jane"]
               for line in console.export_text().splitlines() if "added" in line)


def test_a_library_folders_json_has_no_added_by(clip: Clip, library_home: Path) -> None:
    assert clip("add", "The port strike entered its third day.").exit_code == 0
    [shown] = json.loads(clip("show", "1", "--json").stdout)
    assert "added_by" not in shown
    assert "added by" not in clip("show", "1").stdout
