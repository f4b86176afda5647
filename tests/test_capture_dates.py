"""Publication dates written in pasted text, in the forms and languages news sites use."""

from __future__ import annotations

from datetime import date

import pytest

from clipper.capture.dates import find_date, parse_date_line, strip_dates

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date 2023-02-23 + ↺ − 16 px", "2023-02-23"),
        ("Published 2023-02-23T10:41:00Z", "2023-02-23"),
        ("2023/02/23", "2023-02-23"),
        ("February 23, 2023", "2023-02-23"),
        ("Feb. 23, 2023 5:41 PM ET", "2023-02-23"),
        ("Thursday 23rd February 2023", "2023-02-23"),
        ("23.02.2023 14:05", "2023-02-23"),
        ("1.3.2023", "2023-03-01"),
        ("23. Februar 2023", "2023-02-23"),
        ("23 février 2023", "2023-02-23"),
        ("23 de febrero de 2023", "2023-02-23"),
        ("23 de fevereiro de 2023", "2023-02-23"),
        ("23 febbraio 2023", "2023-02-23"),
        ("23 februari 2023", "2023-02-23"),
        ("23 Şubat 2023", "2023-02-23"),
        ("23 fevral 2023", "2023-02-23"),
        ("23 lutego 2023", "2023-02-23"),
        ("23 февраля 2023 г.", "2023-02-23"),
        ("23 лютого 2023", "2023-02-23"),
        ("2023年2月23日", "2023-02-23"),
        ("23/02/2023", "2023-02-23"),  # day first: 23 cannot be a month
        ("02/23/2023", "2023-02-23"),  # month first: 23 cannot be a month
    ],
)
def test_dates_in_many_forms(line: str, expected: str) -> None:
    assert find_date(line, today=TODAY) == expected


def test_an_ambiguous_slashed_date_follows_the_language() -> None:
    assert find_date("03/04/2023", language="en", today=TODAY) == "2023-03-04"
    assert find_date("03/04/2023", language="fr", today=TODAY) == "2023-04-03"


@pytest.mark.parametrize(
    "line",
    ["2023-02-30", "31.04.2023", "February 30, 2023", "2030-01-01", "16 px", "Room 23 2023",
     "the 1992 war", ""],
)
def test_impossible_future_or_absent_dates_are_none(line: str) -> None:
    assert find_date(line, today=TODAY) is None


def test_the_first_date_of_a_line_wins() -> None:
    assert find_date("Updated 2023-03-01, first published 2023-02-23", today=TODAY) == "2023-03-01"


def test_dateparser_reads_what_the_patterns_cannot() -> None:
    assert parse_date_line("Δημοσιεύθηκε 23 Φεβρουαρίου 2023", today=TODAY) == "2023-02-23"


def test_a_year_alone_is_no_date_and_dateparser_is_not_asked() -> None:
    assert parse_date_line("Elections 2024: what to expect", today=TODAY) is None


def test_strip_dates_blanks_them_out() -> None:
    assert strip_dates("on 2023-02-23 and February 23, 2023.").split() == ["on", "and", "."]
