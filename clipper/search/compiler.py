"""A parsed query as SQL: one FTS5 MATCH expression where possible, WHERE conditions for the rest.

User text never reaches FTS5 as syntax: every word is folded and written as a quoted FTS5
string (inner quotes doubled), so FTS5 only ever sees the operators this module writes.
Conditions refer to the `docs` table under the alias `d`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clipper.errors import UsageError
from clipper.search.analysis import Analyzer, analyzer
from clipper.search.folding import fold_term, is_cjk
from clipper.search.query import And, Condition, Node, Not, Or, Text
from clipper.search.rows import EXACT, RANKED

if TYPE_CHECKING:
    from clipper.selection import Filter

# The bm25 weight of each field (title, body, outlet, authors), for its ranked and its exact
# column alike: chosen by the grid search of benchmarks/search_quality.py on half of the
# Cranfield queries and checked on the other half (see BENCHMARKS.md).
WEIGHTS = (6.0, 1.0, 1.0, 1.0)
_FIELD = {"title": 0, "source": 2, "author": 3}
_ALL_RANKED = "{" + " ".join(RANKED) + "}"
_ALL_EXACT = "{" + " ".join(EXACT) + "}"


def bm25(weights: Sequence[float] | None = None) -> str:
    """The FTS5 rank expression with the field weights (WEIGHTS unless given)."""
    chosen = tuple(WEIGHTS if weights is None else weights)
    return f"bm25(fts, {', '.join(str(float(w)) for w in chosen + chosen)})"


@dataclass(slots=True)
class Compiled:
    """What a query asks of the index.

    `match` is the FTS5 expression the hits must match (None: no full-text condition),
    `where` an SQL condition on `d` with its `params`, and `rank` an FTS5 expression of the
    query's wanted words that orders hits by relevance when `match` cannot (a query such as
    `climate OR tag:weather`).
    """

    match: str | None = None
    where: str = ""
    params: list[object] = field(default_factory=list)
    rank: str | None = None


_PLAIN = (analyzer(None),)
# The analyses of one compilation, set by compile_query for its duration (a context variable
# rather than a parameter threaded through every recursive function of this module).
_ANALYZERS: ContextVar[tuple[Analyzer, ...]] = ContextVar("analyzers", default=_PLAIN)


def compile_query(node: Node | None, analyzers: Sequence[Analyzer] | None = None) -> Compiled:
    """The SQL for a query tree (None: everything), a plain word analysed in each language
    of `analyzers` (the library's; unstemmed when not given)."""
    token = _ANALYZERS.set(tuple(analyzers) if analyzers else _PLAIN)
    try:
        return _compile(node)
    finally:
        _ANALYZERS.reset(token)


def sql_for(node: Node, analyzers: Sequence[Analyzer] | None = None) -> tuple[str, list[object]]:
    """`sql` of the node, a plain word analysed in each language of `analyzers` as
    `compile_query` analyses it (a query judged part by part, see drafts.py)."""
    token = _ANALYZERS.set(tuple(analyzers) if analyzers else _PLAIN)
    try:
        return sql(node)
    finally:
        _ANALYZERS.reset(token)


def _compile(node: Node | None) -> Compiled:
    if node is None:
        return Compiled()
    node = _without_stopwords(node)
    whole = fts(node)
    if whole is not None:
        return Compiled(match=whole)
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not) and fts(c) is not None]
        if positive:
            negative = [c for c in node.children if isinstance(c, Not) and fts(c.child)]
            rest = [c for c in node.children if c not in positive and c not in negative]
            match = _and([_need(fts(c)) for c in positive], [_need(fts(c.child)) for c in negative])
            where, params = _all([sql(c) for c in rest])
            return Compiled(match=match, where=where, params=params)
    where, params = sql(node)
    wanted = [_need(fts(leaf)) for leaf in _positive_texts(node)]
    return Compiled(where=where, params=params, rank=" OR ".join(wanted) or None)


