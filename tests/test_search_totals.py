"""How many clippings a search or a list finds: counted exactly up to the `exact_count`
setting; above it a team library estimates the total from a sample of its ids and says so
everywhere the total is shown ("about 60"), while a library folder always counts (FTS5
counts are cheap: decision 019). The threshold is set low here, never by a huge library."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from clipper.library.core import Library
from clipper.model import Draft
from clipper.render.data import cut_notice, total_json, total_text
from clipper.search.searcher import Estimate
from clipper.team import counting, reading
from tests.conftest import Clip

MATCHES, CLIPPINGS = 60, 180  # "harbour" in every third clipping
LOW = 10  # an exact_count the matches are well above


@pytest.fixture
def harbour(any_library: Library, backend: str, monkeypatch: pytest.MonkeyPatch) -> Library:
    """A library of CLIPPINGS, MATCHES of them on the harbour; a team library's sample sized
    for a library this small (eight windows holding about 20 matches)."""
    any_library.add_many([
        Draft(text=(f"The harbour plan, part {n}, and the pier." if n % 3 == 0
                    else f"A council report, number {n}, on the town's schools."),
              title=f"Report {n}", tags=["port"] if n % 2 else [])
        for n in range(CLIPPINGS)
    ])  # fmt: skip
    if backend.startswith("postgresql://"):
        any_library.conn.execute("ANALYZE clippings")  # type: ignore[attr-defined]
        any_library.conn.commit()  # type: ignore[attr-defined]
    monkeypatch.setattr(counting, "SAMPLE_MATCHES", 20)
    monkeypatch.setattr(counting, "WINDOWS", 8)
    monkeypatch.setattr(counting, "MAX_SHARE", 0.25)
    # Ranked, a team library with the RUM index counts apart from a shortlist (else every
    # match is ranked and counted in one pass, exactly): shortlisted here too.
    monkeypatch.setattr(reading, "SHORTLIST", 4)
    return any_library


def _team(library: Library, exact_count: int) -> bool:
    """Set a team library's threshold; whether the library is one."""
    if not hasattr(library, "exact_count"):
        return False
    library.exact_count = exact_count
    return True


@pytest.mark.usefixtures("backend")
def test_above_the_threshold_a_team_library_estimates_and_a_folder_counts(
    harbour: Library,
) -> None:
    team = _team(harbour, LOW)
    ranked = harbour.search("harbour", limit=5, words="all")
    newest = harbour.search("harbour", sort="newest", limit=20, words="all")
    listed = harbour.select_page(query="harbour", limit=20)
    if not team:
        for found in (ranked, newest, listed):
            assert (found.total, found.estimate) == (MATCHES, None)
        return
    assert ranked.estimate is not None or not _rum(harbour)
    for found in (ranked, newest, listed) if ranked.estimate else (newest, listed):
        assert found.estimate is not None
        assert found.estimate.low <= MATCHES <= found.estimate.high
        assert found.estimate.low > LOW  # only a total surely above the threshold
        assert found.estimate.low <= found.total <= found.estimate.high
        assert found.estimate.low < found.estimate.high
    assert newest.total == listed.total  # the same sample of the same query


def _rum(library: Library) -> bool:
    indexed = reading.rank_index(library.conn)  # type: ignore[attr-defined]
    library.conn.rollback()  # type: ignore[attr-defined]
    return indexed


@pytest.mark.usefixtures("backend")
def test_below_the_threshold_or_at_zero_every_total_is_counted(harbour: Library) -> None:
    for exact_count in (MATCHES * 3, 0):
        _team(harbour, exact_count)
        found = harbour.search("harbour", limit=20, words="all")
        assert (found.total, found.estimate) == (MATCHES, None)
        page = harbour.select_page(query="harbour", limit=5)
        assert (page.total, page.estimate) == (MATCHES, None)


@pytest.mark.usefixtures("backend")
def test_pages_past_the_first_keep_the_order_and_the_same_estimate(harbour: Library) -> None:
    _team(harbour, 0)
    every = harbour.search("harbour", sort="newest", limit=None, words="all").hits
    _team(harbour, LOW)
    pages = [harbour.search("harbour", sort="newest", limit=7, offset=o, words="all")
             for o in range(0, 63, 7)]  # fmt: skip
    assert [h.clipping.id for p in pages for h in p.hits] == [h.clipping.id for h in every]
    assert (pages[-1].total, pages[-1].estimate) == (MATCHES, None)  # the end: counted
    full = pages[:-1]
    assert full[0].estimate is not None or not _team(harbour, LOW)
    for number, page in enumerate(full):  # the same sample; the range no lower than shown
        assert page.estimate == full[0].estimate or (
            page.estimate is not None and full[0].estimate is not None
            and page.estimate.low == 7 * (number + 1) > full[0].estimate.low
            and page.estimate.high == full[0].estimate.high)  # fmt: skip
    ranked = [harbour.search("harbour", limit=5, offset=o, words="all") for o in (0, 5)]
    if _team(harbour, LOW) and _rum(harbour):  # shortlisted, counted apart: estimated
        assert ranked[0].estimate is not None
        assert (ranked[0].total, ranked[0].estimate) == (ranked[1].total, ranked[1].estimate)
    for page in [*pages, *ranked]:  # counted, or estimated within a range holding the count
        assert page.total == MATCHES if page.estimate is None else (
            page.estimate.low <= MATCHES <= page.estimate.high)
    listed = [harbour.select_page(query="harbour", limit=25, offset=o) for o in (0, 25, 50)]
    assert sum(len(p.items) for p in listed) == MATCHES
    assert listed[0].estimate is None or listed[0].total == listed[1].total
    assert (listed[0].estimate is None) == (listed[1].estimate is None)
    assert (listed[2].total, listed[2].estimate) == (MATCHES, None)  # the end: counted


