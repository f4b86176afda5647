"""Hand-edited records: a damaged one is skipped with a warning, listed by doctor, never lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clipper.library.core import Library
from clipper.model import MAX_ID, Draft
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message

Tables = dict[str, Any]


def two_clippings(library: Library) -> Path:
    library.add(Draft(text="The first article, about the harbour.", title="Harbour"))
    library.add(Draft(text="The second article, about the bridge.", title="Bridge"))
    return library.paths.store


def edit(store: Path, change: Callable[[Tables], object]) -> Tables:
    data = stored.tables(store)
    change(data)
    stored.save(store, data)
    return data


def second(name: str, value: object) -> Callable[[Tables], None]:
    def change(data: Tables) -> None:
        data["clippings"]["2"][name] = value

    return change


def huge_key(data: Tables) -> None:
    data["clippings"][str(2**70)] = dict(data["clippings"].pop("2"))


RECORD_EDITS = {
    "unknown title_source": second("title_source", "alien"),
    "captured null": second("captured", None),
    "title a number": second("title", 123),
    "tags numbers": second("tags", [1, 2]),
    "url a number": second("url", 5),
    "authors a string": second("authors", "Smith"),
    "starred a string": second("starred", "yes"),
    "word_count huge": second("word_count", 2**64 - 1),
    "id huge": second("id", 2**63),
    "a record that is text": lambda data: data["clippings"].update({"2": "hello"}),
    "a key of 2^70": huge_key,
    "a key that is not a number": lambda data: data["clippings"].update(
        {"second": data["clippings"].pop("2")}
    ),
    "a key with a leading zero": lambda data: data["clippings"].update(
        {"01": data["clippings"].pop("2")}
    ),
}


@pytest.mark.parametrize("change", RECORD_EDITS.values(), ids=RECORD_EDITS.keys())
def test_a_damaged_record_is_skipped_listed_and_kept(
    clip: Clip, library: Library, change: Callable[[Tables], None]
) -> None:
    store = two_clippings(library)
    damaged = edit(store, change)
    bad = {k: v for k, v in damaged["clippings"].items() if k != "1"}

    listed = clip("list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].startswith("1\t")
    assert len(listed.stdout.splitlines()) == 1
    assert "Warning: 1 damaged clipping skipped" in listed.stderr
    assert "run `clip doctor`" in listed.stderr

    for args in (("search", "harbour"), ("show", "1"), ("export", "-f", "json"),
                 ("export", "-f", "md"), ("stats",), ("tags",)):  # fmt: skip
        assert clip(*args).exit_code == 0, args
    assert json.loads(clip("export", "-f", "json").stdout)["clippings"][0]["id"] == 1

    # A write works on the sound records, and keeps the damaged one exactly as it was.
    assert clip("tag", "1", "-t", "port").exit_code == 0
    assert clip("add", "A third article, about the river.", "--title", "River").exit_code == 0
    after = stored.tables(store)["clippings"]
    assert {k: v for k, v in after.items() if k in bad} == bad
    assert after["1"]["tags"] == ["port"]
    new_ids = set(after) - set(bad) - {"1"}
    assert new_ids == {"3"}  # never the damaged record's id

    doctor = clip("doctor")
    assert doctor.exit_code == 1
    assert "every command skips it until it is fixed by hand" in doctor.stderr
    repair = clip("doctor", "--repair")
    assert repair.exit_code == 1
    assert stored.tables(store)["clippings"].keys() >= bad.keys()


def test_a_damaged_record_is_named_when_shown(clip: Clip, library: Library) -> None:
    store = two_clippings(library)
    edit(store, second("title", 123))
    shown = clip("show", "2")
    assert shown.exit_code == 1
    assert shown.stderr.splitlines() == [
        "Error: clipping 2 is damaged in clippings.json (has a title that is 123, not text); "
        "clip leaves it as it is until it is fixed by hand (see `clip doctor`)."
    ]


@pytest.mark.parametrize("name", ["next_id", "generation"])
@pytest.mark.parametrize("value", ["x", None, -1, 2**60, [1]])
def test_a_broken_counter_is_reported_and_repaired(
    clip: Clip, library: Library, name: str, value: object
) -> None:
    store = two_clippings(library)
    edit(store, lambda data: data["meta"]["1"].update({name: value}))
    listed = clip("list")
    assert listed.exit_code == 0
    assert f"Warning: the library's {name} is" in listed.stderr
    doctor = clip("doctor")
    assert doctor.exit_code == 1
    assert f"the library's {name} is" in doctor.stderr
    assert clip("doctor", "--repair").exit_code == 0
    assert clip("doctor").stderr.strip() == "No problems found."
    added = clip("add", "A third article, about the river.", "--title", "River")
    assert added.exit_code == 0
    assert added.stdout.strip() == "3"
    meta = stored.tables(store)["meta"]["1"]
    assert meta["next_id"] == 4


@pytest.mark.parametrize("name", ["next_id", "generation"])
def test_writes_go_on_past_a_broken_counter(clip: Clip, library: Library, name: str) -> None:
    store = two_clippings(library)
    edit(store, lambda data: data["meta"]["1"].update({name: "x"}))
    assert clip("tag", "1", "-t", "port").exit_code == 0
    assert clip("rm", "2").exit_code == 0
    added = clip("add", "A third article, about the river.", "--title", "River")
    assert added.exit_code == 0
    assert added.stdout.strip() == "3"


def test_an_id_below_next_id_but_damaged_is_never_handed_out(library: Library) -> None:
    store = two_clippings(library)
    # next_id typed back down: the damaged record's id still counts as used.
    edit(store, lambda d: (second("text", 5)(d), d["meta"]["1"].update({"next_id": 2})))
    assert library.add(Draft(text="A third article, on the ferry.", title="Ferry")).id == 3
    # The next add appends to the file without parsing it: still not the damaged id.
    assert library.add(Draft(text="A fourth article, on the dock.", title="Dock")).id == 4
    assert stored.tables(store)["clippings"]["2"]["text"] == 5


@pytest.mark.parametrize("huge", [2**53, 2**63 - 1, 2**63, 2**64 - 1])
def test_an_imported_id_out_of_range_gets_a_new_one(clip: Clip, tmp_path: Path, huge: int) -> None:
    source = tmp_path / "h.jsonl"
    source.write_text(json.dumps({"id": huge, "title": "H", "text": "huge id"}) + "\n")
    assert clip("import", str(source)).exit_code == 0
    listed = clip("list", "--json")
    assert listed.exit_code == 0
    assert [c["id"] for c in json.loads(listed.stdout)] == [1]
    assert clip("search", "huge").exit_code == 0
    assert clip("show", "1").exit_code == 0
    assert clip("add", "Another article.", "--title", "Next").stdout.strip() == "2"
    assert clip("doctor").stderr.strip() == "No problems found."


def _largest_id_typed_in(clip: Clip, library_home: Path) -> None:
    """A clipping whose id a hand edit made the largest but one (an import keeps no id that
    large: its ids stay below a billion, see formats/records.kept_id)."""
    assert clip("add", "big id", "--title", "H").exit_code == 0
    store = library_home / "clippings.json"
    data = stored.tables(store)
    record = data["clippings"].pop("1")
    record["id"] = MAX_ID - 1
    data["clippings"][str(MAX_ID - 1)] = record
    stored.save(store, data)


def test_the_largest_id_is_kept(clip: Clip, library_home: Path) -> None:
    _largest_id_typed_in(clip, library_home)
    assert clip("show", str(MAX_ID - 1)).exit_code == 0
    assert clip("doctor").stderr.strip() == "No problems found."


def test_no_id_beyond_the_largest_is_handed_out(clip: Clip, library_home: Path) -> None:
    _largest_id_typed_in(clip, library_home)
    assert clip("add", "Another article.", "--title", "Next").stdout.strip() == str(MAX_ID)
    refused = clip("add", "A last article.", "--title", "Last")
    assert refused.exit_code == 1
    assert "used every id" in refused.stderr
    assert clip("doctor").stderr.strip() == "No problems found."


def test_a_restored_backup_never_hands_an_id_out_again(clip: Clip, library: Library) -> None:
    store = two_clippings(library)
    backup = library.backup_now()
    third = library.add(Draft(text="The third article, about the ferry.", title="Ferry"))
    library.remove([third.id])
    library.empty_trash()  # clipping 3 is gone for good; its id must stay used
    generation = stored.tables(store)["meta"]["1"]["generation"]
    assert clip("restore", backup.name, "--yes").exit_code == 0
    meta = stored.tables(store)["meta"]["1"]
    assert meta["next_id"] == 4
    assert meta["generation"] > generation
    assert [c.id for c in library.clippings()] == [1, 2]
    added = clip("add", "A fourth article, about the dock.", "--title", "Dock")
    assert added.stdout.strip() == "4"
    assert clip("doctor").stderr.strip() == "No problems found."


def test_an_import_keeps_no_text_over_the_cap(clip: Clip, tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    lines = [
        {"title": "Big", "text": "word " * (4 * 1024 * 1024 + 1)},  # 20 MB and 5 bytes
        {"title": "Blank", "text": "\u200b \u200b\n\u200b"},
        {"title": "Small", "text": "A small article."},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = clip("import", str(source))
    assert "over 20 MB" in result.stdout + result.stderr
    assert "has no text" in result.stdout + result.stderr
    listed = json.loads(clip("list", "--json").stdout)
    assert [c["title"] for c in listed] == ["Small"]


def test_every_read_warns_until_the_record_is_fixed(clip: Clip, library: Library) -> None:
    store = two_clippings(library)
    edit(store, second("title", 123))
    for args in (("list",), ("list",), ("search", "bridge"), ("tags",)):
        # The first read builds the index from the store; the others are answered by it.
        assert "Warning: 1 damaged clipping skipped (ids 2)" in clip(*args).stderr, args
    edit(store, second("title", "Bridge"))
    listed = clip("list")
    assert listed.stderr == ""
    assert len(listed.stdout.splitlines()) == 2


def test_an_import_into_a_library_of_damaged_records_keeps_them(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.paths.home.mkdir()
    damaged = {"id": 1, "title": 123, "text": "Hand-typed.", "uuid": "u", "captured": "c"}
    library.paths.store.write_text(json.dumps({"clippings": {"1": damaged}}))
    source = tmp_path / "export.jsonl"
    source.write_text(json.dumps({"id": 1, "title": "H", "text": "Exported with id 1."}) + "\n")
    assert clip("import", str(source)).exit_code == 0
    kept = stored.tables(library.paths.store)["clippings"]
    assert kept["1"] == damaged
    assert kept["2"]["text"] == "Exported with id 1."


def test_restoring_over_a_damaged_record_is_refused(clip: Clip, library: Library) -> None:
    store = two_clippings(library)
    library.remove([2])
    edit(store, lambda d: d["clippings"].update({"2": {"id": 2, "title": 5}}))
    restored = clip("trash", "restore", "2")
    assert "clipping 2 is damaged in clippings.json" in error_message(restored, 1)
    assert stored.tables(store)["clippings"]["2"] == {"id": 2, "title": 5}
