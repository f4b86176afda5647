"""`clip doctor --repair` saves what a restored backup lacks of the damaged file."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from clipper.library.core import Library
from clipper.model import Draft
from clipper.storage.salvage import compare, next_id, read_records
from tests.conftest import Clip
from tests.stored import as_schema_1, schema_1_bytes


def add(library: Library, n: int, text: str | None = None) -> None:
    library.add(Draft(text=text or f"Article number {n} of the library.", title=f"A{n}"))


@pytest.fixture
def five(library: Library, library_home: Path) -> bytes:
    """A library of five clippings, the fourth in the trash; returns the store's bytes."""
    for n in range(1, 6):
        add(library, n)
    library.remove([4])
    return schema_1_bytes(library_home / "clippings.json")


def stored(raw: bytes) -> dict[str, dict[str, dict[str, object]]]:
    return orjson.loads(raw)  # type: ignore[no-any-return]


def test_whole_records_are_read_from_a_truncated_file(five: bytes) -> None:
    cut = five[: five.index(b'"5": {') + 60]  # inside the last clipping
    found = read_records(cut)
    whole = stored(five)
    assert [(f.table, f.record) for f in found] == [
        ("trash", whole["trash"]["4"]),
        *[("clippings", whole["clippings"][key]) for key in ("1", "2", "3")],
    ]


def test_records_around_garbage_in_the_middle_are_read(five: bytes) -> None:
    start = five.index(b'"2": {') + 20
    broken = five[:start] + b"\x00\xff\xfe garbage {{ \"\x00" + five[start + 120 :]
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(broken)
    ids = [(f.table, f.record["id"]) for f in read_records(broken)]
    assert ids == [("trash", 4), ("clippings", 1), ("clippings", 3), ("clippings", 5)]


def test_json_quoted_in_a_text_is_not_taken_for_a_record(
    library: Library, library_home: Path
) -> None:
    fake = json.dumps({"9": {"id": 9, "uuid": "u", "title": "Fake", "text": "x", "captured": "c"}})
    add(library, 1, text=f"An article quoting a record: {fake} and more text after it.")
    raw = schema_1_bytes(library_home / "clippings.json")
    assert [f.record["id"] for f in read_records(raw)] == [1]
    cut = raw[: raw.index(b"and more text")]  # the record that quotes is cut off
    assert read_records(cut) == []


def test_the_comparison_finds_added_changed_and_restored_clippings(five: bytes) -> None:
    backup = stored(five)
    now = stored(five)
    clippings = now["clippings"]
    clippings["3"]["tags"] = ["later"]  # changed after the backup
    clippings["2"]["near_duplicates"] = [9]  # derived: not a change of the user's
    clippings["6"] = {**clippings["1"], "id": 6, "uuid": "new-one", "title": "A6"}  # added
    clippings["4"] = now["trash"].pop("4")  # restored from the trash
    now["trash"]["7"] = {**clippings["1"], "id": 7, "uuid": "trashed-new"}  # added, trashed
    found = read_records(orjson.dumps(now, option=orjson.OPT_INDENT_2))
    result = compare(found, backup)
    assert result.read == 6 and result.trashed_lacking == 1
    assert [(item.id, item.change, item.fields) for item in result.lacking] == [
        (3, "changed", ("tags",)),
        (4, "changed", ("restored from the trash",)),
        (6, "added", ()),
    ]


def test_garbage_inside_a_text_is_not_taken_for_a_change(five: bytes) -> None:
    backup = stored(five)
    now = stored(five)
    now["clippings"]["1"]["text"] = "Article number \ufffd\ufffd of the library."  # bytes hit
    now["clippings"]["2"]["text"] = "Article number \ufffd of the library."
    now["clippings"]["2"]["tags"] = ["later"]  # and a real change of the same clipping
    now["clippings"]["6"] = {**now["clippings"]["3"], "id": 6, "uuid": "new", "text": "Hit."}
    result = compare(read_records(orjson.dumps(now)), backup)
    assert [(i.id, i.change, i.fields, i.damaged_text) for i in result.lacking] == [
        (2, "changed", ("tags",), True),
        (6, "added", (), True),
    ]


def test_ids_handed_out_after_the_backup_that_cannot_be_read_are_named(five: bytes) -> None:
    backup = stored(five)
    backup["meta"]["1"]["next_id"] = 3
    for key in ("3", "5"):
        del backup["clippings"][key]
    del backup["trash"]["4"]
    cut = five[: five.index(b'"5": {') + 60]  # clipping 5 is lost with the damage
    assert next_id(cut) == 6
    result = compare(read_records(cut), backup, handed_out=next_id(cut))
    assert result.unread == (5,)
    assert [item.id for item in result.lacking] == [3] and result.trashed_lacking == 1
    assert next_id(b'{"clippings": {') is None