@pytest.mark.usefixtures("backend")
def test_a_filter_and_a_phrase_are_estimated_within_their_range(harbour: Library) -> None:
    if not _team(harbour, 5):
        pytest.skip("a library folder always counts")
    for query, expected in (("harbour tag:port", MATCHES // 2), ('"harbour plan"', MATCHES)):
        found = harbour.search(query, sort="newest", limit=5, words="all")
        assert found.estimate is not None, query
        assert found.estimate.low <= expected <= found.estimate.high, query


def test_an_estimate_is_said_as_one_and_rounded_to_its_range() -> None:
    assert total_text(103_819) == "103819"
    assert total_text(103_819, Estimate(100_100, 107_500)) == "about 104,000"
    assert total_text(10_382, Estimate(10_020, 10_740)) == "about 10,400"
    assert total_text(61, Estimate(40, 82)) == "about 60"
    assert total_text(3, Estimate(2, 4)) == "about 3"
    assert cut_notice(20, 103_819, 20, Estimate(100_100, 107_500)) == (
        "21–40 of about 104,000 shown (--offset 40 for more)"
    )
    assert total_json(12) == {"total": 12, "exact": True}
    assert total_json(61, Estimate(40, 82)) == {"total": 61, "exact": False, "low": 40,
                                                "high": 82}  # fmt: skip


@pytest.fixture
def harbour_cli(harbour: Library, backend: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The harbour library for `clip`, with exact_count low; whether it is a team library."""
    monkeypatch.setenv("CLIPPER_EXACT_COUNT", str(LOW))
    return backend.startswith("postgresql://")


def test_the_cli_says_about_in_its_footer_and_count(
    clip: Clip, harbour_cli: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = clip("search", "harbour", "--all-words", "--sort", "newest")
    assert piped.exit_code == 0, piped.stderr
    assert len(piped.stdout.splitlines()) == 20
    counted = clip("search", "harbour", "--count")
    as_json = clip("search", "harbour", "--count", "--json")
    listed = clip("list", "harbour", "--limit", "5")
    assert counted.exit_code == as_json.exit_code == listed.exit_code == 0
    total = json.loads(as_json.stdout)
    if not harbour_cli:
        assert piped.stderr == f"20 of {MATCHES} shown (--limit 0 for all)\n"
        assert counted.stdout == f"{MATCHES}\n"
        assert total == {"total": MATCHES, "exact": True}
        assert listed.stderr == f"5 of {MATCHES} shown (--limit 0 for all)\n"
        return
    assert piped.stderr.startswith("20 of about ")
    assert piped.stderr.endswith(" shown (--limit 0 for all)\n")
    assert counted.stdout.startswith("about ")
    assert total["exact"] is False and total["low"] <= MATCHES <= total["high"]
    assert listed.stderr.startswith("5 of about ")
    monkeypatch.setenv("CLIPPER_EXACT_COUNT", "0")
    exact = clip("search", "harbour", "--count", "--json")
    assert json.loads(exact.stdout) == {"total": MATCHES, "exact": True}


@pytest.fixture
def served(harbour: Library, backend: str) -> Iterator[str]:
    """The web view of the harbour library (a team library's with exact_count low)."""
    import threading

    from clipper.serve.app import App, Settings
    from clipper.serve.server import ViewServer

    _team(harbour, LOW)
    server = ViewServer(App(lambda: harbour, Settings(home=backend)), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url.rstrip("/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_web_view_says_about_for_an_estimate(served: str, backend: str) -> None:
    search = httpx.get(served + "/search?q=harbour&sort=newest", timeout=30).text
    listed = httpx.get(served + "/?q=harbour", timeout=30).text
    if not backend.startswith("postgresql://"):
        assert f"{MATCHES} clippings for" in search and f"{MATCHES} clippings</h1>" in listed
        return
    assert 'class="estimate" title="estimated from a sample: between ' in search
    assert ">about " in search and ">about " in listed
