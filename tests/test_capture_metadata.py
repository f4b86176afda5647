"""Metadata is right or absent: outlets, authors and titles only on strong evidence, and each
field says how it was found."""

from __future__ import annotations

import pytest

from clipper.capture.html_page import Page, draft_from_html
from clipper.capture.outlets import find_outlet
from clipper.capture.people import person_names
from clipper.capture.text import draft_from_text
from tests.capture_pages import article_page

STORY = (
    "Shares in the retailer fell by a fifth on Tuesday after it warned that sales over the "
    "holiday season had been weaker than expected.\n\n"
    "The company said it would close 40 stores next year and cut 1,200 jobs.\n\n"
    "Analysts said the warning had been widely expected after a difficult year for the sector.\n\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "The firm's chief executive told the Reuters news agency that prices would rise.",
        "The chancellor told BBC Radio 4's Today programme that the plan was fair.",
        "The chancellor told BBC Radio 4 that the plan was fair.",
        "In an interview with CNN, the minister said the talks would go on.",
        "The minister told the BBC's Newsnight that he would stay.",
        "The seller told Amazon.com customers that deliveries would be late.",
        "A spokesman told DH News Service that the talks had failed.",
    ],
)
def test_an_outlet_quoted_as_the_place_of_an_interview_is_not_the_outlet(sentence: str) -> None:
    assert find_outlet(STORY + sentence) is None
    assert draft_from_text(STORY + sentence).source is None


def test_an_attribution_deep_in_a_text_that_names_another_outlet_is_not_its_outlet() -> None:
    text = STORY + "He told Reuters the plan was fair, as the Financial Times reported."
    assert find_outlet(text) is None


def test_the_outlet_that_publishes_the_text_names_itself_in_the_opening_lines() -> None:
    # As in the seed: "the embassy told News.Az" in a News.Az item is its own report.
    text = (
        "The embassy of Azerbaijan in Pakistan co-organized a seminar on the anniversary.\n\n"
        "The participants first viewed a photo exhibition, the embassy told News.Az\n\n"
        "The minister attended the event as an honorary guest."
    )
    draft = draft_from_text(text)
    assert draft.source == "News.Az"
    assert draft.provenance["source"] == "attribution"


@pytest.mark.parametrize(
    ("text", "outlet", "origin"),
    [
        ("LONDON (Reuters) - Oil prices rose on Tuesday.\n\nMore text here.", "Reuters",
         "dateline"),
        ("Talks resumed today.\n\nSource: Report.az", "Report.az", "source line"),
        ("The talks resumed today after a week.\n\n— AP", "AP", "signature"),
    ],
)  # fmt: skip
def test_strong_clues_say_where_the_outlet_was_found(text: str, outlet: str, origin: str) -> None:
    assert find_outlet(text) == (outlet, origin)


def test_a_navigation_line_is_chrome_and_never_the_title() -> None:
    text = (
        "Home | Politics | Economy | World | Sport\n\n"
        "Ministers agree new budget rules\n\n"
        "The finance ministers agreed on Tuesday to new budget rules that take effect next year, "
        "officials said after the meeting in the capital."
    )
    draft = draft_from_text(text)
    assert draft.title == "Ministers agree new budget rules"
    assert draft.provenance["title"] == "headline"
    assert "Politics" not in draft.text


def test_breadcrumbs_are_chrome_but_a_headline_with_a_bar_is_not() -> None:
    from clipper.capture.cleanup import is_chrome

    assert is_chrome("News » Europe » Germany")
    assert is_chrome("Home > World > Asia")
    assert not is_chrome("Brexit | What the deal means for you")
    assert not is_chrome("Prices rose 2/3 of a point in March.")


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("The Russian; Syrian defense ministries", []),
        ("Condé Nast; Molly Wood", ["Molly Wood"]),
        ("Текст Венера Ерофеева", ["Венера Ерофеева"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Photo: Ann Smith", ["Ann Smith"]),
        ("Reuters Staff", []),
        ("CNN Editor-at-large", []),
        ("Business Insider", []),
        ("Jeff Foust Monday", ["Jeff Foust"]),
        ("admin", []),
        ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
    ],
)
def test_authors_are_people_only(credit: str, names: list[str]) -> None:
    assert person_names([credit]) == names


def _page(author: str, site: str = "Portmere Courier") -> Page:
    head = (
        f'<meta property="og:site_name" content="{site}">'
        f'<meta name="author" content="{author}">'
        '<meta property="article:published_time" content="2024-03-14T09:30:00Z">'
        '<link rel="canonical" href="https://www.portmere-courier.example/tram">'
    )
    return Page(article_page(head=head), None)


@pytest.mark.parametrize(
    ("author", "authors"),
    [
        ("The Russian, Syrian defense ministries", []),
        ("Condé Nast; Molly Wood", ["Molly Wood"]),
        ("Текст Венера Ерофеева", ["Венера Ерофеева"]),
        ("Portmere Courier", []),
    ],
)
def test_page_authors_are_names_only(author: str, authors: list[str]) -> None:
    draft = draft_from_html(_page(author))
    assert draft.authors == authors
    assert ("authors" in draft.provenance) == bool(authors)


@pytest.mark.parametrize("site", ["Wday_", "Copyright 2014", "Expert how-to for English Riders"])
def test_a_site_name_that_is_a_handle_a_footer_or_a_slogan_is_not_the_outlet(site: str) -> None:
    draft = draft_from_html(_page("Ann Smith", site=site))
    assert draft.source == "portmere-courier.example"
    assert draft.provenance["source"] == "url"


def test_every_field_of_a_page_says_where_it_came_from() -> None:
    draft = draft_from_html(_page("Ann Smith"))
    assert (draft.source, draft.authors, draft.published, draft.language) == (
        "Portmere Courier", ["Ann Smith"], "2024-03-14", "en"
    )
    assert draft.provenance == {
        "source": "page metadata", "title": "page metadata", "language": "page metadata",
        "published": "page metadata", "authors": "page metadata",
    }  # fmt: skip


def test_a_byline_in_pasted_text_gives_people_only() -> None:
    text = (
        "Ministers agree new budget rules\n"
        "By Reuters Staff\n\n"
        "The finance ministers agreed on Tuesday to new budget rules that take effect next year, "
        "officials said after the meeting in the capital."
    )
    draft = draft_from_text(text)
    assert draft.authors == []
    assert "authors" not in draft.provenance
    named = draft_from_text(text.replace("Reuters Staff", "Ann Smith and Bo Lee"))
    assert named.authors == ["Ann Smith", "Bo Lee"]
    assert named.provenance["authors"] == "byline"
