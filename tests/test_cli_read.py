"""`clip list` and `clip show`: tab-separated lines in a pipe, JSON on request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


def add(clip: Clip, text: str, *options: str) -> int:
    result = clip("add", text, *options)
    assert result.exit_code == 0, result.stderr
    return int(result.stdout)


def listed(clip: Clip, *options: str) -> list[dict[str, Any]]:
    result = clip("list", "--json", *options)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def listed_ids(clip: Clip, *options: str) -> list[int]:
    return [c["id"] for c in listed(clip, *options)]


@pytest.fixture
def newsroom(clip: Clip) -> Clip:
    add(clip, "Tram vote text.", "--title", "Tram vote", "-t", "transport,region/portmere",
        "--source", "Portmere Courier", "--date", "2026-03-14")  # fmt: skip
    add(clip, "Khojaly seminar text.", "--title", "Khojaly seminar", "-t", "region/azerbaijan",
        "--url", "https://www.news.az/news/1", "--source", "News.Az",
        "--date", "2023-02-23")  # fmt: skip
    add(clip, "Budget text.", "--title", "Budget passed", "-t", "politics",
        "--source", "BBC News", "--date", "2024-11-02", "--star")  # fmt: skip
    return clip


# clip list -------------------------------------------------------------------------------


def test_list_of_an_empty_library_prints_nothing(clip: Clip) -> None:
    result = clip("list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert listed(clip) == []


def test_list_piped_prints_tab_separated_id_date_source_title_tags(newsroom: Clip) -> None:
    result = newsroom("list")
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [
        ["1", "2026-03-14", "Portmere Courier", "Tram vote", "transport,region/portmere"],
        ["3", "2024-11-02", "BBC News", "Budget passed", "politics"],
        ["2", "2023-02-23", "News.Az", "Khojaly seminar", "region/azerbaijan"],
    ]


def test_list_json_prints_the_stored_fields(newsroom: Clip) -> None:
    clippings = listed(newsroom)
    assert [c["id"] for c in clippings] == [1, 3, 2]
    shown = json.loads(newsroom("show", "1", "3", "2", "--json").stdout)
    assert clippings == shown
    assert set(clippings[0]) >= {"id", "uuid", "title", "text", "url", "source", "authors",
                                 "published", "captured", "language", "tags", "note",
                                 "starred", "content_hash", "word_count", "title_source"}


def test_list_filters(newsroom: Clip) -> None:
    assert listed_ids(newsroom, "--tag", "region") == [1, 2]
    assert listed_ids(newsroom, "-t", "Region/Azerbaijan") == [2]
    assert listed_ids(newsroom, "-t", "region", "-t", "transport") == [1]
    assert listed_ids(newsroom, "--source", "bbc news") == [3]
    assert listed_ids(newsroom, "--source", "news.az") == [2]
    assert listed_ids(newsroom, "--since", "2024-01-01") == [1, 3]
    assert listed_ids(newsroom, "--since", "2024") == [1, 3]
    assert listed_ids(newsroom, "--until", "2024-11-02") == [3, 2]
    assert listed_ids(newsroom, "--until", "2024-11") == [3, 2]
    assert listed_ids(newsroom, "--since", "2023-02-23", "--until", "2023-02-23") == [2]
    assert listed_ids(newsroom, "--starred") == [3]


def test_list_since_a_span_back_from_today(newsroom: Clip) -> None:
    add(newsroom, "Undated text.", "--title", "Undated")  # dated by its capture: today
    assert listed_ids(newsroom, "--since", "7d") == [4]
    assert listed_ids(newsroom, "--until", "1d") == [1, 3, 2]


def test_list_limit_and_sort(newsroom: Clip) -> None:
    assert listed_ids(newsroom, "--limit", "2") == [1, 3]
    assert listed_ids(newsroom, "-n", "1", "--sort", "oldest") == [2]
    assert listed_ids(newsroom, "--sort", "added") == [3, 2, 1]
    assert listed_ids(newsroom, "--limit", "0") == [1, 3, 2]  # 0: no limit


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        (["--since", "next Tuesday"], "not a valid --since date"),
        (["--until", "2023-02-30"], "not a valid --until date"),
        (["--sort", "random"], "unknown sort"),
        (["--tag", "/"], "not a tag"),
    ],
)
def test_list_with_a_bad_filter_exits_2_in_one_line(
    clip: Clip, options: list[str], complaint: str
) -> None:
    assert complaint in error_message(clip("list", *options), ExitCode.USAGE)


def test_a_negative_limit_is_a_usage_error(clip: Clip) -> None:
    result = clip("list", "--limit", "-1")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""


def test_list_rows_stay_one_line_whatever_the_title(clip: Clip) -> None:
    add(clip, "Text.", "--title", "Tab\there", "--source", "Line\nbreak", "-t", "a,b")
    result = clip("list")
    assert result.stdout.count("\n") == 1
    cells = result.stdout.removesuffix("\n").split("\t")
    assert cells[0] == "1"
    assert cells[2:] == ["Line break", "Tab here", "a,b"]


# clip show -------------------------------------------------------------------------------


def test_show_prints_a_header_then_the_text(newsroom: Clip) -> None:
    result = newsroom("show", "2")
    assert result.exit_code == 0
    assert result.stderr == ""
    header, _, text = result.stdout.partition("\n\n")
    lines = header.splitlines()
    assert lines[0] == "# Khojaly seminar"
    assert "id: 2" in lines
    assert "url: https://www.news.az/news/1" in lines
    assert "published: 2023-02-23" in lines
    assert "tags: region/azerbaijan" in lines
    assert text == "Khojaly seminar text.\n"


def test_show_several_clippings_in_the_order_asked(newsroom: Clip) -> None:
    result = newsroom("show", "3", "1", "--no-pager")
    assert result.exit_code == 0
    assert result.stdout.index("# Budget passed") < result.stdout.index("# Tram vote")


def test_show_raw_prints_the_text_alone(newsroom: Clip) -> None:
    assert newsroom("show", "1", "--raw").stdout == "Tram vote text.\n"
    assert newsroom("show", "1", "3", "--raw").stdout == "Tram vote text.\n\nBudget text.\n"


def test_show_json_is_always_a_list(newsroom: Clip) -> None:
    one = json.loads(newsroom("show", "2", "--json").stdout)
    assert isinstance(one, list)
    assert [c["id"] for c in one] == [2]
    assert one[0]["url"] == "https://www.news.az/news/1"
    assert [c["id"] for c in json.loads(newsroom("show", "3", "1", "--json").stdout)] == [3, 1]


def test_show_of_a_missing_id_exits_3(newsroom: Clip) -> None:
    message = error_message(newsroom("show", "1", "42"), ExitCode.NOT_FOUND)
    assert "no clipping 42" in message
    assert "clip list" in message


def test_show_of_a_trashed_id_suggests_restoring_it(newsroom: Clip) -> None:
    newsroom("rm", "2", "--yes")
    message = error_message(newsroom("show", "2"), ExitCode.NOT_FOUND)
    assert "in the trash" in message
    assert "clip trash restore 2" in message


def test_show_needs_an_id(clip: Clip) -> None:
    result = clip("show")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""


def test_show_of_a_non_numeric_id_is_a_usage_error(clip: Clip) -> None:
    result = clip("show", "first")
    assert result.exit_code == ExitCode.USAGE
    assert "first" in result.stderr
