"""`clip watch run`: feeds from a local server, matches kept, the rest left out, and a second
run that costs a conditional request and adds nothing. Each runs on a library folder and on a
team library (its watches and their memory in its tables)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import Clip
from tests.watch_feeds import BUDGET, FERRY, HTML, RSS, TRAM, Item, page, rss

pytestmark = pytest.mark.usefixtures("backend")


def clippings(clip: Clip) -> list[dict[str, Any]]:
    result = clip("list", "--json")
    assert result.exit_code == 0, result.stderr
    return sorted(json.loads(result.stdout), key=lambda c: c["id"])


def serve_pages(server: HTTPServer) -> None:
    server.expect_request("/tram").respond_with_data(
        page("Tram line approved", TRAM), content_type=HTML
    )
    server.expect_request("/ferry").respond_with_data(
        page("More ferries", FERRY), content_type=HTML
    )
    server.expect_request("/budget").respond_with_data(page("Budget", BUDGET), content_type=HTML)


def three_items(server: HTTPServer) -> list[Item]:
    return [
        Item(
            "Tram line to the old docks approved",
            "Councillors voted 31 to 18.",
            server.url_for("/tram"),
        ),
        Item("More ferries to the islands", "Twice as many sailings.", server.url_for("/ferry")),
        # The summary says nothing of trams; the article does.
        Item("Next year's budget", "Schools and harbour walls first.", server.url_for("/budget")),
    ]


def test_a_run_keeps_what_matches_from_the_full_text_and_leaves_out_the_rest(
    clip: Clip, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(three_items(httpserver)), content_type=RSS
    )
    serve_pages(httpserver)
    feed = httpserver.url_for("/feed.xml")
    assert clip("watch", "add", "trams", "tram*", "--feed", feed, "-t", "transport").exit_code == 0

    result = clip("watch", "run")

    assert result.exit_code == 0, result.stderr
    assert "trams: 2 new from 1 feed" in result.stderr
    kept = clippings(clip)
    assert [c["title"] for c in kept] == [
        "Tram line to the old docks approved",
        "Next year's budget",
    ]
    assert all(c["tags"] == ["trams", "transport"] for c in kept)
    # The article, not the feed's summary, is the clipping's text.
    assert "Canal Street" in str(kept[0]["text"]) and "Cookies" not in str(kept[0]["text"])
    assert "tram depot" in str(kept[1]["text"])
    assert kept[0]["url"] == httpserver.url_for("/tram")


def test_a_second_run_is_a_conditional_request_and_a_third_finds_the_new_item(
    clip: Clip, httpserver: HTTPServer
) -> None:
    items = three_items(httpserver)[:2]
    asked: list[dict[str, str | None]] = []

    def feed(request: Request) -> Response:
        asked.append({"etag": request.headers.get("If-None-Match"),
                      "since": request.headers.get("If-Modified-Since")})  # fmt: skip
        body = rss(items)
        tag = f'"v{len(items)}"'
        if request.headers.get("If-None-Match") == tag:
            return Response(status=304)
        return Response(body, content_type=RSS, headers={
            "ETag": tag, "Last-Modified": "Tue, 01 Dec 2026 08:00:00 GMT"})  # fmt: skip

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram OR ferry", "--feed", httpserver.url_for("/feed.xml"))

    assert clip("watch", "run").exit_code == 0
    assert len(clippings(clip)) == 2

    second = clip("watch", "run", "--json")
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout)["watches"][0]["new"] == 0
    assert asked[1] == {"etag": '"v2"', "since": "Tue, 01 Dec 2026 08:00:00 GMT"}
    assert len(clippings(clip)) == 2

    items.append(Item("Tram depot gets its money", "The budget.", httpserver.url_for("/budget")))
    third = clip("watch", "run", "--json")
    assert json.loads(third.stdout)["watches"][0]["new"] == 1
    assert [c["title"] for c in clippings(clip)][-1] == "Tram depot gets its money"
    assert len(asked) == 3


@pytest.mark.local_only
def test_a_304_adds_nothing_and_writes_no_clipping(
    clip: Clip, httpserver: HTTPServer, library_home: Path
) -> None:
    served = {"count": 0}

    def feed(request: Request) -> Response:
        served["count"] += 1
        if request.headers.get("If-None-Match") == '"x"':
            return Response(status=304)
        return Response(rss(three_items(httpserver)[:1]), content_type=RSS, headers={"ETag": '"x"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))
    clip("watch", "run")
    before = (library_home / "clippings.json").read_bytes()

    assert clip("watch", "run").exit_code == 0

    assert served["count"] == 2
    assert (library_home / "clippings.json").read_bytes() == before


def test_a_dead_feed_and_a_broken_feed_are_warnings_and_the_others_still_run(
    clip: Clip, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/good.xml").respond_with_data(
        rss(three_items(httpserver)[:1]), content_type=RSS
    )
    httpserver.expect_request("/dead.xml").respond_with_data("gone", status=404)
    httpserver.expect_request("/broken.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</tit></channel>',
        content_type=RSS,
    )
    serve_pages(httpserver)
    urls = [httpserver.url_for(p) for p in ("/good.xml", "/dead.xml", "/broken.xml")]
    clip("watch", "add", "trams", "tram", *[a for u in urls for a in ("--feed", u)])

    result = clip("watch", "run")

    assert result.exit_code == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2
    assert f"feed {urls[1]} answered 404 Not Found" in warnings[0]
    assert urls[2] in warnings[1] and "broken" in warnings[1]
    assert "trams: 1 new from 3 feeds, 2 feeds failed" in result.stderr
    assert len(clippings(clip)) == 1


def test_a_feed_that_redirects_is_followed(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.xml")}
    )
    httpserver.expect_request("/new.xml").respond_with_data(
        rss(three_items(httpserver)[:1]), content_type=RSS
    )
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/old.xml"))

    assert clip("watch", "run").exit_code == 0

    assert [c["title"] for c in clippings(clip)] == ["Tram line to the old docks approved"]


def test_the_same_story_on_two_feeds_is_two_clippings_linked_and_one_story_in_the_digest(
    clip: Clip, httpserver: HTTPServer, tmp_path: Path
) -> None:
    wire = [*TRAM, "The mayor said the first trams would be ordered next year."]
    httpserver.expect_request("/a/tram").respond_with_data(
        page("Tram approved", wire), content_type=HTML
    )
    httpserver.expect_request("/b/tram").respond_with_data(
        page(
            "Portmere votes for trams",
            [*wire[:-1], "Work starts in the spring."],
            outlet="Harbour Herald",
        ),
        content_type=HTML,
    )
    httpserver.expect_request("/a.xml").respond_with_data(
        rss([Item("Tram approved", "Vote.", httpserver.url_for("/a/tram"))]), content_type=RSS
    )
    httpserver.expect_request("/b.xml").respond_with_data(
        rss([Item("Portmere votes for trams", "Vote.", httpserver.url_for("/b/tram"))],
            title="Harbour Herald"), content_type=RSS,
    )  # fmt: skip
    clip("watch", "add", "trams", "tram*", "--feed", httpserver.url_for("/a.xml"),
         "--feed", httpserver.url_for("/b.xml"))  # fmt: skip
    digest = tmp_path / "digest.md"

    assert clip("watch", "run", "--digest", str(digest)).exit_code == 0

    first, second = clippings(clip)
    assert first["near_duplicates"] == [second["id"]] and second["near_duplicates"] == [first["id"]]
    text = digest.read_text(encoding="utf-8")
    assert "## trams: 2 new in 1 stories" in text
    assert text.count("### ") == 1 and "2 copies of this story." in text
    assert "Portmere Courier" in text and "Harbour Herald" in text


def test_an_item_without_a_link_is_kept_as_its_summary_marked_as_such(
    clip: Clip, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss([Item("Tram works start on Canal Street", "The first rails are laid on Canal Street "
                  "this morning, the council says.", guid="tram-works-1")]), content_type=RSS,
    )  # fmt: skip
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    assert clip("watch", "run").exit_code == 0

    [kept] = clippings(clip)
    assert (
        kept["text"] == "The first rails are laid on Canal Street this morning, the council says."
    )
    assert kept["tags"] == ["trams", "feed-summary"]
    assert kept["url"] is None


def test_the_digest_can_be_printed(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss(three_items(httpserver)[:1]), content_type=RSS
    )
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    result = clip("watch", "run", "--digest", "-")

    assert result.stdout.startswith("# Watch digest, ")
    assert "## trams: 1 new" in result.stdout
    assert (
        "[Portmere Courier, " in result.stdout
        and f"(<{httpserver.url_for('/tram')}>)" in result.stdout
    )


def test_old_items_are_left_out_on_the_first_run(clip: Clip, httpserver: HTTPServer) -> None:
    from datetime import timedelta

    items = three_items(httpserver)[:1]
    items[0].age = timedelta(days=45)
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type=RSS)
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    assert clip("watch", "run").exit_code == 0
    assert clippings(clip) == []
    assert clip("watch", "run", "--max-age", "60d").exit_code == 0
    assert clippings(clip) == []  # seen on the first run: not judged again


@pytest.mark.local_only
def test_snapshot_keeps_the_page_of_each_item_kept(
    clip: Clip, httpserver: HTTPServer, library_home: Path
) -> None:
    import gzip

    feed = rss(three_items(httpserver)[:2])
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type=RSS)
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))

    assert clip("watch", "run", "--snapshot").exit_code == 0

    [kept] = clippings(clip)
    snapshot = library_home / "snapshots" / str(kept["snapshot"])
    assert b"Canal Street" in gzip.decompress(snapshot.read_bytes())
    assert len(list((library_home / "snapshots").iterdir())) == 1  # not the ferry's page


def test_an_item_two_watches_keep_is_one_clipping_with_both_tags(
    clip: Clip, httpserver: HTTPServer
) -> None:
    feed = rss(three_items(httpserver)[:2])
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type=RSS)
    serve_pages(httpserver)
    clip("watch", "add", "trams", "tram", "--feed", httpserver.url_for("/feed.xml"))
    clip("watch", "add", "council", "councillors", "--feed", httpserver.url_for("/feed.xml"))

    result = clip("watch", "run", "--json")

    assert result.exit_code == 0, result.stderr
    [kept] = clippings(clip)
    assert kept["tags"] == ["council", "trams"]
    assert {w["name"]: w["new"] for w in json.loads(result.stdout)["watches"]} == {
        "council": 1,
        "trams": 1,
    }


def test_words_of_the_page_outside_the_article_never_decide(
    clip: Clip, httpserver: HTTPServer
) -> None:
    # The menu says Sport; the article does not. Only the article counts for `-sport`.
    tram = page("Tram line approved", TRAM, menu="Sport")
    httpserver.expect_request("/tram").respond_with_data(tram, content_type=HTML)
    item = Item("Council vote", "A long session.", httpserver.url_for("/tram"))
    httpserver.expect_request("/feed.xml").respond_with_data(rss([item]), content_type=RSS)
    clip("watch", "add", "trams", "tram -sport", "--feed", httpserver.url_for("/feed.xml"))

    assert clip("watch", "run").exit_code == 0

    assert [c["title"] for c in clippings(clip)] == ["Council vote"]


def test_atom_and_json_feeds_without_validators_are_remembered_by_their_items(
    clip: Clip, httpserver: HTTPServer
) -> None:
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>'
        f"<entry><title>Tram line approved</title><id>urn:herald:1</id>"
        f'<link href="{httpserver.url_for("/tram")}"/><summary>Vote.</summary>'
        "<updated>2026-11-30T10:00:00Z</updated></entry></feed>"
    )
    jsonfeed = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Courier",
        "items": [{"id": "c-1", "title": "Tram budget", "content_text": "The tram depot gets "
                   "its money, the council says.", "date_published": "2026-11-30T09:00:00Z"}],
    })  # fmt: skip
    httpserver.expect_request("/atom").respond_with_data(atom, content_type="application/atom+xml")
    httpserver.expect_request("/json").respond_with_data(jsonfeed, content_type="application/json")
    serve_pages(httpserver)
    urls = [httpserver.url_for("/atom"), httpserver.url_for("/json")]
    clip("watch", "add", "trams", "tram", "--feed", urls[0], "--feed", urls[1])
    clip("watch", "run", "--max-age", "3000d")
    assert sorted(c["title"] for c in clippings(clip)) == ["Tram budget", "Tram line approved"]
    pages_before = len([r for r, _ in httpserver.log if r.path == "/tram"])

    second = clip("watch", "run", "--json")

    assert json.loads(second.stdout)["watches"][0]["new"] == 0
    assert json.loads(second.stdout)["watches"][0]["already_kept"] == 0  # not judged again
    assert len([r for r, _ in httpserver.log if r.path == "/tram"]) == pages_before
