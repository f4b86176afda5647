"""The library's files as a person sees them, for tests that look inside or edit by hand.

clippings.json is a manifest; the clippings are in the segment files it names
(clippings.d/, see storage/layout). `tables` reads them as one schema-1 file would hold them,
`save` writes such tables back the way a person editing the files would: each record into the
segment file of its id, in place, the manifest's meta table from `tables["meta"]`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clipper.storage import layout
from clipper.storage.layout import file_name, segment_of

Tables = dict[str, dict[str, Any]]


def folder(store: Path) -> Path:
    return store.with_name(store.stem + ".d")


def manifest(store: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(store.read_text(encoding="utf-8"))
    return data


def tables(store: Path) -> Tables:
    """Every record of the store, damaged ones included, by table and key."""
    data = manifest(store)
    if "segments" not in data:
        return data  # a schema-1 file
    found: Tables = {"meta": data["meta"], "clippings": {}, "trash": {}}
    for entry in data["segments"].values():
        segment = json.loads((folder(store) / entry["file"]).read_text(encoding="utf-8"))
        for table in ("clippings", "trash"):
            found[table].update(segment.get(table, {}))
    return found


def segment_files(store: Path) -> list[Path]:
    """The segment files the manifest names."""
    return [folder(store) / entry["file"] for entry in manifest(store)["segments"].values()]


def save(store: Path, data: Tables) -> None:
    """Write `data` into the library's files as a hand edit would (in place, no new names)."""
    current = manifest(store)
    entries = current.setdefault("segments", {})
    size = current["meta"]["1"].get("segment_size", layout.SEGMENT_SIZE)
    by_segment: dict[int, dict[str, dict[str, Any]]] = {}
    for table in ("clippings", "trash"):
        for key, record in data.get(table, {}).items():
            number = segment_of(int(key), size) if key.isdigit() and 0 < int(key) < 2**53 else 1
            by_segment.setdefault(number, {"clippings": {}, "trash": {}})[table][key] = record
    for key in list(entries):
        by_segment.setdefault(int(key), {"clippings": {}, "trash": {}})
    folder(store).mkdir(exist_ok=True)
    for number, segment in by_segment.items():
        entry = entries.setdefault(str(number), {"file": file_name(number, 0)})
        content = json.dumps(segment, indent=2, ensure_ascii=False)
        (folder(store) / entry["file"]).write_text(content, encoding="utf-8")
        entry.update(
            clippings=len(segment["clippings"]), trash=len(segment["trash"]), bytes=len(content)
        )
    current["meta"] = data.get("meta", current["meta"])
    store.write_text(json.dumps(current, indent=2), encoding="utf-8")


def state_bytes(store: Path) -> bytes:
    """The bytes of the manifest and of every file of clippings.d/: equal before and after a
    refused write."""
    parts = [store.read_bytes()] if store.exists() else []
    if folder(store).is_dir():
        parts += [p.name.encode() + p.read_bytes() for p in sorted(folder(store).iterdir())]
    return b"\0".join(parts)


def schema_1_bytes(store: Path) -> bytes:
    """The library as one schema-1 clippings.json would hold it (meta, trash, clippings)."""
    data = tables(store)
    meta = {**data["meta"], "1": {**data["meta"]["1"], "schema_version": 1}}
    one = {"meta": meta, "trash": data["trash"], "clippings": data["clippings"]}
    return json.dumps(one, indent=2, ensure_ascii=False).encode()


def as_schema_1(store: Path) -> bytes:
    """Turn the library into the layout of schema 1, as an older clip left it; its bytes."""
    content = schema_1_bytes(store)
    for path in segment_files(store):
        path.unlink()
    folder(store).rmdir()
    store.write_bytes(content)
    return content
