"""The search index follows the store: writes, hand edits, deletion and damage of the index."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clipper.errors import DuplicateError
from clipper.library.core import Library
from clipper.library.intake import StoreKnown
from clipper.model import Clipping, Draft
from clipper.search import segments as segments_module
from clipper.search.folding import FOLD_VERSION
from clipper.search.index import INDEX_FORMAT, Changes, SearchIndex, Source
from clipper.search.kept import opened
from clipper.search.rows import CARD_SQL, card_record
from clipper.search.searcher import Searcher
from clipper.storage import layout
from clipper.storage.store import Store, StoreVersion, Transaction
from tests import stored


def draft(text: str, title: str = "A title", **fields: Any) -> Draft:
    return Draft(text=text, title=title, **fields)


def found(library: Library, query: str) -> list[int]:
    return sorted(hit.clipping.id for hit in library.search(query).hits)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the index had to read the store (one entry per segment read: the
    store here is one segment, the whole file)."""
    calls: list[int] = []
    original = segments_module.read

    def counting(source: Source, name: str) -> Any:
        calls.append(1)
        return original(source, name)

    monkeypatch.setattr(segments_module, "read", counting)
    return calls


@pytest.fixture
def indexed(library: Library, loads: list[int]) -> Library:
    library.add_many([
        draft("The harbour tram line was approved by the council.", "Tram line approved",
              tags=["transport"], language="en"),
        draft("Budget debate in parliament ran late into the night.", "Budget debate"),
        draft("The summit on climate ended without agreement.", "Climate summit"),
    ])  # fmt: skip
    assert found(library, "tram") == [1]  # builds the index: one load
    assert loads == [1]
    return library


def edit_store_by_hand(library: Library, change: Any) -> None:
    data = stored.tables(library.paths.store)
    change(data)
    stored.save(library.paths.store, data)


# Writes through the library update the index without reading the store again ----------------


def test_an_added_clipping_is_indexed_without_a_rebuild(indexed: Library, loads: list[int]) -> None:
    indexed.add(draft("A ferry strike stopped the harbour traffic.", "Ferry strike"))
    assert found(indexed, "ferry") == [4]
    assert found(indexed, "harbour") == [1, 4]
    assert loads == [1]


def test_clip_add_keeps_the_index_current_with_its_near_duplicates(
    indexed: Library, loads: list[int]
) -> None:
    story = " ".join(
        f"The ferry company said sailing {n} was cancelled by the storm." for n in range(40)
    )
    first = indexed.add_captured(draft(story, "Ferry sailings cancelled")).clipping
    second = indexed.add_captured(draft(story + " More later.", "Ferries cancelled")).clipping
    assert found(indexed, "ferry") == [first.id, second.id]
    again = indexed.get_many([first.id, second.id])
    assert again[0].near_duplicates == [second.id]  # linked both ways, the index has both
    assert again[1].near_duplicates == [first.id]
    assert loads == [1]


def test_a_near_duplicate_linked_across_segments_leaves_the_index_current(
    library: Library, loads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "SEGMENT_SIZE", 2)  # ids 1-2, 3-4: the links cross segments
    story = " ".join(
        f"The ferry company said sailing {n} was cancelled by the storm." for n in range(40)
    )
    first = library.add_captured(draft(story, "Ferry sailings cancelled")).clipping
    library.add_many([draft("Budget debate in parliament.", "Budget"),
                      draft("The summit on climate ended.", "Summit")])  # fmt: skip
    assert found(library, "ferry") == [first.id]  # builds the index
    loads.clear()
    second = library.add_captured(draft(story + " More later.", "Ferries cancelled")).clipping
    assert library.get(first.id).near_duplicates == [second.id]
    assert found(library, "ferry") == [first.id, second.id]
    assert loads == []  # both segments named by the write: none is read again


def test_add_many_is_one_index_update(indexed: Library, loads: list[int]) -> None:
    indexed.add_many([draft(f"Report number {n} on the ferry.", f"Ferry {n}") for n in range(5)])
    assert found(indexed, "ferry") == [4, 5, 6, 7, 8]
    assert loads == [1]


