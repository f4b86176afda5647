"""Segments: a write reads and rewrites only the segments it touches; damage stays in one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clipper.errors import DuplicateError, StoreError
from clipper.library import doctor
from clipper.library.core import Library
from clipper.model import Draft
from clipper.storage import commit, layout
from clipper.storage.atomic import WriteError
from clipper.storage.store import CLIPPINGS, TRASH
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    # Five ids a segment: a dozen clippings make three segments.
    monkeypatch.setattr(layout, "SEGMENT_SIZE", 5)


def fill(library: Library, count: int = 12) -> None:
    drafts = [Draft(text=f"Story {n} about the harbour.", title=f"S{n}") for n in range(count)]
    assert len(library.add_many(drafts).added) == count


def files(library: Library) -> dict[str, tuple[str, int]]:
    """Each segment's current file name and inode, by segment number."""
    entries = stored.manifest(library.paths.store)["segments"]
    folder = library.store.segments
    return {n: (e["file"], (folder / e["file"]).stat().st_ino) for n, e in entries.items()}


def test_a_tag_rewrites_only_the_segment_of_its_clipping(library: Library) -> None:
    fill(library)
    before = files(library)
    assert sorted(before) == ["1", "2", "3"]
    library.tag([7], ["ferry"])
    after = files(library)
    assert after["1"] == before["1"] and after["3"] == before["3"]
    assert after["2"][0] != before["2"][0]
    assert sorted(p.name for p in library.store.segments.iterdir()) == sorted(
        name for name, _ in after.values()
    )  # the superseded file is gone
    assert library.get(7).tags == ["ferry"]


