"""Making a change visible: segment files under new names, then the manifest; backups; restores.

The order is what makes a commit atomic: every changed segment is written (temporary file,
fsync, rename, fsync of the folder) under a name no reader knows yet, then the manifest that
names them replaces clippings.json in one rename; only then are the superseded files deleted.
Killed before the manifest's rename, a commit leaves the old manifest and a few unnamed
segment files (swept by the next writer, listed by `clip doctor`). The manifest carries the
pending links too (storage/pending): those of the segments written are folded into them and
dropped from it in the same rename.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.errors import NewerLibraryError, StoreError
from clipper.storage.atomic import WriteError, fsync_folder, write_atomically
from clipper.storage.check import counter, record_id
from clipper.storage.layout import (
    CLIPPINGS,
    FOLDER_SUFFIX,
    META_KEY,
    TRASH,
    Record,
    file_name,
    manifest_bytes,
    segment_bytes,
)
from clipper.storage.pending import Pending
from clipper.storage.read import SCHEMA_VERSION, parse_store, read_raw
from clipper.storage.segments import (
    Manifest,
    Segment,
    entry_of,
    legacy_segments,
    read_manifest,
    read_segment,
)

if TYPE_CHECKING:
    from clipper.storage.store import Store
    from clipper.storage.transaction import Transaction


def commit(store: Store, manifest: Manifest, tx: Transaction) -> None:
    """Write what the transaction changed, then the manifest naming it."""
    tx.bound_pending()
    changed = {n: s for n, s in tx.segments.items() if s.dirty}
    meta = {key: dict(record) for key, record in tx.meta_table.items()}
    highest = max((s.highest_id() for s in tx.segments.values() if not s.broken), default=0)
    written = write(store, manifest, dict(manifest.entries), changed, meta, highest=highest,
                    pending=tx.pending)  # fmt: skip
    tx.meta_table[META_KEY] = written  # what the caller reads after: the new generation


def write(
    store: Store,
    manifest: Manifest,
    entries: dict[int, Record],
    changed: dict[int, Segment],
    meta: dict[str, Record],
    *,
    highest: int = 0,
    generation: int | None = None,
    size: int | None = None,
    pending: Pending | None = None,
) -> Record:
    """Write `changed` segments, then a manifest of `entries` (updated), `meta` and the
    `pending` links (the manifest's when None) but those of the segments written, which hold
    them; the files of `manifest` that are no longer named are deleted after. Returns the
    counters' record written."""
    generation = (generation or manifest.newest_generation) + 1
    folder = store.segments
    written: list[Path] = []
    segment_size = size or manifest.size
    pending = (manifest.pending if pending is None else pending).copy()
    try:
        for number, segment in sorted(changed.items()):
            aside = {i for table in segment.aside.values() for k in table if (i := record_id(k))}
            pending.fold(number, segment_size, aside)
            clippings, trash = segment.whole()
            if not clippings and not trash:
                entries.pop(number, None)  # an empty segment is no file
                continue
            name = file_name(number, generation)
            content = segment_bytes(clippings, trash)
            written.append(folder / name)
            # Each file fsynced; the folder once for all of them (below), before the manifest
            # names them: a write across ten segments syncs clippings.d once, not ten times.
            write_atomically(folder / name, content, sync_folder=False)
            entries[number] = entry_of(segment, name, len(content))
        if written:
            fsync_folder(folder)
        record = dict(meta.get(META_KEY) or {})
        next_id = counter(record, "next_id", 1)
        # next_id above every id in the segments, damaged records' too (they are kept).
        record["next_id"] = max(next_id or 1, highest + 1)
        # The size the segments were cut with, kept: a later clip of another size reads them.
        record.update(schema_version=SCHEMA_VERSION, generation=generation,
                      segment_size=segment_size)  # fmt: skip
        meta = {**meta, META_KEY: record}
        # resolve(): a clippings.json linked into a synced folder stays a link.
        write_atomically(store.path.resolve(), manifest_bytes(meta, entries, pending.table()))
    except WriteError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write {error.path}: {error.reason}; the library is unchanged."
        ) from None
    named = {str(entry.get("file")) for entry in entries.values()}
    for old in manifest.files.values():
        if old not in named:
            with contextlib.suppress(OSError):
                (folder / old).unlink()
    return record


