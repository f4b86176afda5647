"""`clip serve` over HTTP: the pages, what they show, and what they refuse. The server runs in
a thread on a free port; pages are fetched with httpx, as a browser would."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clipper.library.core import Library
from clipper.model import Draft
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message
from tests.serve_fixtures import (
    HOSTILE_URL,
    Served,
    add_hostile,
    add_wire,
    serving,
)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@pytest.fixture
def view(library_home: Path) -> Iterator[Served]:
    with serving(library_home, page_size=2) as served:
        yield served


def get(view: Served, path: str, **headers: str) -> httpx.Response:
    return httpx.get(view.url.rstrip("/") + path, headers=headers, timeout=30)


def ids_on(page: str) -> list[int]:
    """The clippings a list or search page links to, in order (not the facets)."""
    listed = page.split('<ol class="clippings', 1)[-1].split("</ol>", 1)[0]
    return [int(n) for n in re.findall(r'<li[^>]*><h2><a href="/clipping/(\d+)', listed)]


# The pages ----------------------------------------------------------------------------------


def test_a_missing_library_is_a_friendly_empty_page_and_stays_missing(
    view: Served, library_home: Path
) -> None:
    for path in ("/", "/search?q=tram", "/review"):
        page = get(view, path)
        assert page.status_code == 200, path
    assert "No clippings yet" in get(view, "/").text
    assert "0 clippings" in get(view, "/search?q=tram").text
    assert not library_home.exists()  # read-only: nothing was created


def test_the_library_is_newest_first_paged_with_facets(view: Served, library: Library) -> None:
    add_wire(library)
    first = get(view, "/")
    assert first.status_code == 200
    assert ids_on(first.text) == [3, 2]  # page size 2, newest first
    assert "3 clippings" in first.text
    assert 'rel="next" href="/?page=2"' in first.text
    assert ids_on(get(view, "/?page=2").text) == [1]
    facets = first.text.split('<aside class="facets"', 1)[1]
    assert re.search(r'href="/\?tag=transport">transport</a> <span class="n">2</span>', facets)
    assert re.search(r'href="/\?source=Sports\+Daily">Sports Daily</a> <span class="n">1', facets)
    assert re.search(r'href="/\?lang=en">en</a> <span class="n">3</span>', facets)
    assert re.search(r'href="/\?month=2026-03">Mar 2026</a> <span class="n">2</span>', facets)
    assert re.search(r'href="/\?month=2026-02">Feb 2026</a> <span class="n">1</span>', facets)


def test_facets_narrow_the_list_and_count_what_is_shown(view: Served, library: Library) -> None:
    add_wire(library)
    library.add(Draft(text="Ein Text über die Straßenbahn in München.", title="Tram in Munich",
                      language="de", published="2026-03-20", tags=["transport"]))  # fmt: skip
    narrowed = get(view, "/?tag=transport&month=2026-03")
    assert ids_on(narrowed.text) == [4, 3]
    assert "3 clippings" in narrowed.text
    facets = narrowed.text.split('<aside class="facets"', 1)[1]
    assert re.search(r'>en</a> <span class="n">2</span>', facets)  # of the three shown
    assert re.search(r'>de</a> <span class="n">1</span>', facets)
    assert ">sport<" not in facets
    assert ids_on(get(view, "/?tag=transport&lang=de").text) == [4]
    assert ids_on(get(view, "/?source=harbour+wire").text) == [3]
    assert ids_on(get(view, "/?month=2026-02").text) == [1]
    # A filter shown can be taken away, keeping the others.
    assert 'href="/?tag=transport"' in narrowed.text.split('class="active"', 1)[1]
    # A query narrows as `clip list QUERY` does.
    assert ids_on(get(view, "/?q=football").text) == [1]


def test_search_ranks_as_clip_search_does_and_highlights(
    view: Served, library: Library, clip: Clip
) -> None:
    add_wire(library)
    page = get(view, "/search?q=tram+stops")
    assert page.status_code == 200
    cli = json.loads(clip("search", "tram stops", "--json", "-n", "2").stdout)
    assert ids_on(page.text) == [hit["id"] for hit in cli]
    assert 'name="q" value="tram stops"' in page.text  # echoed in the box
    assert "<mark>tram</mark>" in page.text.lower()
    assert "2 clippings for “tram stops”" in page.text
    assert 'href="/clipping/2?q=tram%20stops"' in page.text  # the words highlighted there


def test_search_pages_follow_the_cli_offsets(view: Served, library: Library, clip: Clip) -> None:
    add_wire(library)
    library.add(Draft(text="Another tram story, about a depot.", title="Tram depot"))
    cli = json.loads(clip("search", "tram", "--json", "-n", "0").stdout)
    first, second = get(view, "/search?q=tram"), get(view, "/search?q=tram&page=2")
    assert ids_on(first.text) + ids_on(second.text) == [hit["id"] for hit in cli]
    assert 'href="/search?q=tram&amp;page=2"' in first.text


def test_a_bad_query_is_the_cli_error_in_the_page_with_400(
    view: Served, library: Library, clip: Clip
) -> None:
    add_wire(library)
    for query in ('"tram', "tag:", "nosuchfield:x", "since:tomorrowish"):
        expected = error_message(clip("search", query), 2)
        for path in ("/search", "/", "/review"):
            page = get(view, f"{path}?{httpx.QueryParams(q=query)}")
            assert page.status_code == 400, (path, query)
            shown = re.search(r'<p class="message" role="alert">(.*?)</p>', page.text)
            assert shown is not None
            assert _text(shown[1]) == f"Error: {expected}"
            assert f'value="{_html(query)}"' in page.text  # the query stays in the box


def test_a_clipping_shows_metadata_passages_near_duplicates_and_highlights(
    view: Served, library: Library
) -> None:
    add_wire(library)
    page = get(view, "/clipping/2?q=councillors")
    assert page.status_code == 200
    text = page.text
    assert "Portmere Courier" in text and "14 Mar 2026" in text
    assert '<a href="https://courier.example/tram" rel="noreferrer noopener">' in text
    assert '<mark class="passage">nine stops</mark>' in text
    assert "<mark>councillors</mark>" in text
    assert '<a href="/clipping/3">Tram line (wire)</a>' in text  # its near duplicate
    assert 'href="/story/2"' in text
    assert '<a class="tag" href="/?tag=region/portmere">region/portmere</a>' in text.replace(
        "%2F", "/"
    )


def test_a_story_lists_its_copies(view: Served, library: Library) -> None:
    add_wire(library)
    page = get(view, "/story/3")
    assert page.status_code == 200
    assert "A story in 2 copies" in page.text
    assert "Also in: Harbour Wire" in page.text  # the earliest copy leads
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r'href="/clipping/(\d+)"', rows) == ["2", "3"]
    assert get(view, "/story/1").text.count("<tr") == 2  # a header and itself


def test_missing_clippings_and_pages_are_404_and_bad_numbers_400(
    view: Served, library: Library
) -> None:
    add_wire(library)
    library.remove([1])
    assert get(view, "/clipping/1").status_code == 404
    assert "clip trash restore 1" in get(view, "/clipping/1").text
    assert get(view, "/clipping/77").status_code == 404
    assert get(view, "/nothing/here").status_code == 404
    assert get(view, "/?page=0").status_code == 400
    assert get(view, "/?page=x").status_code == 400
    assert get(view, "/?month=2026-13").status_code == 400
    assert get(view, "/search?q=tram&sort=sideways").status_code == 400
    assert get(view, "/review?group=colour").status_code == 400


# Safety -------------------------------------------------------------------------------------


def test_a_hostile_clipping_renders_as_text_everywhere(view: Served, library: Library) -> None:
    hostile = add_hostile(library)
    pages = [
        "/", "/search?q=harbour", f"/clipping/{hostile}", f"/clipping/{hostile}?q=budget",
        f"/story/{hostile}", "/review", "/?tag=budget",
    ]  # fmt: skip
    for path in pages:
        page = get(view, path)
        assert page.status_code == 200, path
        body = page.text
        assert "<script" not in body.lower(), path
        assert "<img" not in body.lower(), path
        assert "<b>" not in body and "<i>" not in body, path
        assert re.search(r"href\s*=\s*[\"']?\s*javascript", body, re.IGNORECASE) is None, path
        assert not re.search(r"\son\w+\s*=", re.sub(r"&[^;]+;", "", _tags_only(body))), path
    shown = get(view, f"/clipping/{hostile}").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Harbour budget" in shown
    assert "&lt;img src=x onerror=&#34;alert(&#39;text&#39;)&#34;&gt;" in shown
    assert HOSTILE_URL.replace("'", "&#39;") in shown  # shown as text, never as a link
    assert 'href="javascript' not in shown.lower()


def _tags_only(body: str) -> str:
    """The markup of a page without its text: attributes an injection would have added."""
    return " ".join(re.findall(r"<[^>]*>", body))


def test_every_page_carries_the_security_headers_and_no_inline_code(
    view: Served, library: Library
) -> None:
    add_wire(library)
    for path in ("/", "/search?q=tram", "/clipping/2", "/story/2", "/review", "/nothing",
                 "/search?q=%22"):  # fmt: skip
        page = get(view, path)
        assert page.headers["content-security-policy"] == CSP, path
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "<style" not in page.text and " style=" not in page.text, path
        assert "<script" not in page.text, path
    css = get(view, "/static/serve.css")
    assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
    assert get(view, "/static/../app.py").status_code == 404


def test_the_host_header_must_name_the_view(view: Served) -> None:
    assert get(view, "/", Host=f"localhost:{view.port}").status_code == 200
    assert get(view, "/", Host=f"127.0.0.1:{view.port}").status_code == 200
    refused = get(view, "/", Host=f"attacker.example:{view.port}")
    assert refused.status_code == 400
    assert "Host" in refused.text
    assert get(view, "/", Host="127.0.0.1:1").status_code == 400  # another port
    assert get(view, "/", Host="localhost").status_code == 400
    connection = http.client.HTTPConnection("127.0.0.1", view.port, timeout=30)
    connection.putrequest("GET", "/", skip_host=True)  # no Host header at all
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()


def test_only_get_and_head_are_answered(view: Served, library: Library) -> None:
    add_wire(library)
    before = _files(library)
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"):
        answer = httpx.request(method, view.url + "clipping/1", content=b"tag=x", timeout=30)
        assert answer.status_code == 405, method
        assert answer.headers["allow"] == "GET, HEAD"
    assert _files(library) == before
    head = httpx.head(view.url + "search?q=tram", timeout=30)
    full = get(view, "/search?q=tram")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == full.headers["content-length"]
    assert head.headers["content-security-policy"] == CSP


# Following the library -------------------------------------------------------------------------


def test_a_clipping_added_in_the_terminal_shows_on_the_next_load(
    view: Served, library: Library, clip: Clip
) -> None:
    assert "No clippings yet" in get(view, "/").text
    added = clip("add", "--text", "The ferry timetable changes in May.", "--title",
                 "Ferry timetable", "-t", "ferry")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    page = get(view, "/")
    assert "Ferry timetable" in page.text and ">ferry</a>" in page.text
    assert ids_on(get(view, "/search?q=timetable").text) == [1]
    # The server holds no lock: writes go on while it serves, and it follows them.
    assert clip("tag", "1", "-t", "harbour").exit_code == 0
    assert "harbour" in get(view, "/clipping/1").text
    library.remove([1])
    assert get(view, "/clipping/1").status_code == 404
    assert "No clippings yet" in get(view, "/").text


def test_pages_never_write_the_store(view: Served, library: Library) -> None:
    add_wire(library)
    add_hostile(library)
    before = _files(library)
    for path in ("/", "/search?q=tram", "/clipping/2", "/story/2", "/review", "/review.md",
                 "/?tag=transport"):  # fmt: skip
        assert get(view, path).status_code == 200
    assert _files(library) == before
    assert not library.paths.backups.exists()


def _files(library: Library) -> dict[str, bytes]:
    """The store's files (the manifest and its segments), by name, as bytes."""
    store = library.paths.store
    files = [store, *stored.segment_files(store)]
    return {path.name: path.read_bytes() for path in files}


def _html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _text(html: str) -> str:
    import html as html_module

    return html_module.unescape(html)


def test_a_damaged_store_is_the_cli_error_and_is_left_as_it_is(
    view: Served, library: Library, clip: Clip
) -> None:
    add_wire(library)
    library.paths.store.write_bytes(b'{"clippings": {"1": ')  # cut short
    expected = error_message(clip("list"), 1)
    page = get(view, "/")
    assert page.status_code == 500
    assert f'role="alert">Error: {_html(expected)}</p>' in page.text
    assert library.paths.store.read_bytes() == b'{"clippings": {"1": '


def test_damaged_records_are_skipped_with_the_cli_warning(
    view: Served, library: Library, clip: Clip
) -> None:
    add_wire(library)
    document = stored.tables(library.paths.store)
    document["clippings"]["1"]["title"] = 42  # a hand edit gone wrong
    stored.save(library.paths.store, document)
    warning = clip("list").stderr.strip()
    assert warning.startswith("Warning: 1 damaged clipping skipped (ids 1)")
    page = get(view, "/")
    assert page.status_code == 200
    assert ids_on(page.text) == [3, 2]
    assert f'<p class="warning">{_html(warning)}</p>' in page.text
