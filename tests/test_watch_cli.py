"""`clip watch add/list/show/edit/rm/test/schedule`, and what a run refuses or waits for."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message
from tests.watch_feeds import FERRY, HTML, RSS, TRAM, Item, page, rss

pytestmark = pytest.mark.usefixtures("backend")

FEED = "https://news.example.org/rss.xml"


def test_a_malformed_query_is_refused_when_the_watch_is_saved(
    clip: Clip, library_home: Path
) -> None:
    result = clip("watch", "add", "trams", "tram AND (", "--feed", FEED)

    assert "malformed" in error_message(result, ExitCode.USAGE)
    assert not (library_home / "clippings.json").exists()


def test_only_http_feeds_are_watched(clip: Clip) -> None:
    result = clip("watch", "add", "trams", "tram", "--feed", "file:///etc/passwd")
    assert "only http:// and https:// feeds" in error_message(result, ExitCode.USAGE)


def test_a_watch_is_saved_listed_shown_edited_and_removed(clip: Clip) -> None:
    assert clip("watch", "add", "Trams", "tram*", "--feed", FEED, "-t", "transport").exit_code == 0
    taken = clip("watch", "add", "trams", "ferry", "--feed", FEED)
    assert "exists" in error_message(taken, ExitCode.CONFLICT)

    other = "https://other.example.net/atom"
    edited = clip("watch", "edit", "trams", "--query", "tram OR ferry", "--feed", other,
                  "--drop-feed", FEED, "--summary-only")  # fmt: skip
    assert edited.exit_code == 0, edited.stderr
    [listed] = json.loads(clip("watch", "list", "--json").stdout)
    assert listed["name"] == "trams" and listed["query"] == "tram OR ferry"
    assert listed["feeds"] == ["https://other.example.net/atom"]
    assert listed["tags"] == ["transport"] and listed["full_text"] is False
    shown = clip("watch", "show", "trams").stdout
    assert "query\ttram OR ferry" in shown and "tags\ttrams, transport" in shown

    bad = clip("watch", "edit", "trams", "--query", '"unclosed')
    assert "malformed" in error_message(bad, ExitCode.USAGE)
    assert json.loads(clip("watch", "show", "trams", "--json").stdout)["query"] == "tram OR ferry"

    assert clip("watch", "rm", "trams").exit_code == 0
    assert json.loads(clip("watch", "list", "--json").stdout) == []
    assert "no watch" in error_message(clip("watch", "show", "trams"), ExitCode.NOT_FOUND)


@pytest.mark.local_only
def test_watches_live_in_the_library_file_and_survive_adds(clip: Clip, library_home: Path) -> None:
    clip("watch", "add", "trams", "tram", "--feed", FEED)
    clip("add", "The council approved the tram line on Thursday.", "--title", "Tram line")
    clip("add", "A second clipping, added without reading the library whole.", "--title", "Two")

    stored = json.loads((library_home / "clippings.json").read_text(encoding="utf-8"))
    assert list(stored["meta"]) == ["1", "2"]  # the counters' record stays first
    assert stored["meta"]["2"]["watches"]["trams"]["feeds"] == [FEED]
    assert [w["name"] for w in json.loads(clip("watch", "list", "--json").stdout)] == ["trams"]
    assert clip("doctor").exit_code == 0


def test_the_feeds_of_an_opml_file_are_watched(clip: Clip, tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        f'<outline type="rss" text="A" xmlUrl="{FEED}"/>'
        '<outline type="rss" text="B" xmlUrl="https://b.example.net/feed"/></outline></body></opml>',
        encoding="utf-8",
    )
    assert clip("watch", "add", "trams", "tram", "--opml", str(opml)).exit_code == 0
    feeds = json.loads(clip("watch", "show", "trams", "--json").stdout)["feeds"]
    assert feeds == [FEED, "https://b.example.net/feed"]


@pytest.mark.local_only
def test_watch_test_previews_and_writes_nothing(
    clip: Clip, httpserver: HTTPServer, library_home: Path
) -> None:
    clip("add", "The council approved the tram line on Thursday.", "--title", "Tram line")
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss([Item("Tram depot opens", "Rails.", httpserver.url_for("/a")),
             Item("Ferry news", "Boats.", httpserver.url_for("/b")),
             Item("Harbour walls", "Repairs.", httpserver.url_for("/c"))]), content_type=RSS,
    )  # fmt: skip
    clip("watch", "add", "trams", "tram* -title:ferry", "--feed", httpserver.url_for("/feed.xml"))
    before = (library_home / "clippings.json").read_bytes()

    result = clip("watch", "test", "trams", "--since", "30d", "--feeds", "--json")

    assert result.exit_code == 0, result.stderr
    preview = json.loads(result.stdout)
    assert [c["title"] for c in preview["kept"]] == ["Tram line"]
    verdicts = {i["title"]: i["verdict"] for i in preview["items"]}
    assert verdicts == {"Tram depot opens": "match", "Harbour walls": "full text decides"}
    assert (library_home / "clippings.json").read_bytes() == before
    assert not (library_home / "watch-state.json").exists()
    assert [c["title"] for c in json.loads(clip("list", "--json").stdout)] == ["Tram line"]


def test_a_feed_declaring_entities_is_refused(clip: Clip, httpserver: HTTPServer) -> None:
    laughs = '<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><!DOCTYPE rss [{laughs}]><rss version="2.0"><channel>'
        "<title>&b;</title><item><title>tram &b;</title><description>tram</description>"
        "</item></channel></rss>", content_type=RSS,
    )  # fmt: skip
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    result = clip("watch", "run")

    assert result.exit_code == 1
    assert "declares XML entities" in result.stderr
    assert json.loads(clip("list", "--json").stdout) == []


def test_retry_after_is_honoured(clip: Clip, httpserver: HTTPServer) -> None:
    asked = []

    def busy(request: Request) -> Response:
        asked.append(request.path)
        return Response("busy", status=503, headers={"Retry-After": "3600"})

    httpserver.expect_request("/feed.xml").respond_with_handler(busy)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    first = clip("watch", "run")
    assert first.exit_code == 1 and "503 Service Unavailable; asked to wait until" in first.stderr
    second = clip("watch", "run")

    assert asked == ["/feed.xml"]  # not asked again before the hour is over
    assert second.exit_code == 0 and "not fetched this time" in second.stderr


@pytest.mark.local_only
def test_schedule_prints_a_crontab_line_and_a_systemd_timer(clip: Clip, library_home: Path) -> None:
    result = clip("watch", "schedule", "--every", "30m")

    assert result.exit_code == 0
    cron = next(line for line in result.stdout.splitlines() if line.startswith("*/30 * * * * "))
    assert f"--library {library_home.resolve()} watch run --quiet" in cron
    assert "OnUnitActiveSec=30min" in result.stdout and "ExecStart=" in result.stdout
    assert "interval" in error_message(clip("watch", "schedule", "--every", "7m"), ExitCode.USAGE)


def test_two_runs_at_once_the_second_waits_and_nothing_is_added_twice(library_home: Path) -> None:
    server = HTTPServer(threaded=True)
    server.start()
    try:
        first_in, release = threading.Event(), threading.Event()
        conditional: list[str | None] = []

        def feed(request: Request) -> Response:
            conditional.append(request.headers.get("If-None-Match"))
            if not first_in.is_set():
                first_in.set()
                release.wait(120)  # until the second run is known to be waiting
            if request.headers.get("If-None-Match") == '"1"':
                return Response(status=304)
            items = [
                Item("Tram line approved", "Vote.", server.url_for("/tram")),
                Item("Ferry timetable", "Boats and trams.", server.url_for("/ferry")),
            ]
            return Response(rss(items), content_type=RSS, headers={"ETag": '"1"'})

        server.expect_request("/feed.xml").respond_with_handler(feed)
        server.expect_request("/tram").respond_with_data(page("Tram", TRAM), content_type=HTML)
        server.expect_request("/ferry").respond_with_data(page("Ferry", FERRY), content_type=HTML)
        command = [sys.executable, "-m", "clipper"]
        subprocess.run([*command, "watch", "add", "trams", "tram*", "--feed",
                        server.url_for("/feed.xml")], check=True)  # fmt: skip

        first = subprocess.Popen([*command, "watch", "run"], stderr=subprocess.PIPE, text=True)
        assert first_in.wait(120)  # the first run holds the lock and is fetching
        second = subprocess.Popen([*command, "watch", "run"], stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        line = second.stderr.readline()  # the second says it waits: a signal, not a clock
        assert "waiting for it to finish" in line
        release.set()
        first_said, second_said = (
            first.communicate(timeout=120)[1],
            second.communicate(timeout=120)[1],
        )
        assert first.returncode == 0 and second.returncode == 0
        assert "trams: 2 new from 1 feed" in first_said
        assert "trams: 0 new from 1 feed" in second_said
    finally:
        release.set()
        server.clear()
        server.stop()
    assert conditional == [None, '"1"']  # the second ran after the first had saved its state
    listed = subprocess.run(
        [*command, "list", "--json"], capture_output=True, text=True, check=True
    )
    assert sorted(c["title"] for c in json.loads(listed.stdout)) == [
        "Ferry timetable",
        "Tram line approved",
    ]


def test_watch_edit_without_options_opens_the_editor(
    clip: Clip, editor: Callable[..., Path]
) -> None:
    clip("watch", "add", "trams", "tram", "--feed", FEED, "-t", "transport")
    shown = editor(replace=[("query: tram", "query: tram OR ferry"),
                            (FEED, f"{FEED}\nhttps://b.example.net/atom"),
                            ("pages: full-text", "pages: summary-only")])  # fmt: skip

    assert clip("watch", "edit", "trams").exit_code == 0

    assert "query: tram\n" in shown.read_text(encoding="utf-8")
    edited = json.loads(clip("watch", "show", "trams", "--json").stdout)
    assert edited["query"] == "tram OR ferry" and edited["full_text"] is False
    assert edited["feeds"] == [FEED, "https://b.example.net/atom"]
    assert edited["tags"] == ["transport"]


def test_a_bad_edit_in_the_editor_keeps_the_watch(clip: Clip, editor: Callable[..., Path]) -> None:
    clip("watch", "add", "trams", "tram", "--feed", FEED)
    editor(replace=[("query: tram", "query: tram AND (")])

    assert "malformed" in error_message(clip("watch", "edit", "trams"), ExitCode.USAGE)
    assert json.loads(clip("watch", "show", "trams", "--json").stdout)["query"] == "tram"
