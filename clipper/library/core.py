"""The library facade: every operation on clippings, used by the CLI and by scripts alike."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from clipper.errors import (
    ClipperError,
    DuplicateError,
    ExitCode,
    NotFoundError,
    StoreError,
    UsageError,
)
from clipper.library import changes
from clipper.library.changes import edited_provenance, tag_renamed
from clipper.library.duplicates import KnownClippings, refuse_known
from clipper.model import (
    DRAFT_FIELDS,
    Clipping,
    Draft,
    keeps_id,
    normalize_tag,
    normalize_tags,
    texts_keys,
)
from clipper.paths import LibraryPaths
from clipper.selection import Filter
from clipper.storage.backups import DEFAULT_KEEP, DEFAULT_MAX_BYTES, Backups
from clipper.storage.check import counter
from clipper.storage.layout import segment_name, segment_of
from clipper.storage.store import (
    CLIPPINGS,
    META,
    TRASH,
    WATCHES_ID,
    Record,
    Store,
    Transaction,
)

_T = TypeVar("_T")

if TYPE_CHECKING:
    from clipper.library.intake import Added
    from clipper.search.index import Changes
    from clipper.search.searcher import Page, Searcher, SearchResults
    from clipper.search.stats import Overview, Stats
    from clipper.storage.check import Damage
    from clipper.watch.watches import Watch


# Clippings a commit of `add_many`: an import's memory is a batch's, whatever its size
# (docs/decisions/017-import-batches.md).
IMPORT_BATCH = 25_000


@dataclass(slots=True)
class AddedClipping:
    """What an import's report says of a clipping it added: no text."""

    id: int
    title: str
    near_duplicates: list[int]


@dataclass(slots=True)
class BulkResult:
    """What `add_many` did: the clippings added (or, not kept, what a report says of them),
    and each draft refused with its position."""

    added: list[Clipping] = field(default_factory=list)
    failed: list[tuple[int, ClipperError]] = field(default_factory=list)
    count: int = 0  # the clippings added (also when `added` is not kept)
    summaries: list[AddedClipping] = field(default_factory=list)  # when `added` is not kept


