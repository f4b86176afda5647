"""What the library asks of search: queries answered from an index kept current with the store."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from clipper.errors import StoreError, UsageError
from clipper.search.index import SearchIndex, Source, SourceState, damaged_in
from clipper.search.rows import Progress

if TYPE_CHECKING:
    from clipper.model import Clipping
    from clipper.search.compiler import Compiled
    from clipper.search.highlight import Marked, Term
    from clipper.search.lookup import Found
    from clipper.search.query import Node
    from clipper.search.stats import Overview, Stats
    from clipper.selection import Filter
    from clipper.storage.check import Damage

# The query language, its compiler and the highlighter are imported by the methods that use
# them: `clip list` on an empty library, the smallest real command, needs none of them.
SEARCH_SORTS = ("relevance", "newest", "oldest")
LIST_SORTS = ("newest", "oldest", "added", "relevance")
# How plain words (no operator) match: all of them, then the best partial matches to fill the
# page; all of them only; or any of them, ranked as one list.
WORD_MODES = ("fill", "all", "any")
RELATED_MIN = 0.2  # a related clipping scores at least this share of the clipping's own score


class Store(Source, Protocol):
    """The store as search reads it: besides what the index is built from, whole records by
    id (the index keeps cards, without the text)."""

    def read_records(self, table: str, ids: Iterable[int]) -> Mapping[int, dict[str, Any]]: ...


@dataclass(slots=True)
class Hit:
    """A clipping found by a search: its score (higher is better), snippet and marked title;
    `partial` when it has only some of the words asked for (it fills the page)."""

    clipping: Clipping
    score: float | None
    snippet: Marked
    title: Marked
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The clipping's stored fields plus score, snippet and partial, as `--json` prints them."""
        score = None if self.score is None else float(f"{self.score:.6g}")
        return {**self.clipping.to_dict(), "score": score, "snippet": self.snippet.plain,
                "partial": self.partial}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Estimate:
    """A total that was estimated rather than counted (a team library's large results, see
    team/counting.py): the range it lies in with 95% confidence."""

    low: int
    high: int


@dataclass(slots=True)
class SearchResults:
    """One page of hits, and how many clippings match in all (`estimate`: not counted, only
    estimated, `total` being the estimate)."""

    hits: list[Hit]
    total: int
    estimate: Estimate | None = None


@dataclass(slots=True)
class Page:
    """Clippings of one page of a list, and how many clippings match in all (`estimate`: as
    for SearchResults)."""

    items: list[Clipping]
    total: int
    estimate: Estimate | None = None


