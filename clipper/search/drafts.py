"""A query judged on clippings not in the library (the items of a feed), through an index of
them in memory: the same schema, folding and compiled SQL as `clip search`, so a watch
matches exactly what a search of the library would find.

An item is often known only by its title and summary. A word missing from those may still be
in the article, so the judgement is three-valued: True and False are decided, None means the
full text must decide (a word not found, under AND, OR and NOT, by Kleene's rules). Fields
(title:, author:, source:) and metadata (lang:, site:, tag:, dates) are decided by the item.
"""

from __future__ import annotations

from collections.abc import Iterable

from clipper.model import Clipping
from clipper.search.compiler import sql_for
from clipper.search.index import memory_index
from clipper.search.plan import analyzers_for
from clipper.search.query import And, Condition, Node, Not, Or, Text
from clipper.search.rows import insert

Verdict = bool | None


def judge(
    node: Node, clippings: dict[int, Clipping], complete: Iterable[int] = ()
) -> dict[int, Verdict]:
    """The query's verdict on each clipping by id; `complete` are those whose text is the
    whole article (a word missing there is decided: absent)."""
    whole = set(complete)
    conn = memory_index()
    try:
        insert(conn, ((i, c.to_dict()) for i, c in clippings.items()), len(clippings), None)
        matched: dict[Node, set[int]] = {}
        # The words analysed in the items' languages, as a search of them would analyse them.
        analyzers = analyzers_for(conn, node)

        def hits(leaf: Node) -> set[int]:
            if leaf not in matched:
                where, params = sql_for(leaf, analyzers)
                rows = conn.execute(f"SELECT d.id FROM docs d WHERE {where}", params)
                matched[leaf] = {row[0] for row in rows}
            return matched[leaf]

        def verdict(part: Node, clipping_id: int) -> Verdict:
            if isinstance(part, Text):
                if clipping_id in hits(part):
                    return True
                return False if part.field is not None or clipping_id in whole else None
            if isinstance(part, Condition):
                return clipping_id in hits(part)
            if isinstance(part, Not):
                inner = verdict(part.child, clipping_id)
                return None if inner is None else not inner
            values = [verdict(child, clipping_id) for child in part.children]
            if isinstance(part, And):
                return False if False in values else True if all(values) else None
            assert isinstance(part, Or)
            return True if True in values else False if all(v is False for v in values) else None

        return {clipping_id: verdict(node, clipping_id) for clipping_id in clippings}
    finally:
        conn.close()