class Library:
    """A folder of clippings: the store (truth) and what derives from it."""

    def __init__(
        self,
        paths: LibraryPaths,
        *,
        lock_timeout: float = 10.0,
        keep_backups: int = DEFAULT_KEEP,
        backups_max_bytes: int = DEFAULT_MAX_BYTES,
        date_order: str | None = None,
    ) -> None:
        self.paths = paths
        # How dates typed, imported or queried read a numeric date such as 03/04/2023:
        # day-first, month-first, or None (unknown: one that reads both ways is refused).
        self.date_order = date_order
        self.backups = Backups(paths.backups, keep=keep_backups, max_bytes=backups_max_bytes)
        self.store = Store(paths.store, lock_timeout=lock_timeout, backups=self.backups)
        # Called with (done, total) while the search index is built or catches up.
        self.index_progress: Callable[[int, int], None] | None = None

    # Reading -----------------------------------------------------------------------------

    def clippings(self) -> list[Clipping]:
        """Every clipping not in the trash, in id order."""
        snapshot = self.store.snapshot()
        return [_load(record) for _, record in sorted(snapshot.clippings.items())]

    def get(self, clipping_id: int) -> Clipping:
        return self.get_many([clipping_id])[0]

    def get_many(self, clipping_ids: list[int]) -> list[Clipping]:
        """The clippings asked for, in the order asked; the first missing id is an error.
        Read from the store by id (only the segments holding them)."""
        records = self.store.read_records(CLIPPINGS, clipping_ids)
        missing = [i for i in clipping_ids if i not in records]
        if missing:
            in_trash = bool(self.store.read_records(TRASH, missing[:1]))
            raise self._not_found(missing[0], in_trash=in_trash)
        return [_load(records[clipping_id]) for clipping_id in clipping_ids]

    def select(
        self,
        where: Filter | None = None,
        *,
        sort: str = "newest",
        limit: int | None = None,
        query: str | None = None,
        offset: int = 0,
    ) -> list[Clipping]:
        """Clippings matching a filter and a query (the search language), sorted, at most
        `limit` of them; answered from the search index."""
        return self._searcher().select(query, where, sort=sort, limit=limit, offset=offset)

    def select_page(
        self,
        where: Filter | None = None,
        *,
        sort: str = "newest",
        limit: int | None = None,
        query: str | None = None,
        offset: int = 0,
        cards: bool = False,
    ) -> Page:
        """What `select` returns, with the number of clippings matching in all (counted by the
        index only when the page is full). With `cards`, the clippings without their text,
        as the index summarises them (for the lines of a list: the store is not read)."""
        return self._searcher().page(
            query, where, sort=sort, limit=limit, offset=offset, cards=cards
        )

    def tag_counts(self) -> dict[str, int]:
        """Every tag in use with the number of clippings carrying it, most used first
        (counted by the search index: the store is not read at scale)."""
        return dict(self._searcher().tag_counts())

    def stats(
        self, query: str | None = None, where: Filter | None = None, *, top: int = 10
    ) -> Stats:
        """Counts per month, outlet, tag, author and language of the clippings a query and a
        filter select (all without either), `top` of each; from the search index."""
        return self._searcher().stats(query, where, top=top)

    def overview(self, *, newest: int = 5, top_tags: int = 8) -> Overview:
        """How many clippings, the newest few and the most used tags: `clip` alone."""
        return self._searcher().overview(newest=newest, top_tags=top_tags)

    def find(self, clipping_ids: list[int]) -> dict[int, Clipping]:
        """Those of the ids that are clippings in the library (not in the trash), by id, as
        cards: without their text (from the index)."""
        return self._searcher().fetch(clipping_ids)

    def trash(self) -> list[Clipping]:
        """Clippings in the trash, most recently numbered first."""
        snapshot = self.store.snapshot()
        return [_load(record) for _, record in sorted(snapshot.trash.items(), reverse=True)]

    def damage_seen(self) -> tuple[list[Damage], list[str]]:
        """The damaged records this object's reads skipped (kept in the file as they are),
        and the broken counters they found: for a warning, and `clip doctor`."""
        skipped = sorted(self.store.skipped.values(), key=lambda d: (d.table, len(d.key), d.key))
        return skipped, list(self.store.meta_problems)

    # Search ------------------------------------------------------------------------------

    def search(
        self, query: str, *, sort: str = "relevance", limit: int | None = 20, offset: int = 0,
        words: str = "fill", expand: bool = False,
    ) -> SearchResults:  # fmt: skip
        """Clippings matching a query, best first (or newest, oldest), with snippets; plain
        words all match, then partial matches fill the page (`words`: fill, all, any);
        `expand` adds the best terms of the first hits to the query."""
        return self._searcher().search(
            query, sort=sort, limit=limit, offset=offset, words=words, expand=expand
        )

    def snapshot_page(self, clipping_id: int) -> bytes:
        """The original page kept for a clipping (`clip add --snapshot`), ready for a browser
        to show from a local file."""
        from clipper.library.snapshots import read_snapshot, viewable

        clipping = self.get_many([clipping_id])[0]
        if not clipping.snapshot:
            raise NotFoundError(
                f"clipping {clipping_id} has no snapshot; `clip add URL --snapshot` keeps the "
                "page of a new clipping."
            )
        page = read_snapshot(self.paths.snapshots, clipping.snapshot, clipping_id=clipping_id)
        return viewable(page, clipping.url)

    def related(self, clipping_id: int, *, limit: int | None = 10) -> SearchResults:
        """The clippings most like this one, best first, and how many there are in all."""
        clipping = self.get_many([clipping_id])[0]
        return self._searcher().related(clipping, limit=limit)

    def reindex(self) -> int:
        """Rebuild the search index from the store; returns the number of clippings indexed."""
        return self._searcher().rebuild()

    def link_near_duplicates(self) -> int:
        """Link every clipping with the near duplicates it is not linked with yet, as `clip add`
        would have linked them (clippings imported by an older clip, or edited since);
        returns how many clippings gained a link. Writes nothing when none does."""
        from clipper.library.near_links import missing_links

        if not self.paths.store.exists():
            return 0
        # Asked first without the lock, so that a library with nothing to link is only read
        # (a read-only folder, a writer at work); then again inside it, to write.
        if not missing_links(self.store.snapshot().clippings):
            return 0
        with self._writing() as (tx, changes):
            updates = missing_links(dict(tx.records(CLIPPINGS)))
            if updates:
                tx.put_many(CLIPPINGS, updates)
                changes.put_records(updates)
        return len(updates)

    def index_status(self) -> str | None:
        """What is wrong with the search index file, or None (`clip doctor`)."""
        return self._searcher().status()

    # Writing -----------------------------------------------------------------------------

    def add(self, draft: Draft, *, allow_duplicate: bool = False) -> Clipping:
        """Store a new clipping; the same URL or text already kept is refused unless allowed."""
        result = self.add_many([draft], allow_duplicate=allow_duplicate)
        if result.failed:
            raise result.failed[0][1]
        return result.added[0]

    def add_captured(
        self,
        draft: Draft,
        *,
        allow_duplicate: bool = False,
        auto_tag: bool = False,
        page: bytes | None = None,
    ) -> Added:
        """Add a clipping from `clip add`: besides `add`, link it with the clippings telling the
        same story, suggest tags (apply them with `auto_tag`), and keep `page` (the original
        HTML) in snapshots/."""
        from clipper.library.intake import StoreKnown, admit
        from clipper.search.kept import IndexUnusable, opened

        clean = draft.validated(order=self.date_order)
        with self._writing() as (tx, changes):
            admitted = functools.partial(
                admit, tx, clean=clean, refuse_duplicates=not allow_duplicate, auto_tag=auto_tag,
                page=page, snapshots=self.paths.snapshots,
            )  # fmt: skip
            try:
                # Under the store's lock: the index caught up to the store as it is now. With
                # no index yet, the store answers: a build would hold every writer waiting.
                if not self.paths.index.exists():
                    raise IndexUnusable("no index yet")
                index, indexed = opened(
                    self.paths.index, self.store, timeout=self.store.lock_timeout
                )
            except IndexUnusable:
                added = admitted(StoreKnown(tx))
            else:
                try:
                    added = admitted(indexed)
                except IndexUnusable:  # failed while answering: nothing was written yet
                    added = admitted(StoreKnown(tx))
                finally:
                    index.close()
            changes.put_records(tx.get_many(CLIPPINGS, [added.clipping.id]))
            # The near duplicates' records are not read: the index adds the link to their cards.
            changes.link({near.id: {added.clipping.id} for near in added.near_duplicates})
        return added

    def add_many(
        self,
        drafts: Iterable[Draft],
        *,
        allow_duplicate: bool = False,
        dry_run: bool = False,
        backup: str | None = None,
        pages: dict[int, bytes] | None = None,
        batch: int = IMPORT_BATCH,
        keep_added: bool = True,
    ) -> BulkResult:
        """Store many clippings, `batch` of them a commit (each atomic), reading the drafts
        as it goes: the memory a batch takes, whatever their number. Each bad or duplicate
        draft is reported (by its position) and skipped, never aborting the others. The
        clippings added are linked with their near duplicates, kept or added, as `clip add`
        links them, and as one commit of them all would have (near_links.Linker). With
        `dry_run`, nothing is written; with `backup` (a reason such as "import"), the library
        is backed up first. `pages`: the original pages of drafts (by position), kept in
        snapshots/ before the store is written. Without `keep_added`, the result holds what a
        report says of each clipping added (`summaries`), not the clippings with their texts.

        Stopped in the middle (Ctrl-C, a full disk), the batches committed stay, and the
        error says how many clippings they hold (docs/decisions/017-import-batches.md)."""
        result = BulkResult()
        run: _BulkRun | None = None
        try:
            with collector_paused():
                for chunk, alone in _chunks(enumerate(drafts), max(1, batch)):
                    with self._writing(backup=backup if run is None else None) as (tx, changes):
                        if run is None or run.overtaken(tx):
                            run = _BulkRun(tx, self, dry_run=dry_run, alone=alone, before=run)
                        run.add(tx, changes, chunk, result, allow_duplicate=allow_duplicate,
                                pages=pages, keep_added=keep_added)  # fmt: skip
                        if dry_run:
                            tx.rollback()
                    run.committed(tx)
        except (ClipperError, KeyboardInterrupt) as error:
            if run is None or not run.kept or dry_run:
                raise
            message = (
                f"{run.kept:,} clippings were added before it stopped ({batch:,} a commit), "
                "the rest not. Run the import again to add them: those added are refused as "
                "duplicates."
            )
            if isinstance(error, KeyboardInterrupt):
                raise ClipperError(
                    f"interrupted: {message}", exit_code=ExitCode.INTERRUPTED
                ) from None
            raise ClipperError(
                f"{error.message.rstrip('.')}; {message}", exit_code=error.exit_code
            ) from error
        return result

    def edit(self, clipping_id: int, changes: dict[str, Any]) -> Clipping:
        """Change some fields of a clipping; the changes are validated like a new clipping."""
        with self._writing() as (tx, index_changes):
            current = self._load_from(tx, clipping_id)
            merged = _draft_of(current)
            for name, value in changes.items():
                if not hasattr(merged, name):
                    raise UsageError(f"{name!r} is not a field of a clipping.")
                setattr(merged, name, value)
            clean = merged.validated(order=self.date_order)
            # A new title is the user's own; one saved unchanged (the editor shows them all)
            # keeps its origin, so a generated title stays marked as generated.
            retitled = "title" in changes and clean.title != current.title
            if retitled and "title_source" not in changes:
                clean.title_source = "given"
            clean.provenance = edited_provenance(current, clean, changes)
            updated = current.with_changes(**{name: getattr(clean, name) for name in DRAFT_FIELDS})
            if updated.url != current.url or updated.content_hash != current.content_hash:
                refuse_known(tx, updated, ignore=clipping_id, hint="the edit was not saved.")
            if updated != current:
                tx.put(CLIPPINGS, clipping_id, updated.to_dict())
                index_changes.put(updated, was=current)
        return updated

    def tag(self, clipping_ids: list[int], tags: list[str]) -> list[Clipping]:
        """Add tags to clippings (tags they already have are left as they are)."""
        return self._update_each(clipping_ids, changes.tagged(tags))

    def untag(self, clipping_ids: list[int], tags: list[str]) -> list[Clipping]:
        """Remove tags from clippings."""
        return self._update_each(clipping_ids, changes.untagged(tags))

    def set_note(self, clipping_id: int, note: str | None) -> Clipping:
        return self._update_each([clipping_id], changes.noted(note))[0]

    def quote(self, clipping_id: int, passage: str) -> Clipping:
        """Keep a passage of the clipping's text as a highlight (`changes.quoted`)."""
        return self._update_each([clipping_id], changes.quoted(passage))[0]

    def unquote(self, clipping_id: int, number: int) -> Clipping:
        """Drop the clipping's passage `number` (1-based, as `clip show` numbers them)."""
        return self._update_each([clipping_id], changes.unquoted(number))[0]

    def set_starred(self, clipping_ids: list[int], starred: bool) -> list[Clipping]:
        return self._update_each(clipping_ids, changes.starred(starred))

    def rename_tag(self, old: str, new: str) -> int:
        """Rename a tag and the tags below it, merging into `new` when it exists.

        Clippings in the trash are renamed too, so a restore brings back consistent tags.
        Returns the number of clippings changed.
        """
        source, target = normalize_tag(old), normalize_tag(new)
        if source == target:
            raise UsageError(f"{old!r} and {new!r} are the same tag.")
        changed = touched = 0
        with self._writing(backup="tags-rename") as (tx, changes):
            for table in (CLIPPINGS, TRASH):
                updates: dict[int, Record] = {}
                for record_id, record in tx.records(table):
                    clipping = _load(record)
                    tags = [tag_renamed(t, source, target) for t in clipping.tags]
                    renamed = normalize_tags(tags)
                    if renamed != clipping.tags:
                        updates[record_id] = clipping.with_changes(tags=renamed).to_dict()
                if updates:
                    tx.put_many(table, updates)
                    if table == CLIPPINGS:
                        changes.put_records(updates)
                    touched += len(updates)
                    changed += len(updates) if table == CLIPPINGS else 0
            if touched == 0:
                raise NotFoundError(f"no clipping has the tag {source!r}. See `clip tags`.")
        return changed

    def remove(self, clipping_ids: list[int]) -> list[Clipping]:
        """Move clippings to the trash; they keep their ids and can be restored."""
        with self._writing(backup="rm") as (tx, changes):
            moved = [
                self._load_from(tx, clipping_id) for clipping_id in dict.fromkeys(clipping_ids)
            ]
            tx.put_many(TRASH, {c.id: c.to_dict() for c in moved})
            tx.remove(CLIPPINGS, [c.id for c in moved])
            changes.drop(moved)
        return moved

    def restore(self, clipping_ids: list[int]) -> list[Clipping]:
        """Bring clippings back from the trash under their old ids."""
        with self._writing() as (tx, changes):
            restored = []
            for clipping_id in dict.fromkeys(clipping_ids):
                record = tx.get(TRASH, clipping_id)
                if record is None:
                    raise NotFoundError(
                        f"no clipping {clipping_id} in the trash. See `clip trash`."
                    )
                restored.append(_load(record))
            tx.put_many(CLIPPINGS, {c.id: c.to_dict() for c in restored})
            tx.remove(TRASH, [c.id for c in restored])
            changes.put_records({c.id: c.to_dict() for c in restored})
        return restored

    def empty_trash(self) -> int:
        """Delete the clippings in the trash for good; their ids are never handed out again."""
        with self._writing(backup="trash-empty") as (tx, _):
            count = tx.count(TRASH)
            if count:
                tx.clear(TRASH)
        return count

    # Watches (`clip watch`): kept in the store's meta table, so backed up with it ------------

    def watches(self) -> dict[str, Watch]:
        """The saved feed watches by name, in name order."""
        from clipper.watch.watches import Watch

        kept = self.store.watches()
        return {
            name: Watch.from_dict(record)
            for name, record in sorted(kept.items())
            if isinstance(record, dict)
        }

    def save_watch(self, watch: Watch, *, new: bool) -> None:
        """Keep a watch: a new one (refused when its name is taken) or a changed one."""
        with self._writing() as (tx, _):
            record = tx.get(META, WATCHES_ID) or {}
            kept = dict(record.get("watches") or {})
            if new and watch.name in kept:
                raise DuplicateError(
                    f"a watch named {watch.name!r} exists; change it with "
                    f"`clip watch edit {watch.name}`.", 0,
                )  # fmt: skip
            if not new and watch.name not in kept:
                raise NotFoundError(f"no watch {watch.name!r}. See `clip watch list`.")
            kept[watch.name] = watch.to_dict()
            tx.put(META, WATCHES_ID, {**record, "watches": kept})

    def remove_watch(self, name: str) -> None:
        """Forget a watch (the clippings it kept stay, with its tag)."""
        with self._writing() as (tx, _):
            record = tx.get(META, WATCHES_ID) or {}
            kept = dict(record.get("watches") or {})
            if kept.pop(name, None) is None:
                raise NotFoundError(f"no watch {name!r}. See `clip watch list`.")
            tx.put(META, WATCHES_ID, {**record, "watches": kept})

    # Backups -----------------------------------------------------------------------------

    def backup_now(self, reason: str = "manual") -> Path:
        """Copy the library as it is now into backups/ (taken even when automatic backups
        are off)."""
        return self.store.back_up(reason)

    def restore_backup(self, name: str) -> Path:
        """Replace the library by a backup (a name in backups/ or a path); the current state
        is backed up first, or kept aside as clippings.json.damaged-* when unreadable."""
        source = self.backups.find(name)
        self.store.restore(source, reason="before-restore")
        return source

    # Internals ---------------------------------------------------------------------------

    def _update_each(self, clipping_ids: list[int], change: Any) -> list[Clipping]:
        with self._writing() as (tx, changes):
            updated = []
            for clipping_id in dict.fromkeys(clipping_ids):
                current = self._load_from(tx, clipping_id)
                new = change(current)
                if new != current:
                    tx.put(CLIPPINGS, clipping_id, new.to_dict())
                    changes.put(new)
                updated.append(new)
        return updated

    @contextlib.contextmanager
    def _writing(self, *, backup: str | None = None) -> Iterator[tuple[Transaction, Changes]]:
        """A store transaction whose committed changes then go to the search index, so that
        the index stays current without a rebuild (if that fails, the next read catches up)."""
        from clipper.search.index import Changes, SearchIndex

        changes = Changes()
        with self.store.transaction(backup=backup) as tx:
            before = self.store.state()  # under the lock: the state this write changes
            generation = _generation(tx.meta)
            yield tx, changes
        committed = _generation(tx.meta)
        if committed != generation:
            # Each changed clipping's segment, from its id: the index names them all, and the
            # next read has none to read again.
            changed = [*changes.upserts, *changes.deletes, *changes.links]
            changes.segments = {i: segment_name(segment_of(i, tx.size)) for i in changed}
            changes.folded = {segment_name(number) for number in tx.folded}
            index = SearchIndex(self.paths.index, timeout=self.store.lock_timeout)
            index.apply_commit(changes, before=before, after=self.store.state(since=before))

    def _searcher(self) -> Searcher:
        from clipper.search.searcher import Searcher

        return Searcher(
            self.paths.index,
            self.store,
            timeout=self.store.lock_timeout,
            progress=self.index_progress,
            date_order=self.date_order,
            noticed=lambda damaged: self.store.note(damaged, {}),
        )

    def _load_from(self, tx: Transaction, clipping_id: int) -> Clipping:
        record = tx.get(CLIPPINGS, clipping_id)
        if record is None:
            raise self._not_found(clipping_id, in_trash=tx.get(TRASH, clipping_id) is not None)
        return _load(record)

    def _not_found(self, clipping_id: int, *, in_trash: bool = False) -> ClipperError:
        damage = self.store.skipped.get((CLIPPINGS, str(clipping_id)))
        if damage is not None:
            return StoreError(
                f"clipping {clipping_id} is damaged in clippings.json ({damage.reason}); "
                "clip leaves it as it is until it is fixed by hand (see `clip doctor`)."
            )
        if in_trash:
            return NotFoundError(
                f"clipping {clipping_id} is in the trash; bring it back with "
                f"`clip trash restore {clipping_id}`."
            )
        return NotFoundError(f"no clipping {clipping_id}. Try `clip list` or `clip trash`.")


