"""Reading the index: ranked search, filtered lists, clippings by id, and related clippings."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipper.errors import UsageError
from clipper.model import Clipping
from clipper.search.analysis import analyzer
from clipper.search.folding import is_cjk
from clipper.search.rows import CARD_SQL, card_record

if TYPE_CHECKING:
    # The query compiler (and its parser) is loaded by what compiles a query: an add that
    # reads the cards of its near duplicates by id (`fetch`) does not load it.
    from clipper.search.compiler import Compiled

_ORDER = {
    "newest": "d.day DESC, d.id DESC",
    "oldest": "d.day ASC, d.id ASC",
    "added": "d.id DESC",
}
_CARD = CARD_SQL.format(d="d.")
TITLE_REPEAT = 3  # a title word counts as this many text words when choosing related terms
RELATED_TERMS = 25


@dataclass(slots=True)
class Found:
    """A clipping from the index (its card: no text), with its relevance when the query
    ranked it (higher: better)."""

    clipping: Clipping
    score: float | None = None


def select(
    conn: sqlite3.Connection,
    compiled: Compiled,
    *,
    sort: str = "newest",
    limit: int | None = None,
    offset: int = 0,
) -> list[Found]:
    """Clippings matching a compiled query, in the order asked."""
    if sort not in (*_ORDER, "relevance"):
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(_ORDER)}, relevance.")
    if compiled.match is not None and not compiled.where and sort == "relevance":
        return _best(conn, compiled.match, limit, offset)
    from clipper.search.compiler import bm25

    params: list[object] = []
    rank = bm25()
    if compiled.match is not None:
        sql = (
            f"SELECT {_CARD}, {rank} AS score FROM fts JOIN docs d ON d.id = fts.rowid "
            "WHERE fts MATCH ?"
        )
        params.append(compiled.match)
    elif compiled.rank is not None and sort == "relevance":
        sql = (
            f"SELECT {_CARD}, r.score AS score FROM docs d LEFT JOIN "
            f"(SELECT rowid, {rank} AS score FROM fts WHERE fts MATCH ?) r ON r.rowid = d.id "
            "WHERE 1"
        )
        params.append(compiled.rank)
    else:
        sql = f"SELECT {_CARD}, NULL AS score FROM docs d WHERE 1"
    if compiled.where:
        sql += f" AND ({compiled.where})"
        params.extend(compiled.params)
    ranked = sort == "relevance" and (compiled.match is not None or compiled.rank is not None)
    order = "score IS NULL, score, d.day DESC, d.id DESC" if ranked else _ORDER.get(sort)
    sql += f" ORDER BY {order or _ORDER['newest']} LIMIT ? OFFSET ?"
    params += [-1 if limit is None else max(limit, 0), max(offset, 0)]
    return [
        Found(_clipping(*columns), None if score is None else -score)
        for *columns, score in conn.execute(sql, params)
    ]


def _best(conn: sqlite3.Connection, match: str, limit: int | None, offset: int) -> list[Found]:
    """The best matches of a full-text query with no other condition: ranked in the FTS
    table alone, then only the page's records read (joining every match to its record before
    sorting costs half the time of a search with many matches). Equal scores: newest id first.
    """
    from clipper.search.compiler import bm25

    rows = conn.execute(
        f"SELECT {_CARD}, r.score FROM (SELECT rowid AS id, {bm25()} AS score FROM fts "
        "WHERE fts MATCH ? ORDER BY score, rowid DESC LIMIT ? OFFSET ?) r "
        "JOIN docs d ON d.id = r.id ORDER BY r.score, r.id DESC",
        [match, -1 if limit is None else max(limit, 0), max(offset, 0)],
    )
    return [Found(_clipping(*columns), -score) for *columns, score in rows]


def count(conn: sqlite3.Connection, compiled: Compiled) -> int:
    """How many clippings a compiled query matches."""
    if compiled.match is not None and not compiled.where:
        row = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [compiled.match])
    elif compiled.match is not None:
        row = conn.execute(
            "SELECT count(*) FROM fts JOIN docs d ON d.id = fts.rowid "
            f"WHERE fts MATCH ? AND ({compiled.where})",
            [compiled.match, *compiled.params],
        )
    else:
        where = compiled.where or "1"
        row = conn.execute(f"SELECT count(*) FROM docs d WHERE {where}", compiled.params)
    return int(row.fetchone()[0])


def fetch(conn: sqlite3.Connection, ids: list[int]) -> dict[int, Clipping]:
    """The indexed clippings among `ids`, by id."""
    found: dict[int, Clipping] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for record_id, *columns in conn.execute(
            f"SELECT id, {CARD_SQL.format(d='')} FROM docs WHERE id IN ({marks})", chunk
        ):
            found[record_id] = _clipping(*columns)
    return found


def related_words(conn: sqlite3.Connection, clipping: Clipping) -> list[str]:
    """The terms (stems, as the index ranks them) that set this clipping apart from the rest
    of the library, best first.

    Terms are weighed by tf-idf: frequent here, rare elsewhere; terms only this clipping has
    cannot find another one and are left out.
    """
    terms = analyzer(clipping.language).terms
    counts: Counter[str] = Counter()
    for word in terms(clipping.title):
        counts[word] += TITLE_REPEAT
    counts.update(terms(clipping.text))
    candidates = [
        word for word, _ in counts.most_common()
        if not word.isdigit() and (len(word) >= 3 or any(is_cjk(c) for c in word))
    ][:300]  # fmt: skip
    if not candidates:
        return []
    total = int(conn.execute("SELECT count(*) FROM docs").fetchone()[0])
    marks = ", ".join("?" * len(candidates))
    frequency = dict(
        conn.execute(
            f"SELECT term, doc FROM vocab WHERE term IN ({marks}) AND col = 'body'", candidates
        )
    )
    weights: dict[str, float] = {}
    for word in candidates:
        documents = int(frequency.get(word, 0))
        if documents < 2 or documents >= total:  # only here, or everywhere: finds nothing
            continue
        idf = math.log(1 + (total - documents + 0.5) / (documents + 0.5))
        weights[word] = (1 + math.log(counts[word])) * idf
    return sorted(weights, key=lambda w: (-weights[w], w))[:RELATED_TERMS]


def _clipping(blob: bytes, authors: str | None, near: str | None) -> Clipping:
    """A clipping from its card: everything but the text (and what goes with it)."""
    return Clipping.from_dict({**card_record(blob, authors, near), "text": ""})
