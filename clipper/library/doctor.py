"""`clip doctor`: find what is wrong with a library, and repair what can be repaired."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError, NewerLibraryError, StoreError
from clipper.formats.json_formats import dumps_jsonl
from clipper.model import Clipping, Draft, content_hash, count_words
from clipper.storage import repair as storage_repair
from clipper.storage.check import Damage, counter, meta_problems, split_tables
from clipper.storage.commit import load_backup
from clipper.storage.debris import stale, sweep
from clipper.storage.salvage import Salvage, compare_with, count_of, save_lacking
from clipper.storage.segments import read_manifest
from clipper.storage.store import CLIPPINGS, META, TRASH, read_raw

if TYPE_CHECKING:
    from clipper.library.core import Library


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: what it is, and whether `--repair` can fix it."""

    kind: str
    message: str
    repairable: bool


@dataclass(slots=True)
class Repair:
    """What `repair` did, and what a restored backup lacks."""

    done: list[str] = field(default_factory=list)
    salvage: Salvage | None = None


def examine(library: Library) -> list[Finding]:
    """Every problem found in the library, without changing anything."""
    findings = _debris(library)
    store = library.paths.store
    raw: bytes | None = None
    try:
        raw = read_raw(store)
        if raw is None:
            return findings
        examined = storage_repair.examine(library.store, read_manifest(store))
    except NewerLibraryError as error:  # not damage: a newer clip's to look after
        return [*findings, Finding("store", error.message, False)]
    except StoreError as error:
        good = _newest_good_backup(library)
        hint = f"restore {good.name}" if good else "no good backup to restore"
        raw = raw if raw is not None else _damaged_bytes(store)
        if good is not None and raw is not None:
            lacking = compare_with(raw, good).lacking
            if lacking:
                hint += (
                    f"; it lacks {count_of(len(lacking))} that can be read here, which "
                    "--repair saves to a file"
                )
        return [*findings, Finding("store", f"{error.message} ({hint})", good is not None)]
    data = examined.tables
    findings += _files(library, examined)
    sound, _, damaged = split_tables(data)
    findings += _meta(sound)
    findings += [_damaged(damage) for damage in damaged]
    findings += _records(sound)
    findings += _orphan_snapshots(library, data)
    findings += _index(library)
    return findings


def repair(library: Library) -> Repair:
    """Fix what can be fixed; returns what was done. The damaged store is always kept, and
    what a restored backup lacks of it is saved beside the library."""
    result = Repair()
    done = result.done
    if not library.paths.home.is_dir():
        return result
    with library.store.locked():  # see Store._sweep_debris: under the lock, leftovers are debris
        for debris in library.store.debris():
            debris.unlink(missing_ok=True)
            done.append(f"removed {debris.name}, left by an interrupted write")
        for debris in sweep(stale(_folders(library))):
            done.append(f"removed {_relative(library, debris)}, left by an interrupted write")
    store = library.paths.store
    raw: bytes | None = None
    try:
        raw = read_raw(store)
        if raw is not None:
            read_manifest(store)
    except NewerLibraryError:
        # Never "repaired" by a restore: the library is sound for the clip that wrote it (a
        # clip of schema 2 took a schema-3 manifest for damage and restored its newest backup).
        raise
    except StoreError:
        good = _newest_good_backup(library)
        if good is None:
            return result
        raw = raw if raw is not None else _damaged_bytes(store)
        # Saved before the restore: if it cannot be written, nothing has been replaced yet.
        if raw is not None:
            result.salvage = save_lacking(library.paths.store, raw, good, dumps_jsonl)
        kept = library.store.restore(good, reason="doctor")
        if kept is not None:
            done.append(f"kept the damaged file as {kept.name}")
        done.append(f"restored {good.name}")
    if not store.exists():
        return result
    done += storage_repair.repair(library.store)
    done += _repair_records(library)
    data = storage_repair.examine(library.store, read_manifest(store)).tables
    for orphan in _orphans(library, data):
        orphan.unlink(missing_ok=True)
        done.append(f"removed the orphan snapshot {orphan.name}")
    done += _repair_index(library)
    return result


