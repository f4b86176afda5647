"""Statistics and the overview, counted by the index (Library.stats, overview, tag_counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from tests import stored

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def counted(library: Library) -> Library:
    library.add_many([
        Draft(text="Tram vote in the council.", title="Tram vote", source="Portmere Courier",
              url="https://courier.example/a", authors=["Ann Writer", "Bo Lee"],
              published="2026-03-14", language="en", tags=["transport", "region/portmere"],
              starred=True),
        Draft(text="Tram vote reported again.", title="Tram again", source="portmere courier",
              authors=["Ann Writer"], published="2026-01-02", language="en",
              tags=["transport"]),
        Draft(text="Ein Artikel aus München.", title="München", url="https://www.sz.example/x",
              published="2025-11-30", language="de", tags=["region/bavaria"]),
        Draft(text="A year in review.", title="Year", source="Daily Example", published="2025"),
    ])  # fmt: skip
    return library


def test_stats_of_the_whole_library(counted: Library) -> None:
    stats = counted.stats()
    assert (stats.clippings, stats.starred, stats.year_only) == (4, 1, 1)
    assert (stats.first, stats.last) == ("2025", "2026-03-14")
    # Every month from the first to the last, the empty ones too; the year-only date is not
    # in a month, but is in its year.
    assert stats.months == [("2025-11", 1), ("2025-12", 0), ("2026-01", 1), ("2026-02", 0),
                            ("2026-03", 1)]  # fmt: skip
    assert stats.years == [("2025", 2), ("2026", 2)]
    # The same outlet written two ways counts once, under its first spelling; no outlet: site.
    assert stats.sources == [("Portmere Courier", 2), ("Daily Example", 1), ("sz.example", 1)]
    assert stats.tags == [("transport", 2), ("region/bavaria", 1), ("region/portmere", 1)]
    assert stats.authors == [("Ann Writer", 2), ("Bo Lee", 1)]
    assert stats.languages == [("en", 2), ("de", 1)]


def test_stats_of_a_query(counted: Library) -> None:
    stats = counted.stats("tram tag:transport")
    assert stats.clippings == 2
    assert stats.months == [("2026-01", 1), ("2026-02", 0), ("2026-03", 1)]
    assert stats.tags == [("transport", 2), ("region/portmere", 1)]
    assert counted.stats("lang:de").sources == [("sz.example", 1)]
    assert counted.stats("nothing-matches-this").clippings == 0


def test_top_limits_every_list(counted: Library) -> None:
    stats = counted.stats(top=1)
    assert (len(stats.sources), len(stats.tags), len(stats.authors)) == (1, 1, 1)
    assert len(stats.months) == 5  # not a ranking: all of them


def test_stats_as_json_data(counted: Library) -> None:
    data = counted.stats().to_dict()
    assert data["clippings"] == 4
    assert data["months"][0] == {"month": "2025-11", "count": 1}
    assert data["sources"][0] == {"source": "Portmere Courier", "count": 2}
    assert data["authors"][0] == {"author": "Ann Writer", "count": 2}
    assert data["languages"][-1] == {"language": "de", "count": 1}


def test_a_missing_library_has_empty_stats_and_is_not_created(
    library: Library, library_home: Path
) -> None:
    assert library.stats().clippings == 0
    assert library.overview().clippings == 0
    assert library.tag_counts() == {}
    assert not library_home.exists()


def test_the_overview(counted: Library) -> None:
    overview = counted.overview(newest=2, top_tags=2)
    assert overview.clippings == 4
    assert [c.title for c in overview.newest] == ["Tram vote", "Tram again"]
    assert overview.tags == [("transport", 2), ("region/bavaria", 1)]


@pytest.mark.local_only  # the files of a library folder
def test_tag_counts_follow_changes_and_hand_edits(counted: Library, library_home: Path) -> None:
    assert counted.tag_counts() == {"transport": 2, "region/bavaria": 1, "region/portmere": 1}
    counted.remove([1])
    assert counted.tag_counts() == {"region/bavaria": 1, "transport": 1}
    store = library_home / "clippings.json"
    data = stored.tables(store)
    for record in [*data["clippings"].values(), *data["trash"].values()]:
        record["tags"] = [t.replace("region/bavaria", "region/franconia") for t in record["tags"]]
    stored.save(store, data)
    assert counted.tag_counts() == {"region/franconia": 1, "transport": 1}


def test_find_leaves_out_what_is_not_in_the_library(counted: Library) -> None:
    counted.remove([2])
    assert sorted(counted.find([1, 2, 99])) == [1]
