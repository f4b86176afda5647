"""New and changed clippings of a team library, inside one transaction each: the duplicate
rules, near-duplicate links and tag suggestions of the local intake, asked of PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError, DuplicateError, NotFoundError, UsageError
from clipper.library.changes import edited_provenance, tag_renamed
from clipper.library.core import BulkResult
from clipper.library.duplicates import KnownClippings, refuse_known
from clipper.model import DRAFT_FIELDS, Clipping, Draft, keeps_id, normalize_tags
from clipper.team import rows, writing

if TYPE_CHECKING:
    import psycopg

    from clipper.library.intake import Added

    Conn = psycopg.Connection[Any]


def admit(conn: Conn, clean: Draft, *, user: str | None, allow_duplicate: bool,
          auto_tag: bool) -> Added:  # fmt: skip
    """A validated draft stored as `clip add` stores it: refused when kept already, linked
    both ways with the clippings telling the same story, tags suggested (or applied)."""
    from clipper.library.intake import Added, NearDuplicate, tag_suggestions

    probe = rows.TeamClipping.create(0, clean)
    if not allow_duplicate:
        refuse_known(writing.SameKeys(conn, probe), probe)
    near = writing.near_of(conn, probe)
    related = [i for i, _ in near]
    suggested, tags = tag_suggestions(clean, writing.terms(conn, related), auto_tag)
    clipping = probe.with_changes(id=writing.next_id(conn), tags=tags, near_duplicates=related,
                                  added_by=user)  # fmt: skip
    rows.put(conn, [rows.row(clipping, added_by=user, duplicate_ok=allow_duplicate)])
    titles = {n.id: n.title for n in writing.link_back(conn, clipping.id, related)}
    near_found = [NearDuplicate(i, titles.get(i, ""), score) for i, score in near]
    return Added(clipping, near_found, [] if auto_tag else suggested)


def add_batch(conn: Conn, drafts: list[Draft], *, user: str | None, order: str | None,
              allow_duplicate: bool, dry_run: bool) -> BulkResult:  # fmt: skip
    """Many drafts stored at once, each bad or duplicate one reported by its position; near
    duplicates linked as `clip add` links them. Into a library that never gave out an id,
    exported clippings keep their ids."""
    from clipper.library.near_links import link_batch

    result = BulkResult()
    valid: list[tuple[int, Clipping, Draft]] = []
    for position, draft in enumerate(drafts):
        try:
            clean = draft.validated(order=order)
            probe = rows.TeamClipping.create(0, clean)
            valid.append((position, probe.with_changes(added_by=user), clean))
        except ClipperError as error:
            result.failed.append((position, error))
    # The duplicate rules need only the rows sharing a key with the batch: index lookups.
    seen = KnownClippings(writing.SameKeys(conn, *(p for _, p, _ in valid)))
    # Each clipping first gets a stand-in id below zero (-1 - n for the nth kept), the real ids
    # then come from the sequence in one round trip, for the clippings kept only.
    added: list[tuple[Clipping, Draft]] = []
    for position, probe, clean in valid:
        try:
            if not allow_duplicate:
                seen.refuse_duplicate(probe)
        except ClipperError as error:
            result.failed.append((position, error))
            continue
        clipping = probe.with_changes(id=-1 - len(added))
        seen.remember(clipping)
        added.append((clipping, clean))
    result.failed.sort(key=lambda failure: failure[0])
    if not dry_run:
        real = _ids(conn, [clean for _, clean in added])
        added = [(c.with_changes(id=real[c.id]), clean) for c, clean in added]
        result.failed = [(n, _renumbered(e, real)) for n, e in result.failed]
    result.added = [c for c, _ in added]
    # link_batch reads the kept clippings through `records`, which Kept offers.
    kept = writing.Kept(conn, [c.signature or "" for c, _ in added])
    updated = link_batch(kept, added) if added else {}  # type: ignore[arg-type]
    if dry_run:
        return result
    for page in range(0, len(added), PAGE):
        rows.put(conn, [rows.row(c, added_by=user, duplicate_ok=allow_duplicate)
                        for c, _ in added[page : page + PAGE]])  # fmt: skip
    new = {c.id for c, _ in added}
    for record_id, record in updated.items():
        if record_id not in new:
            current = writing.locked(conn, [record_id])[record_id]
            links = list(record["near_duplicates"])
            writing.update(conn, current.with_changes(near_duplicates=links))
    return result


PAGE = 1000  # rows sent at once: a page of rows in memory, not the whole import


def _ids(conn: Conn, cleans: list[Draft]) -> dict[int, int]:
    """The real id of each stand-in id (-1 - n for the nth draft kept): exported ids kept into
    a library that never gave out an id, the others from the sequence in one round trip."""
    fresh = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM clippings)").fetchone()
    claimed: dict[int, int] = {}
    if fresh and fresh[0]:
        taken: set[int] = set()
        for n, clean in enumerate(cleans):
            wanted = clean.id or 0
            if keeps_id(clean.id) and wanted not in taken:
                claimed[n] = wanted
                taken.add(wanted)
    if claimed:
        writing.claim_id(conn, max(claimed.values()))
    fresh_ids = iter(writing.next_ids(conn, len(cleans) - len(claimed)))
    return {-1 - n: claimed[n] if n in claimed else next(fresh_ids) for n in range(len(cleans))}


def _renumbered(error: ClipperError, real: dict[int, int]) -> ClipperError:
    """A duplicate of an earlier clipping of the batch, named by the id that clipping got."""
    if isinstance(error, DuplicateError) and error.existing_id in real:
        kept = real[error.existing_id]
        message = str(error).replace("an earlier record of the same batch", f"clipping {kept}")
        return DuplicateError(message, kept)
    return error


def edited(conn: Conn, clipping_id: int, changes: dict[str, Any], order: str | None) -> Clipping:
    """A clipping with some fields changed, validated like a new one, and stored."""
    current = writing.locked(conn, [clipping_id])[clipping_id]
    merged = Draft(**{name: getattr(current, name) for name in DRAFT_FIELDS})
    for name, value in changes.items():
        if not hasattr(merged, name):
            raise UsageError(f"{name!r} is not a field of a clipping.")
        setattr(merged, name, value)
    clean = merged.validated(order=order)
    # A new title is the user's own; one saved unchanged keeps its origin.
    if "title" in changes and clean.title != current.title and "title_source" not in changes:
        clean.title_source = "given"
    clean.provenance = edited_provenance(current, clean, changes)
    updated = current.with_changes(**{n: getattr(clean, n) for n in DRAFT_FIELDS})
    if updated.url != current.url or updated.content_hash != current.content_hash:
        refuse_known(writing.SameKeys(conn, updated), updated, ignore=clipping_id,
                     hint="the edit was not saved.")  # fmt: skip
    if updated != current:
        writing.update(conn, updated)
    return updated


def renamed_tag(conn: Conn, source: str, target: str) -> int:
    """`source` and the tags below it renamed `target` (in the trash too); the number of
    clippings changed outside the trash. NotFoundError when no clipping has the tag."""
    changed = touched = 0
    for record, trashed in conn.execute(
        "SELECT record, trashed FROM clippings c WHERE EXISTS (SELECT 1 FROM "
        "unnest(c.tags) t WHERE t = %s OR starts_with(t, %s)) FOR UPDATE",
        [source, source + "/"],
    ).fetchall():
        clipping = rows.load(record)
        renamed = normalize_tags([tag_renamed(t, source, target) for t in clipping.tags])
        if renamed != clipping.tags:
            writing.update(conn, clipping.with_changes(tags=renamed), trashed=trashed)
            touched += 1
            changed += 0 if trashed else 1
    if touched == 0:
        raise NotFoundError(f"no clipping has the tag {source!r}. See `clip tags`.")
    return changed
