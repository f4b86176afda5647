"""A team library: the public methods of the local Library (what the CLI calls), answered by
PostgreSQL, so that the CLI, render and formats do not know which library they talk to."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from clipper.errors import NotFoundError, StoreError, UsageError
from clipper.library import changes
from clipper.model import Clipping, Draft, normalize_tag
from clipper.paths import redacted
from clipper.team import counting, reading, rows, writing
from clipper.team.connection import connect, reason, retried
from clipper.team.schema import ensure

if TYPE_CHECKING:
    import psycopg

    from clipper.library.core import BulkResult
    from clipper.library.intake import Added
    from clipper.search.query import Node
    from clipper.search.searcher import Page, SearchResults
    from clipper.search.stats import Overview, Stats
    from clipper.selection import Filter
    from clipper.storage.check import Damage
    from clipper.team.watching import TeamWatchMemory
    from clipper.watch.watches import Watch

    Conn = psycopg.Connection[Any]


T = TypeVar("T")


class TeamLibrary:
    """Clippings kept in a PostgreSQL database, shared by a team."""

    def __init__(self, conn: Conn, url: str, *, user: str | None = None,
                 date_order: str | None = None,
                 exact_count: int = counting.EXACT_COUNT) -> None:  # fmt: skip
        self.conn, self.url = conn, url
        self.date_order = date_order
        # Totals are counted exactly up to this many matches, estimated above (0: always
        # counted); see counting.py.
        self.exact_count = exact_count
        self.index_progress: Callable[[int, int], None] | None = None  # nothing to build
        row = conn.execute("SELECT current_user").fetchone()
        conn.rollback()
        self.user = user or (str(row[0]) if row else None)

    @classmethod
    def connect(cls, url: str, *, user: str | None = None, date_order: str | None = None,
                exact_count: int = counting.EXACT_COUNT) -> TeamLibrary:  # fmt: skip
        """Open the team library at `url`, creating or migrating its tables."""
        conn = connect(url)  # first: it says when psycopg is missing
        import psycopg

        try:
            ensure(conn)
            return cls(conn, url, user=user, date_order=date_order, exact_count=exact_count)
        except psycopg.Error as error:
            conn.close()
            raise StoreError(
                f"cannot prepare the team library {redacted(url)}: {reason(error)}"
            ) from None
        except BaseException:
            conn.close()
            raise

    @property
    def label(self) -> str:
        return redacted(self.url)

    def close(self) -> None:
        self.conn.close()

    # Reading -----------------------------------------------------------------------------

    def _read(self, work: Callable[[Conn], T]) -> T:
        import psycopg

        try:
            with self.conn.transaction():
                return work(self.conn)
        except psycopg.Error as error:
            raise StoreError(f"the team library could not be read: {reason(error)}") from None

    def _compiled(self, conn: Conn, node: Node | None) -> Any:
        from clipper.search.query import And, Condition
        from clipper.team.compiler import compile_query
        from clipper.team.rows import config_of

        if node is None or not _has_text(node):
            return compile_query(node, [])  # no words: no stemming, no configurations
        children = node.children if isinstance(node, And) else (node,)
        asked = [c.value for c in children if isinstance(c, Condition) and c.kind == "lang"]
        configs = ([config_of(asked[0])] if asked and isinstance(asked[0], str)
                   else reading.configs(conn))  # fmt: skip
        return compile_query(node, configs)

    def _node(self, query: str | None, where: Filter | None = None) -> Node | None:
        from clipper.search.compiler import with_filter
        from clipper.search.query import parse

        node = parse(query, order=self.date_order) if query is not None else None
        return with_filter(node, where)

    def clippings(self) -> list[Clipping]:
        """Every clipping not in the trash, in id order."""
        return self._read(lambda conn: [rows.load(r[0]) for r in conn.execute(
            "SELECT record FROM clippings WHERE NOT trashed ORDER BY id").fetchall()])  # fmt: skip

    def get(self, clipping_id: int) -> Clipping:
        return self.get_many([clipping_id])[0]

    def get_many(self, clipping_ids: list[int]) -> list[Clipping]:
        """The clippings asked for, in the order asked; the first missing id is an error."""
        found = self.find(clipping_ids)
        for clipping_id in clipping_ids:
            if clipping_id not in found:
                raise self._read(functools.partial(writing.missing, clipping_id=clipping_id))
        return [found[i] for i in clipping_ids]

    def find(self, clipping_ids: list[int]) -> dict[int, Clipping]:
        """Those of the ids that are clippings in the library (not in the trash), by id."""
        return self._read(lambda conn: {int(i): rows.load(r) for i, r in conn.execute(
            "SELECT id, record FROM clippings WHERE id = ANY(%s) AND NOT trashed",
            [list(clipping_ids)]).fetchall()})  # fmt: skip

    def select(self, where: Filter | None = None, *, sort: str = "newest",
               limit: int | None = None, query: str | None = None,
               offset: int = 0) -> list[Clipping]:  # fmt: skip
        return self.select_page(where, sort=sort, limit=limit, query=query, offset=offset).items

    def select_page(self, where: Filter | None = None, *, sort: str = "newest",
                    limit: int | None = None, query: str | None = None,
                    offset: int = 0, cards: bool = False) -> Page:  # fmt: skip
        # `cards` lets a local library skip its store for a list's lines; here the rows are
        # read whole either way.
        from clipper.search.searcher import LIST_SORTS, Page, check_sort

        check_sort(sort, LIST_SORTS)
        node = self._node(query, where)

        def work(conn: Conn) -> Page:
            compiled = self._compiled(conn, node)
            found, total = reading.page(conn, compiled, sort=sort, limit=limit, offset=offset,
                                        exact_count=self.exact_count)  # fmt: skip
            return Page([item.clipping for item in found], total.value, total.estimate)

        return self._read(work)

    def tag_counts(self) -> dict[str, int]:
        return dict(self._read(reading.tag_counts))

    def stats(self, query: str | None = None, where: Filter | None = None, *,
              top: int = 10) -> Stats:  # fmt: skip
        node = self._node(query, where)
        return self._read(
            lambda conn: reading.stats(conn, self._compiled(conn, node), top=top)
        )

    def overview(self, *, newest: int = 5, top_tags: int = 8) -> Overview:
        return self._read(
            lambda conn: reading.overview(conn, newest=newest, top_tags=top_tags)
        )

    def trash(self) -> list[Clipping]:
        """Clippings in the trash, most recently numbered first."""
        return self._read(lambda conn: [rows.load(r[0]) for r in conn.execute(
            "SELECT record FROM clippings WHERE trashed ORDER BY id DESC").fetchall()])  # fmt: skip

    def damage_seen(self) -> tuple[list[Damage], list[str]]:
        return [], []  # the database's constraints keep every row a clipping

    def search(
        self, query: str, *, sort: str = "relevance", limit: int | None = 20, offset: int = 0,
        words: str = "fill", expand: bool = False,
    ) -> SearchResults:  # fmt: skip
        """Clippings matching a query, best first (or newest, oldest), with snippets; plain
        words all match, then partial matches fill the page (`words`: fill, all, any)."""
        from clipper.team.ranking import search

        return self._read(functools.partial(
            search, self, query=query, sort=sort, limit=limit, offset=offset, words=words,
            expand=expand, exact_count=self.exact_count,
        ))  # fmt: skip

    def related(self, clipping_id: int, *, limit: int | None = 10) -> SearchResults:
        from clipper.team.ranking import related

        self.get_many([clipping_id])
        return self._read(lambda conn: related(conn, clipping_id, limit))

    def snapshot_page(self, clipping_id: int) -> bytes:
        raise NotFoundError("a team library keeps no page snapshots; open the clipping's URL.")

    # Writing -----------------------------------------------------------------------------

    def _write(self, work: Callable[[Conn], T]) -> T:
        return retried(self.conn, work)

    def add(self, draft: Draft, *, allow_duplicate: bool = False) -> Clipping:
        result = self.add_many([draft], allow_duplicate=allow_duplicate)
        if result.failed:
            raise result.failed[0][1]
        return result.added[0]

    def add_captured(self, draft: Draft, *, allow_duplicate: bool = False,
                     auto_tag: bool = False, page: bytes | None = None) -> Added:  # fmt: skip
        """Add a clipping from `clip add`: the duplicate rules, links with the clippings telling
        the same story, and tag suggestions, as a local library has them."""
        from clipper.team.adding import admit

        if page is not None:
            raise UsageError("a team library keeps no page snapshots; add without --snapshot.")
        clean = draft.validated(order=self.date_order)
        return self._write(functools.partial(
            admit, clean=clean, user=self.user, allow_duplicate=allow_duplicate,
            auto_tag=auto_tag,
        ))  # fmt: skip

    def add_many(self, drafts: Iterable[Draft], *, allow_duplicate: bool = False,
                 dry_run: bool = False, backup: str | None = None,
                 pages: dict[int, bytes] | None = None) -> BulkResult:  # fmt: skip
        """Store many clippings in one transaction; each bad or duplicate draft is reported (by
        its position) and skipped; near duplicates are linked as `clip add` links them. Into a
        library that never gave out an id, exported clippings keep their ids."""
        from clipper.team.adding import add_batch

        return self._write(functools.partial(
            add_batch, drafts=list(drafts), user=self.user, order=self.date_order,
            allow_duplicate=allow_duplicate, dry_run=dry_run,
        ))  # fmt: skip

    def edit(self, clipping_id: int, changes: dict[str, Any]) -> Clipping:
        """Change some fields of a clipping; the changes are validated like a new clipping."""
        from clipper.team.adding import edited

        return self._write(functools.partial(
            edited, clipping_id=clipping_id, changes=changes, order=self.date_order
        ))  # fmt: skip

    def _update_each(self, clipping_ids: list[int],
                     change: Callable[[Clipping], Clipping]) -> list[Clipping]:  # fmt: skip
        ids = list(dict.fromkeys(clipping_ids))

        def work(conn: Conn) -> list[Clipping]:
            found = writing.locked(conn, ids)
            result = []
            for clipping_id in ids:
                new = change(found[clipping_id])
                if new != found[clipping_id]:
                    writing.update(conn, new)
                result.append(new)
            return result

        return self._write(work)

    def tag(self, clipping_ids: list[int], tags: list[str]) -> list[Clipping]:
        return self._update_each(clipping_ids, changes.tagged(tags))

    def untag(self, clipping_ids: list[int], tags: list[str]) -> list[Clipping]:
        return self._update_each(clipping_ids, changes.untagged(tags))

    def set_note(self, clipping_id: int, note: str | None) -> Clipping:
        return self._update_each([clipping_id], changes.noted(note))[0]

    def set_starred(self, clipping_ids: list[int], starred: bool) -> list[Clipping]:
        return self._update_each(clipping_ids, changes.starred(starred))

    def quote(self, clipping_id: int, passage: str) -> Clipping:
        return self._update_each([clipping_id], changes.quoted(passage))[0]

    def unquote(self, clipping_id: int, number: int) -> Clipping:
        return self._update_each([clipping_id], changes.unquoted(number))[0]

    def rename_tag(self, old: str, new: str) -> int:
        """Rename a tag and the tags below it, merging into `new` when it exists (in the trash
        too); returns the number of clippings changed."""
        source, target = normalize_tag(old), normalize_tag(new)
        if source == target:
            raise UsageError(f"{old!r} and {new!r} are the same tag.")

        from clipper.team.adding import renamed_tag

        return self._write(functools.partial(renamed_tag, source=source, target=target))

    def remove(self, clipping_ids: list[int]) -> list[Clipping]:
        """Move clippings to the trash; they keep their ids and can be restored."""
        return self._move(clipping_ids, to_trash=True)

    def restore(self, clipping_ids: list[int]) -> list[Clipping]:
        """Bring clippings back from the trash under their old ids."""
        return self._move(clipping_ids, to_trash=False)

    def _move(self, clipping_ids: list[int], *, to_trash: bool) -> list[Clipping]:
        ids = list(dict.fromkeys(clipping_ids))

        def work(conn: Conn) -> list[Clipping]:
            found = writing.locked(conn, ids, trashed=not to_trash)
            conn.execute("UPDATE clippings SET trashed = %s WHERE id = ANY(%s)", [to_trash, ids])
            return [found[i] for i in ids]

        return self._write(work)

    def empty_trash(self) -> int:
        """Delete the clippings in the trash for good; their ids are never handed out again."""
        return self._write(
            lambda conn: conn.execute("DELETE FROM clippings WHERE trashed").rowcount
        )

    # Watches (`clip watch`): the team's, with their runs' memory (team/watching.py) -------

    def watches(self) -> dict[str, Watch]:
        from clipper.team import watching

        return self._read(watching.watches)

    def save_watch(self, watch: Watch, *, new: bool) -> None:
        from clipper.team import watching

        self._write(functools.partial(watching.save, watch=watch, new=new))

    def remove_watch(self, name: str) -> None:
        from clipper.team import watching

        self._write(functools.partial(watching.remove, name=name))

    def watch_memory(self) -> TeamWatchMemory:
        """What `clip watch run` remembers between runs, and the lock that keeps two apart."""
        from clipper.team.watching import TeamWatchMemory

        return TeamWatchMemory(self)


def _has_text(node: Node) -> bool:
    """Whether a query has words anywhere (an excluded word too)."""
    from clipper.search.query import And, Not, Or, Text

    if isinstance(node, Text):
        return True
    if isinstance(node, Not):
        return _has_text(node.child)
    return isinstance(node, And | Or) and any(_has_text(c) for c in node.children)