def _without_stopwords(node: Node) -> Node:
    """The query without its plain words that are stopwords in every language asked, where
    other words remain beside them: they would match nearly everything and only blur the
    ranking. Alone (`the`), in quotes or in a phrase, they still match, as exact words."""
    if not isinstance(node, And | Or):
        return node if not isinstance(node, Not) else Not(_without_stopwords(node.child))
    children = [_without_stopwords(child) for child in node.children]
    kept = [child for child in children if not _is_stopword(child)]
    if not kept:
        return node
    return kept[0] if len(kept) == 1 else type(node)(tuple(kept))


def _is_stopword(node: Node) -> bool:
    if not isinstance(node, Text) or node.exact or node.prefix:
        return False
    return all(a.stopwords and not a.terms(node.text) for a in _ANALYZERS.get())


def fts(node: Node) -> str | None:
    """The node as an FTS5 expression, or None when it needs SQL (metadata, a lone NOT)."""
    if isinstance(node, Text):
        return _phrase(node)
    if isinstance(node, Or):
        parts = [fts(child) for child in node.children]
        if any(part is None for part in parts):
            return None
        return " OR ".join(f"({part})" for part in parts)
    if isinstance(node, And):
        positive, negative = [], []
        for child in node.children:
            if isinstance(child, Not):
                inner = fts(child.child)
                if inner is None:
                    return None
                negative.append(inner)
            else:
                part = fts(child)
                if part is None:
                    return None
                positive.append(part)
        return _and(positive, negative) if positive else None
    return None


def sql(node: Node) -> tuple[str, list[object]]:
    """The node as an SQL condition on `d`, full-text parts as sub-queries of the FTS table."""
    text = fts(node)
    if text is not None:
        return "d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [text]
    if isinstance(node, Condition):
        return _condition(node)
    if isinstance(node, Not):
        # A condition on a missing value (no site, no language) is NULL: not a match, so
        # its negation must match.
        inner, params = sql(node.child)
        return f"NOT coalesce(({inner}), 0)", params
    if isinstance(node, And | Or):
        parts = [sql(child) for child in node.children]
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(f"({p})" for p, _ in parts), [v for _, ps in parts for v in ps]
    raise TypeError(f"not a query node: {node!r}")


def filter_nodes(where: Filter | None) -> list[Node]:
    """The conditions of `clip list`'s options (a library Filter) as query nodes."""
    if where is None:
        return []
    nodes: list[Node] = [Condition("tag", tag) for tag in where.tags]
    if where.source is not None:
        nodes.append(Condition("source_is", where.source.casefold()))
    if where.since or where.until:
        nodes.append(Condition("day", (where.since, where.until)))
    if where.language is not None:
        nodes.append(Condition("lang", where.language.lower()))
    if where.starred is not None:
        starred = Condition("is", "starred")
        nodes.append(starred if where.starred else Not(starred))
    return nodes


def with_filter(node: Node | None, where: Filter | None) -> Node | None:
    """A query and the list options, all of which must hold."""
    extra = filter_nodes(where)
    parts = ([node] if node is not None else []) + extra
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _phrase(node: Text) -> str:
    """A word as its stems in the ranked columns; a quoted word, a phrase, a prefix or CJK
    text (and a word that is a stopword in every language asked) as the exact words."""
    text = node.text.replace("\x00", " ")  # FTS5 stops at a NUL
    if not (node.exact or node.prefix or " " in text.strip() or any(map(is_cjk, text))):
        stems = dict.fromkeys(tuple(a.terms(text)) for a in _ANALYZERS.get())
        stems.pop((), None)
        if stems:
            columns = _ALL_RANKED if node.field is None else "{" + RANKED[_FIELD[node.field]] + "}"
            alternatives = [_quoted(" ".join(terms)) for terms in stems]
            if len(alternatives) == 1:
                return f"{columns} : {alternatives[0]}"
            return f"{columns} : ({' OR '.join(alternatives)})"
    folded, cjk_prefix = fold_term(text)
    quoted = _quoted(" ".join(folded.split()))
    if node.prefix or cjk_prefix:
        quoted += " *"
    columns = _ALL_EXACT if node.field is None else "{" + EXACT[_FIELD[node.field]] + "}"
    return f"{columns} : {quoted}"


