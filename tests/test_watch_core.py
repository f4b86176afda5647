"""The core of feed watch without the command line: judging items, remembering them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipper.errors import UsageError
from clipper.model import Clipping, Draft
from clipper.search.drafts import judge
from clipper.search.query import parse
from clipper.watch.state import SEEN_PER_FEED, FeedState, load_state, save_state
from clipper.watch.watches import refuse_entities


def clipping(number: int, title: str, text: str, **fields: object) -> Clipping:
    return Clipping.create(number, Draft(text=text, title=title, **fields).validated())  # type: ignore[arg-type]


ITEMS = {
    1: clipping(1, "Talks in Baku", "Ministers met in Xocalı on Monday.", language="en"),
    2: clipping(2, "Football", "The cup final ended 2-1.", language="en"),
    3: clipping(3, "Wahlen in München", "Die Stadt wählt.", language="de"),
}


@pytest.mark.parametrize(
    ("query", "summaries", "articles"),
    [
        # A word in the summary decides; one missing is for the article to decide.
        ("xocali", {1: True, 2: None, 3: None}, {1: True, 2: False, 3: False}),
        ("munchen", {1: None, 2: None, 3: True}, {1: False, 2: False, 3: True}),
        # NOT of a missing word cannot be decided by a summary.
        ("baku -cup", {1: None, 2: False, 3: None}, {1: True, 2: False, 3: False}),
        ("-cup", {1: None, 2: False, 3: None}, {1: True, 2: False, 3: True}),
        # Fields and metadata are known from the item itself.
        ("title:football", {1: False, 2: True, 3: False}, {1: False, 2: True, 3: False}),
        ("lang:de OR ministers", {1: True, 2: None, 3: True}, {1: True, 2: False, 3: True}),
        ("lang:de cup", {1: False, 2: False, 3: None}, {1: False, 2: False, 3: False}),
    ],
)
def test_a_query_is_judged_on_items_as_search_would_find_them(
    query: str, summaries: dict[int, bool | None], articles: dict[int, bool]
) -> None:
    node = parse(query)
    assert judge(node, ITEMS) == summaries
    assert judge(node, ITEMS, complete=ITEMS) == articles


WORDS = ["xocali", "cup", "baku", "ministers", "talks", "munchen", "stadt"]


@given(
    st.lists(st.sampled_from([*WORDS, "-cup", "-baku", "OR", "title:talks", "lang:de"]),
             min_size=1, max_size=5),
    st.lists(st.sampled_from(WORDS), max_size=4),
)  # fmt: skip
def test_what_a_summary_decides_the_article_never_changes(
    words: list[str], more: list[str]
) -> None:
    # The article holds the summary's words and more: what the summary decided stays so.
    try:
        node = parse(" ".join(words))
    except UsageError:  # a query such as "OR" alone: refused when the watch is saved
        return
    articles = {
        number: c.with_changes(text=f"{c.text} {' '.join(more)}") for number, c in ITEMS.items()
    }
    summaries = judge(node, ITEMS)
    decided = judge(node, articles, complete=articles)
    for number, verdict in summaries.items():
        assert verdict is None or verdict == decided[number]


def test_the_memory_of_a_feed_is_bounded_and_keeps_the_newest() -> None:
    state = FeedState()
    state.remember("trams", [f"id:{n}" for n in range(SEEN_PER_FEED)])
    state.remember("trams", ["id:new", "id:0"])  # id:0 seen again: now among the newest
    kept = state.seen["trams"]
    assert len(kept) == SEEN_PER_FEED
    assert kept[-2:] == ["id:new", "id:0"] and "id:1" not in kept


def test_the_state_file_round_trips_and_a_damaged_one_is_an_empty_memory(tmp_path: Path) -> None:
    state = FeedState(etag='"1"', last_modified="Tue, 01 Dec 2026 08:00:00 GMT")
    state.remember("trams", ["url:https://example.org/a"])
    save_state(tmp_path, {"https://example.org/rss": state})
    assert load_state(tmp_path)["https://example.org/rss"] == state
    (tmp_path / "watch-state.json").write_text("{not json", encoding="utf-8")
    assert load_state(tmp_path) == {}


def test_entity_declarations_are_refused_and_plain_doctypes_are_not() -> None:
    refuse_entities(b'<?xml version="1.0"?><!DOCTYPE rss><rss/>', "feed")
    with pytest.raises(UsageError, match="declares XML entities"):
        refuse_entities(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', "feed")


def test_the_host_gate_lets_other_hosts_through_while_one_is_busy() -> None:
    import threading

    from clipper.watch.fetching import HostGate

    gate = HostGate()
    holding, release, other_in = threading.Event(), threading.Event(), threading.Event()

    def slow_host() -> None:
        with gate.hold("https://one.example/feed"):
            holding.set()
            release.wait(60)

    def other_host() -> None:
        with gate.hold("https://two.example/feed"):
            other_in.set()

    first = threading.Thread(target=slow_host)
    first.start()
    assert holding.wait(60)
    second = threading.Thread(target=other_host)
    second.start()
    try:
        assert other_in.wait(60)  # a gate for all hosts would keep it out until release
    finally:
        release.set()
        first.join(60)
        second.join(60)
