"""A search with the RUM index: the index hands over a shortlist of the best matches in its own
order, the exact rank orders the shortlist, and the page is the one ranking every match gives;
without the index (a server without the rum extension), every match is ranked, as before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clipper.model import Draft
from clipper.team import reading
from clipper.team.library import TeamLibrary

MATCHES = 24
QUERIES = ("harbour", '"harbour plan"', "harbour tag:port", "harbour -ferry", "harbour OR pier")


@pytest.fixture
def team(team_url: str) -> Iterator[TeamLibrary]:
    library = TeamLibrary.connect(team_url)
    indexed = reading.rank_index(library.conn)
    library.conn.rollback()
    if not indexed:
        library.close()
        pytest.skip("this PostgreSQL server has no rum extension (postgresql-15-rum)")
    # Each clipping names the harbour a different number of times, in its title for some:
    # scores apart, so that the order to expect is the rank's, not a tie's.
    library.add_many([
        Draft(text=" ".join([f"The harbour plan, part {n}."] * (n % 7 + 1)
                            + [f"Ferry news {n}." if n % 3 else f"Pier works {n}."]
                            + [f"Filler sentence {n} {k} about the town." for k in range(n)]),
              title=f"Harbour report {n}" if n % 4 == 0 else f"Report {n}",
              tags=["port"] if n % 2 else [])
        for n in range(MATCHES)
    ])  # fmt: skip
    library.conn.execute("ANALYZE clippings")
    library.conn.commit()
    try:
        yield library
    finally:
        library.close()


LIMIT, OFFSETS = 2, (0, 2)


def _pages(team: TeamLibrary, query: str) -> list[tuple[list[int], list[float | None], int]]:
    return [
        ([h.clipping.id for h in r.hits], [h.score for h in r.hits], r.total)
        for r in (team.search(query, limit=LIMIT, offset=o, words="all") for o in OFFSETS)
    ]


def test_the_shortlist_gives_the_pages_ranking_every_match_gives(
    team: TeamLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "SHORTLIST", 4)  # a shortlist shorter than the matches
    sent: list[str] = []
    execute = team.conn.execute

    def recording(query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append(str(query))
        return execute(query, params, **kwargs)

    monkeypatch.setattr(team.conn, "execute", recording)
    shortlisted = {query: _pages(team, query) for query in QUERIES}
    monkeypatch.undo()
    # Shortlisted: the pages expected to match more than the shortlist holds (four times the
    # page's end): most of them here.
    assert sum("<=>" in query for query in sent) >= 5

    team.conn.execute(f"DROP INDEX {reading.RANK_INDEX}")  # a server without rum
    team.conn.commit()
    assert not reading.rank_index(team.conn)
    team.conn.rollback()
    for query, pages in shortlisted.items():
        assert pages == _pages(team, query), query
        scores = [score for score in pages[0][1] if score is not None]
        assert len(scores) == len(pages[0][1])  # every hit of a ranked search has a score
        assert scores == sorted(scores, reverse=True)
