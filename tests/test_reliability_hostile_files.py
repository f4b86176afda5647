"""Hostile files and arguments: numbers, nesting and types chosen to hurt end in clippings or
a one-line error, never in a hang, a traceback or a poisoned record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Clip

# Only a safety net against a hang: the commands below take well under a second.
SAFETY_TIMEOUT = 60

NETSCAPE = (
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p><DT><A HREF="https://n.example/x" '
    'ADD_DATE="{value}">N</A></DL>\n'
)
HUGE = "9" * 401


def run_clip(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, so that a hang fails the test instead of the suite."""
    env = {**os.environ, "CLIPPER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "clipper", *args],
        check=False, capture_output=True, text=True, env=env, timeout=SAFETY_TIMEOUT,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("inf.html", NETSCAPE.format(value="inf")),
        ("e400.html", NETSCAPE.format(value="1e400")),
        ("digits.html", NETSCAPE.format(value=HUGE)),
        ("nan.html", NETSCAPE.format(value="nan")),
        ("pocket.csv", f"title,url,time_added,tags,status\nN,https://n.example/x,{HUGE},,\n"),
        ("links.json", json.dumps([{"href": "https://n.example/x", "time": HUGE}])),
        (
            "chrome.json",
            json.dumps({"roots": {"bookmark_bar": {"children": [
                {"type": "url", "name": "N", "url": "https://n.example/x", "date_added": HUGE}
            ]}}}),
        ),
    ],
)  # fmt: skip
def test_an_impossible_timestamp_imports_the_link_without_a_date(
    tmp_path: Path, library_home: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = run_clip(library_home, "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1
    listed = json.loads(run_clip(library_home, "list", "--json").stdout)
    assert [c["url"] for c in listed] == ["https://n.example/x"]
    assert listed[0]["captured"].startswith("20")  # the time of the import, not of the file


def test_timestamps_in_finer_units_still_read(clip: Clip) -> None:
    from clipper.formats.records import unix_time

    for value in ("1677110400", "1677110400000", "1677110400000000", "1677110400000000000"):
        assert unix_time(value) == "2023-02-23T00:00:00Z"
    assert unix_time("1677110400000000000000") is None  # no unit is that fine
    assert unix_time("-5") is None


@pytest.mark.parametrize("bad_id", ["²", "9" * 5000, "999999999999", "0"])
def test_an_impossible_id_in_a_csv_is_not_kept(clip: Clip, tmp_path: Path, bad_id: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"id,title,text\n{bad_id},T,Body of the row\n", encoding="utf-8")
    done = clip("import", str(path), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(clip("list", "--json").stdout)[0]["id"] == 1


def test_a_huge_id_in_a_json_export_is_not_kept_and_later_ids_stay_small(
    clip: Clip, tmp_path: Path
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"id": 2**63 - 1, "title": "T", "text": "Body"}), encoding="utf-8")
    assert clip("import", str(path)).exit_code == 0
    assert clip("add", "Another body", "--title", "U").exit_code == 0
    assert sorted(c["id"] for c in json.loads(clip("list", "--json").stdout)) == [1, 2]