def _damaged_bytes(store: Path) -> bytes | None:
    """What a store refused as damaged still holds, for salvage; None when it cannot be read
    at all (a folder, a device, a link to nowhere)."""
    try:
        return read_raw(store, check_start=False)
    except StoreError:
        return None


def _debris(library: Library) -> list[Finding]:
    return [
        Finding("debris", f"{_relative(library, path)} was left by an interrupted write", True)
        for path in stale(_folders(library))
    ]


def _folders(library: Library) -> list[Path]:
    paths = library.paths
    return [paths.home, library.store.segments, paths.backups, paths.snapshots]


def _relative(library: Library, path: Path) -> str:
    return str(path.relative_to(library.paths.home))


def _newest_good_backup(library: Library) -> Path | None:
    for backup in library.backups.all():
        try:
            load_backup(backup.path)
        except (StoreError, OSError):
            continue
        return backup.path
    return None


def _files(library: Library, examined: storage_repair.Examined) -> list[Finding]:
    """What is wrong with the store's files: segments missing, unreadable, miscounted, orphan;
    pending links damaged."""
    folder = library.store.segments.name
    findings = [
        Finding("segment", f"{message} (--repair keeps a copy and salvages its clippings)", True)
        for message in examined.broken.values()
    ]
    findings += [
        Finding("segment", f"clippings.json names {folder}/{name}, which is missing; restore a "
                "backup with `clip backups restore`", False)
        for name in examined.missing
    ]  # fmt: skip
    findings += [
        Finding("segment", f"the counts of {folder}/{name} in clippings.json disagree with the "
                "file", True)
        for name in examined.miscounted
    ]  # fmt: skip
    findings += [
        Finding("debris", f"{folder}/{path.name} is named by no manifest (an interrupted write)",
                True)
        for path in examined.orphans
    ]  # fmt: skip
    findings += [
        Finding("pending", f"{message} (--repair links what can be used of them, then drops them)",
                True)
        for message in examined.pending
    ]  # fmt: skip
    return findings


def _record_problems(record_id: int, record: dict[str, Any]) -> list[str]:
    """What is wrong with one stored record (empty when it is sound)."""
    try:
        clipping = Clipping.from_dict(record)
    except (ValueError, TypeError) as error:
        return [str(error)]
    problems = []
    if clipping.id != record_id:
        problems.append(f"is stored under id {record_id} but says id {clipping.id}")
    try:
        Draft(**{name: getattr(clipping, name) for name in _CHECKED}).validated()
    except ClipperError as error:
        problems.append(f"has an invalid field: {error.message}")
    except (TypeError, AttributeError) as error:
        problems.append(f"has a field of the wrong type: {error}")
    if isinstance(clipping.text, str) and clipping.content_hash != content_hash(clipping.text):
        problems.append("has a content hash that does not match its text")
    return problems


_CHECKED = (
    "text", "title", "title_source", "url", "source", "authors", "published", "language",
    "tags", "note", "starred", "uuid", "captured",
)  # fmt: skip


