"""Hostile files and hand edits: numbers, nesting, types, URLs and dates chosen to hurt end in
clippings or a one-line error, never in a hang, a traceback or a poisoned record."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
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


ALIAS_BOMB = (
    "---\ntitle: Bomb\n"
    "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "tags: *i\n---\n\nThe text of the bomb.\n"
)


def md_folder(tmp_path: Path, **documents: str) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in documents.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def test_a_yaml_alias_bomb_in_front_matter_is_refused_and_the_other_files_imported(
    tmp_path: Path, library_home: Path
) -> None:
    folder = md_folder(
        tmp_path, bomb=ALIAS_BOMB, good="---\ntitle: Good\ntags: [a, b]\n---\n\nGood text.\n"
    )
    done = run_clip(library_home, "import", str(folder), "--json")
    assert done.returncode == 0, done.stderr  # a bad record never stops the others
    report = json.loads(done.stdout)
    assert (report["added"], report["failed"]) == (1, 1)
    failed = next(r for r in report["records"] if r["status"] == "failed")
    assert "alias" in failed["reason"] and "line 11" in failed["reason"]  # the anchored value
    listed = json.loads(run_clip(library_home, "list", "--json").stdout)
    assert [(c["title"], c["tags"]) for c in listed] == [("Good", ["a", "b"])]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("title: [a, b]", "title must be text, not a list"),
        ("source: {a: 1}", "source must be text, not a mapping"),
        ("tags: [[a, b], c]", "tags must be a list of text values"),
        ("authors: [{name: x}]", "authors must be a list of text values"),
        ("published: 2023-02-30", "2023-02-30"),
    ],
)
def test_a_front_matter_field_of_the_wrong_type_fails_that_file_only(
    clip: Clip, tmp_path: Path, header: str, problem: str
) -> None:
    folder = md_folder(
        tmp_path, bad=f"---\n{header}\n---\n\nBad text.\n", good="---\ntitle: Good\n---\n\nText.\n"
    )
    done = clip("import", str(folder), "--json")
    assert done.exit_code == 0
    report = json.loads(done.stdout)
    assert (report["added"], report["failed"]) == (1, 1)
    failed = next(r for r in report["records"] if r["status"] == "failed")
    assert problem in failed["reason"]
    assert [c["title"] for c in json.loads(clip("list", "--json").stdout)] == ["Good"]


def test_an_impossible_unquoted_date_in_clip_edit_keeps_the_edit_and_says_where(
    clip: Clip, editor: object, tmp_path: Path
) -> None:
    assert clip("add", "Body text", "--title", "T", "--date", "2023-02-23").exit_code == 0
    assert callable(editor)
    editor(replace=[("published: '2023-02-23'", "published: 2023-02-30")])
    done = clip("edit", "1")
    assert done.exit_code == 2
    kept = sorted((tmp_path / "tmp").glob("clip-*.md"))
    assert len(kept) == 1 and "published: 2023-02-30" in kept[0].read_text(encoding="utf-8")
    assert done.stderr.startswith("Error: ") and str(kept[0]) in done.stderr
    assert "2023-02-30" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert json.loads(clip("show", "1", "--json").stdout)[0]["published"] == "2023-02-23"


def add_dated(library: Library, *dates: str) -> None:
    library.add_many(
        [Draft(text=f"Clipping {n}", title=f"T{n}", published=d) for n, d in enumerate(dates)]
    )


@pytest.mark.parametrize(
    ("days", "months", "years", "first"),
    [
        (["notadate"], [], [], None),
        (["2023-02-23", "notadate"], [("2023-02", 1)], [("2023", 1)], "2023-02-23"),
        (["2023-13-01", "1999-00-05"], [], [("1999", 1)] + [(str(y), 0) for y in range(2000, 2023)]
         + [("2023", 1)], "1999-00-05"),
    ],
)  # fmt: skip
def test_stats_end_on_any_day_the_index_holds(
    library: Library, days: list[str], months: list[tuple[str, int]],
    years: list[tuple[str, int]], first: str | None,
) -> None:
    add_dated(library, *(["2023-02-23"] * len(days)))
    library.stats()  # the index is built and current
    with sqlite3.connect(library.paths.index) as conn:
        for number, day in enumerate(days, start=1):
            conn.execute("UPDATE docs SET day = ? WHERE rowid = ?", [day, number])
    conn.close()
    stats = library.stats()
    assert stats.clippings == len(days)
    assert (stats.months, stats.years, stats.first) == (months, years, first)
    # A year without a month is counted in its year; a day that is no date in neither.
    assert stats.year_only == sum(n for _, n in years) - sum(n for _, n in months)


def test_stats_on_a_hand_edited_date_end_without_a_traceback(
    library: Library, library_home: Path
) -> None:
    add_dated(library, "2023-02-23", "2023-03-01")
    store = library_home / "clippings.json"
    store.write_text(
        store.read_text(encoding="utf-8").replace('"2023-03-01"', '"notadate"'), encoding="utf-8"
    )
    done = run_clip(library_home, "stats", "--json")
    assert "Traceback" not in done.stderr
    assert done.returncode == 0 or done.stderr.startswith("Error: ")


BAD_URL = "http://[oops/"


@pytest.mark.parametrize(
    "command",
    [("add", "Some text of a clipping", "--url", BAD_URL), ("add", BAD_URL),
     ("edit", "1", "--url", BAD_URL)],
)  # fmt: skip
def test_a_url_with_a_broken_host_is_a_usage_error(clip: Clip, command: tuple[str, ...]) -> None:
    assert clip("add", "The clipping already kept", "--title", "Kept").exit_code == 0
    done = clip(*command)
    assert done.exit_code == ExitCode.USAGE
    assert done.stderr == f"Error: {BAD_URL!r} is not a web address: its host part is malformed.\n"
    [kept] = json.loads(clip("list", "--json").stdout)
    assert (kept["title"], kept["url"]) == ("Kept", None)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("feed.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
         f"<item><title>Bad</title><link>{BAD_URL}</link><description>Bad one</description></item>"
         "<item><title>Good</title><link>https://good.example/a</link>"
         "<description>Good one</description></item></channel></rss>"),
        ("marks.html", '<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>'
         f'<DT><A HREF="{BAD_URL}">Bad</A><DT><A HREF="https://good.example/a">Good</A></DL>'),
        ("table.csv", f"title,url,text\nBad,{BAD_URL},Bad one\nGood,https://good.example/a,Good\n"),
        ("lines.jsonl", json.dumps({"title": "Bad", "url": BAD_URL, "text": "Bad one"}) + "\n"
         + json.dumps({"title": "Good", "url": "https://good.example/a", "text": "Good"})),
        ("feed.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
            {"id": "1", "url": BAD_URL, "title": "Bad", "content_text": "Bad one"},
            {"id": "2", "url": "https://good.example/a", "title": "Good", "content_text": "G"}]})),
    ],
)  # fmt: skip
def test_a_record_with_a_broken_url_never_stops_the_others(
    clip: Clip, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    done = clip("import", str(path), "--json")
    assert done.exit_code == 0, done.output
    kept = {c["title"]: c["url"] for c in json.loads(clip("list", "--json").stdout)}
    assert kept["Good"] == "https://good.example/a"
    # The bad record is reported, or kept as text without the address it cannot have.
    assert kept.get("Bad") is None


@pytest.mark.parametrize(
    ("fields", "tags", "authors"),
    [
        ({"tags": 5}, [], ["Feed Writer"]),
        ({"tags": "a,b"}, [], ["Feed Writer"]),
        ({"tags": [5, "kept", None]}, ["kept"], ["Feed Writer"]),
        ({"authors": True}, [], ["Feed Writer"]),
        ({"authors": {"name": "x"}}, [], ["Feed Writer"]),
        ({"authors": [5, {"name": 7}, {"name": "Ann"}]}, [], ["Ann"]),
        ({"author": "Bo Lee"}, [], ["Bo Lee"]),
        ({"author": 12}, [], ["Feed Writer"]),
    ],
)
def test_json_feed_fields_of_the_wrong_type_are_left_out(
    tmp_path: Path, fields: dict[str, object], tags: list[str], authors: list[str]
) -> None:
    from clipper.library.importing import read_source

    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Feed",
            "authors": [{"name": "Feed Writer"}],
            "items": [{"id": "1", "url": "https://f.example/1", "title": "One",
                       "content_text": "The first item.", **fields}]}  # fmt: skip
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    [record] = read_source(str(path), "auto").records
    assert record.draft is not None, record.error
    assert (record.draft.tags, record.draft.authors) == (tags, authors)


EDGE_OF_TIME = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"]


@pytest.mark.parametrize("moment", EDGE_OF_TIME)
def test_a_time_that_utc_takes_out_of_the_calendar_never_stops_an_import(
    clip: Clip, tmp_path: Path, moment: str
) -> None:
    wallabag = [{"url": "https://w.example/1", "title": "Edge", "content": "<p>Edge w</p>",
                 "is_archived": 0, "created_at": moment},
                {"url": "https://w.example/2", "title": "Fine", "content": "<p>Fine w</p>",
                 "is_archived": 0, "created_at": "2023-02-23T10:00:00+03:00"}]  # fmt: skip
    links = [{"href": "https://l.example/1", "description": "Edge", "extended": "Edge l",
              "time": moment},
             {"href": "https://l.example/2", "description": "Fine", "extended": "Fine l",
              "time": "2023-02-23"}]  # fmt: skip
    rfc = "Fri, 31 Dec 9999 23:00:00 -0500" if moment.startswith("9999") else moment
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>Edge</title><link>https://r.example/1</link><pubDate>{rfc}</pubDate>"
            "<description>Edge r</description></item><item><title>Fine</title>"
            "<link>https://r.example/2</link><description>Fine r</description></item>"
            "</channel></rss>")  # fmt: skip
    for kind, name, content in (("wallabag", "wallabag.json", json.dumps(wallabag)),
                                ("links-json", "links.json", json.dumps(links)),
                                ("feed", "feed.rss", feed)):  # fmt: skip
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        done = clip("import", str(path), "--json")
        assert done.exit_code == 0, done.output
        report = json.loads(done.stdout)
        assert (report["format"], report["added"] + report["failed"]) == (kind, 2)
    titles = [c["title"] for c in json.loads(clip("list", "--json").stdout)]
    assert titles.count("Fine") == 3


@pytest.mark.parametrize("value", ["01/Jan/0001:00:00:00 +0300", "31/Dec/9999:23:00:00 -0500"])
def test_a_server_log_time_at_the_edge_of_the_calendar_is_no_date(value: str) -> None:
    from clipper.formats.records import unix_time

    assert unix_time(value) is None


@pytest.mark.parametrize("depth", [1000, 1020])
def test_json_nested_a_thousand_levels_deep_is_read_without_recursion(
    clip: Clip, tmp_path: Path, depth: int
) -> None:
    link = '{"url": "https://deep.example/a", "title": "Deep"}'
    (tmp_path / "lists.json").write_text("[" * depth + link + "]" * depth, encoding="utf-8")
    (tmp_path / "objects.json").write_text('{"a": ' * depth + "1" + "}" * depth, encoding="utf-8")
    done = clip("import", str(tmp_path / "lists.json"), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["added"] == 1
    done = clip("import", str(tmp_path / "objects.json"))
    assert done.exit_code == ExitCode.USAGE
    assert done.stderr.startswith("Error: ") and "nothing was imported" in done.stderr
