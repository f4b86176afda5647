"""Feeds: RSS 2.0, Atom and JSON Feed entries as drafts; broken and foreign documents refused."""

from __future__ import annotations

import pytest

from clipper.errors import ClipperError, UsageError
from clipper.formats.feeds import read_feed
from clipper.model import Draft
from tests.import_samples import ATOM, BROKEN_FEED, JSON_FEED, RSS


def drafts(data: str) -> list[Draft]:
    return [item for _, item in read_feed(data.encode()) if isinstance(item, Draft)]


def test_rss_entries_carry_title_url_date_outlet_and_text() -> None:
    first, second, third = drafts(RSS)
    assert first.title == "Harbour bridge reopens after repairs"
    assert first.title_source == "extracted"
    assert first.url == "https://courier.example/news/bridge"  # tracking removed
    assert first.published == "2023-02-23T10:15:00Z"
    assert first.source == "Portmere Courier"
    assert first.authors == ["Ann Reporter"]
    assert first.language == "en-GB"
    assert first.tags == ["transport"]
    assert first.text == "The harbour bridge reopened on Monday.\n\nTraffic is light."
    # No summary: the title stands in for the text; a weekday feedparser cannot read is fine.
    assert second.text == second.title == "Council approves budget"
    assert second.published == "2023-02-22T08:00:00Z"
    # No title and no link: a title is made from the description.
    assert third.url is None
    assert third.title_source == "generated"
    assert third.text.startswith("An item with only a description")


def test_atom_html_title_and_content_become_plain_text() -> None:
    first, second = drafts(ATOM)
    assert first.title == "Stadtrat beschließt Haushalt"
    assert first.text == "Der Stadtrat hat den Haushalt beschlossen."  # the script is dropped
    assert first.authors == ["Jörg Müller"]
    assert first.published == "2023-03-01T11:00:00Z"  # updated stands in for published
    assert second.text == "Kurzfassung des zweiten Artikels."
    assert second.published == "2023-02-28T07:30:00Z"


def test_json_feed_items_and_a_bad_item_reported_alone() -> None:
    entries = read_feed(JSON_FEED.encode())
    assert len(entries) == 3
    first, second = (item for _, item in entries[:2])
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert first.source == "Daily Example & Co"
    assert first.tags == ["politics", "region/azerbaijan"]
    assert first.authors == ["Bo Writer"]
    assert second.text == "Second story."
    assert second.published == "2023-02-21T17:00:00Z"
    label, bad = entries[2]
    assert label == "item 3" and isinstance(bad, ClipperError)


def test_a_json_feed_starting_with_a_byte_order_mark_is_read_as_it_is_recognized() -> None:
    data = "\ufeff".encode() + JSON_FEED.encode()
    with_mark = [label for label, _ in read_feed(data)]
    assert with_mark == [label for label, _ in read_feed(JSON_FEED.encode())] == [
        "item 1", "item 2", "item 3"
    ]  # fmt: skip

def test_feed_with_a_relative_link_resolves_against_the_feed_url() -> None:
    feed = RSS.replace("https://courier.example/news/budget", "/news/budget")
    entries = read_feed(feed.encode(), base_url="https://courier.example/rss.xml")
    second = entries[1][1]
    assert isinstance(second, Draft) and second.url == "https://courier.example/news/budget"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (BROKEN_FEED, "broken feed"),
        ("<catalog><book>not a feed</book></catalog>", "not an RSS or Atom feed"),
        ('{"version": "1", "items": []}', "not a JSON Feed"),
        ("{not json", "not valid JSON"),
    ],
)
def test_unreadable_documents_are_one_error(data: str, expected: str) -> None:
    with pytest.raises(UsageError, match=expected) as caught:
        read_feed(data.encode(), name="feed.xml")
    assert "\n" not in caught.value.message


def _rss(title: str, link: str, item_link: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{link}</link><description>d</description>"
        f"<item><title>Harbour bridge reopens</title><link>{item_link}</link>"
        "<description>The bridge reopened on Monday.</description></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize(
    ("title", "link", "item_link", "outlet", "origin"),
    [
        # A programme's or a section's feed: the outlet is the site, not the feed's title.
        ("Today", "https://www.bbc.co.uk/programmes/today", "https://www.bbc.co.uk/news/1",
         "BBC News", "url"),
        ("World news", "https://courier.example/world", "https://courier.example/world/1",
         "courier.example", "url"),
        # A feed titled with the site's own name keeps it.
        ("Portmere Courier - World", "https://courier.example/", "https://courier.example/a",
         "Portmere Courier", "feed"),
        # An aggregator: each item is from its own site.
        ("Top stories", "https://news.aggregator.example/", "https://www.reuters.com/world/1",
         "Reuters", "url"),
    ],
)  # fmt: skip
def test_the_outlet_of_a_feed_item_is_its_site(
    title: str, link: str, item_link: str, outlet: str, origin: str
) -> None:
    (draft,) = drafts(_rss(title, link, item_link))
    assert draft.source == outlet
    assert draft.provenance["source"] == origin
    assert draft.provenance["title"] == "feed"
