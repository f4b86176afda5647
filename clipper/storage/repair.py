"""The store's own check of its files (for `clip doctor`), and the repair of its segments.

Looked at: segment files the manifest names but that are missing or do not parse, segment
files no manifest names (a commit killed before its manifest: removed), and counts in the
manifest that disagree with their segment (a hand edit: recounted), pending links that are
damaged (folded into their records for what can be used of them, then dropped). A segment that
does not parse is kept aside (`<file>.damaged-<time>`) and written anew with every record that
can still be read in it (storage/salvage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.storage import pending as pending_links
from clipper.storage.atomic import write_atomically
from clipper.storage.check import record_id
from clipper.storage.commit import back_up, write
from clipper.storage.debris import is_stale
from clipper.storage.layout import CLIPPINGS, META, TRASH, id_range, segment_of
from clipper.storage.read import read_raw
from clipper.storage.salvage import count_of, read_records
from clipper.storage.segments import Manifest, Segment, read_manifest

if TYPE_CHECKING:
    from clipper.storage.store import Store


@dataclass
class Examined:
    """The whole store as one schema-1 file would hold it, and what is wrong with its files."""

    tables: dict[str, dict[str, Any]]
    broken: dict[str, str] = field(default_factory=dict)  # segment file -> why unusable
    missing: list[str] = field(default_factory=list)  # named by the manifest, absent
    orphans: list[Path] = field(default_factory=list)
    miscounted: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # why pending links are damaged


def examine(store: Store, manifest: Manifest) -> Examined:
    """Every record of every segment (damaged ones included), and the files' problems."""
    if manifest.legacy is not None:
        return Examined(dict(manifest.legacy))
    found = Examined({META: manifest.meta, CLIPPINGS: {}, TRASH: {}})
    found.pending = list(manifest.pending.problems)
    # A young one may be a commit in progress, about to be named: debris only when stale.
    found.orphans = [path for path in store.orphans(manifest) if is_stale(path)]
    for number, name in sorted(manifest.files.items()):
        segment = manifest.segment(store.segments, number)
        if segment.broken:
            if not (store.segments / name).exists():
                found.missing.append(name)
            else:
                found.broken[name] = segment.broken
            continue
        clippings, trash = segment.whole()
        found.tables[CLIPPINGS].update(clippings)
        found.tables[TRASH].update(trash)
        entry = manifest.entries[number]
        if entry.get(CLIPPINGS) != len(clippings) or entry.get(TRASH) != len(trash):
            found.miscounted.append(name)
    return found


def repair(store: Store) -> list[str]:
    """Remove orphan segment files, salvage segments that do not parse, recount the others;
    returns what was done."""
    done: list[str] = []
    with store.locked():
        manifest = read_manifest(store.path)
        for orphan in store.orphans(manifest):
            orphan.unlink(missing_ok=True)
            done.append(f"removed {orphan.name}, written by an interrupted write")
        if manifest.legacy is not None:
            return done
        changed: dict[int, Segment] = {}
        for number, name in sorted(manifest.files.items()):
            segment = manifest.segment(store.segments, number)
            if segment.broken and (store.segments / name).exists():
                changed[number] = _salvaged(store.segments / name, manifest, number, done)
            elif not segment.broken:
                entry = manifest.entries[number]
                clippings, trash = segment.whole()
                if entry.get(CLIPPINGS) != len(clippings) or entry.get(TRASH) != len(trash):
                    segment.dirty = True
                    changed[number] = segment
                    done.append(f"recounted the clippings of {name} in clippings.json")
        links = manifest.pending.copy()
        if links.problems:
            _fold_damaged(store, manifest, links, changed, done)
        if changed or links.problems:
            if store.backups is not None and manifest.raw is not None:
                back_up(store, manifest, "doctor")
            highest = max((s.highest_id() for s in changed.values()), default=0)
            write(store, manifest, dict(manifest.entries), changed, manifest.meta,
                  highest=highest, pending=pending_links.Pending(links.links))  # fmt: skip
    return done


def _fold_damaged(
    store: Store, manifest: Manifest, links: pending_links.Pending, changed: dict[int, Segment],
    done: list[str],
) -> None:  # fmt: skip
    """Fold into their records the ids that can be used of damaged pending links (their
    segments are rewritten); the damaged entries are then dropped."""
    for key, entry in links.damaged.items():
        number = record_id(key) if isinstance(key, str) else None
        value = entry.get(pending_links.FIELD) if isinstance(entry, dict) else None
        ids = {i for i in value if type(i) is int and record_id(str(i))} if isinstance(
            value, list) else set()  # fmt: skip
        ids.discard(number or 0)
        if number is None or not ids:
            done.append(f"dropped the damaged pending links of {key!r} from clippings.json")
            continue
        segment_number = segment_of(number, manifest.size)
        segment = changed.get(segment_number) or manifest.segment(store.segments, segment_number)
        key_found = any(str(number) in segment.tables[t] for t in (CLIPPINGS, TRASH))
        if segment.broken or not key_found:
            done.append(f"dropped the damaged pending links of {key!r} from clippings.json")
            continue
        pending_links.apply(segment.tables, {number: ids})
        segment.dirty = True
        changed[segment_number] = segment
        done.append(f"linked clipping {number} with {', '.join(map(str, sorted(ids)))} as its "
                    "damaged pending links in clippings.json asked, and dropped them")  # fmt: skip
    if links.unusable is not None:
        done.append("dropped the pending links table of clippings.json, which was no table")


def _salvaged(path: Path, manifest: Manifest, number: int, done: list[str]) -> Segment:
    """A new segment of what can still be read in a damaged segment file, kept aside first,
    with the pending links of its records."""
    size = manifest.size
    raw = read_raw(path, check_start=False) or b""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    write_atomically(copy, raw)
    segment = Segment(number, None, dirty=True, size=size)
    first, last = id_range(number, size)
    for found in read_records(raw):
        if first <= int(found.record["id"]) <= last:
            segment.tables[found.table][str(found.record["id"])] = found.record
    pending_links.apply(segment.tables, manifest.pending.of_segment(number, size))
    kept = sum(len(table) for table in segment.tables.values())
    done.append(f"salvaged {count_of(kept)} from the damaged {path.name} (kept as {copy.name})")
    return segment
