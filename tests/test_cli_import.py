"""`clip import`: every source format, the report, duplicates, bad records, --dry-run, URLs."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from clipper.errors import ExitCode
from clipper.library.core import Library
from tests.conftest import Clip
from tests.expect import error_message
from tests.import_samples import (
    ATOM,
    BROKEN_FEED,
    JSON_FEED,
    NETSCAPE,
    POCKET_CSV,
    POCKET_HTML,
    RSS,
    TABLE,
    WALLABAG_V1,
    WALLABAG_V2,
)

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def report(clip: Clip, *args: str) -> dict[str, object]:
    result = clip("import", *args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, object] = orjson.loads(result.stdout)
    return data


# Named without their usual extension on purpose: the content decides.
@pytest.mark.parametrize(
    ("name", "content", "fmt", "added", "failed"),
    [
        ("news.rss", RSS, "feed", 3, 0),
        ("atom.txt", ATOM, "feed", 2, 0),
        ("feed.json", JSON_FEED, "feed", 2, 1),
        ("bookmarks", NETSCAPE, "netscape", 3, 1),
        ("ril_export.html", POCKET_HTML, "pocket-html", 2, 1),
        ("pocket.csv", POCKET_CSV, "pocket-csv", 2, 1),
        ("wallabag.json", WALLABAG_V2, "wallabag", 2, 1),
        ("wallabag-v1.json", WALLABAG_V1, "wallabag", 1, 0),
        ("table.csv", TABLE, "csv", 2, 1),
    ],
)
def test_each_format_imports_and_reports_bad_records(
    clip: Clip, library: Library, tmp_path: Path, name: str, content: str, fmt: str,
    added: int, failed: int,
) -> None:  # fmt: skip
    data = report(clip, str(write(tmp_path, name, content)))
    assert (data["format"], data["added"], data["failed"], data["duplicates"]) == (
        fmt, added, failed, 0,
    )  # fmt: skip
    records = data["records"]
    assert isinstance(records, list) and len(records) == added + failed
    for record in records:
        if record["status"] == "failed":
            assert record["reason"] and "\n" not in record["reason"]
    assert len(library.clippings()) == added


def test_rss_import_keeps_fields(clip: Clip, library: Library, tmp_path: Path) -> None:
    clip("import", str(write(tmp_path, "feed.xml", RSS)))
    bridge = next(c for c in library.clippings() if c.title.startswith("Harbour"))
    assert bridge.url == "https://courier.example/news/bridge"
    assert bridge.source == "Portmere Courier"
    assert bridge.published == "2023-02-23T10:15:00Z"
    assert bridge.text.startswith("The harbour bridge reopened")


def test_tag_option_is_added_to_every_clipping(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    result = clip("import", str(write(tmp_path, "b.html", NETSCAPE)), "-t", "Imported,press/2023")
    assert result.exit_code == 0
    for clipping in library.clippings():
        assert {"imported", "press/2023"} <= set(clipping.tags)


def test_duplicates_are_skipped_and_reported(clip: Clip, library: Library, tmp_path: Path) -> None:
    path = write(tmp_path, "feed.xml", RSS)
    first = report(clip, str(path))
    second = report(clip, str(path))
    assert first["added"] == 3
    assert (second["added"], second["duplicates"], second["failed"]) == (0, 3, 0)
    records = second["records"]
    assert isinstance(records, list)
    assert all(r["status"] == "duplicate" and "already kept" in r["reason"] for r in records)
    assert len(library.clippings()) == 3


def test_a_duplicate_within_one_file_is_skipped(clip: Clip, tmp_path: Path) -> None:
    csv_text = "title,url\nOne,https://dup.example/a\nAgain,https://dup.example/a?utm_source=x\n"
    data = report(clip, str(write(tmp_path, "dups.csv", csv_text)))
    assert (data["added"], data["duplicates"]) == (1, 1)


def test_pipe_output_is_one_line_per_record_and_a_summary(clip: Clip, tmp_path: Path) -> None:
    result = clip("import", str(write(tmp_path, "pocket.csv", POCKET_CSV)))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["added", "added", "failed"]
    assert lines[0].split("\t")[1:3] == ["line 2", "1"]
    assert "Added 2" in result.stderr and "failed 1" in result.stderr


@pytest.mark.local_only  # the files of a library folder
def test_dry_run_writes_nothing(
    clip: Clip, library: Library, library_home: Path, tmp_path: Path
) -> None:
    assert clip("add", "An existing clipping.", "--title", "Existing").exit_code == 0
    store = library_home / "clippings.json"
    before = store.read_bytes()
    result = clip("import", str(write(tmp_path, "feed.xml", RSS)), "--dry-run")
    assert result.exit_code == 0
    assert "dry run" in result.stderr
    assert store.read_bytes() == before
    assert not (library_home / "backups").exists() or not any((library_home / "backups").iterdir())


def test_dry_run_into_no_library_creates_none(
    clip: Clip, library_home: Path, tmp_path: Path
) -> None:
    data = report(clip, str(write(tmp_path, "feed.xml", RSS)), "--dry-run")
    assert data["dry_run"] is True and data["added"] == 3
    records = data["records"]
    assert isinstance(records, list) and all(r["id"] is None for r in records)
    assert not (library_home / "clippings.json").exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (BROKEN_FEED, ExitCode.USAGE),
        ("<catalog>not a feed</catalog>", ExitCode.USAGE),
        ("[1, 2", ExitCode.USAGE),
        ("", ExitCode.USAGE),
    ],
)
@pytest.mark.local_only  # the files of a library folder
def test_an_unreadable_file_is_one_line_and_writes_nothing(
    clip: Clip, library_home: Path, tmp_path: Path, content: str, code: ExitCode
) -> None:
    assert clip("add", "Kept text.", "--title", "Kept").exit_code == 0
    before = (library_home / "clippings.json").read_bytes()
    result = clip("import", str(write(tmp_path, "bad.xml", content)))
    message = error_message(result, code)
    assert "bad.xml" in message
    assert (library_home / "clippings.json").read_bytes() == before


def test_missing_file_and_unknown_format(clip: Clip, tmp_path: Path) -> None:
    error_message(clip("import", str(tmp_path / "nope.json")), ExitCode.NOT_FOUND)
    path = write(tmp_path, "feed.xml", RSS)
    assert "unknown import format" in error_message(
        clip("import", str(path), "--format", "docx"), ExitCode.USAGE
    )


def test_when_every_record_fails_the_command_fails(clip: Clip, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "title,url\nA,ftp://x.example/a\nB,mailto:b@x.example\n")
    result = clip("import", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.splitlines()[-1].startswith("Error: none of the 2 records")


def test_forced_format_that_does_not_fit_is_an_error(clip: Clip, tmp_path: Path) -> None:
    path = write(tmp_path, "feed.xml", RSS)
    message = error_message(clip("import", str(path), "--format", "wallabag"), ExitCode.USAGE)
    assert "not valid JSON" in message


# Feeds by URL, served locally ---------------------------------------------------------------


def test_feed_by_url(clip: Clip, library: Library, httpserver: HTTPServer) -> None:
    relative = RSS.replace("https://courier.example/news/budget", "/news/budget")
    httpserver.expect_request("/rss.xml").respond_with_data(
        relative, content_type="application/rss+xml"
    )
    data = report(clip, httpserver.url_for("/rss.xml"))
    assert data["added"] == 3
    urls = {c.url for c in library.clippings()}
    assert httpserver.url_for("/news/budget") in urls  # resolved against the feed's address


def test_feed_url_that_fails_is_a_fetch_error(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=404)
    message = error_message(clip("import", httpserver.url_for("/gone.xml")), ExitCode.FETCH_FAILED)
    assert "404" in message


ARTICLE = """<html lang="en"><head><title>Harbour bridge reopens - Courier</title></head>
<body><nav>Home | News</nav><article><h1>Harbour bridge reopens</h1>
<p>{p}</p><p>{p}</p><p>{p}</p></article><footer>Copyright</footer></body></html>""".format(
    p="The harbour bridge reopened on Monday after eight months of repairs, the council said, "
    "and traffic was light in the first hours as drivers returned to the old route."
)


def test_fetch_replaces_entry_text_with_the_article(
    clip: Clip, library: Library, httpserver: HTTPServer
) -> None:
    feed = RSS.replace("https://courier.example/news/bridge?utm_source=rss", "/article").replace(
        "https://courier.example/news/budget", "/missing"
    )
    httpserver.expect_request("/rss.xml").respond_with_data(feed, content_type="text/xml")
    httpserver.expect_request("/article").respond_with_data(ARTICLE, content_type="text/html")
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    data = report(clip, httpserver.url_for("/rss.xml"), "--fetch")
    assert data["added"] == 3
    records = data["records"]
    assert isinstance(records, list)
    assert records[1]["warning"] and "404" in records[1]["warning"]
    bridge = next(c for c in library.clippings() if c.url == httpserver.url_for("/article"))
    assert "eight months of repairs" in bridge.text
    assert bridge.title == "Harbour bridge reopens after repairs"  # the feed's title wins


def test_allow_duplicate_keeps_a_library_that_had_duplicates(clip: Clip, tmp_path: Path) -> None:
    assert clip("add", "Same text.", "--title", "One").exit_code == 0
    assert clip("add", "Same text.", "--title", "Two", "--allow-duplicate").exit_code == 0
    backup = tmp_path / "backup.json"
    assert clip("export", "-f", "json", "-o", str(backup)).exit_code == 0
    other = str(tmp_path / "other")
    result = clip("--library", other, "import", str(backup), "--json")
    assert orjson.loads(result.stdout)["duplicates"] == 1
    again = str(tmp_path / "again")
    result = clip("--library", again, "import", str(backup), "--allow-duplicate", "--json")
    assert orjson.loads(result.stdout)["added"] == 2


def test_wire_copies_skip_exact_duplicates_and_link_near_ones(clip: Clip, tmp_path: Path) -> None:
    from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, STORY, UNRELATED

    assert clip("add", ORIGINAL, "--title", "Tram line approved").stdout == "1\n"
    copies = [ORIGINAL, REPUBLISHED, "\n\n".join(STORY[:2]), UNRELATED]
    wire = tmp_path / "wire.jsonl"
    wire.write_bytes(b"".join(orjson.dumps({"text": t, "title": "Wire"}) + b"\n" for t in copies))
    data = report(clip, str(wire))
    assert (data["added"], data["duplicates"], data["linked"]) == (3, 1, 2)
    records = data["records"]
    assert isinstance(records, list)
    assert [r["status"] for r in records] == ["duplicate", "added", "added", "added"]
    assert [sorted(r["near_duplicates"] or []) for r in records] == [[], [1, 3], [1, 2], []]
    shown = orjson.loads(clip("show", "1", "--json").stdout)[0]
    assert shown["near_duplicates"] == [2, 3]
    again = tmp_path / "more.jsonl"
    again.write_bytes(orjson.dumps({"text": REPUBLISHED + " Updated at noon.", "title": "W"}))
    result = clip("import", str(again))
    assert "Added 1 (1 linked with near duplicates) · skipped 0 duplicates" in result.stderr


def test_a_dry_run_says_how_many_would_be_linked(clip: Clip, tmp_path: Path) -> None:
    from tests.test_capture_dedup import ORIGINAL, REPUBLISHED

    clip("add", ORIGINAL, "--title", "Tram line approved")
    wire = write(tmp_path, "wire.jsonl", orjson.dumps({"text": REPUBLISHED}).decode())
    data = report(clip, str(wire), "--dry-run")
    assert data["linked"] == 1
    shown = orjson.loads(clip("show", "1", "--json").stdout)[0]
    assert shown["near_duplicates"] == []


def test_malformed_links_in_a_record_fail_that_record_only(clip: Clip, tmp_path: Path) -> None:
    lines = [{"text": "First story text.", "near_duplicates": ["two"]}, {"text": "Second."}]
    wire = write(tmp_path, "x.jsonl", "\n".join(orjson.dumps(line).decode() for line in lines))
    data = report(clip, str(wire))
    assert (data["added"], data["failed"]) == (1, 1)
    records = data["records"]
    assert isinstance(records, list)
    assert records[0]["reason"] == "near_duplicates must be a list of clipping ids."