def damage_after_backup(clip: Clip, library_home: Path) -> bytes:
    """Three clippings backed up, then one added and one tagged; the library then turned
    into one schema-1 file (as an older clip kept it), cut short inside a fifth clipping
    added last. Returns the damaged bytes."""
    for n in (1, 2, 3):
        assert clip("add", f"Article number {n} of the library.", "--title", f"A{n}").exit_code == 0
    assert clip("backup").exit_code == 0
    assert clip("add", "An article added after the backup.", "--title", "Later").exit_code == 0
    assert clip("tag", "2", "-t", "followup").exit_code == 0
    assert clip("add", "The article being written when it broke.", "--title", "Cut").exit_code == 0
    store = library_home / "clippings.json"
    raw = as_schema_1(store)
    damaged = raw[: raw.index(b'"5": {') + 50]
    store.write_bytes(damaged)
    return damaged


def test_doctor_repair_saves_what_the_backup_lacks_and_import_brings_it_back(
    clip: Clip, library_home: Path
) -> None:
    damaged = damage_after_backup(clip, library_home)
    found = clip("doctor")
    assert found.exit_code == 1
    assert "it lacks 2 clippings that can be read here" in found.stderr
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stderr
    saved = sorted(library_home.glob("clippings.json.salvaged-*.jsonl"))
    assert len(saved) == 1
    lines = repaired.stderr.splitlines()
    assert any("lacks 2 clippings read from the damaged file (1 added after it, 1 changed" in line
               for line in lines)  # fmt: skip
    assert "  added   4  Later" in lines and "  changed 2  A2 (tags)" in lines
    assert f"Saved them to {saved[0]}; add them back with:" in lines
    assert f"  clip import {saved[0]}" in lines
    cut = "1 clipping added after the backup could not be read from the damaged file"
    assert f"{cut} and cannot be saved: id 5." in lines
    records = [json.loads(line) for line in saved[0].read_text().splitlines()]
    assert [(r["id"], r["title"], r["tags"]) for r in records] == [
        (2, "A2", ["followup"]),
        (4, "Later", []),
    ]
    damaged_copy = next(library_home.glob("clippings.json.damaged-*"))
    assert damaged_copy.read_bytes() == damaged
    imported = clip("import", str(saved[0]), "--json")
    assert imported.exit_code == 0, imported.stderr
    listed = json.loads(clip("list", "--json").stdout)
    assert sorted(c["title"] for c in listed) == ["A1", "A2", "A3", "Later"]


def test_doctor_repair_json_reports_the_salvage(clip: Clip, library_home: Path) -> None:
    damage_after_backup(clip, library_home)
    report = json.loads(clip("doctor", "--repair", "--json").stdout)
    salvaged = report["salvaged"]
    assert salvaged["read"] == 4 and salvaged["trashed_lacking"] == 0
    assert salvaged["unread_ids"] == [5]  # cut off inside its record
    assert [(item["id"], item["change"], item["fields"]) for item in salvaged["lacking"]] == [
        (2, "changed", ["tags"]),
        (4, "added", []),
    ]
    assert Path(salvaged["file"]).parent == library_home


def test_doctor_repair_says_when_the_backup_lacks_nothing(clip: Clip, library_home: Path) -> None:
    for n in (1, 2):
        assert clip("add", f"Article number {n} of the library.", "--title", f"A{n}").exit_code == 0
    assert clip("backup").exit_code == 0
    store = library_home / "clippings.json"
    store.write_bytes(as_schema_1(store)[:-3])  # the closing braces only
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stderr
    assert "holds all 2 clippings read from the damaged file" in repaired.stderr
    assert not list(library_home.glob("clippings.json.salvaged-*"))


def test_doctor_repair_says_when_nothing_can_be_read(clip: Clip, library_home: Path) -> None:
    assert clip("add", "Article number 1 of the library.", "--title", "A1").exit_code == 0
    assert clip("backup").exit_code == 0
    (library_home / "clippings.json").write_bytes(b"\x00\x01 not json at all")
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stderr
    assert "Nothing could be read from the damaged file" in repaired.stderr
    assert not list(library_home.glob("clippings.json.salvaged-*"))


def test_doctor_on_a_store_that_cannot_be_read_at_all_is_a_clear_finding(
    clip: Clip, library_home: Path
) -> None:
    assert clip("add", "Article number 1 of the library.", "--title", "A1").exit_code == 0
    assert clip("backup").exit_code == 0
    store = library_home / "clippings.json"
    store.unlink()
    store.mkdir()  # read_raw fails before there are any bytes to salvage
    found = clip("doctor")
    assert found.exit_code == 1
    assert "is a folder" in found.stderr and "Traceback" not in found.stderr
