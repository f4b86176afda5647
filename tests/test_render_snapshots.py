"""What people see, pinned: list, show, search, stats and the dashboard rendered at 100 columns,
without colour (NO_COLOR) and with it, compared with tests/__snapshots__/.

After a deliberate change of the output, look at it (`clip` in a terminal) and then update the
snapshots with `pytest tests/test_render_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip

CAPTURED = "2026-03-20T09:30:00Z"
FOREGROUND = re.compile(r"\x1b\[(?:[0-9]+;)*3[0-8](?:;[0-9]+)*m")
TRAM = (
    "The city council of Portmere voted on Thursday to build a 6.4-kilometre tram line "
    "linking the central station with the redeveloped old docks.\n\n"
    "Thirty-one councillors voted in favour and eighteen against. The line, with nine stops, "
    "is expected to carry 28,000 passengers a day when it opens in 2030."
)


@pytest.fixture
def shelf(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """Five clippings in four scripts, with a star, a note, a near duplicate and a year-only
    date; the library shows as ~/library (HOME is the test's folder)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    library.add_captured(Draft(
        text=TRAM, title="Harbour city council approves tram line to the old docks",
        url="https://courier.example/news/tram-vote", source="Portmere Courier",
        authors=["Ann Writer"], published="2026-03-14", language="en",
        tags=["transport", "region/portmere"], note="Vote 31-18; opens 2030.", starred=True,
        captured=CAPTURED,
    ))  # fmt: skip
    library.add_captured(Draft(
        text=TRAM + "\n\nReporting by the Harbour Herald.", title="Tram line to the docks approved",
        source="Harbour Herald", published="2026-03-15", language="en", tags=["transport"],
        captured=CAPTURED,
    ))  # fmt: skip
    library.add(Draft(
        text="東京大学の研究チームは、新しい人工知能モデルを発表しました。このモデルは日本語の文章を"
        "理解し、要約することができます。",
        title="東京大学、日本語を理解する新しいAIモデルを発表", source="日本経済新聞",
        published="2026-02-10", language="ja", tags=["tech", "region/asia/japan"],
        captured=CAPTURED,
    ))  # fmt: skip
    library.add(Draft(
        text="أعلنت وزارة الصحة اليوم عن حملة وطنية جديدة للتطعيم ضد الإنفلونزا الموسمية.",
        title="وزارة الصحة تطلق حملة تطعيم وطنية", source="الجزيرة", published="2025-12-20",
        language="ar", tags=["health"], captured=CAPTURED,
    ))  # fmt: skip
    library.add(Draft(
        text="A look back at a year of tram debates in Portmere.", title="The tram year",
        source="Portmere Courier", published="2025", language="en", authors=["Ann Writer"],
        captured=CAPTURED,
    ))  # fmt: skip
    return library


@pytest.fixture(params=["no-color", "color"])
def palette(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, terminal: None) -> str:
    """A 100-column terminal without colour (NO_COLOR), then with 256 colours."""
    if request.param == "color":
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.delenv("COLORTERM", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    else:
        assert "NO_COLOR" in __import__("os").environ
    return str(request.param)


def readable(output: str) -> str:
    """Escape sequences spelled out, so that a snapshot diff shows the colours that changed."""
    return output.replace("\x1b", "\\e")


COMMANDS = {
    "list": ["list"],
    "show": ["show", "1", "--no-pager"],
    "search": ["search", "tram"],
    "stats": ["stats"],
    "dashboard": [],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_rendered_output(
    clip: Clip, shelf: Library, palette: str, name: str, snapshot: SnapshotAssertion
) -> None:
    result = clip(*COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    colours = FOREGROUND.findall(result.stdout)
    if palette == "no-color":
        assert colours == []  # bold, dim and italic only
    else:
        assert colours  # cyan ids, bars or commands at least
    assert readable(result.stdout) == snapshot


@pytest.mark.parametrize("name", ["list", "stats", "dashboard"])
def test_piped_output(
    clip: Clip, shelf: Library, library_home: Path, name: str, snapshot: SnapshotAssertion
) -> None:
    result = clip(*COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.replace(str(library_home), "<library>") == snapshot


def test_an_empty_library_gets_two_lines_to_start_with(
    clip: Clip, terminal: None, snapshot: SnapshotAssertion, library_home: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("HOME", str(tmp_path))
    result = clip()
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert readable(result.stdout) == snapshot
    assert not library_home.exists()


def test_in_a_110_column_terminal_list_gives_titles_their_room(
    clip: Clip, library: Library, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "110")
    tags = ["politics", "region/europe/united-kingdom", "elections", "labour-party"]
    titles = [
        "Embassy of Azerbaijan in Pakistan co-organized a Khojaly seminar",  # 64 columns
        "Hewitt decries 'career sexism' in the boardroom and in politics",
        "Watchdog probes e-mail deletions at the ministry",
    ]
    library.add_many([Draft(text=f"Text {n}.", title=t, source="News.Az", tags=tags,
                            published="2023-02-23") for n, t in enumerate(titles)])  # fmt: skip
    result = clip("list", "--no-pager")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.strip()[:1].isdigit()]
    assert len(rows) == 3 and len(lines) == 3 + 4  # one line per clipping, under the header
    for title in titles:
        assert sum(title in row for row in rows) == 1  # each title whole, on its row
    assert all("politics" in row and row.rstrip().endswith("…") for row in rows)
    assert all(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) <= 110 for line in lines)
