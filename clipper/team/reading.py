"""Reading a team library: clippings selected, ranked and counted by PostgreSQL, as the local
index answers them (the same sorts, totals and statistics)."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

from clipper.errors import UsageError
from clipper.team import counting
from clipper.team.compiler import RANK_WEIGHTS, Compiled
from clipper.team.counting import Total
from clipper.team.rows import load

if TYPE_CHECKING:
    import psycopg

    from clipper.model import Clipping
    from clipper.search.lookup import Found
    from clipper.search.stats import Overview, Stats

    Conn = psycopg.Connection[Any]

_ORDER = {"newest": "c.day DESC, c.id DESC", "oldest": "c.day ASC, c.id ASC", "added": "c.id DESC"}
RELATED_TERMS = 25


def configs(conn: Conn) -> list[str]:
    """The text search configurations the library's clippings use (a loose index scan: one
    index probe per configuration, not a pass over the table)."""
    rows = conn.execute(
        "WITH RECURSIVE k(c) AS ((SELECT config FROM clippings ORDER BY config LIMIT 1) "
        "UNION ALL SELECT (SELECT config FROM clippings WHERE config > k.c ORDER BY config "
        "LIMIT 1) FROM k WHERE k.c IS NOT NULL) SELECT c::text FROM k WHERE c IS NOT NULL"
    ).fetchall()
    return [str(row[0]) for row in rows]


def select(conn: Conn, compiled: Compiled, *, sort: str, limit: int | None,
           offset: int = 0) -> list[Found]:  # fmt: skip
    """The clippings a compiled query selects, in the order asked (relevance: best first)."""
    return page(conn, compiled, sort=sort, limit=limit, offset=offset, counted=False)[0]


def page(conn: Conn, compiled: Compiled, *, sort: str, limit: int | None, offset: int = 0,
         counted: bool = True,
         exact_count: int = counting.EXACT_COUNT) -> tuple[list[Found], Total]:  # fmt: skip
    """One page of what a compiled query selects, and how many it selects in all (with
    `counted`; else the page's end): counted, or estimated above `exact_count` matches
    (counting.py).

    The query orders ids and scores only; the records (the whole clipping, text and all) are
    read for the page shown alone. Ranked, every match is scored anyway, so the total comes
    from the same pass (a window count) unless the RUM index can shortlist the best (see
    `_shortlisted`); in date order the page is read from the index and the total is counted
    apart, when the page is full."""
    from clipper.search.lookup import Found  # the local index's, loaded with it: not at import

    if sort not in (*_ORDER, "relevance"):
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(_ORDER)}, relevance.")
    ranked = sort == "relevance" and compiled.rank is not None
    found = _shortlisted(conn, compiled, limit, offset) if ranked else None
    if found is not None:
        records = records_of(conn, [i for i, _ in found])
        items = [Found(records[i], s) for i, s in found]
        if not counted:
            return items, Total(offset + len(items))
        return items, counting.at_least(counting.total(conn, compiled, exact_count),
                                        max(offset, 0) + len(items))  # fmt: skip
    score = compiled.rank if ranked else "NULL::real"
    order = "score DESC, c.day DESC, c.id DESC" if ranked else _ORDER.get(sort, _ORDER["newest"])
    params: list[object] = [*(compiled.rank_params if ranked else []), *compiled.params]
    window = ", count(*) OVER ()" if ranked and counted else ", NULL::bigint"
    rows = conn.execute(
        f"SELECT c.id, {score} AS score{window} FROM clippings c "
        f"WHERE NOT c.trashed AND ({compiled.where}) ORDER BY {order} LIMIT %s OFFSET %s",
        [*params, limit, max(offset, 0)],
    ).fetchall()
    records = records_of(conn, [int(i) for i, _, _ in rows])
    items = [Found(records[int(i)], None if s is None else float(s)) for i, s, _ in rows]
    if not counted:
        return items, Total(offset + len(items))
    if rows and rows[0][2] is not None:
        return items, Total(int(rows[0][2]))
    full = (limit is not None and len(items) >= limit) or (offset > 0 and not items)
    if not full:
        return items, Total(max(offset, 0) + len(items))
    return items, counting.at_least(counting.total(conn, compiled, exact_count),
                                    max(offset, 0) + len(items))  # fmt: skip


# How many clippings the RUM index hands over, best first by its own cover density, for the
# exact rank (ts_rank_cd with clip's weights, as without the index) to order: the page comes
# from them. Four times the page's end, at least SHORTLIST.
SHORTLIST = 200
RANK_INDEX = "clippings_rank"


def rank_index(conn: Conn) -> bool:
    """Whether the library has the RUM index (the server had the rum extension)."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [RANK_INDEX]).fetchone()
    return bool(row and row[0])


def _shortlisted(conn: Conn, compiled: Compiled, limit: int | None,
                 offset: int) -> list[tuple[int, float]] | None:  # fmt: skip
    """The page of a ranked query, scoring the shortlist alone; None where the shortlist
    cannot stand for every match: no RUM index, no shortlist query, no limit, fewer matches
    expected than a shortlist holds (ranking them all in one pass, counted with it, costs as
    little), or fewer shortlisted than that (a word a configuration drops).

    The planner's estimate of the matches only chooses the way."""
    if compiled.shortlist is None or limit is None or compiled.rank is None:
        return None
    size = max(SHORTLIST, 4 * (max(offset, 0) + limit))
    if not rank_index(conn) or counting.planned_rows(conn, compiled) <= size:
        return None
    query, query_params = compiled.shortlist
    # PostgreSQL misjudges how many clippings a phrase matches (9 estimated, 7,035 found at
    # 100,000) and would rather score them all from the table, sorted: the index's own order
    # is the point, and the only plan left without bitmap scans and sorts of the matches.
    conn.execute("SET LOCAL enable_bitmapscan = off")
    conn.execute("SET LOCAL enable_seqscan = off")
    rows = conn.execute(
        "WITH short AS MATERIALIZED (SELECT c.id FROM clippings c WHERE NOT c.trashed "
        f"AND c.tsv @@ {query} AND ({compiled.where}) ORDER BY c.tsv <=> {query} LIMIT %s) "
        f"SELECT c.id, {compiled.rank} AS score FROM clippings c JOIN short USING (id) "
        "ORDER BY score DESC, c.day DESC, c.id DESC",
        [*query_params, *compiled.params, *query_params, size, *compiled.rank_params],
    ).fetchall()
    conn.execute("RESET enable_bitmapscan")  # not in a `finally`: see writing._band_lookup
    conn.execute("RESET enable_seqscan")
    if len(rows) < size:
        return None
    return [(int(i), float(s)) for i, s in rows[max(offset, 0):max(offset, 0) + limit]]


def records_of(conn: Conn, ids: list[int]) -> dict[int, Clipping]:
    """The clippings of these ids, by id (one lookup by primary key)."""
    if not ids:
        return {}
    return {int(i): load(r) for i, r in conn.execute(
        "SELECT id, record FROM clippings WHERE id = ANY(%s)", [ids]).fetchall()}  # fmt: skip


def count(conn: Conn, compiled: Compiled) -> int:
    row = conn.execute(
        f"SELECT count(*) FROM clippings c WHERE NOT c.trashed AND ({compiled.where})",
        compiled.params,
    ).fetchone()
    return int(row[0]) if row else 0


def tag_counts(conn: Conn, compiled: Compiled | None = None,
               top: int | None = None) -> list[tuple[str, int]]:  # fmt: skip
    chosen = compiled or Compiled()
    rows = conn.execute(
        "SELECT t, count(*) AS n FROM clippings c, unnest(c.tags) t "
        f"WHERE NOT c.trashed AND ({chosen.where}) GROUP BY t ORDER BY n DESC, t LIMIT %s",
        [*chosen.params, top],
    ).fetchall()
    return [(str(tag), int(n)) for tag, n in rows]


def stats(conn: Conn, compiled: Compiled, *, top: int = 10) -> Stats:
    """Counts per month, year, outlet, tag, author and language of what a query selects."""
    from clipper.search.stats import Stats

    where = f"NOT c.trashed AND ({compiled.where})"
    params = compiled.params
    row = conn.execute(
        f"SELECT count(*), count(*) FILTER (WHERE c.starred), min(c.day), max(c.day) "
        f"FROM clippings c WHERE {where}",
        params,
    ).fetchone()
    assert row is not None
    result = Stats(clippings=int(row[0]), starred=int(row[1]), first=row[2], last=row[3])
    if not result.clippings:
        return Stats()
    months: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for period, n in conn.execute(
        f"SELECT left(c.day, 7), count(*) FROM clippings c WHERE {where} GROUP BY 1", params
    ).fetchall():
        text = str(period or "")
        if text[:4].isdigit():
            years[text[:4]] += int(n)
            if len(text) == 7 and text[5:7].isdigit() and "01" <= text[5:7] <= "12":
                months[text] += int(n)
    result.months = _every_month(months)
    span = range(int(min(years)), int(max(years)) + 1) if years else range(0)
    result.years = [(str(y), years.get(str(y), 0)) for y in span]
    result.year_only = sum(years.values()) - sum(months.values())
    result.tags = tag_counts(conn, compiled, top)
    result.languages = _counted(conn, "c.lang", where, params, top)
    result.sources = _counted(
        conn, "coalesce(c.record->>'source', c.site)", where, params, top, key="lower"
    )
    result.authors = [
        (str(a), int(n)) for a, n in conn.execute(
            "SELECT a, count(*) AS n FROM clippings c, json_array_elements_text("
            f"c.record->'authors') a WHERE {where} GROUP BY a ORDER BY n DESC, a LIMIT %s",
            [*params, top],
        ).fetchall()
    ]  # fmt: skip
    return result


def _counted(conn: Conn, column: str, where: str, params: list[object], top: int,
             key: str = "") -> list[tuple[str, int]]:  # fmt: skip
    """The most common values of a column; with key="lower", counted with case aside and
    shown as first written."""
    grouped = f"{key}({column})" if key else column
    rows = conn.execute(
        f"SELECT min({column}), count(*) AS n FROM clippings c WHERE {where} "
        f"AND {column} IS NOT NULL AND {column} <> '' GROUP BY {grouped} "
        "ORDER BY n DESC, 1 LIMIT %s",
        [*params, top],
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]


def _every_month(counts: Counter[str]) -> list[tuple[str, int]]:
    if not counts:
        return []
    year, month = map(int, min(counts).split("-"))
    last, months = max(counts), []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def overview(conn: Conn, *, newest: int, top_tags: int) -> Overview:
    from clipper.search.stats import Overview

    found = select(conn, Compiled(), sort="newest", limit=newest)
    return Overview(count(conn, Compiled()), [f.clipping for f in found],
                    tag_counts(conn, top=top_tags))  # fmt: skip


def related(conn: Conn, clipping_id: int, limit: int | None,
            floor: float) -> tuple[list[tuple[float, Found]], int]:  # fmt: skip
    """(share of its own score, clipping) of the clippings sharing this one's most distinctive
    stems (tf-idf: frequent here, rare elsewhere), best first; and how many clippings score
    at least `floor` of its own score in all."""
    lexemes = conn.execute(
        "SELECT lexeme, cardinality(positions) FROM clippings c, unnest(c.tsv) "
        "WHERE c.id = %s ORDER BY 2 DESC, 1 LIMIT 300",
        [clipping_id],
    ).fetchall()
    words = [(str(w), int(n)) for w, n in lexemes if len(w) >= 3 and not str(w).isdigit()]
    if not words:
        return [], 0
    total = count(conn, Compiled())
    frequency = dict(conn.execute(
        "SELECT w, (SELECT count(*) FROM clippings c WHERE NOT c.trashed "
        "AND c.tsv @@ quote_literal(w)::tsquery) FROM unnest(%s::text[]) w",
        [[w for w, _ in words]],
    ).fetchall())  # fmt: skip
    weighed = []
    for word, n in words:
        documents = int(frequency.get(word, 0))
        if 2 <= documents < total:
            idf = math.log(1 + (total - documents + 0.5) / (documents + 0.5))
            weighed.append((n * idf, word))
    chosen = [w for _, w in sorted(weighed, reverse=True)[:RELATED_TERMS]]
    if not chosen:
        return [], 0
    query = " | ".join(lexeme(w) for w in chosen)
    rank = f"ts_rank_cd('{RANK_WEIGHTS}', c.tsv, %s::tsquery)"
    fetch = None if limit is None else limit + 1  # the clipping itself is among them
    rows = conn.execute(
        f"SELECT c.id, c.record, {rank} AS score FROM clippings c WHERE NOT c.trashed "
        "AND c.tsv @@ %s::tsquery ORDER BY score DESC, c.id DESC LIMIT %s",
        [query, query, fetch],
    ).fetchall()
    own = next((float(s) for i, _, s in rows if i == clipping_id), None)
    own = own or max((float(s) for _, _, s in rows), default=0.0) or 1.0
    from clipper.search.lookup import Found

    shares = [(float(s) / own, Found(load(r), float(s))) for i, r, s in rows if i != clipping_id]
    total = sum(1 for share, _ in shares if share >= floor)
    if fetch is not None and len(rows) == fetch and shares and shares[-1][0] >= floor:
        found = conn.execute(  # more may follow the page: counted in SQL, no record read
            f"SELECT count(*) FROM clippings c WHERE NOT c.trashed AND c.id <> %s "
            f"AND c.tsv @@ %s::tsquery AND {rank} >= %s",
            [clipping_id, query, query, own * floor],
        ).fetchone()
        total = int(found[0]) if found else total
    return shares, total


def lexeme(word: str) -> str:
    """A lexeme as a tsquery operand, quoted so that none of its characters is an operator."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
