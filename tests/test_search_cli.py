"""`clip search`, `clip related`, `clip reindex`, `clip list QUERY` and `clip show --highlight`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def add(clip: Clip, text: str, *options: str) -> int:
    result = clip("add", text, *options)
    assert result.exit_code == 0, result.stderr
    return int(result.stdout)


@pytest.fixture
def newsroom(clip: Clip) -> Clip:
    add(clip, "The seminar on the Khojaly tragedy was held in Xocalı. Climate change too.",
        "--title", "Seminar on Khojaly", "--source", "News.Az", "--date", "2023-02-23",
        "-t", "khojaly,region/azerbaijan")  # fmt: skip
    add(clip, "Das Oktoberfest in München zieht Besucher an.", "--title", "Wiesn in München",
        "--date", "2023-09-20", "--lang", "de", "-t", "region/germany")  # fmt: skip
    add(clip, "Climate summit ends without agreement on the climate fund.",
        "--title", "Climate summit", "--source", "BBC News", "--date", "2024-11-02")  # fmt: skip
    return clip


def searched(clip: Clip, *args: str) -> list[dict[str, Any]]:
    result = clip("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_search_piped_prints_one_tab_separated_line_per_hit(newsroom: Clip) -> None:
    result = newsroom("search", "xocali")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [line.split("\t") for line in result.stdout.splitlines()] == [[
        "1", "2023-02-23", "News.Az", "Seminar on Khojaly",
        "The seminar on the Khojaly tragedy was held in Xocalı. Climate change too.",
    ]]  # fmt: skip


def test_search_json_has_the_clipping_score_and_snippet(newsroom: Clip) -> None:
    hits = searched(newsroom, "climate")
    assert [hit["id"] for hit in hits] == [3, 1]
    assert hits[0]["score"] > hits[1]["score"] > 0
    assert "Climate summit ends" in hits[0]["snippet"]
    assert hits[0]["title"] == "Climate summit" and hits[0]["source"] == "BBC News"


def test_several_arguments_are_one_query(newsroom: Clip) -> None:
    hits = searched(newsroom, "climate", "khojaly")
    assert [hit["id"] for hit in hits if not hit["partial"]] == [1]


def test_fields_sort_limit_and_offset(newsroom: Clip) -> None:
    assert [h["id"] for h in searched(newsroom, "tag:region/* after:2023-06-01")] == [2]
    assert [h["id"] for h in searched(newsroom, "clim*", "--sort", "oldest")] == [1, 3]
    assert [h["id"] for h in searched(newsroom, "clim*", "--sort", "newest", "-n", "1")] == [3]
    later = searched(newsroom, "clim*", "--sort", "newest", "--offset", "1")
    assert [h["id"] for h in later] == [1]


def test_an_exclusion_as_the_first_argument_follows_a_double_dash(newsroom: Clip) -> None:
    result = newsroom("search", "--json", "--", "-climate")
    assert [h["id"] for h in json.loads(result.stdout)] == [2]


def test_no_hits_is_not_an_error(newsroom: Clip) -> None:
    result = newsroom("search", "lighthouse")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert searched(newsroom, "lighthouse") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"climate (change', 'unbalanced quote at position 1 in "climate (change; close it with "'),
        ("climate (change", "unbalanced parenthesis at position 9 in climate (change;"),
        ("foo:bar", "unknown field foo: at position 1 in foo:bar;"),
        ("after:2023-02-30", "after:2023-02-30 is not a date at position 1"),
        ("climate OR", "OR needs a term on each side at position 9"),
    ],
)
def test_a_malformed_query_is_a_one_line_usage_error(
    newsroom: Clip, query: str, expected: str
) -> None:
    for command in (["search", query], ["list", query], ["show", "1", "--highlight", query]):
        message = error_message(newsroom(*command), ExitCode.USAGE)
        assert message.startswith(expected), message


def test_an_unknown_sort_is_a_usage_error(newsroom: Clip) -> None:
    assert "unknown sort" in error_message(newsroom("search", "x", "--sort", "id"), ExitCode.USAGE)


def test_list_takes_a_query_and_its_options(newsroom: Clip) -> None:
    result = newsroom("list", "clim*", "--json")
    assert [c["id"] for c in json.loads(result.stdout)] == [3, 1]
    result = newsroom("list", "clim*", "--tag", "khojaly", "--json")
    assert [c["id"] for c in json.loads(result.stdout)] == [1]
    result = newsroom("list", "munchen OR climate", "--sort", "oldest", "-n", "2", "--json")
    assert [c["id"] for c in json.loads(result.stdout)] == [1, 2]


def test_show_highlight_keeps_plain_output_in_a_pipe(newsroom: Clip) -> None:
    plain = newsroom("show", "1", "--no-pager")
    marked = newsroom("show", "1", "--no-pager", "--highlight", "xocali")
    assert marked.exit_code == 0
    assert marked.stdout == plain.stdout


def test_related(newsroom: Clip) -> None:
    add(newsroom, "Another Khojaly commemoration was held with a seminar in Baku.",
        "--title", "Khojaly commemoration")  # fmt: skip
    result = newsroom("related", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == 4
    message = error_message(newsroom("related", "99"), ExitCode.NOT_FOUND)
    assert "99" in message


@pytest.mark.local_only
def test_reindex(newsroom: Clip) -> None:
    result = newsroom("reindex")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("Indexed 3 clippings in ")
    report = json.loads(newsroom("reindex", "--json").stdout)
    assert report["indexed"] == 3


@pytest.mark.local_only
def test_search_reads_the_index_after_a_hand_edit(newsroom: Clip, library_home: Any) -> None:
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["2"]["text"] = "Lighthouse keepers meet in München."
    stored.save(store, data)
    assert [h["id"] for h in searched(newsroom, "lighthouse")] == [2]
    (library_home / "index.sqlite3").unlink()
    assert [h["id"] for h in searched(newsroom, "lighthouse munchen")] == [2]


@pytest.fixture
def crowded(library: Library, clip: Clip) -> Clip:
    """25 clippings on the budget vote, all related to each other, and one on gardens."""
    library.add_many(
        [
            Draft(
                text=f"The parliament debated the budget vote, session number{n} of the week.",
                title=f"Budget vote {n}",
                published=f"2024-01-{n:02d}",
            )
            for n in range(1, 26)
        ]
        + [Draft(text="Gardens bloom early this spring.", title="Gardens", published="2023-05-01")]
    )
    return clip


def test_a_search_cut_at_its_limit_says_so_in_a_pipe_and_in_json(crowded: Clip) -> None:
    piped = crowded("search", "budget")
    assert piped.exit_code == 0
    assert len(piped.stdout.splitlines()) == 20
    assert piped.stderr == "20 of 25 shown (--limit 0 for all)\n"
    as_json = crowded("search", "budget", "--json", "-n", "5")
    assert len(json.loads(as_json.stdout)) == 5
    assert as_json.stderr == "5 of 25 shown (--limit 0 for all)\n"
    page = crowded("search", "budget", "-n", "5", "--offset", "5")
    assert page.stderr == "6–10 of 25 shown (--offset 10 for more)\n"
    everything = crowded("search", "budget", "--limit", "0")
    assert everything.exit_code == 0
    assert len(everything.stdout.splitlines()) == 25
    assert everything.stderr == ""
    assert crowded("search", "budget", "-n", "25").stderr == ""  # all of them: nothing cut


def test_list_and_related_cut_at_their_limit_say_so(crowded: Clip) -> None:
    listed = crowded("list", "--limit", "3", "--json")
    assert [c["id"] for c in json.loads(listed.stdout)] == [25, 24, 23]
    assert listed.stderr == "3 of 26 shown (--limit 0 for all)\n"
    assert crowded("list", "vote", "-n", "2").stderr == "2 of 25 shown (--limit 0 for all)\n"
    everything = crowded("list", "--limit", "0")
    assert len(everything.stdout.splitlines()) == 26
    assert everything.stderr == ""
    related = crowded("related", "1")
    assert len(related.stdout.splitlines()) == 10
    assert related.stderr == "10 of 24 shown (--limit 0 for all)\n"
    all_related = crowded("related", "1", "-n", "0", "--json")
    assert sorted(hit["id"] for hit in json.loads(all_related.stdout)) == list(range(2, 26))
    assert all_related.stderr == ""


def test_a_cut_list_counts_the_matches_in_the_index(library: Library, crowded: Clip) -> None:
    page = library.select_page(query="budget", limit=4)
    assert (len(page.items), page.total) == (4, 25)
    assert library.select_page(query="number7", limit=4).total == 1
    assert library.search("budget", limit=4).total == 25


def test_on_a_terminal_the_footer_says_how_to_see_all(crowded: Clip, terminal: None) -> None:
    searched_page = crowded("search", "budget", "-n", "5")
    assert "1–5 of 25 clippings" in searched_page.stderr
    assert "more with --offset 5, all with --limit 0" in searched_page.stderr
    related = crowded("related", "1", "-n", "3").stderr
    assert "1–3 of 24 clippings · all with --limit 0" in related  # related has no --offset
    assert "3 of 26 shown (--limit 0 for all)" in crowded("list", "-n", "3").stderr
    assert "26 clippings" in crowded("list").stderr


@pytest.fixture
def harbour(clip: Clip) -> Clip:
    add(clip, "A storm hit the coast and the port closed.", "--title", "Storm", "--lang", "en")
    add(clip, "The port is busy again.", "--title", "Harbour", "--lang", "en")
    add(clip, "Nothing of that kind.", "--title", "Other", "--lang", "en")
    return clip


def test_partial_matches_fill_the_page_marked_in_json(harbour: Clip) -> None:
    hits = searched(harbour, "storm", "port")
    assert [(hit["id"], hit["partial"]) for hit in hits] == [(1, False), (2, True)]
    assert [hit["id"] for hit in searched(harbour, "storm port", "--all-words")] == [1]
    assert {hit["id"] for hit in searched(harbour, "storm port", "--any")} == {1, 2}
    assert not any(hit["partial"] for hit in searched(harbour, "storm port", "--any"))


def test_partial_matches_sit_below_a_line_on_a_terminal(
    harbour: Clip, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("terminal")  # after the clippings are added
    result = harbour("search", "storm port")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    below = next(i for i, line in enumerate(lines) if "partial matches" in line)
    assert any("Storm" in line for line in lines[:below])
    assert any("Harbour" in line for line in lines[below:])
    assert "1 clipping has all the words · 1 partial" in result.stderr


def test_all_words_and_any_exclude_each_other(harbour: Clip) -> None:
    result = harbour("search", "storm port", "--all-words", "--any")
    assert "exclude each other" in error_message(result, ExitCode.USAGE)


@pytest.fixture
def volcanoes(clip: Clip) -> Clip:
    add(clip, "The volcano erupted: lava and ash.", "--title", "Volcano erupts", "--lang", "en")
    add(clip, "Lava flows and ash clouds near the volcano.", "--title", "Alert", "--lang", "en")
    add(clip, "Ash and lava reached the villages.", "--title", "Island", "--lang", "en")
    for n in range(4):
        add(clip, f"Shares rose on day {n} of trading.", "--title", f"Market {n}", "--lang", "en")
    return clip


def test_expand_adds_feedback_terms_and_a_setting_makes_it_the_default(
    volcanoes: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert {hit["id"] for hit in searched(volcanoes, "volcano")} == {1, 2}
    assert {hit["id"] for hit in searched(volcanoes, "volcano", "--expand")} == {1, 2, 3}
    monkeypatch.setenv("CLIPPER_SEARCH_EXPAND", "true")
    assert {hit["id"] for hit in searched(volcanoes, "volcano")} == {1, 2, 3}
    assert {hit["id"] for hit in searched(volcanoes, "volcano", "--no-expand")} == {1, 2}
    monkeypatch.setenv("CLIPPER_SEARCH_EXPAND", "maybe")
    result = volcanoes("search", "volcano")
    assert "true or false" in error_message(result, ExitCode.USAGE)


def test_related_shows_a_score_and_no_unrelated_clippings(volcanoes: Clip) -> None:
    result = volcanoes("related", "1", "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert {hit["id"] for hit in hits} <= {2, 3} and hits
    assert all(0 < hit["score"] <= 1 for hit in hits)
    piped = volcanoes("related", "1")
    assert [line.split("\t")[:2] for line in piped.stdout.splitlines()] == [
        [str(hit["id"]), f"{hit['score']:.2f}"] for hit in hits
    ]
