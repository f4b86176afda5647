"""How a query is run on one library: the analyses its words go through, its plain words,
and its expansion by feedback. Used by the searcher; imported only when a query is run."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from clipper.search.analysis import Analyzer, analyzer
from clipper.search.compiler import Compiled, compile_query
from clipper.search.query import And, Condition, Node, Not, Text

if TYPE_CHECKING:
    from clipper.search.lookup import Found


def plain_words(node: Node | None) -> tuple[Node, ...] | None:
    """The words of a query of two or more plain words or phrases with no operator, else None."""
    if isinstance(node, And) and all(isinstance(child, Text) for child in node.children):
        return node.children
    return None


def not_all(words: tuple[Node, ...]) -> Node:
    return Not(And(words))


def analyzers_for(conn: sqlite3.Connection, node: Node | None) -> list[Analyzer]:
    """The analyses a query's words go through: the language a top-level `lang:` asks for,
    else every language of the library (a language without a stemmer keeps words whole)."""
    children = node.children if isinstance(node, And) else (node,)
    asked = [c.value for c in children if isinstance(c, Condition) and c.kind == "lang"]
    if asked and isinstance(asked[0], str):
        return [analyzer(asked[0])]
    languages = [row[0] or None for row in conn.execute("SELECT lang FROM langs")]
    chosen = {analyzer(language).key: analyzer(language) for language in languages}
    return list(chosen.values())


def compile_for(node: Node | None, analyzers: list[Analyzer]) -> Compiled:
    return compile_query(node, analyzers)


def expanded(
    conn: sqlite3.Connection, query: Compiled, node: Node | None,
    whole: Callable[[list[Found]], list[Found]],
) -> tuple[Compiled, Compiled]:  # fmt: skip
    """The query with the best terms of its first hits added (pseudo-relevance feedback),
    weighted to rank, and unweighted to count its matches. `whole`: the hits with their
    texts (the index keeps cards), read from the store."""
    from clipper.search import feedback, lookup
    from clipper.search.highlight import terms_of

    top = whole(lookup.select(conn, query, sort="relevance", limit=feedback.DOCUMENTS))
    total = int(conn.execute("SELECT count(*) FROM docs").fetchone()[0])
    best = feedback.best_terms(
        feedback.relevance_model(top), lambda term: _documents(conn, term) > feedback.COMMON * total
    )
    phrases = len(terms_of(node)) if node else 1
    return (
        feedback.expanded(query, phrases, best),
        feedback.expanded(query, phrases, best, weighted=False),
    )


def _documents(conn: sqlite3.Connection, term: str) -> int:
    """How many clippings have the term in their text. A feedback term found in more than
    half of them (feedback.COMMON) is left out: FTS5's BM25 gives it no weight, so it would
    only add matches, and time. (A lower share would also drop the words a small library's
    clippings share, which are what feedback is for.)"""
    row = conn.execute("SELECT doc FROM vocab WHERE term = ? AND col = 'body'", [term]).fetchone()
    return int(row[0]) if row else 0
