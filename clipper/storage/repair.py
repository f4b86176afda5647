"""The store's own check of its files (for `clip doctor`), and the repair of its segments.

Looked at: segment files the manifest names but that are missing or do not parse, segment
files no manifest names (a commit killed before its manifest: removed), and counts in the
manifest that disagree with their segment (a hand edit: recounted). A segment that does not
parse is kept aside (`<file>.damaged-<time>`) and written anew with every record that can
still be read in it (storage/salvage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.storage.atomic import write_atomically
from clipper.storage.commit import back_up, write
from clipper.storage.debris import is_stale
from clipper.storage.layout import CLIPPINGS, META, TRASH, id_range
from clipper.storage.read import read_raw
from clipper.storage.salvage import count_of, read_records
from clipper.storage.segments import Manifest, Segment, read_manifest, read_segment

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


def examine(store: Store, manifest: Manifest) -> Examined:
    """Every record of every segment (damaged ones included), and the files' problems."""
    if manifest.legacy is not None:
        return Examined(dict(manifest.legacy))
    found = Examined({META: manifest.meta, CLIPPINGS: {}, TRASH: {}})
    # A young one may be a commit in progress, about to be named: debris only when stale.
    found.orphans = [path for path in store.orphans(manifest) if is_stale(path)]
    for number, name in sorted(manifest.files.items()):
        segment = read_segment(store.segments, number, name, size=manifest.size)
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
            segment = read_segment(store.segments, number, name, size=manifest.size)
            if segment.broken and (store.segments / name).exists():
                changed[number] = _salvaged(store.segments / name, number, manifest.size, done)
            elif not segment.broken:
                entry = manifest.entries[number]
                clippings, trash = segment.whole()
                if entry.get(CLIPPINGS) != len(clippings) or entry.get(TRASH) != len(trash):
                    segment.dirty = True
                    changed[number] = segment
                    done.append(f"recounted the clippings of {name} in clippings.json")
        if changed:
            if store.backups is not None and manifest.raw is not None:
                back_up(store, manifest, "doctor")
            highest = max(s.highest_id() for s in changed.values())
            write(store, manifest, dict(manifest.entries), changed, manifest.meta, highest=highest)
    return done


def _salvaged(path: Path, number: int, size: int, done: list[str]) -> Segment:
    """A new segment of what can still be read in a damaged segment file, kept aside first."""
    raw = read_raw(path, check_start=False) or b""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    write_atomically(copy, raw)
    segment = Segment(number, None, dirty=True, size=size)
    first, last = id_range(number, size)
    for found in read_records(raw):
        if first <= int(found.record["id"]) <= last:
            segment.tables[found.table][str(found.record["id"])] = found.record
    kept = sum(len(table) for table in segment.tables.values())
    done.append(f"salvaged {count_of(kept)} from the damaged {path.name} (kept as {copy.name})")
    return segment
