"""Dates written in a text: the publication date in a page's chrome, a dateline or a line.

Fast regular expressions (the month names and forms of `clipper/dates.py`, which reads a whole
value) handle the forms news sites use; dateparser (slow to import) is asked only about a short
line holding a year and a day they could not read. Dates inside the story are never taken: the
publication date is in the chrome, a dateline or a `Published` line.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from clipper.dates import MONTHS, PATTERNS

# 02/23/2023 or 23/02/2023: the order is settled by a number over 12, else by the language.
_SLASHED = re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?!\d)")
_YEAR_ANYWHERE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DAY_NUMBER = re.compile(r"(?<!\d)[0-3]?\d(?!\d)")


def _valid(year: int, month: int, day: int, today: date) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    # A publication date cannot be ahead of today (a day of slack for time zones).
    return found if found <= today + timedelta(days=1) else None


def find_date(text: str, *, language: str | None = None, today: date | None = None) -> str | None:
    """The first date written in `text`, as YYYY-MM-DD, using only the fast expressions."""
    now = today or date.today()
    best: tuple[int, date] | None = None
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
            if month is None:
                continue
            found = _valid(int(match.group("year")), month, int(match.group("day")), now)
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
    for match in _SLASHED.finditer(text):
        first, second = int(match.group("a")), int(match.group("b"))
        month_first = second > 12 or (first <= 12 and language in (None, "en"))
        month, day = (first, second) if month_first else (second, first)
        found = _valid(int(match.group("year")), month, day, now)
        if found and (best is None or match.start() < best[0]):
            best = (match.start(), found)
    return best[1].isoformat() if best else None


def parse_date_line(
    line: str, *, language: str | None = None, today: date | None = None
) -> str | None:
    """A date in one short line: the fast expressions, then dateparser when a year is there."""
    found = find_date(line, language=language, today=today)
    if found or len(line) > 200 or not _YEAR_ANYWHERE.search(line):
        return found
    if not _DAY_NUMBER.search(_YEAR_ANYWHERE.sub(" ", line)):
        return None  # "Elections 2024": a year alone is no publication date
    return _dateparser_date(line, language=language, today=today or date.today())


def _dateparser_date(line: str, *, language: str | None, today: date) -> str | None:
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    languages = [language] if language else None
    try:
        results = search_dates(line, languages=languages, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input: no date then
        return None
    for _text, moment in results or []:
        found = _valid(moment.year, moment.month, moment.day, today)
        if found:
            return found.isoformat()
    return None


def strip_dates(text: str) -> str:
    """The text with every date the fast expressions recognise blanked out."""
    for pattern in (*PATTERNS, _SLASHED):
        text = pattern.sub(" ", text)
    return text