def stem_phrase(term: str) -> str:
    """An analysed term (a stem, as the index holds it) as an FTS5 phrase of the ranked columns."""
    return f"{_ALL_RANKED} : {_quoted(term)}"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _and(positive: list[str], negative: list[str]) -> str:
    expression = " AND ".join(f"({part})" for part in positive)
    if negative:
        expression = f"({expression})" + "".join(f" NOT ({part})" for part in negative)
    return expression


def _all(parts: list[tuple[str, list[object]]]) -> tuple[str, list[object]]:
    return " AND ".join(f"({p})" for p, _ in parts), [v for _, ps in parts for v in ps]


def _need(expression: str | None) -> str:
    if expression is None:  # callers only pass nodes they checked
        raise ValueError("expected a full-text node")
    return expression


def _positive_texts(node: Node) -> list[Text]:
    if isinstance(node, Text):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in _positive_texts(child)]
    return []


def _condition(node: Condition) -> tuple[str, list[object]]:
    kind, value = node.kind, node.value
    if kind == "day":
        # A clipping dated only by a year or a month matches when that period overlaps.
        first, last = value if isinstance(value, tuple) else (None, None)
        parts = [("d.day_end >= ?", first), ("d.day <= ?", last)]
        kept = [(text, day) for text, day in parts if day is not None]
        return " AND ".join(t for t, _ in kept) or "1", [d for _, d in kept]
    if kind == "captured":
        first, last = value if isinstance(value, tuple) else (None, None)
        parts = [("d.captured >= ?", first), ("d.captured <= ?", last)]
        kept = [(text, day) for text, day in parts if day is not None]
        return " AND ".join(t for t, _ in kept) or "1", [d for _, d in kept]
    if not isinstance(value, str):
        raise TypeError(f"{kind} takes a text value")
    if kind == "tag":
        if node.prefix:
            return "d.id IN (SELECT id FROM tags WHERE tag >= ? AND tag < ?)", [
                value, _after_prefix(value),
            ]  # fmt: skip
        return "d.id IN (SELECT id FROM tags WHERE tag = ? OR (tag > ? AND tag < ?))", [
            value, value + "/", value + "0",  # '0' sorts right after '/': the subtree
        ]  # fmt: skip
    if kind == "site":
        return "(d.site = ? OR substr(d.site, -?) = ?)", [value, len(value) + 1, "." + value]
    if kind == "url":
        return "instr(d.url, ?) > 0", [value]
    if kind == "lang":
        return "(d.lang = ? OR substr(d.lang, 1, ?) = ?)", [value, len(value) + 1, value + "-"]
    if kind == "source_is":
        return "(d.source_key = ? OR d.site = ?)", [value, value]
    if kind == "by":
        raise UsageError(
            "by: asks who added a clipping, which only a team library records "
            "(--library postgresql://...); a library folder is all yours."
        )
    if kind == "is":
        return "d.starred = 1", []
    if kind == "has":
        return {
            "note": "d.has_note = 1",
            "author": "d.has_author = 1",
            "url": "d.url IS NOT NULL",
            "tags": "EXISTS (SELECT 1 FROM tags t WHERE t.id = d.id)",
            # Linked near duplicates still in the library (a trashed one keeps its link).
            "duplicates": "EXISTS (SELECT 1 FROM json_each(d.near) j "
            "JOIN docs o ON o.id = j.value)",
        }[value], []
    raise ValueError(f"unknown condition {kind!r}")


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return prefix + "\U0010ffff"
    return prefix[:-1] + chr(last + 1)