def test_every_kind_of_write_keeps_the_index_current(indexed: Library, loads: list[int]) -> None:
    indexed.edit(2, {"title": "Budget vote", "text": "The vote on the budget passed."})
    assert found(indexed, "vote") == [2] and found(indexed, "debate") == []
    indexed.tag([1, 3], ["region/portmere"])
    assert found(indexed, "tag:region") == [1, 3]
    indexed.untag([3], ["region/portmere"])
    assert found(indexed, "tag:region") == [1]
    indexed.rename_tag("region", "place")
    assert found(indexed, "tag:place/portmere") == [1] and found(indexed, "tag:region") == []
    indexed.set_starred([3], True)
    assert found(indexed, "is:starred") == [3]
    indexed.set_note(2, "check the figures")
    assert found(indexed, "has:note") == [2]
    indexed.remove([1])
    assert found(indexed, "tram") == []
    indexed.restore([1])
    assert found(indexed, "tram") == [1]
    indexed.remove([1])
    indexed.empty_trash()
    assert found(indexed, "tram OR budget OR climate") == [2, 3]
    assert loads == [1]


def test_list_and_show_read_the_index_not_the_store(indexed: Library, loads: list[int]) -> None:
    assert [c.id for c in indexed.select(limit=2)] == [3, 2]
    assert [c.title for c in indexed.get_many([3, 1])] == ["Climate summit", "Tram line approved"]
    assert loads == [1]


# Changes made behind clip's back ------------------------------------------------------------


def test_a_hand_edit_of_the_store_is_noticed(indexed: Library, loads: list[int]) -> None:
    def retitle(data: dict[str, Any]) -> None:
        data["clippings"]["2"]["title"] = "Ferry timetable"
        data["clippings"]["2"]["text"] = "The ferry timetable changes in May."

    edit_store_by_hand(indexed, retitle)
    assert found(indexed, "ferry") == [2]
    assert found(indexed, "budget") == []
    assert [c.title for c in indexed.get_many([2])] == ["Ferry timetable"]
    assert loads == [1, 1]  # caught up once
    assert found(indexed, "ferry") == [2]
    assert loads == [1, 1]


def test_records_added_and_removed_by_hand(indexed: Library) -> None:
    def swap(data: dict[str, Any]) -> None:
        record = dict(data["clippings"]["1"], id=9, title="Lighthouse", text="A lighthouse.")
        data["clippings"]["9"] = record
        del data["clippings"]["3"]

    edit_store_by_hand(indexed, swap)
    assert found(indexed, "lighthouse") == [9]
    assert found(indexed, "climate") == []
    assert [c.id for c in indexed.select()] == [9, 2, 1]


def test_a_malformed_record_is_left_out_of_the_index(indexed: Library) -> None:
    edit_store_by_hand(indexed, lambda data: data["clippings"].update({"7": {"id": 7}}))
    assert found(indexed, "tram OR budget OR climate") == [1, 2, 3]


def test_a_write_after_a_hand_edit_still_catches_up(indexed: Library, loads: list[int]) -> None:
    edit_store_by_hand(indexed, lambda data: data["clippings"]["3"].update(text="Lighthouse."))
    indexed.add(draft("Fog closed the port.", "Fog"))  # the index was stale: not marked current
    assert found(indexed, "fog") == [4]
    assert found(indexed, "lighthouse") == [3]
    assert loads == [1, 1]


def test_a_restored_backup_is_noticed(indexed: Library) -> None:
    backup = indexed.backup_now()
    indexed.remove([1, 2, 3])
    indexed.empty_trash()
    assert found(indexed, "tram") == []
    indexed.restore_backup(str(backup))
    assert found(indexed, "tram") == [1]


def test_touching_the_store_without_changes_only_updates_the_record(indexed: Library) -> None:
    path = indexed.paths.store
    path.write_bytes(path.read_bytes())
    assert found(indexed, "tram") == [1]


# The index file itself ----------------------------------------------------------------------


def test_a_deleted_index_is_rebuilt(indexed: Library) -> None:
    indexed.paths.index.unlink()
    assert found(indexed, "budget") == [2]
    assert indexed.paths.index.exists()


