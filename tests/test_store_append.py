"""`clip add` on a store file that clip wrote: the clipping is appended without parsing the file,
and every way the file can differ from what clip wrote falls back to reading it whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clipper.store
from clipper.atomic import WriteError
from clipper.errors import DuplicateError
from clipper.intake import Added
from clipper.library import Library
from clipper.model import Draft
from clipper.store import SCHEMA_VERSION
from clipper.store_layout import Appendable, serialize

VOCABULARY = (
    "harbour council budget minister seminar embassy election court ferry storm river bridge "
    "school doctor museum festival railway airport market factory farmer tourist village"
)
WORDS = VOCABULARY.split()


def story(n: int, length: int = 60) -> str:
    """A text of its own: no two stories share many three-word runs."""
    words = [WORDS[(n * 7 + i * i * (n + 3)) % len(WORDS)] + str((n * 31 + i) % 97)
             for i in range(length)]  # fmt: skip
    return " ".join(words).capitalize() + "."


def add(library: Library, n: int, **fields: object) -> Added:
    return library.add_captured(Draft(text=story(n), title=f"Story {n}", **fields))  # type: ignore[arg-type]


@pytest.fixture
def used(library: Library) -> Library:
    """A library with two clippings whose index is current (the state after any clip add)."""
    add(library, 1, tags=["politics"])
    add(library, 2, tags=["politics", "region/az"])
    library.select(limit=1)
    return library


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times the store file is parsed whole."""
    calls: list[int] = []
    original = clipper.store.parse_store

    def counting(raw: bytes, path: Path) -> object:
        calls.append(len(raw))
        return original(raw, path)

    monkeypatch.setattr(clipper.store, "parse_store", counting)
    return calls


def store_data(library: Library) -> dict[str, dict[str, dict[str, object]]]:
    data: dict[str, dict[str, dict[str, object]]] = json.loads(library.paths.store.read_bytes())
    return data


def test_the_file_is_written_in_clips_layout_with_a_checksum(used: Library) -> None:
    raw = used.paths.store.read_bytes()
    assert list(json.loads(raw)) == ["meta", "trash", "clippings"]
    assert Appendable.read(raw, SCHEMA_VERSION) is not None
    assert b"".join(serialize(json.loads(raw))) == raw  # the layout follows from the content


def test_appended_adds_suggest_tags_from_the_library(used: Library) -> None:
    text = story(4) + " The election was held. Election results came late."
    added = used.add_captured(Draft(text=text, title="Election day"), auto_tag=True)
    assert "election" in added.clipping.tags


def test_duplicates_are_refused_through_the_index(used: Library) -> None:
    with pytest.raises(DuplicateError, match="clipping 1"):
        used.add_captured(Draft(text=story(1), title="Again"))
    with pytest.raises(DuplicateError, match="URL"):
        add(used, 3, url="https://example.org/a")
        add(used, 4, url="https://example.org/a")


def test_a_trashed_duplicate_is_named(used: Library) -> None:
    used.remove([2])
    add(used, 5)  # appends again: the file is clip's own
    with pytest.raises(DuplicateError, match="in the trash"):
        used.add_captured(Draft(text=story(2), title="Again"))


def test_a_near_duplicate_takes_the_path_that_links_both(used: Library) -> None:
    added = used.add_captured(Draft(text=story(1) + " One more line here.", title="Retold"))
    assert [n.id for n in added.near_duplicates] == [1]
    assert used.get(1).near_duplicates == [added.clipping.id]


def test_a_hand_edit_is_read_whole_and_kept(used: Library, no_parsing: list[int]) -> None:
    store = used.paths.store
    store.write_bytes(store.read_bytes().replace(b'"Story 1"', b'"Story one"'))
    add(used, 3)
    assert no_parsing  # the checksum no longer held
    assert used.get(1).title == "Story one"
    assert Appendable.read(store.read_bytes(), SCHEMA_VERSION) is not None  # clip's again


def test_a_lowered_next_id_never_reuses_an_id(used: Library) -> None:
    store = used.paths.store
    store.write_bytes(store.read_bytes().replace(b'"next_id": 3', b'"next_id": 1'))
    assert Appendable.read(store.read_bytes(), SCHEMA_VERSION) is not None  # meta is not summed
    added = add(used, 3)
    assert added.clipping.id == 3
    assert list(store_data(used)["clippings"]) == ["1", "2", "3"]


def test_a_stale_index_means_reading_the_store(used: Library, no_parsing: list[int]) -> None:
    used.paths.index.unlink()
    add(used, 3)
    assert no_parsing
    assert len(used.select()) == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw[:-3],  # truncated
        lambda raw: raw + b"\n",  # a newline added by an editor
        lambda raw: raw.replace(b'"schema_version": 1', b'"schema_version": 99'),
        lambda raw: raw.replace(b'"generation": ', b'"generation": "x", "g": '),
        lambda raw: json.dumps(json.loads(raw)).encode(),  # same content, another layout
    ],
    ids=["truncated", "newline", "newer", "bad generation", "relaid"],
)
def test_files_not_exactly_as_written_are_not_appended_to(used: Library, change: object) -> None:
    raw = used.paths.store.read_bytes()
    assert Appendable.read(change(raw), SCHEMA_VERSION) is None  # type: ignore[operator]


def test_a_failed_append_leaves_the_file(used: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    before = used.paths.store.read_bytes()

    def fail(path: Path, _: object) -> None:
        raise WriteError(path, "No space left on device")

    monkeypatch.setattr(clipper.store, "write_atomically", fail)
    with pytest.raises(clipper.store.StoreError, match="unchanged"):
        add(used, 3)
    assert used.paths.store.read_bytes() == before


def test_the_file_stays_a_database_tinydb_opens(used: Library) -> None:
    from tinydb import TinyDB

    with TinyDB(used.paths.store, access_mode="r") as db:
        assert sorted(doc.doc_id for doc in db.table("clippings").all()) == [1, 2]
        assert db.table("clippings").get(doc_id=2)["tags"] == ["politics", "region/az"]  # type: ignore[index]
        assert db.table("meta").get(doc_id=1)["next_id"] == 3  # type: ignore[index]
