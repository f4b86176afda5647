"""A date written as a whole value: what the user types, what an import file holds.

`read_date` reads ISO, numeric and month-name forms in twelve languages with regular
expressions; `dateparser_day` asks dateparser (slow to import, so imported on first use) about
the rest. The model reads its dates here; capture's reader of dates inside a text
(`capture/dates.py`) shares the month names and the expressions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from clipper.errors import UsageError

_MONTHS_BY_LANGUAGE = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "az": "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
}
MONTHS: dict[str, int] = {}
for _names in _MONTHS_BY_LANGUAGE.values():
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(_name, _number)
for _name, _number in list(MONTHS.items()):
    # Abbreviations: "Feb", "Feb.", "févr", "Sept"; only where they stay unambiguous.
    for _cut in (3, 4):
        if len(_name) > _cut:
            MONTHS.setdefault(_name[:_cut], _number)
MONTHS.update({"sept": 9, "dez": 12, "mär": 3, "mrz": 3})

MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
# The forms of a date, each with the groups year, month and day.
PATTERNS = (
    # 2023-02-23, 2023-02-23T10:00:00Z, 2023/02/23, 2023.02.23
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)([-/.])(?P<month>[01]?\d)\2(?P<day>[0-3]?\d)(?!\d)"),
    # 23.02.2023 (day first, as everywhere dots are used)
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?!\d)"),
    # 2023年2月23日
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"),
    # February 23, 2023 / Feb. 23 2023
    re.compile(rf"(?<!\w){MONTH}\s+{DAY},?\s+{YEAR}(?!\d)", re.IGNORECASE),
    # 23 February 2023 / 23. Februar 2023 / 23 de febrero de 2023 / 23 февраля 2023
    re.compile(
        rf"(?<![\w.]){DAY}\s+(?:de\s+)?{MONTH}\s+(?:de\s+|del\s+)?{YEAR}(?!\d)", re.IGNORECASE
    ),
    # 26-FEB-1987 (old wire services, Oracle), 26/Feb/2023
    re.compile(
        r"(?<![\w.-])(?P<day>[0-3]?\d)([-/])(?P<month>[^\W\d_]{3,10})\.?\2(?P<year>(?:19|20)\d\d)"
        r"(?!\d)",
        re.IGNORECASE,
    ),
)


# Reading one date as a whole (what the user types, what an import file holds) ----------------

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)


class AmbiguousDate(UsageError):
    """A numeric date that reads both ways (03/04/2023) when no order is known."""

    def __init__(self, value: str, one: date, other: date) -> None:
        self.hint = (
            f"it reads as {one:%-d %B %Y} or as {other:%-d %B %Y}: write {one.isoformat()} or "
            f"{other.isoformat()}, or set date_order to day-first or month-first (clip config)"
        )
        super().__init__(f"{value!r} is ambiguous: {self.hint}.")


# 03/04/2023, 03-04-2023: the order is settled by a number over 12, else by `order`.
_NUMERIC = re.compile(r"(?P<a>[0-3]?\d)([/-])(?P<b>[0-3]?\d)\2(?P<year>\d{4})")
_MONTH_YEAR = re.compile(rf"{MONTH},?\s+{YEAR}", re.IGNORECASE)
_WEEKDAY_FIRST = re.compile(r"[^\W\d_]{2,12}\.?,?\s+(?=\d)")
_TIME_TAIL = re.compile(
    r"(?:\s*,\s*|\s+|T)(?:at\s+)?(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)"
    r"(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<zone>z|utc|gmt|[+-]\d\d:?\d\d)?\s*$",
    re.IGNORECASE,
)


def read_date(value: str, *, order: str | None = None) -> str | None:
    """A whole value such as '24 February 2023', '24.02.2023', '26-FEB-1987 15:01:01.79' or
    'Feb 2023' in ISO 8601 form (a day, a month, or a date and time); None when it is none.

    Numeric dates with slashes or dashes follow `order` (day-first or month-first) unless a
    number over 12 settles it; with no order, one that reads both ways is an AmbiguousDate.
    Dates with dots are day-first, as everywhere dots are used.
    """
    text = " ".join(value.split())
    time = _TIME_TAIL.search(text)
    if time:
        text = text[: time.start()]
    day = _read_day(text, value, order)
    if day is None and time is None:
        month = _MONTH_YEAR.fullmatch(text)
        number = MONTHS.get(month.group("month").lower()) if month else None
        return f"{month.group('year')}-{number:02d}" if month and number else None
    if day is None or time is None:
        return day.isoformat() if day else None
    return _with_time(day, time)


def _read_day(text: str, value: str, order: str | None) -> date | None:
    for candidate in dict.fromkeys((text, _WEEKDAY_FIRST.sub("", text, count=1))):
        for pattern in PATTERNS:
            match = pattern.fullmatch(candidate)
            if match is None:
                continue
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
            if month is not None:
                return _calendar_day(int(match.group("year")), month, int(match.group("day")))
        numeric = _NUMERIC.fullmatch(candidate)
        if numeric:
            return _numeric_day(numeric, value, order)
    return None


def _numeric_day(match: re.Match[str], value: str, order: str | None) -> date | None:
    first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
    if first > 12 or second > 12 or first == second:
        month_first = second > 12
    elif order in DATE_ORDERS:
        month_first = order == MONTH_FIRST
    else:
        raise AmbiguousDate(value.strip(), date(year, second, first), date(year, first, second))
    month, day = (first, second) if month_first else (second, first)
    return _calendar_day(year, month, day)


def _calendar_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_time(day: date, time: re.Match[str]) -> str | None:
    hour, minute = int(time.group("hour")), int(time.group("minute"))
    second = int(time.group("second") or 0)
    ampm = (time.group("ampm") or "").lower().replace(".", "")
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        moment = datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError:
        return None
    zone = (time.group("zone") or "").upper()
    if not zone:
        return moment.isoformat()
    if zone not in ("Z", "UTC", "GMT"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment.replace(tzinfo=timezone(sign * offset)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dateparser_day(text: str, *, order: str | None = None) -> str | None:
    """The day dateparser reads in a whole value ('yesterday', 'le 3 mars 2023'), or None; the
    day, the month and the year must all be there, none guessed."""
    import dateparser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"],
    }  # fmt: skip
    if order in DATE_ORDERS:
        settings["DATE_ORDER"] = "DMY" if order == DAY_FIRST else "MDY"
    try:
        moment = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input: no date then
        return None
    return moment.date().isoformat() if moment else None
