"""The periods of date filters: days, weeks, months, years, named periods and spans back."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipper.dates import AmbiguousDate
from clipper.errors import UsageError
from clipper.search.periods import is_span, parse_day, period

# Days for --since / --until --------------------------------------------------------------

NOW = date(2024, 3, 31)


@pytest.mark.parametrize(
    ("span", "day"),
    [
        ("0d", "2024-03-31"),
        ("7d", "2024-03-24"),
        ("7D", "2024-03-24"),
        ("2w", "2024-03-17"),
        ("1m", "2024-02-29"),  # the 31st of a short month is its last day
        ("3m", "2023-12-31"),
        ("1y", "2023-03-31"),
        ("13m", "2023-02-28"),
    ],
)
def test_relative_spans_count_back_from_now(span: str, day: str) -> None:
    assert parse_day(span, now=NOW) == day


def test_a_span_reaching_before_year_one_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="before year 1"):
        parse_day("3000y", now=NOW)


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02-23", "2023-02-23", "2023-02-23"),
        ("2023-02-23T22:15:00", "2023-02-23", "2023-02-23"),
    ],
)
def test_a_year_or_month_stands_for_its_first_day_or_with_end_its_last(
    value: str, start: str, end: str
) -> None:
    assert parse_day(value) == start
    assert parse_day(value, end=True) == end


@pytest.mark.parametrize(
    "bad", ["2023-02-30", "7x", "d7", "-7d", "next week", "2023-W54", "2021-W53", "soon"]
)
def test_bad_days_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_day(bad, now=NOW)


def test_the_date_error_names_what_was_being_parsed() -> None:
    with pytest.raises(UsageError, match="not a valid --since date"):
        parse_day("soon", what="--since date")


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2019-W47", "2019-11-18", "2019-11-24"),  # an ISO week: Monday to Sunday
        ("2019-w47", "2019-11-18", "2019-11-24"),
        ("2019W47", "2019-11-18", "2019-11-24"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2019-W47-3", "2019-11-20", "2019-11-20"),
        ("today", "2024-03-31", "2024-03-31"),
        ("yesterday", "2024-03-30", "2024-03-30"),
        ("this week", "2024-03-25", "2024-03-31"),  # 31 March 2024 is a Sunday
        ("last week", "2024-03-18", "2024-03-24"),
        ("Last-Week", "2024-03-18", "2024-03-24"),
        ("last_month", "2024-02-01", "2024-02-29"),
        ("this month", "2024-03-01", "2024-03-31"),
        ("last year", "2023-01-01", "2023-12-31"),
        ("3 days ago", "2024-03-28", "2024-03-28"),
        ("2-weeks-ago", "2024-03-17", "2024-03-17"),
        ("24 February 2023", "2023-02-24", "2023-02-24"),
        ("24.02.2023", "2023-02-24", "2023-02-24"),
        ("February 2023", "2023-02-01", "2023-02-28"),
    ],
)
def test_a_value_stands_for_a_period(value: str, first: str, last: str) -> None:
    assert period(value, now=NOW) == (first, last)
    assert parse_day(value, now=NOW) == first
    assert parse_day(value, now=NOW, end=True) == last


def test_last_month_in_january_is_last_years_december() -> None:
    assert period("last month", now=date(2024, 1, 15)) == ("2023-12-01", "2023-12-31")


def test_numeric_dates_follow_the_order_and_refuse_to_guess() -> None:
    assert period("03/04/2023", order="day-first") == ("2023-04-03", "2023-04-03")
    assert period("03/04/2023", order="month-first") == ("2023-03-04", "2023-03-04")
    with pytest.raises(AmbiguousDate, match="write 2023-04-03 or 2023-03-04"):
        period("03/04/2023", what="--since date")


def test_only_spans_back_from_today_are_spans() -> None:
    assert is_span("7d") and is_span("3 days ago") and is_span("3-days-ago")
    assert not is_span("yesterday") and not is_span("2023-02") and not is_span("2019-W47")


# Any text, and text made of the pieces dates are made of, gives a period or a UsageError.
_PIECES = st.sampled_from(
    ["2023", "02", "24", "3", "13", "31", "-", "/", ".", " ", ",", "W", "w47", "Feb", "février",
     "last", "week", "ago", "days", "d", "T", "10:15", "pm", "+01:00", "Z", "de", "年"]
)  # fmt: skip


@given(st.text(max_size=40) | st.lists(_PIECES, max_size=8).map("".join))
def test_any_value_is_a_period_or_a_usage_error(value: str) -> None:
    try:
        first, last = period(value, now=NOW, order=None)
    except UsageError:
        return
    assert date.fromisoformat(first) <= date.fromisoformat(last)