def back_up(store: Store, manifest: Manifest, reason: str, *, force: bool = False) -> Path:
    """The library as `manifest` has it into backups/: a folder of the manifest and hard
    links of its segment files (never changed in place, so a link is a copy that costs
    nothing); of a schema-1 library, its one file. A folder even then: a clip of schema 1
    must not take it for one of its own backups (its `doctor --repair` would restore it over
    the library that this write converts)."""
    assert store.backups is not None and manifest.raw is not None
    files = {name: store.segments / name for name in manifest.files.values()}
    taken = store.backups.take_folder(manifest.raw, files, reason, force=force)
    return taken or store.backups.folder


def restore(store: Store, source: Path, *, reason: str) -> Path | None:
    """Replace the library by the backup at `source`; see `Store.restore`."""
    incoming, segments = load_backup(source)
    kept = None
    try:
        current = read_manifest(store.path)
    except NewerLibraryError:
        raise  # sound for the clip that wrote it: never replaced as if damaged
    except StoreError:
        current = Manifest(None, {}, {})
        raw = read_raw(store.path, check_start=False)
        if raw is not None:
            kept = _keep_damaged(store.path, raw)
    if current.raw is not None and store.backups is not None:
        back_up(store, current, reason)
    now = current.record
    last = max(current.entries, default=0)
    highest = read_segment(store.segments, last, current.files[last],
                           size=current.size).highest_id() if last else 0  # fmt: skip
    record = incoming.record
    record["next_id"] = max(counter(now, "next_id", 1) or 1, counter(record, "next_id", 1) or 1)
    meta = {**incoming.meta, META_KEY: record}
    for segment in segments.values():
        highest = max(highest, segment.highest_id())
    generation = max(current.newest_generation, incoming.newest_generation)
    # The backup's pending links are in its segments (load_backup): none are left pending.
    write(store, current, {}, segments, meta, highest=highest, generation=generation,
          size=incoming.size, pending=Pending())  # fmt: skip
    return kept


def load_backup(source: Path) -> tuple[Manifest, dict[int, Segment]]:
    """A backup (a folder, a schema-1 file, or another library's clippings.json) as its
    manifest and segments (its pending links applied); StoreError when any part of it is
    damaged."""
    path = source / "clippings.json" if source.is_dir() else source
    manifest = read_manifest(path)
    if manifest.raw is None:
        raise StoreError(f"{source} holds no clip library.")
    if manifest.legacy is not None:
        segments = legacy_segments(manifest.legacy, manifest.size)
    else:
        folder = path.with_name(path.stem + FOLDER_SUFFIX)
        segments = {}
        for number in manifest.files:
            segment = manifest.segment(folder, number)
            if segment.broken:
                raise StoreError(f"the backup {source} is damaged: {segment.broken}.")
            segments[number] = segment
    return manifest, segments


def backup_tables(source: Path) -> dict[str, dict[str, Any]]:
    """A backup's records as one schema-1 file would hold them (for salvage's comparisons)."""
    manifest, segments = load_backup(source)
    tables: dict[str, dict[str, Any]] = {"meta": manifest.meta, CLIPPINGS: {}, TRASH: {}}
    for segment in segments.values():
        clippings, trash = segment.whole()
        tables[CLIPPINGS].update(clippings)
        tables[TRASH].update(trash)
    return tables


def _keep_damaged(path: Path, content: bytes) -> Path:
    """Keep a copy of a damaged manifest beside it before anything replaces it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    write_atomically(copy, content)
    return copy


__all__ = ["back_up", "backup_tables", "commit", "load_backup", "parse_store", "restore"]