def test_a_transaction_loads_only_the_segments_it_touches(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(library)
    read: list[int] = []
    from clipper.storage import segments

    original = segments.read_segment

    def counting(folder: Path, number: int, name: str, **kwargs: bool) -> object:
        read.append(number)
        return original(folder, number, name, **kwargs)

    monkeypatch.setattr(segments, "read_segment", counting)
    library.tag([12], ["late"])
    library.edit(3, {"note": "checked"})
    library.remove([8])
    assert read == [3, 1, 2]


def test_an_add_reads_only_the_segments_that_hold_trash(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every add checks the trash for duplicates: the manifest's counts say where it is. 140
    # clippings: the 120 newest (read for tag suggestions) start in segment 5.
    fill(library, 140)
    library.remove([4])
    library.reindex()  # the add's questions go to the index, not to every segment
    read: list[int] = []
    from clipper.storage import segments

    original = segments.read_segment

    def counting(folder: Path, number: int, name: str, **kwargs: bool) -> object:
        read.append(number)
        return original(folder, number, name, **kwargs)

    monkeypatch.setattr(segments, "read_segment", counting)
    library.add_captured(Draft(text="A new story about the ferry timetable.", title="Ferry"))
    assert 1 in read  # the trash of clipping 4
    assert not {2, 3, 4} & set(read)  # no trash there, no near duplicate, not recent
    with pytest.raises(DuplicateError):  # and the trash is still checked
        library.add_captured(Draft(text="Story 3 about the harbour.", title="Again"))


def test_read_records_parses_only_the_segments_holding_them(library: Library) -> None:
    fill(library)
    first = stored.segment_files(library.paths.store)[0]
    first.write_bytes(b"garbage, not JSON")  # never read by what follows
    found = library.store.read_records(CLIPPINGS, [7, 11, 99])
    assert sorted(found) == [7, 11] and found[7]["title"] == "S6"
    assert library.store.read_records(TRASH, [7]) == {}


def test_scan_reads_every_record_and_read_segment_one_segment(library: Library) -> None:
    fill(library)
    library.remove([4])
    assert [i for i, _ in library.store.scan(CLIPPINGS)] == [1, 2, 3, 5, *range(6, 13)]
    assert [i for i, _ in library.store.scan(TRASH)] == [4]
    one = library.store.read_segment("000001")
    assert sorted(one[CLIPPINGS]) == [1, 2, 3, 5] and sorted(one[TRASH]) == [4]


def test_state_names_each_segment_and_notices_a_hand_edit(library: Library) -> None:
    fill(library)
    state = library.store.state()
    assert sorted(state.segments) == ["000001", "000002", "000003"]
    assert state.generation == stored.manifest(library.paths.store)["meta"]["1"]["generation"]
    path = stored.segment_files(library.paths.store)[1]
    data = json.loads(path.read_text())
    data["clippings"]["6"]["title"] = "Fixed by hand, in place"
    path.write_text(json.dumps(data, indent=2))
    edited = library.store.state()
    assert edited.generation == state.generation
    assert [n for n in state.segments if state.segments[n] != edited.segments[n]] == ["000002"]
    assert library.get(6).title == "Fixed by hand, in place"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files by /proc")
def test_a_write_across_segments_syncs_each_file_and_their_folder_once(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(library)
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    library.tag([1, 7, 12], ["ferry"])  # one clipping in each of the three segments
    folder, home = str(library.store.segments.resolve()), str(library.paths.home.resolve())
    files = [path for path in synced if str(Path(path).parent) == folder]
    assert len(files) == 3 and all(path.endswith(".tmp") for path in files)  # before renames
    assert synced.count(folder) == 1  # the three new names made durable at once
    assert synced.count(home) == 1  # then the manifest's
    assert synced.index(folder) < synced.index(home)
    assert [c.tags for c in library.get_many([1, 7, 12])] == [["ferry"]] * 3


def test_a_state_since_an_earlier_one_looks_only_at_the_files_written_since(
    library: Library,
) -> None:
    # After its own write, a writer asks for the new state without looking at every segment
    # again (thousands at a million clippings): the files it did not rewrite keep their keys.
    fill(library)
    before = library.store.state()
    library.tag([7], ["ferry"])
    after = library.store.state(since=before)
    assert after == library.store.state()
    assert [n for n in before.segments if before.segments[n] != after.segments[n]] == ["000002"]
    path = stored.segment_files(library.paths.store)[2]  # not rewritten by the tag
    data = json.loads(path.read_text())
    data["clippings"]["11"]["title"] = "Fixed by hand, in place"
    path.write_text(json.dumps(data, indent=2))
    assert library.store.state(since=before).segments["000003"] == before.segments["000003"]
    assert library.store.state().segments["000003"] != before.segments["000003"]  # a reader's


def test_a_segment_that_does_not_parse_stays_in_its_segment(clip: Clip, library: Library) -> None:
    fill(library)
    broken = stored.segment_files(library.paths.store)[0]
    good = broken.read_bytes()
    damaged = good[: good.index(b'"4": {') + 40]  # cut inside clipping 4
    broken.write_bytes(damaged)
    assert library.get(7).title == "S6"  # the other segments read
    library.tag([7], ["fine"])  # and take writes
    with pytest.raises(StoreError, match="the segment of clippings 1-5 cannot be read"):
        library.tag([2], ["refused"])
    assert broken.read_bytes() == damaged
    found = doctor.examine(library)
    assert [f.kind for f in found] == ["segment"] and found[0].repairable
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stderr
    assert "salvaged 3 clippings from the damaged" in repaired.stderr
    kept = next(library.store.segments.glob("*.damaged-*"))
    assert kept.read_bytes() == damaged
    assert sorted(c.id for c in Library(library.paths).clippings()) == [1, 2, 3, *range(6, 13)]
    assert doctor.examine(library) == []


def test_a_segment_file_missing_is_named_by_doctor(library: Library) -> None:
    fill(library)
    stored.segment_files(library.paths.store)[2].unlink()
    found = doctor.examine(library)
    assert [(f.kind, f.repairable) for f in found] == [("segment", False)]
    assert "which is missing; restore a backup" in found[0].message


def test_counts_that_disagree_with_a_segment_are_recounted(library: Library) -> None:
    fill(library)
    data = stored.tables(library.paths.store)
    del data["clippings"]["9"]  # a hand edit of the segment file, not of the manifest
    path = stored.segment_files(library.paths.store)[1]
    segment = json.loads(path.read_text())
    del segment["clippings"]["9"]
    path.write_text(json.dumps(segment))
    assert [f.kind for f in doctor.examine(library)] == ["segment"]
    assert "recounted" in " ".join(doctor.repair(library).done)
    assert doctor.examine(library) == []
    assert stored.manifest(library.paths.store)["segments"]["2"]["clippings"] == 4


def test_a_full_disk_while_writing_a_segment_changes_nothing(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(library)
    before = stored.state_bytes(library.paths.store)
    written: list[Path] = []
    original = commit.write_atomically  # type: ignore[attr-defined]  # patched where it is used

    def fill_up(path: Path, payload: bytes, *, sync_folder: bool = True) -> None:
        if written:  # the first segment goes through; the second finds the disk full
            raise WriteError(path, "No space left on device")
        written.append(path)
        original(path, payload, sync_folder=sync_folder)

    monkeypatch.setattr(commit, "write_atomically", fill_up)
    with pytest.raises(StoreError, match="No space left on device; the library is unchanged"):
        library.tag([2, 7], ["both"])
    assert written and not written[0].exists()  # the one written is removed again
    assert stored.state_bytes(library.paths.store) == before


def test_an_empty_segment_is_no_file(library: Library) -> None:
    fill(library)
    library.remove([1, 2, 3, 4, 5])
    library.empty_trash()
    assert sorted(files(library)) == ["2", "3"]
    assert library.add(Draft(text="After the emptied trash.", title="New")).id == 13


def test_a_write_refused_by_a_damaged_record_names_its_segment_file(
    clip: Clip, library: Library
) -> None:
    fill(library)
    data = stored.tables(library.paths.store)
    data["clippings"]["7"]["title"] = 5
    stored.save(library.paths.store, data)
    library.remove([6])
    data = stored.tables(library.paths.store)
    data["clippings"]["6"] = {"id": 6, "title": 5}
    stored.save(library.paths.store, data)
    message = error_message(clip("trash", "restore", "6"), 1)
    assert "clipping 6 is damaged in clippings.json (clippings, in clippings.d/000002." in message


def test_a_library_keeps_the_segment_size_it_was_written_with(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(library)
    assert stored.manifest(library.paths.store)["meta"]["1"]["segment_size"] == 5
    monkeypatch.setattr(layout, "SEGMENT_SIZE", 3)  # a later clip cuts segments otherwise
    again = Library(library.paths)
    again.tag([7], ["still-found"])
    assert again.get(7).tags == ["still-found"] and len(again.clippings()) == 12
    assert sorted(stored.manifest(library.paths.store)["segments"]) == ["1", "2", "3"]
    assert doctor.examine(again) == []


def test_a_backup_is_a_folder_of_hard_links_and_restores(clip: Clip, library: Library) -> None:
    fill(library)
    unchanged = stored.segment_files(library.paths.store)[2]
    library.remove([2])  # takes a backup first
    (backup,) = library.backups.all()
    assert backup.path.is_dir() and backup.reason == "rm"
    linked = backup.path / "clippings.d" / unchanged.name
    assert linked.stat().st_ino == unchanged.stat().st_ino  # shared, not copied
    # What it holds alone: its manifest and the segment the rm superseded (1), not the rest.
    alone = [backup.path / "clippings.json", *(backup.path / "clippings.d").glob("000001.*")]
    assert backup.size == sum(path.stat().st_size for path in alone)
    library.tag([7], ["after-backup"])
    restored = clip("restore", backup.path.name, "--yes")
    assert restored.exit_code == 0, restored.stderr
    again = Library(library.paths)
    assert 2 in {c.id for c in again.clippings()} and again.get(7).tags == []
    assert again.add(Draft(text="A new one after the restore.", title="N")).id == 13
    assert again.store.orphans() == [] and doctor.examine(again) == []


def test_a_backup_of_the_old_layout_restores(clip: Clip, library: Library, tmp_path: Path) -> None:
    fill(library)
    old = tmp_path / "clippings-old.json"
    old.write_bytes(stored.schema_1_bytes(library.paths.store))
    library.remove([1, 2, 3])
    restored = clip("restore", str(old), "--yes")
    assert restored.exit_code == 0, restored.stderr
    again = Library(library.paths)
    assert [c.id for c in again.clippings()] == list(range(1, 13))
    assert stored.manifest(library.paths.store)["meta"]["1"]["schema_version"] == 3
    assert doctor.examine(again) == []
