"""How a query is run on one library: the analyses its words go through, its plain words,
and its expansion by feedback. Used by the searcher; imported only when a query is run."""

from __future__ import annotations

import sqlite3

from clipper.search.analysis import Analyzer, analyzer
from clipper.search.compiler import Compiled, compile_query
from clipper.search.query import And, Condition, Node, Not, Text


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
    conn: sqlite3.Connection, query: Compiled, node: Node | None
) -> tuple[Compiled, Compiled]:
    """The query with the best terms of its first hits added (pseudo-relevance feedback),
    weighted to rank, and unweighted to count its matches."""
    from clipper.search import feedback, lookup
    from clipper.search.highlight import terms_of

    top = lookup.select(conn, query, sort="relevance", limit=feedback.DOCUMENTS)
    model = feedback.relevance_model(top)
    candidates = sorted(model, key=lambda term: -model[term])[: feedback.CANDIDATES]
    best = feedback.best_terms(model, _common(conn, candidates))
    phrases = len(terms_of(node)) if node else 1
    return (
        feedback.expanded(query, phrases, best),
        feedback.expanded(query, phrases, best, weighted=False),
    )


def _common(conn: sqlite3.Connection, terms: list[str]) -> set[str]:
    """The terms found in the text of more than half the clippings: FTS5's BM25 gives them no
    weight, so they would only add matches (and time) without changing the ranking."""
    if not terms:
        return set()
    total = int(conn.execute("SELECT count(*) FROM docs").fetchone()[0])
    marks = ", ".join("?" * len(terms))
    rows = conn.execute(
        f"SELECT term, doc FROM vocab WHERE term IN ({marks}) AND col = 'body'", terms
    )
    return {str(term) for term, documents in rows if 2 * int(documents) > total}
