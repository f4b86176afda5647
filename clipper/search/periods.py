"""The periods of date filters (--since, --until, on:, captured: ...): what a value people type
stands for, as its first and last day.

A day is itself; an ISO week (2019-W47), a month (2023-02, February 2023) or a year is every
day in it; yesterday, last week, this month ... are the periods they name; a span back from
today (7d, 2w, 3m, 1y, 3 days ago) is the one day it reaches back to.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta

from clipper.dates import AmbiguousDate
from clipper.errors import UsageError
from clipper.model import date_key, parse_date

_SPAN = re.compile(r"^(\d{1,5})([dwmy])$")
_AGO = re.compile(r"^(\d{1,5}) (day|week|month|year)s? ago$")
_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})(?:-?([1-7]))?$")
_NAMED = re.compile(r"^(today|yesterday|(this|last) (week|month|year))$")

Period = tuple[str, str]


def today() -> date:
    return datetime.now(UTC).date()


def is_span(value: str) -> bool:
    """True for a span back from today (7d, 3 days ago), which is a moment, not a period."""
    text = _words(value)
    return bool(_SPAN.match(text) or _AGO.match(text))


def period(
    value: str, *, what: str = "date", now: date | None = None, order: str | None = None
) -> Period:
    """The first and last day (YYYY-MM-DD) a value stands for; UsageError when it is no date.

    `order` (day-first or month-first) reads numeric dates such as 03/04/2023.
    """
    text = _words(value)
    base = now or today()
    spans = _SPAN.match(text) or _AGO.match(text)
    if spans:
        day = _back(base, int(spans.group(1)), spans.group(2)[0], value).isoformat()
        return day, day
    named = _NAMED.match(text)
    if named:
        return _named(text, base)
    week = _WEEK.match(text)
    if week:
        return _week(int(week.group(1)), int(week.group(2)), week.group(3), value, what)
    try:
        # Without dateparser: a filter reads the forms clip reads in pasted text, at once
        # (dateparser takes half a second to import, for every mistyped query).
        day = date_key(parse_date(value, what=what, order=order, slow=False))
    except AmbiguousDate:
        raise
    except UsageError:
        raise UsageError(
            f"{value!r} is not a valid {what}: use YYYY-MM-DD (or YYYY-MM, YYYY, a week such as "
            "2019-W47), a date such as 23 February 2023, yesterday, last week, this month, or a "
            "span back from today such as 7d, 2w, 3m, 1y."
        ) from None
    if len(day) == 4:
        return f"{day}-01-01", f"{day}-12-31"
    if len(day) == 7:
        year, month = int(day[:4]), int(day[5:])
        return f"{day}-01", f"{day}-{calendar.monthrange(year, month)[1]:02d}"
    return day, day


def parse_day(
    value: str,
    *,
    what: str = "date",
    now: date | None = None,
    end: bool = False,
    order: str | None = None,
) -> str:
    """The first day of the period a value stands for, or with `end` its last."""
    first, last = period(value, what=what, now=now, order=order)
    return last if end else first


def _words(value: str) -> str:
    """The value in lower case; a named period or a span in words with single spaces, also
    from `last-week` or `3_days_ago`, since a query field's value holds no space unquoted."""
    spaced = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    return spaced if _NAMED.match(spaced) or _AGO.match(spaced) else value.strip().lower()


def _back(base: date, amount: int, unit: str, value: str) -> date:
    if unit in "dw":
        try:
            return base - timedelta(days=amount * (7 if unit == "w" else 1))
        except OverflowError:
            raise UsageError(f"{value!r} reaches back before year 1.") from None
    months = amount * (12 if unit == "y" else 1)
    year, month = divmod(base.year * 12 + base.month - 1 - months, 12)
    if year < 1:
        raise UsageError(f"{value!r} reaches back before year 1.")
    return date(year, month + 1, min(base.day, calendar.monthrange(year, month + 1)[1]))


def _named(text: str, base: date) -> Period:
    if text in ("today", "yesterday"):
        day = (base - timedelta(days=1 if text == "yesterday" else 0)).isoformat()
        return day, day
    which, unit = text.split()
    if unit == "week":
        monday = base - timedelta(days=base.weekday() + (7 if which == "last" else 0))
        return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    if unit == "month":
        year, month = (base.year, base.month)
        if which == "last":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    year = base.year - (1 if which == "last" else 0)
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _week(year: int, week: int, weekday: str | None, value: str, what: str) -> Period:
    try:
        if weekday:
            day = date.fromisocalendar(year, week, int(weekday)).isoformat()
            return day, day
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UsageError(f"{value!r} is not a valid {what}: {year} has no week {week}.") from None
    return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