def test_a_damaged_index_is_reported_then_rebuilt(indexed: Library) -> None:
    indexed.paths.index.write_bytes(b"this is not an index" * 100)
    assert indexed.index_status() is not None
    assert found(indexed, "budget") == [2]
    assert indexed.index_status() is None


def test_an_index_from_before_the_capture_day_column_is_rebuilt(
    indexed: Library, loads: list[int]
) -> None:
    # An index as the previous format wrote it: no docs.captured, which `captured:` needs.
    with sqlite3.connect(indexed.paths.index) as conn:
        conn.execute("ALTER TABLE docs DROP COLUMN captured")
        conn.execute(f"PRAGMA user_version = {200 + FOLD_VERSION}")
    conn.close()
    assert "another version" in (indexed.index_status() or "")
    assert found(indexed, "climate captured:7d") == [3]
    assert loads == [1, 1]


def test_an_index_of_another_format_is_rebuilt(indexed: Library, loads: list[int]) -> None:
    with sqlite3.connect(indexed.paths.index) as conn:
        conn.execute(f"PRAGMA user_version = {INDEX_FORMAT + 1}")
    conn.close()
    assert "another version" in (indexed.index_status() or "")
    assert found(indexed, "climate") == [3]
    assert loads == [1, 1]


def test_an_index_of_unstemmed_words_is_rebuilt_once_with_progress(
    indexed: Library, loads: list[int]
) -> None:
    # The format before stemming: a search would not find "approve" in "approved".
    with sqlite3.connect(indexed.paths.index) as conn:
        conn.execute(f"PRAGMA user_version = {300 + FOLD_VERSION}")
    conn.close()
    seen: list[tuple[int, int]] = []
    indexed.index_progress = lambda done, total: seen.append((done, total))
    assert found(indexed, "approve") == [1]
    assert seen[-1] == (3, 3)
    assert found(indexed, "approving") == [1]
    assert loads == [1, 1]  # rebuilt once, then current


def test_reindex_rebuilds_and_reports_progress(indexed: Library) -> None:
    seen: list[tuple[int, int]] = []
    indexed.index_progress = lambda done, total: seen.append((done, total))
    assert indexed.reindex() == 3
    assert seen[-1] == (3, 3)
    assert found(indexed, "tram") == [1]


def test_an_empty_library_has_no_index(library: Library) -> None:
    assert library.search("anything").hits == []
    assert library.select() == []
    assert not library.paths.index.exists()
    assert library.reindex() == 0