def _generation(meta: Record) -> int:
    return counter(meta, "generation", 0) or 0  # 0 for a hand-edited meta record


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a bulk add or an import's parse makes
    objects by the hundred thousand: each of its full collections walks every object alive, so
    their cost grows with the import (at 100,000 clippings, more CPU than `to_dict` and the
    parse together). Reference counting frees the rest as before; the few cycles made meanwhile
    (a failed draft's traceback) wait for the collector to come back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(items: Iterable[_T], size: int) -> Iterator[tuple[list[_T], bool]]:
    """The items `size` at a time, read as they are needed (one item ahead after the first
    chunk); with each chunk, whether it is the only one."""
    source = iter(items)
    first = list(itertools.islice(source, size))
    try:
        ahead = next(source)
    except StopIteration:
        yield first, True
        return
    yield first, False
    rest = itertools.chain([ahead], source)
    while chunk := list(itertools.islice(rest, size)):
        yield chunk, False


class _BulkRun:
    """What `add_many` carries from one batch to the next: the duplicate keys (kept and
    added), the ids taken, the near-duplicate linker, the clippings added by id."""

    def __init__(
        self,
        tx: Transaction,
        library: Library,
        *,
        dry_run: bool,
        alone: bool,
        before: _BulkRun | None = None,
    ) -> None:
        from clipper.library.near_links import Linker, candidate

        self.library = library
        self.dry_run = dry_run
        self.kept: int = 0 if before is None else before.kept  # clippings committed so far
        self.pending = 0  # those of the batch being committed
        self.generation = _generation(tx.meta)
        # Into a library that never gave out an id, exported clippings keep their ids.
        self.keep_ids: bool = before.keep_ids if before else not dry_run and _never_allocated(tx)
        self.taken: set[int] = before.taken if before else set()
        ours = self.taken
        # The clippings kept before the import (another writer's, when one came between two
        # batches): the duplicate keys of them all, the signatures of those not ours. Asked of
        # the index when there is one (brought up to the store under its lock): no record read.
        indexed = _indexed_keys(tx, library)
        if indexed is not None:
            records, signatures = indexed
            self.seen = KnownClippings(records)
            kept = [found for found in signatures if found[0] not in ours]
        else:
            self.seen = KnownClippings(tx)
            kept = [candidate(i, r) for i, r in tx.records(CLIPPINGS) if i not in ours]
            tx.rollback()  # nothing changed yet: the segments read are let go
        if before is None:
            self.linker = Linker(kept, alone=alone)
        else:
            self.linker = before.linker
            self.linker.kept, self.linker._kept_buckets = kept, None
        self.added: dict[int, Clipping | AddedClipping] = before.added if before else {}

    def overtaken(self, tx: Transaction) -> bool:
        """Whether another writer committed since this run's last batch (a dry run, which
        commits nothing, goes on with what it saw)."""
        return not self.dry_run and _generation(tx.meta) != self.generation

    def committed(self, tx: Transaction) -> None:
        self.generation = _generation(tx.meta)
        self.kept, self.pending = self.kept + self.pending, 0

    def add(
        self,
        tx: Transaction,
        changes: Changes,
        chunk: list[tuple[int, Draft]],
        result: BulkResult,
        *,
        allow_duplicate: bool,
        pages: dict[int, bytes] | None,
        keep_added: bool,
    ) -> None:
        added = self._admitted(tx, chunk, result, allow_duplicate=allow_duplicate, pages=pages)
        result.failed.sort(key=lambda failure: failure[0])
        if not added:
            return
        from clipper.library.near_links import linked

        def links_of(record_id: int) -> list[int] | None:
            if record_id in self.added:
                return self.added[record_id].near_duplicates
            record = None if self.dry_run else tx.get(CLIPPINGS, record_id)
            if record is None:
                return None
            listed, sound = record.get("near_duplicates"), linked(record)  # a hand edit's dropped
            return [i for i in listed if i in sound] if isinstance(listed, list) else []

        updates = self.linker.link(added, links_of)
        updated: dict[int, Record] = {}
        for record_id, links in updates.items():
            if record_id in self.added:
                self.added[record_id].near_duplicates = links
            record = None if self.dry_run else tx.get(CLIPPINGS, record_id)
            if record is not None:
                record["near_duplicates"] = links
                updated[record_id] = record
        new = {clipping.id: clipping.to_dict() for clipping, _ in added}
        if not self.dry_run:
            tx.put_many(CLIPPINGS, {**updated, **new})
            changes.put_records({**updated, **new})
        self.pending = len(new)  # kept once the commit is done
        result.count += len(new)
        if keep_added:
            result.added += (clipping for clipping, _ in added)
            self.added.update((clipping.id, clipping) for clipping, _ in added)
        else:
            for clipping, _ in added:
                summary = AddedClipping(clipping.id, clipping.title, clipping.near_duplicates)
                result.summaries.append(summary)
                self.added[clipping.id] = summary

    def _admitted(
        self,
        tx: Transaction,
        chunk: list[tuple[int, Draft]],
        result: BulkResult,
        *,
        allow_duplicate: bool,
        pages: dict[int, bytes] | None,
    ) -> list[tuple[Clipping, Draft]]:
        """The chunk's drafts validated, signed together, refused when duplicates, given ids
        (and their pages kept): the clippings with the clean drafts they came from."""
        cleans: list[tuple[int, Draft]] = []
        for position, draft in chunk:
            try:
                cleans.append((position, draft.validated(order=self.library.date_order)))
            except ClipperError as error:
                result.failed.append((position, error))
        keys = texts_keys([clean.text for _, clean in cleans])
        added: list[tuple[Clipping, Draft]] = []
        for (position, clean), text_keys in zip(cleans, keys, strict=True):
            clipping = Clipping.create(0, clean, keys=text_keys)
            if not allow_duplicate:
                try:
                    self.seen.refuse_duplicate(clipping)
                except ClipperError as error:
                    result.failed.append((position, error))
                    continue
            if self.dry_run:  # distinct ids below zero, so that links can still be counted
                clipping_id = -1 - position
            elif (
                self.keep_ids
                and clean.id is not None
                and keeps_id(clean.id)
                and clean.id not in self.taken
            ):
                clipping_id = _claim_id(tx, clean.id)
            else:
                clipping_id = tx.allocate_id()
            self.taken.add(clipping_id)
            clipping.id = clipping_id
            if pages and position in pages and not self.dry_run:
                from clipper.library.intake import save_snapshot

                clipping.snapshot = save_snapshot(self.library.paths.snapshots, pages[position])
            self.seen.remember(clipping)
            added.append((clipping, clean))
        return added


@dataclass(slots=True)
class _IndexedRecords:
    """The keys of the clippings kept as the index knows them, the trash from the store
    (duplicates.Records)."""

    keys: list[tuple[int, Record]]
    tx: Transaction

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        return iter(self.keys) if table == CLIPPINGS else self.tx.records(table)


def _indexed_keys(
    tx: Transaction, library: Library
) -> tuple[_IndexedRecords, list[tuple[int, str, int]]] | None:
    """The duplicate keys and the signatures of every clipping kept, from the index; None
    when there is no index or it cannot answer (the store is read instead)."""
    from clipper.search.kept import IndexUnusable, opened

    if not library.paths.index.exists():
        return None  # no index yet: building one would hold every writer waiting
    try:
        index, indexed = opened(
            library.paths.index, library.store, timeout=library.store.lock_timeout
        )
    except IndexUnusable:
        return None
    try:
        return _IndexedRecords(list(indexed.every_key()), tx), indexed.every_signature()
    except IndexUnusable:
        return None
    finally:
        index.close()


def _never_allocated(tx: Transaction) -> bool:
    next_id = counter(tx.meta, "next_id", 1)
    return (
        next_id is not None and next_id <= 1 and not tx.count(CLIPPINGS) and not tx.count(TRASH)
        and not tx.has_damaged  # their ids are taken, even if nothing else is
    )  # fmt: skip


def _claim_id(tx: Transaction, wanted: int) -> int:
    """Take `wanted` as a new clipping's id; later allocations continue after it."""
    if (counter(tx.meta, "next_id", 1) or 1) <= wanted:
        tx.set_meta(next_id=wanted + 1)
    return wanted


def _draft_of(clipping: Clipping) -> Draft:
    return Draft(**{name: getattr(clipping, name) for name in DRAFT_FIELDS})


def _load(record: Record) -> Clipping:
    try:
        return Clipping.from_dict(record)
    except ValueError as error:
        # A hand-edited or foreign file: a clear message, not a traceback.
        raise StoreError(
            f"clippings.json holds a malformed record ({error}). clip has not changed it; "
            "fix it by hand or restore a backup (backups/ in the library folder)."
        ) from None
