"""Pasted text to a draft: page chrome dropped, then title, date, outlet and language found."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.capture.cleanup import byline_authors, is_chrome, remove_chrome
from clipper.capture.hints import Hints
from clipper.capture.text import (
    draft_from_text,
    first_sentence,
    generate_title,
    looks_like_headline,
    split_title,
)

# A news item as copied out of a news site: widget line with the date, share buttons,
# an advert, a "read more" link and a cookie notice around three real paragraphs.
PASTED = """ date 2024-03-14 + ↺ − 16 px

Facebook Twitter WhatsApp Telegram Share

The city council of Portmere and the Harbour Transport Authority (HTA), the agency that runs \
the ferries, agreed on a 6.4-kilometre tram line to the old docks, ending a decade of debate.

Advertisement

Thirty-one councillors voted in favour and eighteen against, the mayor's office told \
Portmere.example.

Read more: Portmere ferry timetable changes in May

The line is expected to carry 28,000 passengers a day when it opens in 2030.
It will have nine stops.

We use cookies to improve your experience. By continuing to browse you accept our cookie policy.
Follow us on Telegram
"""
PARAGRAPHS = [
    "The city council of Portmere and the Harbour Transport Authority (HTA), the agency that "
    "runs the ferries, agreed on a 6.4-kilometre tram line to the old docks, ending a decade "
    "of debate.",
    "Thirty-one councillors voted in favour and eighteen against, the mayor's office told "
    "Portmere.example.",
    "The line is expected to carry 28,000 passengers a day when it opens in 2030.\n"
    "It will have nine stops.",
]


def test_chrome_is_dropped_and_paragraphs_are_kept_intact() -> None:
    cleaned = remove_chrome(PASTED)
    assert cleaned.text == "\n\n".join(PARAGRAPHS)
    assert cleaned.dropped[0] == "date 2024-03-14 + ↺ − 16 px"
    assert len(cleaned.dropped) == 6


@pytest.mark.parametrize(
    "line",
    [
        "date 2023-02-23 + ↺ − 16 px", "A+ A-", "Font size", "Advertisement", "ADVERTISEMENT",
        "Sponsored content", "Read more", "Read more: Ministers meet in Baku",
        "READ ALSO: Talks resume", "Follow us on Twitter", "Share this article",
        "Facebook Twitter LinkedIn Email", "3 min read", "Updated 2 hours ago",
        "Published: 23 February 2023, 14:05", "February 23, 2023", "23.02.2023 | 10:41",
        "© 2024 Portmere Courier. All rights reserved.", "Tags: politics, transport",
        "This website uses cookies to ensure you get the best experience.",
        "Skip to main content", "Image caption", "Listen to this article",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply in Tokyo",
        "Published authors protest new AI rules",
        "Read the room: why ministers misjudged the mood",
        "Follow-up talks are planned for May.",
        "The council will vote on February 23, 2023, after a public consultation that drew "
        "more than four thousand replies from residents of the harbour district.",
        "Cookies and cakes were served at the reception, the embassy said.",
        "",
    ],
)
def test_article_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_the_draft_of_pasted_text() -> None:
    draft = draft_from_text(PASTED)
    assert draft.text == "\n\n".join(PARAGRAPHS)
    assert draft.published == "2024-03-14"
    # "told Portmere.example": a site no table knows is no outlet (it may be a shop's).
    assert draft.source is None
    assert draft.language == "en"
    assert draft.title_source == "generated"
    assert draft.provenance == {"title": "generated", "published": "dateline",
                                "language": "detected"}  # fmt: skip
    assert draft.title == (
        "City council of Portmere and the HTA agreed on 6.4-kilometre tram line to the old docks"
    )


def test_given_values_win_over_detection() -> None:
    hints = Hints(title="Tram approved", url="https://www.portmere.example/tram?utm_source=x",
                  source="Portmere Courier", authors=["Ann Smith"], published="2024-03-15",
                  language="fr")  # fmt: skip
    draft = draft_from_text(PASTED, hints=hints)
    assert (draft.title, draft.title_source) == ("Tram approved", "given")
    assert draft.url == "https://www.portmere.example/tram"
    assert draft.source == "Portmere Courier"
    assert draft.authors == ["Ann Smith"]
    assert draft.published == "2024-03-15"
    assert draft.language == "fr"


def test_the_site_of_the_given_url_names_the_outlet_when_the_text_does_not() -> None:
    draft = draft_from_text("Prices rose again this month.\n\nMore text.",
                            hints=Hints(url="https://www.bbc.co.uk/news/1"))  # fmt: skip
    assert draft.source == "BBC News"


def test_a_headline_on_the_first_line_becomes_the_title() -> None:
    text = "Harbour council approves tram line\n\nThe council voted on Thursday.\n\nWork starts."
    draft = draft_from_text(text)
    assert (draft.title, draft.title_source) == ("Harbour council approves tram line", "extracted")
    assert draft.text == "The council voted on Thursday.\n\nWork starts."


def test_a_byline_gives_the_authors_and_leaves_the_text() -> None:
    text = ("Harbour council approves tram line\nBy Ann Smith and Bo Lee | 14 March 2024\n\n"
            "The council voted on Thursday to build a tram line to the old docks.")  # fmt: skip
    draft = draft_from_text(text)
    assert draft.authors == ["Ann Smith", "Bo Lee"]
    assert draft.published == "2024-03-14"
    assert draft.text == "The council voted on Thursday to build a tram line to the old docks."


def test_a_dateline_gives_date_and_agency() -> None:
    text = ("BAKU, 23.02.2023 (Reuters) - Azerbaijan's central bank kept its main rate at 8.75% "
            "on Thursday, citing slowing inflation and a stable manat, the bank said in a "
            "statement on its website.")  # fmt: skip
    draft = draft_from_text(text)
    assert draft.published == "2023-02-23"
    assert draft.source == "Reuters"
    assert draft.title == "Azerbaijan's central bank kept its main rate at 8.75% on Thursday"


def test_dates_inside_the_story_are_not_the_publication_date() -> None:
    text = ("The council first debated the line on March 3, 2015, when a study found it too "
            "expensive, and returned to it in 2021 after the harbour was rebuilt.")  # fmt: skip
    assert draft_from_text(text).published is None


def test_text_that_is_all_chrome_is_kept_rather_than_lost() -> None:
    assert draft_from_text("Advertisement").text == "Advertisement"


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Harbour council approves tram line", True),
        ("Embassy hosts seminar on Khojaly genocide", True),
        ("The council voted on Thursday to build a line.", False),
        ("the council voted on Thursday", False),
        ("Yes", False),
        ("2023-02-23 10:41 16 px", False),
    ],
)
def test_what_reads_like_a_headline(line: str, headline: bool) -> None:
    assert looks_like_headline(line) is headline


def test_a_hard_wrapped_first_line_is_not_a_headline() -> None:
    text = "The city council of Portmere voted on Thursday to build\na tram line to the docks."
    _title, source, body = split_title(text)
    assert source == "generated"
    assert body == text


@pytest.mark.parametrize(
    ("paragraph", "sentence"),
    [
        ("Mr. Smith met U.S. officials. They talked.", "Mr. Smith met U.S. officials."),
        ("It rose 5.5 percent. Then it fell.", "It rose 5.5 percent."),
        ("No full stop at all", "No full stop at all"),
    ],
)
def test_first_sentences(paragraph: str, sentence: str) -> None:
    assert first_sentence(paragraph) == sentence


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("WASHINGTON (AP) — The U.S. Senate voted 52-48 on Tuesday to confirm the nominee, "
         "ending a months-long standoff.",
         "U.S. Senate voted 52-48 on Tuesday to confirm the nominee"),
        ("On Thursday, the city council voted to build a tram line, ending a long debate.",
         "The city council voted to build tram line"),
        ("Mr. Smith, the minister of finance, said the budget would be balanced next year.",
         "Mr. Smith said the budget would be balanced next year"),
        ("Short.", "Short"),
    ],
)  # fmt: skip
def test_titles_made_from_the_opening_sentence(text: str, title: str) -> None:
    assert generate_title(text) == title


def test_generated_titles_stay_short() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    title = generate_title(f"{words}.")
    assert len(title.split()) == 16
    assert title.endswith("…")


def test_byline_authors() -> None:
    assert byline_authors("By Jane Doe, Reuters") == ["Jane Doe"]
    assert byline_authors("By Tuesday, the council will vote") == []
    assert byline_authors("by hand") == []


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = SHARED / "seed" / "news-az-khojaly-seminar.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed article is not here")
def test_the_seed_article() -> None:
    draft = draft_from_text(SEED.read_text(encoding="utf-8"))
    assert draft.published == "2023-02-23"
    assert draft.source == "News.Az"
    assert draft.language == "en"
    assert draft.title_source == "generated"
    assert draft.title.startswith("Embassy of Azerbaijan")
    assert "SZABIST" in draft.title
    assert "px" not in draft.text and not draft.text.startswith("date")
    assert draft.text.startswith("The Embassy of Azerbaijan in Pakistan")
