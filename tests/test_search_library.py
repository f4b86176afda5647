"""Searching a library: folding, scripts, fields, operators, ranking and related clippings."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.errors import NotFoundError, UsageError
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.selection import Filter


def draft(text: str, title: str = "A title", **fields: Any) -> Draft:
    return Draft(text=text, title=title, **fields)


def found(library: Library, query: str, **options: Any) -> list[int]:
    """The ids a search finds; only clippings with all the words unless `words` says otherwise
    (the partial matches that fill a page are tested on their own)."""
    options.setdefault("words", "all")
    return [hit.clipping.id for hit in library.search(query, **options).hits]


# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def newsroom(library: Library) -> Library:
    """Seven clippings in several languages and scripts, with metadata to filter on."""
    result = library.add_many(
        [
            draft(
                "The seminar on the Khojaly tragedy was held in Xocalı district. Climate change "
                "was not discussed.",
                "Seminar on Khojaly genocide",
                source="News.Az",
                url="https://news.az/news/khojaly-seminar",
                published="2023-02-23",
                tags=["khojaly", "region/azerbaijan"],
                authors=["Ayla Mammadova"],
                language="en",
            ),
            draft(
                "Das Oktoberfest in München zieht Besucher an. Das Wetter war gut.",
                "Wiesn in München",
                source="Süddeutsche Zeitung",
                published="2023-09-20",
                tags=["region/europe/germany"],
                language="de",
                starred=True,
            ),
            draft(
                "東京大学に行きました。新しい手机壳を買った。",
                "東京の大学",
                published="2022-01-01",
                tags=["region/asia/japan"],
                language="ja",
            ),
            draft(
                "Москва объявила новые меры по климату. Ελληνικά: η Αθήνα συμφώνησε. "
                "وقالت الحكومة إن الكِتَابَ جديد.",
                "Мир: climate policy",
                published="2024-05-05",
                note="Compare with March.",
                language="ru",
            ),
            draft(
                "Climate change is the subject of the summit. Weather extremes grow.",
                "Summit talks",
                source="BBC News",
                url="https://www.bbc.co.uk/news/science-1",
                published="2023",
                authors=["Jane Smith"],
                language="en",
            ),
            draft(
                "A football match report: the climate in the stadium was tense.",
                "Derby day",
                source="BBC Sport",
                url="https://www.bbc.co.uk/sport/1",
                published="2021-06-01",
                tags=["sport"],
                language="en-GB",
            ),
            draft(
                "Der Ausschuss in Łódź und Øresund berät über Straßenbau in Đakovo.",
                "Straßenbau",
                published="2020-03-03",
                language="de",
            ),
        ]
    )
    assert result.failed == []
    return library


# Case, accents and scripts --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Xocali", "xocalı", "XOCALI", "Xocalı"])
def test_dotless_i_is_found_with_a_plain_i_and_the_reverse(newsroom: Library, query: str) -> None:
    assert found(newsroom, query) == [1]


@pytest.mark.parametrize("query", ["munchen", "München", "MÜNCHEN", "muenchen*"])
def test_accents_are_ignored_both_ways(newsroom: Library, query: str) -> None:
    assert found(newsroom, query) == ([] if query == "muenchen*" else [2])


@pytest.mark.parametrize(
    "query", ["lodz", "Łódź", "oresund", "ØRESUND", "strassenbau", "Straßenbau", "dakovo", "Đakovo"]
)
def test_letters_that_are_not_accented_letters_fold_too(newsroom: Library, query: str) -> None:
    assert found(newsroom, query) == [7]


@pytest.mark.parametrize("query", ["москва", "МОСКВА", "αθηνα", "Αθήνα", "الكتاب", "الكِتَابَ"])
def test_cyrillic_greek_and_arabic(newsroom: Library, query: str) -> None:
    assert found(newsroom, query) == [4]


@pytest.mark.parametrize("query", ["大学", "東京", "東京大学", "手机", "手", "壳", "行きました"])
def test_a_cjk_word_is_found_inside_its_sentence(newsroom: Library, query: str) -> None:
    assert found(newsroom, query) == [3]


def test_a_cjk_word_that_is_not_there_is_not_found(newsroom: Library) -> None:
    assert found(newsroom, "大阪") == []
    assert found(newsroom, "学東") == []


# Operators ------------------------------------------------------------------------------------


def test_all_words_must_match(newsroom: Library) -> None:
    assert sorted(found(newsroom, "climate change")) == [1, 5]
    assert found(newsroom, "climate summit") == [5]


def test_a_phrase_matches_the_words_in_order(newsroom: Library) -> None:
    assert sorted(found(newsroom, '"climate change"')) == [1, 5]
    assert found(newsroom, '"change climate"') == []


def test_or(newsroom: Library) -> None:
    assert sorted(found(newsroom, "khojaly OR summit")) == [1, 5]


def test_not_and_minus(newsroom: Library) -> None:
    assert sorted(found(newsroom, "climate -football")) == [1, 4, 5]
    assert sorted(found(newsroom, "climate NOT football NOT summit")) == [1, 4]


def test_a_lone_exclusion_lists_everything_else(newsroom: Library) -> None:
    assert sorted(found(newsroom, "-climate")) == [2, 3, 7]


def test_prefix(newsroom: Library) -> None:
    assert sorted(found(newsroom, "clim*")) == [1, 4, 5, 6]
    assert sorted(found(newsroom, '"climate ch"*')) == [1, 5]


def test_parentheses(newsroom: Library) -> None:
    assert sorted(found(newsroom, "(khojaly OR football) climate")) == [1, 6]
    assert sorted(found(newsroom, "climate -(football OR summit)")) == [1, 4]


def test_fts5_syntax_in_a_query_is_only_text(newsroom: Library) -> None:
    for query in ["NEAR(climate change)", "climate^", "{title}: summit", "a:b*c", "x + y"]:
        with contextlib.suppress(UsageError):
            newsroom.search(query)


# Fields and dates ----------------------------------------------------------------------------


def test_tag_and_its_subtree(newsroom: Library) -> None:
    assert found(newsroom, "tag:khojaly") == [1]
    assert sorted(found(newsroom, "tag:region/*")) == [1, 2, 3]
    assert sorted(found(newsroom, "tag:region")) == [1, 2, 3]
    assert found(newsroom, "tag:region/asia") == [3]
    assert sorted(found(newsroom, "tag:reg*")) == [1, 2, 3]
    assert found(newsroom, "tag:regio") == []


def test_source_matches_the_outlet_or_its_site(newsroom: Library) -> None:
    assert found(newsroom, 'source:"News.Az"') == [1]
    assert found(newsroom, "source:news.az") == [1]
    assert sorted(found(newsroom, "source:bbc")) == [5, 6]
    assert found(newsroom, "source:suddeutsche") == [2]


def test_site_matches_the_host_and_its_subdomains(newsroom: Library) -> None:
    assert sorted(found(newsroom, "site:bbc.co.uk")) == [5, 6]
    assert found(newsroom, "site:news.az") == [1]
    assert sorted(found(newsroom, "site:co.uk")) == [5, 6]
    assert found(newsroom, "site:c.uk") == []


def test_site_matches_an_outlet_named_by_its_domain_when_there_is_no_url(
    library: Library,
) -> None:
    library.add_many([
        draft("Kept from the press office's own feed, no link.", source="News.Az"),
        draft("The wire story, pasted without a link.", source="Reuters"),
        draft("A story from the regional desk.", source="The News Az Times"),
        draft("Another outlet named by its domain.", source="en.Report.az"),
        draft("Linked elsewhere, though it names News.Az.", source="News.Az",
              url="https://mirror.example/story"),
    ])  # fmt: skip
    assert found(library, "site:news.az") == [1]  # not the URL's own site, no substring guess
    assert found(library, "site:report.az") == [4]  # and its subdomains, as for URLs
    assert sorted(found(library, "site:az")) == [1, 4]
    assert found(library, "site:reuters") == []  # a name that is not a domain is no site
    assert found(library, "site:mirror.example") == [5]
    assert found(library, "-site:news.az kept") == []


def test_a_rebuilt_index_knows_the_outlet_sites_of_an_older_one(library_home: Path) -> None:
    library = Library(LibraryPaths(library_home))  # about the local index file
    library.add(draft("Kept from the press office's own feed, no link.", source="News.Az"))
    assert found(library, "site:news.az") == [1]
    conn = sqlite3.connect(library.paths.index)  # as an older clip left it
    with conn:
        conn.execute("UPDATE docs SET site = NULL")
        conn.execute("PRAGMA user_version = 201")
    conn.close()
    assert found(Library(LibraryPaths(library.paths.home)), "site:news.az") == [1]


def test_author_title_url_and_lang(newsroom: Library) -> None:
    assert found(newsroom, "author:smith") == [5]
    assert found(newsroom, "author:mammadova") == [1]
    assert found(newsroom, "title:summit") == [5]
    assert found(newsroom, "title:climate") == [4]
    assert found(newsroom, "url:khojaly") == [1]
    assert sorted(found(newsroom, "lang:de")) == [2, 7]
    assert found(newsroom, "lang:en-gb") == [6]
    assert sorted(found(newsroom, "lang:en")) == [1, 5, 6]


def test_flags(newsroom: Library) -> None:
    assert found(newsroom, "is:starred") == [2]
    assert found(newsroom, "has:note") == [4]
    assert sorted(found(newsroom, "has:url")) == [1, 5, 6]
    assert sorted(found(newsroom, "has:author")) == [1, 5]
    assert sorted(found(newsroom, "has:tags")) == [1, 2, 3, 6]


def test_dates(newsroom: Library) -> None:
    # 5 is dated 2023 only: a period that overlaps the days asked for matches.
    assert sorted(found(newsroom, "on:2023-02-23")) == [1, 5]
    assert sorted(found(newsroom, "on:2023-02")) == [1, 5]
    assert found(newsroom, "on:2022-01-01") == [3]
    assert sorted(found(newsroom, "after:2023-06-30")) == [2, 4, 5]
    assert sorted(found(newsroom, "before:2022")) == [6, 7]
    assert sorted(found(newsroom, "after:2021 before:2023-03")) == [1, 3, 5]
    assert found(newsroom, "since:2024-05-05") == [4]


def test_since_counts_back_from_today(library: Library) -> None:
    library.add(draft("Fresh news about the harbour."))  # published unknown: captured today
    library.add(draft("Old news about the harbour.", published="2001-01-01"))
    assert found(library, "harbour since:7d") == [1]


def test_captured_filters_on_the_day_clipped_not_the_day_published(library: Library) -> None:
    from clipper.model import utc_now

    library.add_many(
        [
            draft("Harbour news clipped today, published long ago.", published="2001-01-01"),
            draft("Harbour news clipped in November.", captured="2026-11-05T10:00:00Z",
                  published="2020-06-01"),
            draft("Harbour news clipped in 2019.", captured="2019-11-20T10:00:00Z"),
        ]
    )  # fmt: skip
    assert library.get(1).captured[:10] == utc_now()[:10]
    assert found(library, "harbour captured:7d") == [1]
    assert found(library, "harbour captured:today") == [1]
    assert found(library, "harbour captured:2026-11") == [2]
    assert found(library, "harbour captured:2019-W47") == [3]
    assert sorted(found(library, "harbour -captured:2026-11")) == [1, 3]
    assert found(library, "harbour on:2020-06-01") == [2]  # the publication date
    assert found(library, "harbour since:7d") == []  # 1 was published in 2001


def test_fields_combine_with_words_and_operators(newsroom: Library) -> None:
    assert found(newsroom, "climate tag:khojaly after:2023-01-01") == [1]
    assert sorted(found(newsroom, "climate OR tag:region/asia")) == [1, 3, 4, 5, 6]
    assert sorted(found(newsroom, "climate -site:bbc.co.uk")) == [1, 4]
    assert found(newsroom, "(tag:sport OR is:starred) -lang:de") == [6]


# Ranking, sorting, paging -------------------------------------------------------------------


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(library: Library) -> None:
    library.add(draft("The budget was long debated. Many words follow here.", "Parliament"))
    library.add(draft("The vote was long debated. Many words follow here.", "Budget vote"))
    library.add(draft("Unrelated article about gardens and flowers.", "Gardens"))
    assert found(library, "budget") == [2, 1]


def test_scores_are_given_and_ordered(newsroom: Library) -> None:
    hits = newsroom.search("climate").hits
    scores = [hit.score for hit in hits]
    assert all(score is not None for score in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_sort_by_date(newsroom: Library) -> None:
    # As `clip list`: by date as written, so 2023 comes before 2023-02-23.
    assert found(newsroom, "clim*", sort="newest") == [4, 1, 5, 6]
    assert found(newsroom, "clim*", sort="oldest") == [6, 5, 1, 4]
    with pytest.raises(UsageError, match="unknown sort"):
        newsroom.search("climate", sort="added")


def test_limit_offset_and_total(newsroom: Library) -> None:
    first = newsroom.search("clim*", sort="newest", limit=2)
    second = newsroom.search("clim*", sort="newest", limit=2, offset=2)
    beyond = newsroom.search("clim*", sort="newest", limit=2, offset=10)
    assert [h.clipping.id for h in first.hits] == [4, 1]
    assert [h.clipping.id for h in second.hits] == [5, 6]
    assert first.total == second.total == beyond.total == 4
    assert beyond.hits == []


def test_snippet_and_title_highlight_the_matched_words(newsroom: Library) -> None:
    hit = newsroom.search("xocali climate").hits[0]
    lit = [text for text, on in hit.snippet.pieces if on]
    assert lit == ["Xocalı", "Climate"]
    assert "\n" not in hit.snippet.plain
    assert hit.to_dict()["snippet"] == hit.snippet.plain
    assert hit.to_dict()["id"] == 1 and "score" in hit.to_dict()
    assert [t for t, on in newsroom.search("seminar").hits[0].title.pieces if on] == ["Seminar"]


def test_cjk_words_are_highlighted_inside_the_sentence(newsroom: Library) -> None:
    hit = newsroom.search("大学").hits[0]
    assert [text for text, on in hit.snippet.pieces if on] == ["大学"]


# list QUERY, get_many, related -------------------------------------------------------------


def test_select_combines_a_query_with_list_options(newsroom: Library) -> None:
    chosen = newsroom.select(Filter(tags=["region"]), query="-tag:region/asia", sort="oldest")
    assert [c.id for c in chosen] == [1, 2]
    assert [c.id for c in newsroom.select(Filter(starred=True))] == [2]
    assert [c.id for c in newsroom.select(Filter(source="bbc.co.uk"), sort="added")] == [6, 5]
    assert [c.id for c in newsroom.select(query="climate", sort="relevance", limit=1)] == [4]


def test_select_on_an_empty_library_still_checks_the_query(library: Library) -> None:
    assert library.select(query="climate") == []
    with pytest.raises(UsageError):
        library.select(query='"open')
    assert library.search("climate").hits == []


def test_related_finds_clippings_sharing_distinctive_words(library: Library) -> None:
    library.add_many(
        [
            draft("Khojaly seminar in Islamabad remembers the Khojaly victims.", "Khojaly seminar"),
            draft("Students at the Khojaly exhibition remember the victims.", "Khojaly exhibition"),
            draft("The football season opens with a derby in the rain.", "Season opens"),
            draft("A derby in the rain ends the football season.", "Season ends"),
            draft("Gardens bloom early this spring in the capital.", "Gardens"),
        ]
    )
    assert [hit.clipping.id for hit in library.related(1).hits][:1] == [2]
    assert [hit.clipping.id for hit in library.related(3).hits][:1] == [4]
    assert 1 not in [hit.clipping.id for hit in library.related(1).hits]
    with pytest.raises(NotFoundError):
        library.related(99)


# Properties -----------------------------------------------------------------------------------


@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.sampled_from(['"', "(", ")", "-", "*", "OR", "NOT", " ", "tag:", "title:", "clim", "^",
                         "Xocalı", "東京", "NEAR", "{", "}", ":", "'", "+", "AND", "after:2023"])
        | st.text(max_size=4)
    ).map("".join)
)  # fmt: skip
def test_any_query_returns_hits_or_a_usage_error(newsroom: Library, query: str) -> None:
    try:
        newsroom.search(query)
    except UsageError as raised:
        assert raised.message
