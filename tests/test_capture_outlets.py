"""The outlet of a news item, from attributions in its text or the site of its URL."""

from __future__ import annotations

import pytest

from clipper.capture.outlets import (
    outlet_from_url,
    outlet_in_text,
    outlet_name,
    registrable_domain,
)


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The delegation visited the plant, the ministry told News.Az\n\nMore text.", "News.Az"),
        ("LONDON (Reuters) - Oil prices rose on Tuesday after the talks.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted 52-48 on Tuesday.", "AP"),
        ("BAKU /Trend/ - The central bank kept its rate unchanged.", "Trend"),
        ("(CNN)The storm reached the coast overnight.", "CNN"),
        ("Talks resumed today.\n\nSource: Report.az", "Report.az"),
        ("Talks resumed today.\n\nSource - The Daily Example", "The Daily Example"),
        ("Report informs that the talks resumed.", "Report.az"),
        ("APA reports that the talks resumed.", "APA"),
        ("The talks resumed today after a week.\n\n— AP", "AP"),
        ("The talks resumed today, he told Reuters on Tuesday.", "Reuters"),
        ("KYIV (Ukrinform) - The storm reached the coast overnight.", "Ukrinform"),
    ],
)
def test_attributions_name_the_outlet(text: str, outlet: str) -> None:
    assert outlet_in_text(text) == outlet


@pytest.mark.parametrize(
    "text",
    [
        "The minister told John Smith that the talks would resume.",
        "The ambassador to Pakistan Khazar Farhadov spoke first.",
        "Officials told reporters that nothing had changed.",
        "The committee met on Tuesday (see below) - and agreed.",
        "",
    ],
)
def test_people_places_and_plain_words_are_no_outlets(text: str) -> None:
    assert outlet_in_text(text) is None


def test_a_source_line_beats_a_told_attribution() -> None:
    text = "The minister told Reuters so.\n\nSource: News.Az"
    assert outlet_in_text(text) == "News.Az"


def test_outlet_names() -> None:
    assert outlet_name("Reuters Tuesday") == "Reuters"
    assert outlet_name("the Associated Press") == "AP"
    assert outlet_name("Khazar Farhadov") is None


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://news.az/news/embassy-seminar", "News.Az"),
        ("https://www.bbc.co.uk/news/world-123", "BBC News"),
        ("https://m.nytimes.com/2023/02/23/world/x.html", "The New York Times"),
        ("https://www.ctpost.com/news/article.php", "ctpost.com"),
        ("https://news.example.co.uk/a", "example.co.uk"),
        ("http://127.0.0.1:8000/page", None),
        (None, None),
    ],
)
def test_the_site_of_a_url(url: str | None, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_registrable_domains() -> None:
    assert registrable_domain("www.news.example.co.uk") == "example.co.uk"
    assert registrable_domain("edition.cnn.com") == "cnn.com"
    assert registrable_domain("news.az") == "news.az"
    assert registrable_domain("www.jaraguadosul.sc.gov.br") == "jaraguadosul.sc.gov.br"
    assert registrable_domain("www.example.org.ua") == "example.org.ua"
