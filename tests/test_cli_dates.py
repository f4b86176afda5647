"""Dates as people type them, through the command line: --date, --since, --until, queries and
imports, with the order of numeric dates taken from the settings or the locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft, utc_now
from clipper.search.periods import period
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture(autouse=True)
def locale(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No order of numeric dates from the machine running the tests."""
    for variable in ("LC_ALL", "LC_TIME", "LANG", "CLIPPER_DATE_ORDER"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def added_date(clip: Clip, *args: str) -> str | None:
    result = clip("add", "The council met on the harbour.", "--json", *args)
    assert result.exit_code == 0, result.stderr
    published: str | None = json.loads(result.stdout)["published"]
    return published


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("24 February 2023", "2023-02-24"),
        ("24.02.2023", "2023-02-24"),
        ("26 fevral 2023", "2023-02-26"),
        ("February 24, 2023", "2023-02-24"),
        ("2023-02-24", "2023-02-24"),
    ],
)
def test_add_takes_everyday_dates(clip: Clip, typed: str, stored: str) -> None:
    assert added_date(clip, "--date", typed) == stored


@pytest.mark.local_only  # the files of a library folder
def test_an_ambiguous_numeric_date_is_refused_and_nothing_is_saved(
    clip: Clip, library: Library
) -> None:
    result = clip("add", "The council met on the harbour.", "--date", "03/04/2023")
    assert error_message(result, ExitCode.USAGE) == (
        "'03/04/2023' is ambiguous: it reads as 3 April 2023 or as 4 March 2023: write "
        "2023-04-03 or 2023-03-04, or set date_order to day-first or month-first (clip config)."
    )
    assert not library.paths.store.exists()


def test_numeric_dates_follow_the_locale_then_the_setting(
    clip: Clip, locale: pytest.MonkeyPatch
) -> None:
    locale.setenv("LANG", "en_US.UTF-8")
    assert added_date(clip, "--date", "03/04/2023") == "2023-03-04"
    locale.setenv("LANG", "en_GB.UTF-8")
    assert added_date(clip, "--date", "03/04/2023", "--allow-duplicate") == "2023-04-03"
    locale.setenv("CLIPPER_DATE_ORDER", "month-first")
    assert added_date(clip, "--date", "03/04/2023", "--allow-duplicate") == "2023-03-04"


def test_edit_takes_everyday_dates(clip: Clip, library: Library) -> None:
    library.add(Draft(text="Harbour text.", title="Harbour"))
    assert clip("edit", "1", "--date", "24.02.2023").exit_code == 0
    assert library.get(1).published == "2023-02-24"


@pytest.fixture
def dated(library: Library) -> Library:
    """Clippings published on days around today, and one in an ISO week of 2019."""
    today, _ = period("today")
    yesterday, _ = period("yesterday")
    last_week, _ = period("last week")
    library.add_many(
        [
            Draft(text="Today's story.", title="Today", published=today),
            Draft(text="Yesterday's story.", title="Yesterday", published=yesterday),
            Draft(text="Last week's story.", title="Last week", published=last_week),
            Draft(text="Week 47 story.", title="Week 47", published="2019-11-24"),
            Draft(text="Week 48 story.", title="Week 48", published="2019-11-25"),
        ]
    )
    return library


def titles(clip: Clip, *args: str) -> list[str]:
    result = clip("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return sorted(item["title"] for item in json.loads(result.stdout))


def test_since_and_until_take_everyday_words(clip: Clip, dated: Library) -> None:
    assert titles(clip, "--since", "yesterday") == ["Today", "Yesterday"]
    assert titles(clip, "--since", "last week") == ["Last week", "Today", "Yesterday"]
    assert titles(clip, "--until", "24 November 2019") == ["Week 47"]
    assert titles(clip, "--since", "25.11.2019", "--until", "25.11.2019") == ["Week 48"]


def test_an_iso_week_is_the_whole_week(clip: Clip, dated: Library) -> None:
    # 2019-W47 runs from Monday 18 to Sunday 24 November 2019.
    assert titles(clip, "on:2019-W47") == ["Week 47"]
    assert titles(clip, "--until", "2019-W47") == ["Week 47"]
    assert titles(clip, "--since", "2019-W48", "--until", "2019-W48") == ["Week 48"]
    assert titles(clip, "after:2019-W47", "before:2019-W49") == ["Week 48"]


def test_a_bad_or_ambiguous_filter_date_is_one_line(clip: Clip, dated: Library) -> None:
    assert "not a valid --since date" in error_message(
        clip("list", "--since", "soonish"), ExitCode.USAGE
    )
    assert "is ambiguous" in error_message(clip("list", "--until", "03/04/2023"), ExitCode.USAGE)
    message = error_message(clip("list", "on:03/04/2023"), ExitCode.USAGE)
    assert message.startswith("on:03/04/2023 is ambiguous at position 1")


def test_query_dates_follow_the_date_order(
    clip: Clip, library: Library, locale: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text="April story.", title="April", published="2023-04-03"))
    locale.setenv("CLIPPER_DATE_ORDER", "day-first")
    assert titles(clip, "on:03/04/2023") == ["April"]
    locale.setenv("CLIPPER_DATE_ORDER", "month-first")
    assert titles(clip, "on:03/04/2023") == []


def test_captured_selects_by_the_day_clipped(clip: Clip, library: Library) -> None:
    library.add_many(
        [
            Draft(text="Clipped today.", title="New", published="2001-05-01"),
            Draft(text="Clipped long ago.", title="Old", captured="2019-11-20T08:00:00Z"),
        ]
    )
    assert utc_now()[:4] != "2019"
    assert titles(clip, "captured:7d") == ["New"]
    assert titles(clip, "captured:2019-11") == ["Old"]
    assert titles(clip, "--since", "7d") == []  # --since filters the publication date


def test_jsonl_import_reads_everyday_dates(clip: Clip, library: Library, tmp_path: Path) -> None:
    lines = [
        {"title": "Wire one", "text": "Cocoa prices rose.", "published": "26-FEB-1987 15:01:01.79"},
        {"title": "Wire two", "text": "Grain exports fell.", "published": "2 March 1987"},
        {"title": "Wire three", "text": "Rates held.", "published": "03/04/1987"},
    ]
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = clip("import", str(source), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    kept = {c.title: c.published for c in library.clippings()}
    assert kept == {"Wire one": "1987-02-26T15:01:01", "Wire two": "1987-03-02"}
    assert "ambiguous" in json.dumps(report)


def test_an_everyday_date_does_not_load_dateparser(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from clipper.cli.app import main\n"
        "sys.argv = ['clip', 'add', 'The council voted to build a tram line.', '--date',"
        " '24 February 2023']\n"
        "code = 0\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "print(code, 'dateparser' in sys.modules)\n"
    )
    env = {"CLIPPER_HOME": str(tmp_path / "lib"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "0 False"  # saved, and dateparser not loaded


def test_imports_read_numeric_dates_in_the_date_order(
    clip: Clip, library: Library, tmp_path: Path, locale: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "wire.jsonl"
    line = {"title": "Wire", "text": "Rates held.", "published": "03/04/1987"}
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    locale.setenv("CLIPPER_DATE_ORDER", "day-first")
    assert clip("import", str(source)).exit_code == 0
    assert [c.published for c in library.clippings()] == ["1987-04-03"]
