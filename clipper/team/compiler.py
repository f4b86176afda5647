"""clip's query language (the syntax tree of search/query.py) as PostgreSQL: tsquery matches on
the clippings' tsvectors, SQL conditions for the fields, a ts_rank_cd expression for ranking.

User text only ever reaches PostgreSQL as a bound parameter: the tsquery functions parse it,
never the SQL. Conditions refer to the `clippings` table under the alias `c`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from clipper.search.folding import fold_term, is_cjk
from clipper.search.query import And, Condition, Node, Not, Or, Text

# ts_rank_cd's weights of D (text), C (outlet), B (authors) and A (title): clip's field weights
# (title 6, the others 1, see search/compiler.py), scaled into ts_rank_cd's 0..1.
RANK_WEIGHTS = "{0.15,0.15,0.15,0.9}"
_WEIGHT = {"title": "a", "author": "b", "source": "c"}
Params = list[object]


@dataclass(slots=True)
class Compiled:
    """The WHERE condition on `c` with its parameters, and the rank expression (None: no
    words to rank by) with its own; `shortlist`, a tsquery every match satisfies (see
    `shortlist`), with its parameters."""

    where: str = "true"
    params: Params = field(default_factory=list)
    rank: str | None = None
    rank_params: Params = field(default_factory=list)
    shortlist: tuple[str, Params] | None = None


def compile_query(node: Node | None, configs: Sequence[str]) -> Compiled:
    """The SQL of a query tree (None: everything); a plain word is stemmed with each text
    search configuration of `configs` (the library's languages)."""
    if node is None:
        return Compiled()
    where, params = _sql(node, configs)
    ranks = [_text(leaf, configs, rank=True) for leaf in positive_texts(node)]
    if not ranks:
        return Compiled(where, params)
    return Compiled(where, params, " + ".join(f"({r})" for r, _ in ranks),
                    [p for _, ps in ranks for p in ps], shortlist(node, configs))  # fmt: skip


def positive_texts(node: Node) -> list[Text]:
    """The words and phrases a query asks for (not those it excludes)."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in positive_texts(child)]
    return []


def _sql(node: Node, configs: Sequence[str]) -> tuple[str, Params]:
    if isinstance(node, Text):
        return _text(node, configs)
    if isinstance(node, Condition):
        return condition(node)
    if isinstance(node, Not):
        # A condition on a missing value (no site, no language) is NULL: not a match, so its
        # negation must match.
        inner, params = _sql(node.child, configs)
        return f"NOT coalesce(({inner}), false)", params
    if isinstance(node, And | Or):
        parts = [_sql(child, configs) for child in node.children]
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(f"({p})" for p, _ in parts), [v for _, ps in parts for v in ps]
    raise TypeError(f"not a query node: {node!r}")


def _vector(column: str, node: Text) -> str:
    weight = _WEIGHT.get(node.field or "")
    return f"c.{column}" if weight is None else f"ts_filter(c.{column}, '{{{weight}}}')"


def _text(node: Text, configs: Sequence[str], *, rank: bool = False) -> tuple[str, Params]:
    """A word: its stems in the clipping's language, or the word as written; a quoted word,
    a phrase, a prefix or CJK text: the words as written (folded), in order."""
    folded, cjk_prefix = fold_term(node.text.replace("\x00", " "))
    words = " ".join(folded.split())
    exact_vector = _vector("words", node)
    if node.prefix or cjk_prefix:
        # The words as the `simple` parser splits them, the last one as a prefix.
        query = "to_tsquery('simple', %s)"
        params: Params = [_prefix_query(words)]
    else:
        query = "phraseto_tsquery('simple', %s)"
        params = [words]
    exact = (f"ts_rank_cd('{RANK_WEIGHTS}', {exact_vector}, {query})" if rank
             else f"{exact_vector} @@ {query}")  # fmt: skip
    plain = not (node.exact or node.prefix or " " in words or any(map(is_cjk, words)))
    if not plain or not configs:
        return exact, params
    stems = " || ".join(f"plainto_tsquery('{c}'::regconfig, %s)" for c in configs)
    stem_vector = _vector("tsv", node)
    stemmed = (f"ts_rank_cd('{RANK_WEIGHTS}', {stem_vector}, {stems})" if rank
               else f"{stem_vector} @@ ({stems})")  # fmt: skip
    joiner = " + " if rank else " OR "
    return f"{stemmed}{joiner}{exact}", [*([words] * len(configs)), *params]


def _prefix_query(words: str) -> str:
    """A tsquery of the words in order, the last one a prefix; each quoted, so that no
    character of theirs is an operator."""
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words.split()]
    return " <-> ".join(quoted) + ":*"


def condition(node: Condition) -> tuple[str, Params]:
    """A metadata condition as SQL on `c`."""
    kind, value = node.kind, node.value
    if kind in ("day", "captured"):
        # A clipping dated only by a year or a month matches when that period overlaps.
        first, last = value if isinstance(value, tuple) else (None, None)
        low, high = ("c.day_end", "c.day") if kind == "day" else ("c.captured", "c.captured")
        kept = [(f"{low} >= %s", first), (f"{high} <= %s", last)]
        chosen = [(text, day) for text, day in kept if day is not None]
        return " AND ".join(t for t, _ in chosen) or "true", [d for _, d in chosen]
    if not isinstance(value, str):
        raise TypeError(f"{kind} takes a text value")
    if kind == "tag":
        if node.prefix:
            return "EXISTS (SELECT 1 FROM unnest(c.tags) t WHERE starts_with(t, %s))", [value]
        return "(c.tags @> ARRAY[%s]::text[] OR EXISTS (SELECT 1 FROM unnest(c.tags) t "\
            "WHERE starts_with(t, %s)))", [value, value + "/"]  # fmt: skip
    if kind == "site":
        return "(c.site = %s OR right(c.site, %s) = %s)", [value, len(value) + 1, "." + value]
    if kind == "url":
        return "strpos(c.url_key, %s) > 0", [value]
    if kind == "lang":
        return "(c.lang = %s OR left(c.lang, %s) = %s)", [value, len(value) + 1, value + "-"]
    if kind == "source_is":
        return "(c.source_key = %s OR c.site = %s)", [value, value]
    if kind == "by":
        if node.prefix:
            return "starts_with(lower(c.added_by), %s)", [value]
        return "lower(c.added_by) = %s", [value]
    if kind == "is":
        return "c.starred", []
    if kind == "has":
        return {
            "note": "c.has_note",
            "author": "c.has_author",
            "url": "c.url IS NOT NULL",
            "tags": "cardinality(c.tags) > 0",
            # Linked near duplicates still in the library (a trashed one keeps its link).
            "duplicates": "EXISTS (SELECT 1 FROM clippings o WHERE o.id = ANY(c.near) "
            "AND NOT o.trashed)",
        }[value], []
    raise ValueError(f"unknown condition {kind!r}")


def shortlist(node: Node | None, configs: Sequence[str]) -> tuple[str, Params] | None:
    """A tsquery on `tsv` that every clipping the query selects matches: the stems of its words
    and of the words of its phrases, in each configuration. None when no such query can be
    told: no words, a prefix, CJK text, an OR with a branch of conditions alone. The RUM index
    orders its matches by it (reading.py); a phrase's words are asked for together, not as a
    phrase: RUM 1.3 hands phrase matches over in table order, not in its rank's."""
    if node is None or not configs:
        return None
    if isinstance(node, Text):
        folded, cjk_prefix = fold_term(node.text.replace("\x00", " "))
        words = " ".join(folded.split())
        if node.prefix or cjk_prefix or not words or any(map(is_cjk, words)):
            return None
        stems = " || ".join(f"plainto_tsquery('{c}'::regconfig, %s)" for c in configs)
        return f"({stems})", [words] * len(configs)
    if isinstance(node, And | Or):
        parts = [shortlist(child, configs) for child in node.children]
        if isinstance(node, Or) and any(part is None for part in parts):
            return None  # a branch without words selects clippings the others' words miss
        kept = [part for part in parts if part is not None]
        if not kept:
            return None
        joiner = " && " if isinstance(node, And) else " || "
        return "(" + joiner.join(sql for sql, _ in kept) + ")", [p for _, ps in kept for p in ps]
    return None  # a condition or an exclusion narrows; it names no word every match has