class Searcher:
    """The index of one library, brought up to date with the store whenever it is used."""

    def __init__(
        self,
        index_path: Path,
        store: Store,
        *,
        timeout: float = 10.0,
        progress: Progress | None = None,
        date_order: str | None = None,
        noticed: Callable[[list[Damage]], None] | None = None,
    ) -> None:
        self.store = store
        self.date_order = date_order  # how queries read numeric dates (03/04/2023)
        self.index = SearchIndex(index_path, timeout=timeout)
        self.progress = progress
        self.noticed = noticed  # told of the damaged records the store had, for a warning

    @contextlib.contextmanager
    def _current(self, state: SourceState | None = None) -> Iterator[sqlite3.Connection | None]:
        """The index connection, current with the store; None when there is no store yet."""
        state = self.store.state() if state is None else state
        if not state.segments:
            yield None
            return
        try:
            self.index.ensure_current(self.store, self.progress, state=state)
            if self.noticed is not None:
                self.noticed(damaged_in(self.index.conn))
            yield self.index.conn
        except sqlite3.OperationalError as error:
            if _query_problem(error):  # never expected: the compiler quotes every term
                raise UsageError(f"this query cannot be run ({error}).") from None
            raise StoreError(
                f"the search index {self.index.path} cannot be used ({error}); "
                "`clip reindex` rebuilds it."
            ) from None
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"the search index {self.index.path} is damaged ({error}); "
                "`clip reindex` rebuilds it."
            ) from None
        finally:
            self.index.close()

    def whole(self, found: list[Found]) -> list[Found]:
        """The clippings found as the store keeps them (the index has their cards): read by
        id, in the order found. One gone from the store since the index said otherwise (a
        write between the two reads) is left out."""
        from clipper.model import Clipping
        from clipper.search.lookup import Found

        if not found:
            return []
        records = self.store.read_records("clippings", [item.clipping.id for item in found])
        return [
            Found(Clipping.from_dict(dict(records[item.clipping.id])), item.score)
            for item in found
            if item.clipping.id in records
        ]

    def rebuild(self) -> int:
        """Rebuild the index from the store; returns the number of clippings indexed."""
        try:
            return self.index.rebuild(self.store, self.progress, durable=True)
        finally:
            self.index.close()

    def status(self) -> str | None:
        """What is wrong with the index file, or None when it is usable (missing is fine)."""
        try:
            return self.index.problem()
        finally:
            self.index.close()

    def select(
        self,
        query: str | None = None,
        where: Filter | None = None,
        *,
        sort: str = "newest",
        limit: int | None = None,
        offset: int = 0,
        today: date | None = None,
    ) -> list[Clipping]:
        """Clippings matching a query and list options, in the order asked."""
        page = self.page(query, where, sort=sort, limit=limit, offset=offset, today=today,
                         count=False)  # fmt: skip
        return page.items

    def page(
        self,
        query: str | None = None,
        where: Filter | None = None,
        *,
        sort: str = "newest",
        limit: int | None = None,
        offset: int = 0,
        today: date | None = None,
        count: bool = True,
        cards: bool = False,
    ) -> Page:
        """One page of what `select` returns, and how many clippings match in all (without
        `count`, only as many as the page holds: no COUNT query). With `cards`, the clippings
        as the index summarises them, without their text (enough for the lines of a list):
        the store is not read."""
        check_sort(sort, LIST_SORTS)
        state = self.store.state()
        if query is None and not state.segments:
            return Page([], 0)  # no library yet
        from clipper.search import lookup, plan
        from clipper.search.compiler import with_filter
        from clipper.search.query import parse

        node = parse(query, today=today, order=self.date_order) if query is not None else None
        node = with_filter(node, where)
        with self._current(state) as conn:
            if conn is None:
                return Page([], 0)
            compiled = plan.compile_for(node, plan.analyzers_for(conn, node))
            found = lookup.select(conn, compiled, sort=sort, limit=limit, offset=offset)
            total = _total(conn, compiled, found, limit, offset) if count else len(found)
        return Page([item.clipping for item in (found if cards else self.whole(found))], total)

    def search(
        self,
        query: str,
        *,
        sort: str = "relevance",
        limit: int | None = 20,
        offset: int = 0,
        today: date | None = None,
        words: str = "fill",
        expand: bool = False,
    ) -> SearchResults:
        """Ranked hits with snippets for one page of a query, and the total number of matches.

        Plain words (no operator) must all match; with `words="fill"` a page they leave short
        is filled with the best clippings that have only some of them, `"any"` ranks any-word
        matches as one list. `expand` adds the best terms of the top hits (RM3).
        """
        from clipper.search.highlight import terms_of

        node, found, partial, total = self._ranked(query, sort, limit, offset, today, words, expand)
        # Snippets need the texts: one read of the store for the page, partial matches too.
        kept = {item.clipping.id: item for item in self.whole(found + partial)}
        found = [kept[f.clipping.id] for f in found if f.clipping.id in kept]
        partial = [kept[f.clipping.id] for f in partial if f.clipping.id in kept]
        terms = terms_of(node)
        hits = [_hit(item, terms) for item in found]
        hits += [_hit(item, terms, partial=True) for item in partial]
        return SearchResults(hits, total)

    def ranked(
        self, query: str, *, limit: int | None = 20, words: str = "fill", expand: bool = False
    ) -> list[Found]:
        """The clippings of `search`, best first, without snippets (for evaluations)."""
        _, found, partial, _ = self._ranked(query, "relevance", limit, 0, None, words, expand)
        return found + partial  # cards: the evaluations need ids and scores

    def _ranked(
        self, query: str, sort: str, limit: int | None, offset: int, today: date | None,
        words: str, expand: bool,
    ) -> tuple[Node | None, list[Found], list[Found], int]:  # fmt: skip
        """The query's words (as highlighted), the page's hits with all words, the partial
        matches that fill it, and how many clippings have all the words."""
        from clipper.search import lookup, plan
        from clipper.search.query import And, Or, parse

        check_sort(sort, SEARCH_SORTS)
        if words not in WORD_MODES:
            raise UsageError(f"unknown word mode {words!r}: use one of {', '.join(WORD_MODES)}.")
        node: Node | None = parse(query, today=today, order=self.date_order)
        plain = plan.plain_words(node)
        if plain is not None and words == "any":
            node = Or(plain)
        with self._current() as conn:
            if conn is None:
                return node, [], [], 0
            analyzers = plan.analyzers_for(conn, node)
            compiled = counted = plan.compile_for(node, analyzers)
            if expand and sort == "relevance":
                compiled, counted = plan.expanded(conn, compiled, node, self.whole)
            found = lookup.select(conn, compiled, sort=sort, limit=limit, offset=offset)
            if (limit is not None and len(found) >= limit) or (offset and not found):
                total = lookup.count(conn, counted)  # more may follow this page
            else:
                total = offset + len(found)
            partial: list[Found] = []
            short = limit is None or len(found) < limit
            if plain is not None and words == "fill" and short and not expand:
                rest = plan.compile_for(And((Or(plain), plan.not_all(plain))), analyzers)
                partial = lookup.select(
                    conn, rest, sort=sort, offset=max(offset - total, 0),
                    limit=None if limit is None else limit - len(found),
                )  # fmt: skip
        return (node if plain is None else Or(plain)), found, partial, total

    def related(self, clipping: Clipping, *, limit: int | None = 10) -> SearchResults:
        """The clippings that share the most distinctive terms of this one, best first, with
        scores as a share of the clipping's own (1, the most: as alike as itself), and how many
        there are in all; those below RELATED_MIN are not alike enough to show."""
        from clipper.search import lookup
        from clipper.search.compiler import Compiled, stem_phrase
        from clipper.search.highlight import Term

        with self._current() as conn:
            if conn is None:
                return SearchResults([], 0)
            words = lookup.related_words(conn, clipping)
            if not words:
                return SearchResults([], 0)
            match = " OR ".join(stem_phrase(word) for word in words)
            fetch = None if limit is None else limit + 1  # the clipping itself is among them
            found = lookup.select(conn, Compiled(match=match), sort="relevance", limit=fetch)
            own = next((f.score for f in found if f.clipping.id == clipping.id), None)
            own = own or max((f.score or 0.0 for f in found), default=0.0) or 1.0
            shares = [((item.score or 0.0) / own, item) for item in found]
            alike = [(share, item) for share, item in shares
                     if item.clipping.id != clipping.id and share >= RELATED_MIN]  # fmt: skip
            total = len(alike)
            if fetch is not None and len(found) == fetch and shares[-1][0] >= RELATED_MIN:
                total = _alike(conn, match, own * RELATED_MIN, clipping.id)  # more may follow
        terms = [Term(word, prefix=True) for word in words]
        shown = alike if limit is None else alike[:limit]
        kept = {item.clipping.id: item for item in self.whole([item for _, item in shown])}
        alike = [(share, kept[item.clipping.id]) for share, item in shown
                 if item.clipping.id in kept]  # fmt: skip
        # A short clipping can outscore the longer one it resembles: capped at 1.
        hits = [_hit(lookup.Found(item.clipping, round(min(share, 1.0), 4)), terms)
                for share, item in alike]  # fmt: skip
        return SearchResults(hits if limit is None else hits[:limit], total)

    def stats(
        self, query: str | None = None, where: Filter | None = None, *, top: int = 10,
        today: date | None = None,
    ) -> Stats:  # fmt: skip
        """Counts per month, outlet, tag, author and language of what a query (and the list
        options `where`) selects."""
        from clipper.search import plan, stats
        from clipper.search.compiler import with_filter
        from clipper.search.query import parse

        node = parse(query, today=today, order=self.date_order) if query else None
        node = with_filter(node, where)
        with self._current() as conn:
            if conn is None:
                return stats.Stats()
            compiled = plan.compile_for(node, plan.analyzers_for(conn, node))
            return stats.compute(conn, compiled, top=top)

    def overview(self, *, newest: int = 5, top_tags: int = 8) -> Overview:
        """How many clippings, the newest ones and the most used tags."""
        from clipper.search import stats

        with self._current() as conn:
            if conn is None:
                return stats.Overview()
            return stats.overview(conn, newest=newest, top_tags=top_tags)

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag in use with the number of clippings carrying it, most used first."""
        from clipper.search import stats

        with self._current() as conn:
            return [] if conn is None else stats.tag_counts(conn)

    def fetch(self, clipping_ids: list[int]) -> dict[int, Clipping]:
        """The cards (clippings without their text) of the ids that the index holds, by id."""
        from clipper.search import lookup

        with self._current() as conn:
            return {} if conn is None else lookup.fetch(conn, clipping_ids)


def highlight(query: str, clipping: Clipping) -> tuple[Marked, Marked]:
    """The title and text of a clipping with the words of a query highlighted."""
    from clipper.search.highlight import mark, terms_of, with_forms
    from clipper.search.query import parse

    terms = with_forms(terms_of(parse(query)), clipping.title, clipping.text, clipping.language)
    return mark(clipping.title, terms), mark(clipping.text, terms)


def _query_problem(error: sqlite3.OperationalError) -> bool:
    text = str(error)
    return any(mark in text for mark in ("fts5", "syntax error", "unterminated", "malformed MATCH"))


def check_sort(sort: str, allowed: tuple[str, ...]) -> None:
    if sort not in allowed:
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(allowed)}.")


def _hit(item: Found, terms: list[Term], *, partial: bool = False) -> Hit:
    from clipper.search.highlight import mark, snippet, with_forms

    clipping = item.clipping
    terms = with_forms(terms, clipping.title, clipping.text, clipping.language)
    return Hit(
        clipping, item.score, snippet(clipping.text, terms), mark(clipping.title, terms), partial
    )


def _total(
    conn: sqlite3.Connection, compiled: Compiled, found: list[Found], limit: int | None, offset: int
) -> int:
    """How many match in all: counted by the index (one COUNT, no rows fetched) only when the
    page is full or past the end, since otherwise the page itself says."""
    from clipper.search import lookup

    if (limit is not None and len(found) >= limit) or (offset and not found):
        return lookup.count(conn, compiled)
    return offset + len(found)


def _alike(conn: sqlite3.Connection, match: str, floor: float, clipping_id: int) -> int:
    """How many clippings other than this one score at least `floor` on `match`: ranked in
    the FTS table alone, no record read."""
    from clipper.search.compiler import bm25

    row = conn.execute(
        f"SELECT count(*) FROM (SELECT rowid AS id, {bm25()} AS score FROM fts "
        "WHERE fts MATCH ?) WHERE id != ? AND -score >= ?",
        [match, clipping_id, floor],
    ).fetchone()
    return int(row[0])
