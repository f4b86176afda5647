"""What a search and a list ask of a team library's server: the matches read once (ranked and
counted in the same pass), whole records read for the page shown alone, and no text search
configuration looked up for a query without words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clipper.model import Draft
from clipper.team.library import TeamLibrary

MATCHES = 30
PAGE = 5


@pytest.fixture
def team(team_url: str) -> Iterator[TeamLibrary]:
    library = TeamLibrary.connect(team_url)
    library.add_many([
        Draft(text=f"Report {n}: the election count in district {n} went on late, "
              f"with turnout figures of its own, {n * 7} votes.", title=f"District {n}")
        for n in range(MATCHES)
    ])  # fmt: skip
    try:
        yield library
    finally:
        library.close()


def _sent(team: TeamLibrary, monkeypatch: pytest.MonkeyPatch, work: Any) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []
    execute = team.conn.execute

    def recording(query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append((str(query), params))
        return execute(query, params, **kwargs)

    monkeypatch.setattr(team.conn, "execute", recording)
    work()
    monkeypatch.undo()
    return [(q, p) for q, p in sent if q.lstrip().upper().startswith(("SELECT", "WITH"))]


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _scans(team: TeamLibrary, reads: list[tuple[str, Any]]) -> list[tuple[int, bool]]:
    """For each scan of `clippings` the queries make: the rows it read, and whether it read
    their records."""
    found = []
    team.conn.execute("SET enable_seqscan = off")  # planned as for a library, not for 30 rows
    for query, params in reads:
        [(plan,)] = team.conn.execute(f"EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) {query}",
                                      params).fetchall()  # fmt: skip
        for node in _nodes(plan[0]["Plan"]):
            if node.get("Relation Name") == "clippings":
                read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                output = " ".join(node.get("Output", []))
                found.append((read * node.get("Actual Loops", 1), "record" in output))
    team.conn.rollback()
    return found


def test_a_search_reads_its_matches_once_and_the_records_of_its_page(
    team: TeamLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    results: dict[str, Any] = {}
    reads = _sent(team, monkeypatch,
                  lambda: results.update(r=team.search("election", limit=PAGE)))  # fmt: skip
    assert len(results["r"].hits) == PAGE and results["r"].total == MATCHES
    scans = _scans(team, reads)
    assert [read for read, _ in scans if read >= MATCHES] == [MATCHES]  # ranked and counted
    assert all(read <= PAGE for read, records in scans if records)


def test_a_list_looks_up_no_configuration_and_reads_the_records_of_its_page(
    team: TeamLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: dict[str, Any] = {}
    reads = _sent(team, monkeypatch,
                  lambda: pages.update(p=team.select_page(limit=PAGE)))  # fmt: skip
    assert len(pages["p"].items) == PAGE and pages["p"].total == MATCHES
    assert not any("config" in query for query, _ in reads)
    scans = _scans(team, reads)
    assert [read for read, _ in scans if read >= MATCHES] == [MATCHES]  # the count
    assert all(read <= PAGE for read, records in scans if records)
