"""Statistics of a selection of clippings, counted by the index: `clip stats` and the dashboard.

Everything is counted in SQL on the index's columns (day, outlet, site, language, the tags
table), so that a library of 100,000 clippings is summed up without reading clippings.json.
Only authors, which the index keeps only inside the record, are read from the JSON records
(those of clippings that have authors), by SQLite's own JSON functions.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clipper.search.compiler import Compiled
from clipper.search.rows import CARD_SQL, card_record

if TYPE_CHECKING:
    from clipper.model import Clipping


# The day of a clipping as the index keeps it, when it starts with a year (else NULL).
_DATED = "CASE WHEN d.day GLOB '[0-9][0-9][0-9][0-9]*' THEN d.day END"
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@dataclass(slots=True)
class Stats:
    """Counts for a selection of clippings; each list is (name, count), most frequent first,
    except `months` and `years`, which run in order and include the empty ones."""

    clippings: int = 0
    starred: int = 0
    year_only: int = 0  # dated by a year alone: in `years`, not in `months`
    first: str | None = None  # the earliest date (YYYY, YYYY-MM or YYYY-MM-DD)
    last: str | None = None
    months: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)
    authors: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """As `clip stats --json` prints it."""

        def counted(key: str, pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
            return [{key: name, "count": count} for name, count in pairs]

        return {
            "clippings": self.clippings,
            "starred": self.starred,
            "year_only": self.year_only,
            "first": self.first,
            "last": self.last,
            "months": counted("month", self.months),
            "years": counted("year", self.years),
            "sources": counted("source", self.sources),
            "tags": counted("tag", self.tags),
            "authors": counted("author", self.authors),
            "languages": counted("language", self.languages),
        }


def compute(conn: sqlite3.Connection, compiled: Compiled, *, top: int = 10) -> Stats:
    """The statistics of the clippings a compiled query selects; `top` names per list."""
    chosen, params = _selection(compiled)
    row = conn.execute(
        f"SELECT count(*), min({_DATED}), max({_DATED}) FROM docs d WHERE {chosen}", params
    ).fetchone()
    stats = Stats(clippings=int(row[0]), first=row[1], last=row[2])
    if stats.clippings == 0:
        return stats
    stats.months, stats.years = _periods(conn, chosen, params)
    stats.year_only = sum(n for _, n in stats.years) - sum(n for _, n in stats.months)
    stats.tags = tag_counts(conn, compiled, top=top)
    # One pass over the rows for the three columns that no index covers.
    languages: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    for language, outlet, starred, n in conn.execute(
        "SELECT coalesce(d.lang, ''), coalesce(d.source_key, d.site, ''), d.starred, count(*) "
        f"FROM docs d WHERE {chosen} GROUP BY 1, 2, 3",
        params,
    ):
        languages[language] += n
        outlets[outlet] += n
        stats.starred += n if starred else 0
    stats.languages = _most_common(languages, top)
    stats.sources = _named_sources(conn, _most_common(outlets, top))
    stats.authors = [
        (str(name), int(n))
        for name, n in conn.execute(
            "SELECT a.value AS k, count(*) AS n FROM docs d, "
            "json_each(d.authors) a "
            f"WHERE d.has_author AND a.type = 'text' AND ({chosen}) "
            "GROUP BY k ORDER BY n DESC, k LIMIT ?",
            [*params, _limit(top)],
        )
    ]
    return stats


def count(conn: sqlite3.Connection) -> int:
    """How many clippings the index holds."""
    return int(conn.execute("SELECT count(*) FROM docs").fetchone()[0])


def tag_counts(
    conn: sqlite3.Connection, compiled: Compiled | None = None, *, top: int | None = None
) -> list[tuple[str, int]]:
    """Tags with the number of selected clippings carrying each, most used first."""
    sql = "SELECT t.tag, count(*) AS n FROM tags t"
    params: list[object] = []
    if compiled is not None and (compiled.match is not None or compiled.where):
        chosen, params = _selection(compiled)
        sql += f" WHERE t.id IN (SELECT d.id FROM docs d WHERE {chosen})"
    sql += " GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?"
    return [(str(tag), int(n)) for tag, n in conn.execute(sql, [*params, _limit(top)])]


def _selection(compiled: Compiled) -> tuple[str, list[object]]:
    """An SQL condition on `docs d` selecting what the query matches, with its parameters."""
    parts: list[str] = []
    params: list[object] = []
    if compiled.match is not None:
        parts.append("d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(compiled.match)
    if compiled.where:
        parts.append(f"({compiled.where})")
        params.extend(compiled.params)
    return " AND ".join(parts) or "1", params


def _limit(top: int | None) -> int:
    return -1 if top is None else max(top, 0)


def _most_common(counts: Counter[str], top: int) -> list[tuple[str, int]]:
    ordered = sorted(((k, n) for k, n in counts.items() if k), key=lambda kn: (-kn[1], kn[0]))
    return ordered[: max(top, 0)]


def _named_sources(conn: sqlite3.Connection, keys: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Outlets counted by name (case aside), else by site; each shown as it was written."""
    named = []
    for key, n in keys:
        row = conn.execute(
            f"SELECT {CARD_SQL.format(d='')} FROM docs WHERE source_key = ? LIMIT 1", [key]
        ).fetchone()
        source = card_record(*row).get("source") if row else None
        named.append((str(source) if source else key, n))
    return named



def _periods(
    conn: sqlite3.Connection, chosen: str, params: list[object]
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Clippings per month and per year, every one from the first to the last. A date of a
    year alone counts in its year only: its month is unknown."""
    months: dict[str, int] = {}
    years: dict[str, int] = {}
    for found, n in conn.execute(
        f"SELECT substr(d.day, 1, 7) AS m, count(*) FROM docs d WHERE {chosen} GROUP BY m",
        params,
    ):
        # A date edited by hand into anything else ('notadate') is counted in no period: the
        # loops below run between real months and years only, so they always end.
        period = str(found or "")
        if not _YEAR.fullmatch(period[:4]):
            continue
        years[period[:4]] = years.get(period[:4], 0) + int(n)
        if _MONTH.fullmatch(period):
            months[period] = months.get(period, 0) + int(n)
    return _every_month(months), [
        (str(year), years.get(str(year), 0))
        for year in range(int(min(years)), int(max(years)) + 1)
    ] if years else []


def _every_month(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every month from the first to the last of `counts`, whose keys are all YYYY-MM."""
    if not counts:
        return []
    year, month = map(int, min(counts).split("-"))
    last = max(counts)
    months = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(slots=True)
class Overview:
    """What `clip` alone shows: how many clippings, the newest, the most used tags."""

    clippings: int = 0
    newest: list[Clipping] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)


def overview(conn: sqlite3.Connection, *, newest: int, top_tags: int) -> Overview:
    """Three small queries on indexed columns: fast at any size."""
    from clipper.search.lookup import select

    found = select(conn, Compiled(), sort="newest", limit=newest)
    return Overview(count(conn), [item.clipping for item in found], tag_counts(conn, top=top_tags))
