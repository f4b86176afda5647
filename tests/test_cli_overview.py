"""`clip` alone, `clip stats`, `clip open`, the show panel, and progress bars: the terminal
experience (the exact look is pinned in test_render_snapshots.py)."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
import urllib.parse
import urllib.request
import webbrowser
from pathlib import Path

import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from clipper.storage.store import Store
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def plain(output: str) -> str:
    """Terminal output without its styles (NO_COLOR keeps bold and dim)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", output)


@pytest.fixture
def three(library: Library) -> Library:
    library.add_many([
        Draft(text="Tram vote text.", title="Tram vote", source="Portmere Courier",
              url="https://courier.example/tram", published="2026-03-14", tags=["transport"],
              authors=["Ann Writer"]),
        Draft(text="Budget text.", title="Budget", source="Portmere Courier",
              published="2026-02-01", tags=["budget", "transport"]),
        Draft(text="Old story text.", title="Old story", published="2025-12-24"),
    ])  # fmt: skip
    return library


# The dashboard ---------------------------------------------------------------------------


@pytest.mark.local_only  # the files of a library folder
def test_clip_alone_piped_lists_the_library_newest_and_tags(
    clip: Clip, three: Library, library_home: Path
) -> None:
    rows = [line.split("\t") for line in clip().stdout.splitlines()]
    assert rows[0] == ["library", str(library_home)]
    assert rows[1] == ["clippings", "3"]
    assert [row[1] for row in rows if row[0] == "newest"] == ["1", "2", "3"]
    assert [row[1:] for row in rows if row[0] == "tag"] == [["transport", "2"], ["budget", "1"]]


@pytest.mark.local_only  # the files of a library folder
def test_clip_alone_on_a_terminal(clip: Clip, three: Library, terminal: None) -> None:
    result = clip()
    assert result.exit_code == 0, result.stderr
    shown = plain(result.stdout)
    lines = shown.splitlines()
    assert lines[0] == f"3 clippings in {three.paths.home}"
    assert "Tram vote" in shown and "Old story" in shown
    assert "transport 2 · budget 1" in shown
    assert lines[-1].startswith("next  clip show 1 · clip search WORDS")