def test_no_temporary_files_are_left(indexed: Library) -> None:
    indexed.reindex()
    leftovers = [p.name for p in indexed.paths.home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_an_index_that_cannot_be_written_is_kept_in_memory(tmp_path: Path) -> None:
    store = FakeStore({"a": {1: record(1, "Tram", "tram line")}})
    index = SearchIndex(tmp_path / "missing-folder" / "index.sqlite3")
    assert index.rebuild(store) == 1
    assert index.conn.execute("SELECT count(*) FROM docs").fetchone()[0] == 1
    index.close()


# Catching up segment by segment (a fake store of several segments) ---------------------------


def record(record_id: int, title: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"id": record_id, "uuid": f"u{record_id}", "title": title, "text": text,
            "captured": "2024-05-01T00:00:00+00:00", **fields}  # fmt: skip


class FakeStore:
    """The store interface the index reads (state, read_segment, read_records), over
    segments held in memory; `reads` lists the segments read."""

    def __init__(self, segments: dict[str, dict[int, dict[str, Any]]]) -> None:
        self.segments = segments
        self.versions = dict.fromkeys(segments, 1)
        self.generation = 1
        self.reads: list[str] = []

    def state(self) -> StoreVersion:
        # A fake store's segment versions: any tuple that changes with the segment will do.
        return StoreVersion(self.generation, {name: (v,) for name, v in self.versions.items()})

    def read_segment(self, name: str) -> dict[str, dict[int, dict[str, Any]]]:
        self.reads.append(name)
        return {"clippings": dict(self.segments.get(name, {})), "trash": {}}

    def read_records(self, table: str, ids: Any) -> dict[int, dict[str, Any]]:
        every = {i: r for segment in self.segments.values() for i, r in segment.items()}
        return {i: every[i] for i in ids if i in every and table == "clippings"}

    def change(self, name: str, records: dict[int, dict[str, Any]] | None) -> None:
        """Replace a segment's records (None: the segment goes), as a hand edit would."""
        self.commit({name: records})

    def commit(self, segments: dict[str, dict[int, dict[str, Any]] | None]) -> None:
        """Replace several segments' records in one write (one generation)."""
        for name, records in segments.items():
            if records is None:
                del self.segments[name], self.versions[name]
            else:
                self.segments[name] = records
                self.versions[name] = self.versions.get(name, 0) + 1
        self.generation += 1


@pytest.fixture
def segmented(tmp_path: Path) -> tuple[FakeStore, Searcher]:
    store = FakeStore({
        "a": {1: record(1, "Tram line", "The harbour tram line was approved."),
              2: record(2, "Budget", "Budget debate in parliament.")},
        "b": {3: record(3, "Climate", "The climate summit ended.", tags=["world"])},
        "c": {4: record(4, "Ferry", "A ferry strike stopped the harbour.")},
    })  # fmt: skip
    searcher = Searcher(tmp_path / "index.sqlite3", store)
    assert ids(searcher, "harbour") == [1, 4]
    assert sorted(store.reads) == ["a", "b", "c"]
    store.reads.clear()
    return store, searcher


def ids(searcher: Searcher, query: str) -> list[int]:
    return sorted(hit.clipping.id for hit in searcher.search(query).hits)


def test_a_changed_segment_is_the_only_one_read_again(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    changed = dict(store.segments["b"])
    changed[3] = dict(changed[3], tags=["world", "climate/summit"], starred=True)
    store.change("b", changed)
    assert ids(searcher, "tag:climate/summit is:starred") == [3]
    assert store.reads == ["b"]
    assert ids(searcher, "harbour") == [1, 4]  # current again: nothing more read
    assert store.reads == ["b"]


def test_clippings_added_to_a_segment_or_in_a_new_one_are_read_alone(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    store.change("c", {**store.segments["c"], 5: record(5, "Fog", "Fog closed the harbour.")})
    store.change("d", {6: record(6, "Lighthouse", "A lighthouse by the harbour.")})
    assert ids(searcher, "harbour") == [1, 4, 5, 6]
    assert sorted(store.reads) == ["c", "d"]


def test_a_text_changed_by_hand_is_found_by_its_new_words_only(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    store.change("a", {**store.segments["a"], 2: record(2, "Budget", "A vote on taxes.")})
    assert ids(searcher, "taxes") == [2]
    assert ids(searcher, "debate") == []
    assert ids(searcher, "harbour") == [1, 4]


def test_a_vanished_segment_takes_its_clippings_out(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    store.change("c", None)
    assert ids(searcher, "harbour") == [1]
    assert ids(searcher, "ferry") == []
    store.change("a", {1: store.segments["a"][1]})  # a clipping deleted by hand
    assert ids(searcher, "budget") == []
    assert [c.id for c in searcher.select()] == [3, 1]


# What the index keeps, and what is read from the store -----------------------------------------


def test_the_index_keeps_no_copy_of_the_texts(indexed: Library) -> None:
    text = "Budget debate in parliament ran late into the night."
    with sqlite3.connect(indexed.paths.index) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'fts%'"
        )]  # fmt: skip
        held = [
            value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")
            for table in tables
            for row in conn.execute(f"SELECT * FROM {table}")
            for value in row
            if isinstance(value, str | bytes)
        ]
        cards = [card_record(*row) for row in conn.execute(
            f"SELECT {CARD_SQL.format(d='')} FROM docs"
        )]  # fmt: skip
    conn.close()
    held += [json.dumps(card) for card in cards]  # the cards as they read, not compressed
    assert held and not [value for value in held if "parliament ran late" in value]
    assert all("text" not in card and "signature" not in card for card in cards)
    assert [c.text for c in indexed.get_many([2])] == [text]  # the store has it


@pytest.fixture
def store_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The ids of every `Store.read_records` call."""
    calls: list[list[int]] = []
    original = Store.read_records

    def counting(self: Store, table: str, ids: Any) -> Any:
        ids = list(ids)
        calls.append(ids)
        return original(self, table, ids)

    monkeypatch.setattr(Store, "read_records", counting)
    return calls


def test_a_card_gives_back_every_field_but_the_text(library: Library) -> None:
    """The index keeps cards compressed, their authors and near duplicates beside them: what a
    list, a search or `clip stats` reads of a clipping is what the store holds of it."""
    story = " ".join(f"Ferry crews walked out over rotas at pier {n} today." for n in range(30))
    library.add_many([
        draft(story, "Grève des ferries : « pas de départ »", url="https://Port.Example/A?x=1",
              source="Harbour Herald", authors=["Ann Writer", "Bö Lee"], tags=["labour/ferry"],
              published="2026-03", language="fr", note="Vote 31-18.", starred=True),
        draft(story + " An update.", "Ferry strike, update", source="news.az"),
        draft("A short text about nothing much at all here.", "Plain"),
    ])  # fmt: skip
    stored = library.get_many([1, 2, 3])
    assert stored[0].near_duplicates == [2] and stored[1].near_duplicates == [1]
    cards = library.select_page(sort="oldest", cards=True).items
    omitted = {"text", "signature", "description", "passages", "provenance", "content_hash"}
    for card, clipping in zip(cards, stored, strict=True):
        whole, summary = clipping.to_dict(), card.to_dict()
        assert {k: v for k, v in summary.items() if k not in omitted} == {
            k: v for k, v in whole.items() if k not in omitted
        }
    assert found(library, "has:duplicates") == [1, 2]
    assert library.stats().authors == [("Ann Writer", 1), ("Bö Lee", 1)]
    with sqlite3.connect(library.paths.index) as conn:
        sizes = conn.execute("SELECT length(card), authors, near FROM docs ORDER BY id").fetchall()
    conn.close()
    assert sizes[0][1:] == ('["Ann Writer","Bö Lee"]', "[2]") and sizes[2][1:] == (None, None)
    plain = [json.dumps({k: v for k, v in c.to_dict().items() if k not in omitted and v
                         and k not in ("authors", "near_duplicates")}) for c in stored]  # fmt: skip
    assert all(size < len(text) for (size, _, _), text in zip(sizes, plain, strict=True))


def test_a_list_is_printed_from_cards_and_search_reads_only_its_page(
    indexed: Library, store_reads: list[list[int]]
) -> None:
    page = indexed.select_page(limit=2, cards=True)
    assert [(c.id, c.title, c.text) for c in page.items] == [
        (3, "Climate summit", ""), (2, "Budget debate", "")
    ]  # fmt: skip
    assert store_reads == []
    assert [c.text for c in indexed.select_page(limit=1).items] == [
        "The summit on climate ended without agreement."
    ]
    assert store_reads == [[3]]
    hits = indexed.search("tram OR budget OR climate", limit=2).hits
    assert all(hit.snippet.plain for hit in hits) and len(hits) == 2
    assert store_reads[-1] == [hit.clipping.id for hit in hits]


# One intake: what `clip add` asks of the index, and of the store --------------------------------

STORY = " ".join(f"The ferry company said sailing {n} was cancelled by the storm." for n in range(40))  # noqa: E501


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables a store transaction was asked to list whole."""
    calls: list[str] = []
    original = Transaction.records

    def counting(self: Transaction, table: str) -> Any:
        calls.append(table)
        return original(self, table)

    monkeypatch.setattr(Transaction, "records", counting)
    return calls


def test_a_near_duplicate_add_asks_the_index_not_every_clipping(
    indexed: Library, scans: list[str], loads: list[int]
) -> None:
    first = indexed.add_captured(draft(STORY, "Ferry sailings cancelled")).clipping
    added = indexed.add_captured(draft(STORY + " More later.", "Ferries cancelled"))
    assert [(n.id, n.title) for n in added.near_duplicates] == [(first.id, first.title)]
    assert indexed.get(first.id).near_duplicates == [added.clipping.id]
    assert "clippings" not in scans  # only the trash is listed, for duplicates
    assert loads == [1]  # the index was current: nothing read again


def test_an_add_with_a_stale_index_catches_it_up_first(indexed: Library, loads: list[int]) -> None:
    def add_by_hand(data: dict[str, Any]) -> None:
        data["clippings"]["9"] = dict(data["clippings"]["1"], id=9, uuid="u9", text=STORY,
                                      title="Told by hand", content_hash="h9")  # fmt: skip
        data["clippings"]["9"]["signature"] = Clipping.create(0, draft(STORY)).signature

    edit_store_by_hand(indexed, add_by_hand)
    added = indexed.add_captured(draft(STORY + " More later.", "Ferries cancelled"))
    assert [n.id for n in added.near_duplicates] == [9]
    assert loads == [1, 1]  # caught up under the lock, then kept current by the add
    assert found(indexed, "ferry") == [9, added.clipping.id]
    assert loads == [1, 1]


def test_an_add_without_an_index_asks_the_store(indexed: Library, scans: list[str]) -> None:
    first = indexed.add_captured(draft(STORY, "Ferry sailings cancelled")).clipping
    indexed.paths.index.unlink()
    added = indexed.add_captured(draft(STORY + " More later.", "Ferries cancelled"))
    assert [n.id for n in added.near_duplicates] == [first.id]
    assert "clippings" in scans
    assert not indexed.paths.index.exists()  # the next read builds it
    with pytest.raises(DuplicateError, match=f"clipping {first.id}"):
        indexed.add_captured(draft(STORY, "Again"))


def test_near_duplicate_candidates_are_looked_up_by_bucket(indexed: Library) -> None:
    first = indexed.add_captured(draft(STORY, "Ferry sailings cancelled")).clipping
    unrelated = " ".join(f"Council minutes item {n} on the {n}th budget line." for n in range(40))
    indexed.add_captured(draft(unrelated, "Council minutes"))
    index, known = opened(indexed.paths.index, indexed.store, timeout=1)
    try:
        ids = [i for i, _, _ in known.near_candidates(Clipping.create(0, draft(STORY)).signature)]
        assert ids == [first.id]  # not every clipping with a signature
        assert known.near_candidates("") == []
    finally:
        index.close()


def segment_of(searcher: Searcher, clipping_id: int) -> str | None:
    with sqlite3.connect(searcher.index.path) as conn:
        row = conn.execute("SELECT segment FROM docs WHERE id = ?", (clipping_id,)).fetchone()
    conn.close()
    return None if row is None else str(row[0]) if row[0] is not None else None


def test_a_write_to_one_segment_names_it_and_leaves_the_index_current(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    before = store.state()
    changes = Changes()
    changes.put_records({5: record(5, "Fog", "Fog closed the harbour.")})
    store.change("c", {**store.segments["c"], **changes.upserts})
    searcher.index.apply_commit(changes, before=before, after=store.state())
    assert ids(searcher, "harbour") == [1, 4, 5]
    assert store.reads == []  # current: nothing read again
    assert segment_of(searcher, 5) == "c"


def test_a_write_to_several_segments_has_them_read_again_once(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    before = store.state()
    changes = Changes()
    changes.put_records({5: record(5, "Fog", "Fog in the harbour."),
                         6: record(6, "Gale", "A gale at the harbour.")})  # fmt: skip
    store.commit({"a": {**store.segments["a"], 5: changes.upserts[5]},
                  "d": {6: changes.upserts[6]}})  # fmt: skip
    searcher.index.apply_commit(changes, before=before, after=store.state())
    assert segment_of(searcher, 5) is None  # which of the two holds it is not known yet
    assert ids(searcher, "harbour") == [1, 4, 5, 6]
    assert sorted(store.reads) == ["a", "d"]
    assert (segment_of(searcher, 5), segment_of(searcher, 6)) == ("a", "d")
    store.reads.clear()
    assert ids(searcher, "harbour") == [1, 4, 5, 6]
    assert store.reads == []


def test_a_write_to_several_segments_that_names_them_leaves_the_index_current(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    before = store.state()
    changes = Changes()
    changes.put_records({5: record(5, "Fog", "Fog in the harbour."),
                         6: record(6, "Gale", "A gale at the harbour.")})  # fmt: skip
    changes.segments = {5: "a", 6: "d"}
    store.commit({"a": {**store.segments["a"], 5: changes.upserts[5]},
                  "d": {6: changes.upserts[6]}})  # fmt: skip
    searcher.index.apply_commit(changes, before=before, after=store.state())
    assert (segment_of(searcher, 5), segment_of(searcher, 6)) == ("a", "d")
    assert ids(searcher, "harbour") == [1, 4, 5, 6]
    assert store.reads == []


def test_segments_named_wrong_by_a_write_are_read_again(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    before = store.state()
    changes = Changes()
    changes.put_records({5: record(5, "Fog", "Fog in the harbour."),
                         6: record(6, "Gale", "A gale at the harbour.")})  # fmt: skip
    changes.segments = {5: "a", 6: "b"}  # 6 went to "d": the names are not what changed
    store.commit({"a": {**store.segments["a"], 5: changes.upserts[5]},
                  "d": {6: changes.upserts[6]}})  # fmt: skip
    searcher.index.apply_commit(changes, before=before, after=store.state())
    assert segment_of(searcher, 6) is None
    assert ids(searcher, "harbour") == [1, 4, 5, 6]
    assert sorted(store.reads) == ["a", "d"]


def test_a_write_after_another_unindexed_one_is_applied_but_not_marked_current(
    segmented: tuple[FakeStore, Searcher],
) -> None:
    store, searcher = segmented
    store.change("b", {**store.segments["b"], 7: record(7, "Tide", "High tide at the harbour.")})
    before = store.state()  # the index missed that write
    changes = Changes()
    changes.put_records({8: record(8, "Wind", "Wind over the harbour.")})
    store.change("c", {**store.segments["c"], **changes.upserts})
    searcher.index.apply_commit(changes, before=before, after=store.state())
    assert ids(searcher, "harbour") == [1, 4, 7, 8]
    assert sorted(store.reads) == ["b", "c"]


def test_the_index_and_the_store_answer_intake_alike(indexed: Library) -> None:
    first = indexed.add_captured(draft(STORY, "Ferry sailings cancelled", tags=["sea"])).clipping
    unrelated = " ".join(f"Council minutes item {n} on the {n}th budget line." for n in range(40))
    indexed.add_captured(draft(unrelated, "Council minutes", url="https://example.org/m"))
    probe = Clipping.create(0, draft(STORY + " More.", url="https://example.org/m"))
    index, by_index = opened(indexed.paths.index, indexed.store, timeout=1)
    try:
        with indexed.store.transaction() as tx:
            by_store = StoreKnown(tx)
            for known in (by_index, by_store):
                assert [i for i, _, _ in known.near_candidates(probe.signature)] == [first.id]
                assert [i for i, _ in known.same_keys(probe.url, "h", "u")] == [first.id + 1]
                assert known.recent_ids(2) == [first.id, first.id + 1]
            assert by_index.tag_counts() == by_store.tag_counts()
    finally:
        index.close()


def test_tag_totals_follow_every_kind_of_write(indexed: Library) -> None:
    def totals() -> tuple[dict[str, int], dict[str, int]]:
        with sqlite3.connect(indexed.paths.index) as conn:
            kept = dict(conn.execute("SELECT tag, n FROM tag_totals"))
            counted = dict(conn.execute("SELECT tag, count(*) FROM tags GROUP BY tag"))
        conn.close()
        return kept, counted

    indexed.tag([1, 2, 3], ["region/portmere", "sea"])
    indexed.untag([3], ["sea"])
    indexed.rename_tag("region", "place")
    indexed.remove([2])
    indexed.edit(1, {"text": "The tram line was approved again."})
    indexed.search("tram")
    kept, counted = totals()
    assert kept == counted == {"place/portmere": 2, "sea": 1, "transport": 1}
    indexed.restore([2])
    indexed.reindex()
    assert totals()[0] == totals()[1] == {"place/portmere": 3, "sea": 2, "transport": 1}
