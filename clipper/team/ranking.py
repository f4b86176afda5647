"""Search and related clippings on a team library: ranked by ts_rank_cd, with snippets and
titles marked by clip's own highlighter, as the local searcher returns them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clipper.errors import UsageError
from clipper.search.lookup import Found
from clipper.search.searcher import RELATED_MIN, SEARCH_SORTS, WORD_MODES, Hit, SearchResults
from clipper.team import counting, reading
from clipper.team.compiler import RANK_WEIGHTS, Compiled

if TYPE_CHECKING:
    import psycopg

    from clipper.search.highlight import Term
    from clipper.search.query import Node
    from clipper.team.library import TeamLibrary

    Conn = psycopg.Connection[Any]


def search(library: TeamLibrary, conn: Conn, *, query: str, sort: str, limit: int | None,
           offset: int, words: str, expand: bool = False,
           exact_count: int = counting.EXACT_COUNT) -> SearchResults:  # fmt: skip
    """One page of hits: every plain word matching, then (`words="fill"`) the best clippings
    with only some of them; `"any"`: any of the words, ranked as one list. `expand` adds the
    best terms of the first hits (pseudo-relevance feedback, as locally). The total is
    estimated above `exact_count` matches (counting.py)."""
    from clipper.search import plan
    from clipper.search.highlight import terms_of
    from clipper.search.query import And, Or

    if sort not in SEARCH_SORTS:
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(SEARCH_SORTS)}.")
    if words not in WORD_MODES:
        raise UsageError(f"unknown word mode {words!r}: use one of {', '.join(WORD_MODES)}.")
    node = library._node(query)
    plain = plan.plain_words(node)
    if plain is not None and words == "any":
        node = Or(plain)
    compiled = library._compiled(conn, node)
    if expand and sort == "relevance" and _only_words(node):
        compiled = _expanded(conn, compiled)
    found, total = reading.page(conn, compiled, sort=sort, limit=limit, offset=offset,
                                exact_count=exact_count)  # fmt: skip
    partial: list[Found] = []
    short = limit is None or len(found) < limit
    if plain is not None and words == "fill" and short and not expand:
        rest = library._compiled(conn, And((Or(plain), plan.not_all(plain))))
        partial = reading.select(conn, rest, sort=sort, offset=max(offset - total.value, 0),
                                 limit=None if limit is None else limit - len(found))  # fmt: skip
    terms = terms_of(node if plain is None else Or(plain))
    hits = [hit(item, terms) for item in found]
    hits += [hit(item, terms, partial=True) for item in partial]
    return SearchResults(hits, total.value, total.estimate)


def related(conn: Conn, clipping_id: int, limit: int | None) -> SearchResults:
    """The clippings most like this one, scored as a share of its own score (capped at 1)."""
    from clipper.search.highlight import Term

    shares, total = reading.related(conn, clipping_id, limit, RELATED_MIN)
    alike = [(share, item) for share, item in shares if share >= RELATED_MIN]
    words = conn.execute(
        "SELECT lexeme FROM clippings c, unnest(c.tsv) WHERE c.id = %s "
        "ORDER BY cardinality(positions) DESC LIMIT 25",
        [clipping_id],
    ).fetchall()
    terms = [Term(str(w[0]), prefix=True) for w in words]
    hits = [hit(Found(item.clipping, round(min(share, 1.0), 4)), terms) for share, item in alike]
    return SearchResults(hits if limit is None else hits[:limit], total)


def hit(item: Found, terms: list[Term], *, partial: bool = False) -> Hit:
    from clipper.search.highlight import mark, snippet, with_forms

    clipping = item.clipping
    terms = with_forms(terms, clipping.title, clipping.text, clipping.language)
    return Hit(clipping, item.score, snippet(clipping.text, terms), mark(clipping.title, terms),
               partial)  # fmt: skip


def _only_words(node: Node | None) -> bool:
    """Whether a query is words and phrases alone (AND, OR): feedback terms may widen it
    without loosening a filter or an exclusion."""
    from clipper.search.query import And, Or, Text

    if isinstance(node, Text):
        return True
    return isinstance(node, And | Or) and all(_only_words(c) for c in node.children)


def _expanded(conn: Conn, compiled: Compiled) -> Compiled:
    """The query, or any of the best terms of its first hits (RM3's relevance model, clip's
    own), ranked with the original's weight against theirs."""
    from clipper.search import feedback

    top = reading.select(conn, compiled, sort="relevance", limit=feedback.DOCUMENTS)
    everything = reading.count(conn, Compiled())

    def common(term: str) -> bool:
        found = conn.execute(
            "SELECT count(*) FROM clippings WHERE NOT trashed AND tsv @@ %s::tsquery",
            [reading.lexeme(term)],
        ).fetchone()
        return found is not None and int(found[0]) > feedback.COMMON * everything

    best = feedback.best_terms(feedback.relevance_model(top), common)
    if not best or compiled.rank is None:
        return compiled
    share = (1 - feedback.ORIGINAL_WEIGHT) / feedback.ORIGINAL_WEIGHT
    terms = " | ".join(reading.lexeme(term) for term in best)
    ranks = " + ".join(
        f"{weight * share:.6f} * ts_rank_cd('{RANK_WEIGHTS}', c.tsv, %s::tsquery)"
        for weight in best.values()
    )
    return Compiled(
        f"({compiled.where}) OR c.tsv @@ %s::tsquery", [*compiled.params, terms],
        f"({compiled.rank}) + {ranks}",
        [*compiled.rank_params, *(reading.lexeme(term) for term in best)],
    )  # fmt: skip