def test_once_indexed_the_overview_commands_answer_from_the_index(
    clip: Clip, three: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert clip("list").exit_code == 0  # builds the index from the store, once
    monkeypatch.setattr(Store, "snapshot", _refuse)  # at 100,000 clippings, seconds
    for args in ([], ["stats"], ["stats", "--json"], ["tags"], ["list", "-n", "1"]):
        result = clip(*args)
        assert result.exit_code == 0, (args, result.stderr)


def _refuse(*args: object) -> None:
    raise AssertionError("clippings.json was read in full")


def test_group_commands_still_work_beside_the_dashboard(clip: Clip, three: Library) -> None:
    assert clip("tags").stdout.splitlines()[0] == "transport\t2"
    assert clip("trash").exit_code == 0
    assert clip("config", "path").exit_code == 0


# clip stats ------------------------------------------------------------------------------


def test_stats_json(clip: Clip, three: Library) -> None:
    data = json.loads(clip("stats", "--json").stdout)
    assert data["query"] is None
    assert data["clippings"] == 3
    assert [m["month"] for m in data["months"]] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert data["sources"] == [{"source": "Portmere Courier", "count": 2}]
    assert data["authors"] == [{"author": "Ann Writer", "count": 1}]


def test_stats_of_a_query_and_piped_rows(clip: Clip, three: Library) -> None:
    assert json.loads(clip("stats", "tag:budget", "--json").stdout)["clippings"] == 1
    joined = json.loads(clip("stats", "tag:transport", "after:2026-03-01", "--json").stdout)
    assert joined["query"] == "tag:transport after:2026-03-01"
    assert joined["clippings"] == 1
    rows = [line.split("\t") for line in clip("stats").stdout.splitlines()]
    assert ["clippings", "3"] in rows
    assert ["month", "2026-01", "0"] in rows
    assert ["tag", "transport", "2"] in rows


def test_stats_on_a_terminal_draws_bars(clip: Clip, three: Library, terminal: None) -> None:
    shown = plain(clip("stats").stdout)
    assert shown.startswith("3 clippings · 2025-12-24 – 2026-03-14")
    assert "per month" in shown and "█" in shown
    for heading in ("sources", "tags", "authors", "languages"):
        assert heading in shown


def test_stats_of_nothing(clip: Clip, library: Library, terminal: None) -> None:
    assert "No clippings yet." in clip("stats").stdout
    library.add(Draft(text="Some text.", title="T"))
    assert "No clippings match." in clip("stats", "absent").stdout


def test_a_long_span_is_drawn_per_year(clip: Clip, library: Library, terminal: None) -> None:
    library.add_many([Draft(text=f"Text {y}.", title=f"T{y}", published=f"{y}-06-01")
                      for y in (2019, 2021, 2024)])  # fmt: skip
    shown = clip("stats").stdout
    assert "per year" in shown
    assert "2020" in shown  # the empty year is drawn too
    assert len(json.loads(clip("stats", "--json").stdout)["months"]) == 61


def test_a_bad_stats_query_is_a_usage_error(clip: Clip, three: Library) -> None:
    error_message(clip("stats", '"unclosed'), ExitCode.USAGE)


# clip open -------------------------------------------------------------------------------


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """webbrowser.open recording the addresses it is given, as a browser that opens them."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *_, **__: opened.append(url) or True)  # type: ignore[func-returns-value]  # records, then says opened
    return opened


def test_open_launches_the_url(clip: Clip, three: Library, browser: list[str]) -> None:
    result = clip("open", "1")
    assert result.exit_code == 0, result.stderr
    assert browser == ["https://courier.example/tram"]
    assert result.stdout == ""
    assert result.stderr == "Opened https://courier.example/tram\n"


def test_open_without_a_url_is_a_clear_error(
    clip: Clip, three: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *_, **__: pytest.fail("launched"))
    message = error_message(clip("open", "2"), ExitCode.NOT_FOUND)
    assert message == "clipping 2 has no URL to open; add one with `clip edit 2 --url URL`."
    error_message(clip("open", "42"), ExitCode.NOT_FOUND)


def refuse(url: str, *_: object, **__: object) -> bool:
    return False


def no_browser_registered(url: str, *_: object, **__: object) -> bool:
    raise webbrowser.Error("could not locate runnable browser")


@pytest.mark.parametrize("no_browser", [refuse, no_browser_registered])
def test_open_without_a_browser_says_it_could_not(
    clip: Clip, three: Library, monkeypatch: pytest.MonkeyPatch, no_browser: object
) -> None:
    monkeypatch.setattr(webbrowser, "open", no_browser)
    result = clip("open", "1")
    message = error_message(result, ExitCode.ERROR)
    assert message == (
        "no web browser could be started; open https://courier.example/tram yourself, "
        "or set $BROWSER."
    )
    assert "Opened" not in result.stderr


PAGE = b"<!DOCTYPE html><html><head><script>alert(1)</script></head><body>Tram</body></html>"


@pytest.mark.local_only  # the files of a library folder
def test_open_snapshot_opens_the_page_kept(
    clip: Clip, library: Library, browser: list[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    draft = Draft(text="Tram vote text.", title="Tram", url="https://courier.example/news/tram")
    library.add_captured(draft, page=PAGE)
    result = clip("open", "1", "--snapshot")
    assert result.exit_code == 0, result.stderr
    [address] = browser
    assert address.startswith(tmp_path.as_uri() + "/clip-snapshot-")
    assert result.stderr == f"Opened the snapshot of clipping 1: {address}\n"
    shown = Path(urllib.request.url2pathname(urllib.parse.urlparse(address).path)).read_bytes()
    # The page itself, with its scripts off and its relative links resolved where it came from.
    assert shown == (
        b"<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"script-src "
        b"'none'\"><base href=\"https://courier.example/news/tram\"><html><head><script>alert(1)"
        b"</script></head><body>Tram</body></html>"
    )


@pytest.mark.local_only  # the files of a library folder
def test_a_snapshot_keeps_its_own_base(library: Library) -> None:
    page = b'<html><head><base href="https://cdn.example/"></head><body>Tram</body></html>'
    library.add_captured(Draft(text="Tram.", title="Tram", url="https://courier.example/a"),
                         page=page)  # fmt: skip
    assert library.snapshot_page(1).endswith(page)
    assert b"courier.example" not in library.snapshot_page(1)


@pytest.mark.local_only  # the files of a library folder
def test_open_snapshot_errors(
    clip: Clip, library: Library, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *_, **__: pytest.fail("launched"))
    library.add(Draft(text="No page kept.", title="Plain", url="https://courier.example/a"))
    message = error_message(clip("open", "1", "--snapshot"), ExitCode.NOT_FOUND)
    assert message.startswith("clipping 1 has no snapshot;")
    library.add_captured(Draft(text="A page kept.", title="Kept"), page=PAGE)
    [kept] = (library_home / "snapshots").iterdir()
    kept.unlink()
    message = error_message(clip("open", "2", "--snapshot"), ExitCode.NOT_FOUND)
    assert message.startswith("the snapshot of clipping 2 is missing")
    kept.write_bytes(b"not gzip")
    assert "cannot be read" in error_message(clip("open", "2", "--snapshot"), ExitCode.ERROR)
    # A hand edit naming a path outside snapshots/ is never followed.
    secret = library_home / "secret.html"
    secret.write_bytes(gzip.compress(b"secret"))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["2"]["snapshot"] = "../secret.html"
    stored.save(store, data)
    message = error_message(clip("open", "2", "--snapshot"), ExitCode.ERROR)
    assert "names a snapshot that is not one clip keeps" in message


# clip show -------------------------------------------------------------------------------


def test_the_panel_names_the_near_duplicates(
    clip: Clip, library: Library, terminal: None
) -> None:
    text = " ".join(f"Sentence number {n} of the wire story about the harbour." for n in range(40))
    library.add_captured(Draft(text=text, title="First telling", source="Wire"))
    library.add_captured(Draft(text=text + " Extra line.", title="Second telling", source="Post"))
    shown = clip("show", "1", "--no-pager").stdout
    assert "same story" in shown and "#2" in shown and "Second telling" in shown
    library.remove([2])
    assert "no longer in the library" in clip("show", "1", "--no-pager").stdout


def test_show_keeps_the_text_to_a_readable_width(
    clip: Clip, library: Library, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    library.add(Draft(text="word " * 400, title="Wide"))
    lines = plain(clip("show", "1", "--no-pager").stdout).splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 100


def test_bidirectional_controls_cannot_reorder_a_table_row(
    clip: Clip, library: Library, terminal: None
) -> None:
    library.add(Draft(text="Some text.", title="Evil \u202etitle\u2066 here", tags=["x"]))
    shown = clip("list").stdout
    assert "Evil title here" in shown
    assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize(
    "title",
    ["東京大学、日本語を理解する新しいAIモデルを発表した研究チームの報告と今後の課題について",
     "وزارة الصحة تطلق حملة تطعيم وطنية جديدة ضد الإنفلونزا الموسمية في جميع المحافظات"],
)  # fmt: skip
def test_wide_and_right_to_left_titles_keep_the_table_straight(
    clip: Clip, library: Library, terminal: None, title: str
) -> None:
    from rich.cells import cell_len

    library.add(Draft(text="Some text.", title=title, source="日本経済新聞", tags=["x"]))
    library.add(Draft(text="Other text.", title="A plain English title", tags=["y"]))
    for args in (["list"], ["search", "text"], []):
        lines = plain(clip(*args).stdout).splitlines()
        assert all(cell_len(line) <= 100 for line in lines), args


# Progress --------------------------------------------------------------------------------


@pytest.fixture
def many(library: Library) -> Library:
    library.add_many([Draft(text=f"Article number {n}.", title=f"A{n}") for n in range(260)])
    return library


@pytest.mark.local_only  # the files of a library folder
def test_reindex_shows_progress_on_a_terminal_only(
    clip: Clip, many: Library, terminal: None
) -> None:
    shown = clip("reindex")
    assert "Indexing" in shown.stderr
    assert "Indexed 260 clippings" in shown.stderr
    quiet = clip("reindex", "--quiet")
    assert (quiet.stdout, quiet.stderr) == ("", "")


def test_no_progress_in_a_pipe(clip: Clip, many: Library, tmp_path: Path) -> None:
    assert "Indexing" not in clip("reindex").stderr
    assert "Exporting" not in clip("export", "-f", "md-files", "-o", str(tmp_path / "v")).stderr


def test_export_shows_progress_on_a_terminal_unless_quiet(
    clip: Clip, many: Library, terminal: None, tmp_path: Path
) -> None:
    shown = clip("export", "-f", "md-files", "-o", str(tmp_path / "vault"))
    assert "Exporting" in shown.stderr
    quiet = clip("export", "-f", "md-files", "-o", str(tmp_path / "again"), "-q")
    assert quiet.stderr == ""


# Shell completion ------------------------------------------------------------------------


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last of `words` (as typed after `clip`)."""
    from typer.testing import CliRunner

    from clipper.cli.app import app

    typed = ["clip", *words.split(" ")]
    result = CliRunner().invoke(
        app, [], prog_name="clip",
        env={"_CLIP_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(typed),
             "COMP_CWORD": str(len(typed) - 1), **(env or {})},
    )  # fmt: skip
    return result.stdout.split()


def test_commands_and_options_complete(three: Library) -> None:
    assert complete("st") == ["star", "stats"]
    assert "--group-by" in complete("export --gr")


@pytest.mark.local_only  # the files of a library folder
def test_tags_complete_from_the_library(three: Library, tmp_path: Path) -> None:
    assert complete("list -t b") == ["budget"]
    assert complete("tag 1 -t ") == ["transport", "budget"]
    other = Library(three.paths.__class__(tmp_path / "other"))
    other.add(Draft(text="Elsewhere.", title="E", tags=["bravo"]))
    assert complete(f"-L {tmp_path / 'other'} list -t b") == ["bravo"]
    assert complete(f"export -L {tmp_path / 'other'} -t b") == ["bravo"]
    assert complete("list -t b", {"CLIPPER_LOCK_TIMEOUT": "bad"}) == []  # never an error


def test_format_options_complete_formats_not_file_names(three: Library) -> None:
    assert complete("export -f ") == [
        "md", "md-files", "json", "jsonl", "csv", "html", "pdf", "docx", "ris", "bibtex",
        "csl-json",
    ]  # fmt: skip
    assert complete("export -f j") == ["json", "jsonl"]
    assert complete("export --format cs") == ["csv", "csl-json"]
    assert complete("import backup.json -f po") == ["pocket-html", "pocket-csv"]
    assert complete("import -f a") == ["auto"]