def _meta_record(data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    meta = data.get(META, {}).get("1", {})
    return meta if isinstance(meta, dict) else {}


def _meta(data: dict[str, dict[str, Any]]) -> list[Finding]:
    return [Finding("meta", problem, True) for problem in meta_problems(_meta_record(data))]


def _damaged(damage: Damage) -> Finding:
    where = "in the trash " if damage.table == TRASH else ""
    return Finding(
        "record",
        f"clipping {damage.label} {where}{damage.reason}: every command skips it until it is "
        "fixed by hand in the library's files (its segment file in clippings.d/)",
        False,
    )


def _records(data: dict[str, dict[str, dict[str, Any]]]) -> list[Finding]:
    findings = []
    kept = set(data.get(CLIPPINGS, {}))
    for key in sorted(kept & set(data.get(TRASH, {})), key=int):
        findings.append(Finding("ids", f"id {key} is used both in the library and the trash", True))
    uuids: dict[str, str] = {}
    for table in (CLIPPINGS, TRASH):
        for key, record in data.get(table, {}).items():
            for problem in _record_problems(int(key), record):
                findings.append(Finding("record", f"clipping {key} {problem}", True))
            uid = str(record.get("uuid", ""))
            if uid and uid in uuids:
                findings.append(
                    Finding("ids", f"clippings {uuids[uid]} and {key} share a uuid", True)
                )
            uuids.setdefault(uid, key)
    return findings


def _repair_records(library: Library) -> list[str]:
    done: list[str] = []
    with library.store.transaction(backup="doctor") as tx:
        if counter(tx.meta, "next_id", 1) is None:
            next_id = tx.allocate_id()  # above every id in the file, set-aside records' too
            tx.set_meta(next_id=next_id)
            done.append(f"set the library's next_id to {next_id}")
        if counter(tx.meta, "generation", 0) is None:
            tx.set_meta(generation=0)  # the commit counts it on from there
            done.append("reset the library's write generation")
        seen_uuids: set[str] = set()
        kept_ids = {record_id for record_id, _ in tx.records(CLIPPINGS)}
        for table in (CLIPPINGS, TRASH):
            for record_id, record in list(tx.all(table).items()):
                fixed = dict(record)
                if table == TRASH and record_id in kept_ids:
                    new_id = tx.allocate_id()
                    fixed["id"] = new_id
                    tx.remove(TRASH, [record_id])
                    done.append(f"gave the trashed clipping {record_id} the new id {new_id}")
                    record_id = new_id  # noqa: PLW2901 (the record moves to its new id)
                fixed["id"] = record_id
                text = fixed.get("text")
                if isinstance(text, str):
                    fixed["content_hash"], fixed["word_count"] = (
                        content_hash(text),
                        count_words(text),
                    )
                if not fixed.get("uuid") or fixed["uuid"] in seen_uuids:
                    fixed["uuid"] = str(uuid_module.uuid4())
                seen_uuids.add(str(fixed["uuid"]))
                if fixed != record:
                    tx.put(table, record_id, fixed)
                    if _record_problems(record_id, record):
                        done.append(f"repaired clipping {record_id}")
    return done


def _orphans(library: Library, data: dict[str, dict[str, dict[str, Any]]]) -> list[Path]:
    folder = library.paths.snapshots
    if not folder.is_dir():
        return []
    used = {
        str(record.get("snapshot"))
        for table in (CLIPPINGS, TRASH)
        for record in data.get(table, {}).values()
        if isinstance(record, dict) and record.get("snapshot")  # a damaged one's counts too
    }
    # A dot file is a write in progress, or debris (see _debris): never an orphan.
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.name not in used and not p.name.startswith(".")
    )  # fmt: skip


def _orphan_snapshots(
    library: Library, data: dict[str, dict[str, dict[str, Any]]]
) -> list[Finding]:
    return [
        Finding("snapshot", f"snapshots/{path.name} belongs to no clipping", True)
        for path in _orphans(library, data)
    ]


def _index(library: Library) -> list[Finding]:
    """The search index's own check, when the library has one."""
    check = getattr(library, "index_status", None)
    if check is None:
        return []
    status = check()
    # A folder in its place is the user's to move: clip does not delete folders.
    return [] if status is None else [Finding("index", status, not library.paths.index.is_dir())]


def _repair_index(library: Library) -> list[str]:
    rebuild = getattr(library, "reindex", None)
    if rebuild is None or not any(finding.repairable for finding in _index(library)):
        return []
    try:
        rebuild()
    except StoreError:
        return []  # not repaired: the examination that follows still reports it
    return ["rebuilt the search index"]


def summary(findings: list[Finding]) -> str:
    """One line: healthy, or how many problems and how many can be repaired."""
    if not findings:
        return "No problems found."
    fixable = sum(1 for f in findings if f.repairable)
    noun = "problem" if len(findings) == 1 else "problems"
    return f"{len(findings)} {noun} found; {fixable} can be repaired with `clip doctor --repair`."
