"""What the library asks of search: queries answered from an index kept current with the store."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.errors import StoreError, UsageError
from clipper.search.index import Loader, SearchIndex, damaged_in, stat_key
from clipper.search.rows import Progress

if TYPE_CHECKING:
    from clipper.model import Clipping
    from clipper.search.compiler import Compiled
    from clipper.search.highlight import Marked, Term
    from clipper.search.lookup import Found
    from clipper.search.stats import Overview, Stats
    from clipper.selection import Filter
    from clipper.store_check import Damage

# The query language, its compiler and the highlighter are imported by the methods that use
# them: `clip list` on an empty library, the smallest real command, needs none of them.
SEARCH_SORTS = ("relevance", "newest", "oldest")
LIST_SORTS = ("newest", "oldest", "added", "relevance")


@dataclass(slots=True)
class Hit:
    """A clipping found by a search: its score (higher is better), snippet and marked title."""

    clipping: Clipping
    score: float | None
    snippet: Marked
    title: Marked

    def to_dict(self) -> dict[str, Any]:
        """The clipping's stored fields plus score and snippet, as `--json` prints them."""
        score = None if self.score is None else float(f"{self.score:.6g}")
        return {**self.clipping.to_dict(), "score": score, "snippet": self.snippet.plain}


@dataclass(slots=True)
class SearchResults:
    """One page of hits, and how many clippings match in all."""

    hits: list[Hit]
    total: int


@dataclass(slots=True)
class Page:
    """Clippings of one page of a list, and how many clippings match in all."""

    items: list[Clipping]
    total: int


class Searcher:
    """The index of one library, brought up to date with the store whenever it is used."""

    def __init__(
        self,
        index_path: Path,
        store_path: Path,
        load: Loader,
        *,
        timeout: float = 10.0,
        progress: Progress | None = None,
        date_order: str | None = None,
        noticed: Callable[[list[Damage]], None] | None = None,
    ) -> None:
        self.store_path = store_path
        self.date_order = date_order  # how queries read numeric dates (03/04/2023)
        self.load = load
        self.index = SearchIndex(index_path, timeout=timeout)
        self.progress = progress
        self.noticed = noticed  # told of the damaged records the store had, for a warning

    @contextlib.contextmanager
    def _current(self) -> Iterator[sqlite3.Connection | None]:
        """The index connection, current with the store; None when there is no store yet."""
        key = stat_key(self.store_path)
        if key is None:
            yield None
            return
        try:
            self.index.ensure_current(key, self.load, self.progress)
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

    def rebuild(self) -> int:
        """Rebuild the index from the store; returns the number of clippings indexed."""
        try:
            key = stat_key(self.store_path)
            return self.index.rebuild(key, self.load, self.progress, durable=True)
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
    ) -> Page:
        """One page of what `select` returns, and how many clippings match in all (without
        `count`, only as many as the page holds: no COUNT query)."""
        _check_sort(sort, LIST_SORTS)
        if query is None and stat_key(self.store_path) is None:
            return Page([], 0)  # no library yet
        from clipper.search import lookup
        from clipper.search.compiler import compile_query, with_filter
        from clipper.search.query import parse

        node = parse(query, today=today, order=self.date_order) if query is not None else None
        compiled = compile_query(with_filter(node, where))
        with self._current() as conn:
            if conn is None:
                return Page([], 0)
            found = lookup.select(conn, compiled, sort=sort, limit=limit, offset=offset)
            total = _total(conn, compiled, found, limit, offset) if count else len(found)
        return Page([item.clipping for item in found], total)

    def search(
        self,
        query: str,
        *,
        sort: str = "relevance",
        limit: int | None = 20,
        offset: int = 0,
        today: date | None = None,
    ) -> SearchResults:
        """Ranked hits with snippets for one page of a query, and the total number of matches."""
        from clipper.search import lookup
        from clipper.search.compiler import compile_query
        from clipper.search.highlight import terms_of
        from clipper.search.query import parse

        _check_sort(sort, SEARCH_SORTS)
        node = parse(query, today=today, order=self.date_order)
        compiled = compile_query(node)
        with self._current() as conn:
            if conn is None:
                return SearchResults([], 0)
            found = lookup.select(conn, compiled, sort=sort, limit=limit, offset=offset)
            total = _total(conn, compiled, found, limit, offset)
        terms = terms_of(node)
        return SearchResults([_hit(item, terms) for item in found], total)

    def related(self, clipping: Clipping, *, limit: int | None = 10) -> SearchResults:
        """The clippings that share the most distinctive words of this one, and how many do."""
        from clipper.search import lookup
        from clipper.search.compiler import Compiled
        from clipper.search.highlight import Term

        with self._current() as conn:
            if conn is None:
                return SearchResults([], 0)
            words = lookup.related_words(conn, clipping)
            if not words:
                return SearchResults([], 0)
            match = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
            compiled = Compiled(match=match, where="d.id != ?", params=[clipping.id])
            found = lookup.select(conn, compiled, sort="relevance", limit=limit)
            total = _total(conn, compiled, found, limit, 0)
        terms = [Term(word) for word in words]
        return SearchResults([_hit(item, terms) for item in found], total)

    def stats(self, query: str | None = None, *, top: int = 10, today: date | None = None) -> Stats:
        """Counts per month, outlet, tag, author and language of what a query selects."""
        from clipper.search import stats
        from clipper.search.compiler import compile_query
        from clipper.search.query import parse

        node = parse(query, today=today, order=self.date_order) if query else None
        compiled = compile_query(node)
        with self._current() as conn:
            return stats.Stats() if conn is None else stats.compute(conn, compiled, top=top)

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
        """The clippings among the ids that the index holds, by id."""
        from clipper.search import lookup

        with self._current() as conn:
            return {} if conn is None else lookup.fetch(conn, clipping_ids)


def highlight(query: str, clipping: Clipping) -> tuple[Marked, Marked]:
    """The title and text of a clipping with the words of a query highlighted."""
    from clipper.search.highlight import mark, terms_of
    from clipper.search.query import parse

    terms = terms_of(parse(query))
    return mark(clipping.title, terms), mark(clipping.text, terms)


def _query_problem(error: sqlite3.OperationalError) -> bool:
    text = str(error)
    return any(mark in text for mark in ("fts5", "syntax error", "unterminated", "malformed MATCH"))


def _check_sort(sort: str, allowed: tuple[str, ...]) -> None:
    if sort not in allowed:
        raise UsageError(f"unknown sort {sort!r}: use one of {', '.join(allowed)}.")


def _total(
    conn: sqlite3.Connection, compiled: Compiled, found: list[Found], limit: int | None, offset: int
) -> int:
    """How many match in all: counted by the index (one COUNT, no rows fetched) only when the
    page is full or past the end, since otherwise the page itself says."""
    from clipper.search import lookup

    if (limit is not None and len(found) >= limit) or (offset and not found):
        return lookup.count(conn, compiled)
    return offset + len(found)


def _hit(item: Found, terms: list[Term]) -> Hit:
    from clipper.search.highlight import mark, snippet

    clipping = item.clipping
    return Hit(clipping, item.score, snippet(clipping.text, terms), mark(clipping.title, terms))
