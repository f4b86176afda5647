"""Pending links: a near-duplicate add links the kept copies without rewriting their segments;
the links wait in the manifest, every read applies them, a rewrite folds them in, the table
stays bounded, damage in it is reported and repaired, and schema 2 is refused and migrated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clipper.errors import StoreError
from clipper.library import doctor
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.search.index import SearchIndex
from clipper.storage import commit, layout, pending, read
from clipper.storage.atomic import WriteError
from clipper.storage.store import CLIPPINGS, TRASH
from tests import stored
from tests.conftest import Clip
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, STORY
from tests.test_near_links import other_stories

SMALL = "import clipper.storage.layout as layout; layout.SEGMENT_SIZE = 5\n"
HALF = "\n\n".join(STORY[:3])  # another copy of the tram story


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    # Five ids a segment: the tram story (1) is in segment 1, the adds go to segment 3.
    monkeypatch.setattr(layout, "SEGMENT_SIZE", 5)


@pytest.fixture
def twelve(library: Library) -> Library:
    """The tram story as clipping 1, eleven other stories after it, and an index."""
    drafts = [Draft(text=ORIGINAL, title="Tram")] + [
        Draft(text=text, title=f"Other {n}") for n, text in enumerate(other_stories(11))
    ]
    assert len(library.add_many(drafts).added) == 12
    library.reindex()
    return library


def files(library: Library) -> dict[str, tuple[str, int]]:
    """Each segment's current file name and inode, by segment number."""
    entries = stored.manifest(library.paths.store)["segments"]
    folder = library.store.segments
    return {n: (e["file"], (folder / e["file"]).stat().st_ino) for n, e in entries.items()}


def waiting(library: Library) -> dict[str, object]:
    table: dict[str, object] = stored.manifest(library.paths.store)["pending"]
    return table


def in_file(library: Library, record_id: int) -> dict[str, object]:
    """The record as its segment file holds it (without the pending links)."""
    return stored.tables(library.paths.store)[CLIPPINGS][str(record_id)]  # type: ignore[no-any-return]


def set_pending(library: Library, table: object) -> None:
    data = stored.manifest(library.paths.store)
    data["pending"] = table
    library.paths.store.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_a_near_duplicate_add_links_an_old_clipping_without_rewriting_its_segment(
    twelve: Library, clip: Clip
) -> None:
    before = files(twelve)
    added = twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    assert [(n.id, n.title) for n in added.near_duplicates] == [(1, "Tram")]
    after = files(twelve)
    assert after["1"] == before["1"] and after["2"] == before["2"]  # neither read nor written
    assert waiting(twelve) == {"1": {"near_duplicates": [13]}}
    assert in_file(twelve, 1)["near_duplicates"] == []
    # Both ways, wherever a clipping is read: by id, in a scan, whole, from the index's cards.
    fresh = Library(LibraryPaths(twelve.paths.home))
    assert fresh.get(1).near_duplicates == [13] and fresh.get(13).near_duplicates == [1]
    assert dict(fresh.store.scan(CLIPPINGS))[1]["near_duplicates"] == [13]
    assert fresh.store.snapshot().clippings[1]["near_duplicates"] == [13]
    assert fresh.find([1])[1].near_duplicates == [13]
    shown = json.loads(clip("show", "1", "--json").stdout)
    assert shown[0]["near_duplicates"] == [13] if isinstance(shown, list) else shown
    exported = clip("export", "-f", "json")
    assert exported.exit_code == 0, exported.stderr
    records = json.loads(exported.stdout)["clippings"]
    assert {c["id"]: c["near_duplicates"] for c in records}[1] == [13]
    twelve.paths.index.unlink()  # rebuilt from the store: the same links
    assert Library(LibraryPaths(twelve.paths.home)).find([1])[1].near_duplicates == [13]
    assert doctor.examine(fresh) == []


def test_an_index_that_missed_the_add_catches_up_on_the_links(
    twelve: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    twelve.find([1])  # the index is current
    with monkeypatch.context() as patched:
        patched.setattr(SearchIndex, "apply_commit", lambda *args, **kwargs: None)
        twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    # The segment's state changed with its pending links: the index reads it again.
    assert Library(LibraryPaths(twelve.paths.home)).find([1])[1].near_duplicates == [13]


def test_a_rewrite_of_the_segment_folds_its_links_in(twelve: Library) -> None:
    twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    twelve.add_captured(Draft(text=HALF, title="Third"))
    assert waiting(twelve) == {"1": {"near_duplicates": [13, 14]}}
    twelve.tag([2], ["ferry"])  # clipping 2 shares clipping 1's segment
    assert waiting(twelve) == {}
    assert in_file(twelve, 1)["near_duplicates"] == [13, 14]
    assert in_file(twelve, 2)["tags"] == ["ferry"]
    assert twelve.get(1).near_duplicates == [13, 14]
    assert twelve.get(14).near_duplicates[0] == 1
    assert Library(LibraryPaths(twelve.paths.home)).find([1])[1].near_duplicates == [13, 14]


def test_links_follow_a_clipping_to_the_trash_and_back(twelve: Library) -> None:
    twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    twelve.remove([1])
    assert waiting(twelve) == {}
    assert stored.tables(twelve.paths.store)[TRASH]["1"]["near_duplicates"] == [13]
    twelve.restore([1])
    assert twelve.get(1).near_duplicates == [13]


def test_a_link_to_a_clipping_of_the_newest_segment_is_written_with_it(library: Library) -> None:
    library.add_many([Draft(text=ORIGINAL, title="Tram")])
    library.reindex()
    library.add_captured(Draft(text=REPUBLISHED, title="Again"))
    assert waiting(library) == {}  # the segment is written anyway: nothing waits
    assert in_file(library, 1)["near_duplicates"] == [2]


def test_the_pending_table_stays_bounded(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pending, "MAX_PENDING", 2)
    stories = other_stories(4, seed=11)
    # Four stories, each alone in its segment (1, 6, 11, 16), then a copy of each.
    fillers = other_stories(16, seed=12)
    drafts = []
    for n, story in enumerate(stories):
        drafts += [Draft(text=story, title=f"Story {n}")]
        drafts += [Draft(text=fillers[4 * n + k], title=f"Filler {n}.{k}") for k in range(4)]
    library.add_many(drafts)
    library.reindex()
    sizes = []
    for n, story in enumerate(stories):
        words = story.split()
        words[len(words) // 2] = "altered"
        added = library.add_captured(Draft(text=" ".join(words), title=f"Copy {n}"))
        assert [near.id for near in added.near_duplicates] == [1 + 5 * n]
        sizes.append(len(waiting(library)))
    assert sizes == [1, 2, 2, 2]  # past two, the busiest segment is folded
    index = SearchIndex(library.paths.index)
    assert index._open_existing() is not None
    assert index.reflects(library.store.state())  # told of the folds: nothing to read again
    index.close()
    for n in range(4):
        assert library.get(1 + 5 * n).near_duplicates == [21 + n]
    folded = [n for n in range(4) if in_file(library, 1 + 5 * n)["near_duplicates"]]
    assert len(folded) == 2 and sorted(waiting(library)) == sorted(
        str(1 + 5 * n) for n in range(4) if n not in folded
    )


def test_a_damaged_pending_table_is_reported_and_repaired(twelve: Library, clip: Clip) -> None:
    twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    set_pending(twelve, {
        "1": {"near_duplicates": [13]},
        "2": {"near_duplicates": [13, "x"]},  # one id usable
        "abc": {"near_duplicates": [1]},  # no clipping
        "3": [4],  # not a record
    })  # fmt: skip
    reread = Library(LibraryPaths(twelve.paths.home))
    assert reread.get(1).near_duplicates == [13] and reread.get(2).near_duplicates == []
    assert reread.get(3).near_duplicates == []
    examined = clip("doctor")
    assert examined.exit_code != 0 and "Traceback" not in examined.stderr
    report = examined.stdout + examined.stderr
    assert sum("pending links" in line for line in report.splitlines()) == 3, report
    reread.tag([4], ["kept"])  # a write keeps what it cannot read as it was
    table = waiting(reread)
    assert table["abc"] == {"near_duplicates": [1]} and table["3"] == [4]
    assert "1" not in table  # folded with the segment it was written to
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stdout + repaired.stderr
    assert waiting(reread) == {}
    after = Library(LibraryPaths(twelve.paths.home))
    assert after.get(2).near_duplicates == [13] and after.get(1).near_duplicates == [13]
    assert [c.id for c in after.clippings()] == list(range(1, 14))
    assert doctor.examine(after) == []


def test_a_pending_table_that_is_no_table_is_kept_and_links_go_to_their_segment(
    twelve: Library, clip: Clip
) -> None:
    set_pending(twelve, ["not", "a", "table"])
    before = files(twelve)
    added = Library(LibraryPaths(twelve.paths.home)).add_captured(
        Draft(text=REPUBLISHED, title="Again")
    )
    assert [n.id for n in added.near_duplicates] == [1]
    assert files(twelve)["1"] != before["1"] and in_file(twelve, 1)["near_duplicates"] == [13]
    assert waiting(twelve) == ["not", "a", "table"]  # type: ignore[comparison-overlap]
    examined = clip("doctor")
    assert "pending links" in examined.stderr and "Traceback" not in examined.stderr
    assert clip("doctor", "--repair").exit_code == 0
    assert waiting(twelve) == {}
    assert doctor.examine(Library(LibraryPaths(twelve.paths.home))) == []


def as_schema_2(store: Path) -> bytes:
    """The manifest as a clip of schema 2 wrote it: no pending table."""
    data = stored.manifest(store)
    assert data.pop("pending") == {}
    data["meta"]["1"]["schema_version"] = 2
    raw = json.dumps(data, indent=2).encode()
    store.write_bytes(raw)
    return raw


def test_an_older_clip_refuses_the_new_layout(
    twelve: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    monkeypatch.setattr(read, "SCHEMA_VERSION", 2)  # what a clip of schema 2 checks
    with pytest.raises(StoreError, match=r"written by a newer clip \(library schema 3"):
        Library(LibraryPaths(twelve.paths.home)).get(1)


def test_a_schema_2_library_is_read_as_it_is_and_migrated_by_its_first_write(
    twelve: Library,
) -> None:
    store = twelve.paths.store
    old = as_schema_2(store)
    reader = Library(LibraryPaths(twelve.paths.home))
    assert reader.get(1).title == "Tram" and store.read_bytes() == old  # read, not converted
    reader.add_captured(Draft(text=REPUBLISHED, title="Again"))
    data = stored.manifest(store)
    assert data["meta"]["1"]["schema_version"] == 3
    assert data["pending"] == {"1": {"near_duplicates": [13]}}
    migration = sorted(twelve.backups.folder.glob("*-migration"))
    assert len(migration) == 1 and (migration[0] / "clippings.json").read_bytes() == old
    assert Library(LibraryPaths(twelve.paths.home)).get(1).near_duplicates == [13]


# A near-duplicate add that stops (and says so) just before it replaces the manifest.
PAUSED_ADD = SMALL + """
import signal, sys
from pathlib import Path
from clipper.storage import commit
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
original = commit.write_atomically
def pausing(path, payload, **options):
    if path.parent.name != "clippings.d" and sys.argv[3] == "pause":
        print("reached", flush=True)
        signal.pause()
    original(path, payload, **options)
commit.write_atomically = pausing
added = Library(LibraryPaths(Path(sys.argv[1]))).add_captured(
    Draft(text=Path(sys.argv[2]).read_text(), title="Copy"))
print("done", [n.id for n in added.near_duplicates], flush=True)
"""


def adding(home: Path, text: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", PAUSED_ADD, str(home), str(text), mode],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_kill_before_the_manifest_leaves_no_link_and_no_clipping(
    twelve: Library, tmp_path: Path
) -> None:
    text = tmp_path / "copy.txt"
    text.write_text(REPUBLISHED, encoding="utf-8")
    manifest = twelve.paths.store.read_bytes()
    process = adding(twelve.paths.home, text, "pause")
    assert process.stdout is not None
    assert process.stdout.readline() == "reached\n", process.stderr
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert twelve.paths.store.read_bytes() == manifest  # before: nothing of the add
    reread = Library(LibraryPaths(twelve.paths.home))
    assert [c.id for c in reread.clippings()] == list(range(1, 13))
    assert reread.get(1).near_duplicates == []
    done = subprocess.run([sys.executable, "-c", PAUSED_ADD, str(twelve.paths.home), str(text),
                           "go"], capture_output=True, text=True, check=False)  # fmt: skip
    assert done.stdout.strip() == "done [1]", done.stderr  # after: all of it
    assert Library(LibraryPaths(twelve.paths.home)).get(1).near_duplicates == [13]
    assert twelve.store.orphans() == []


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_concurrent_near_duplicate_adds_both_link_the_kept_copy(
    twelve: Library, tmp_path: Path
) -> None:
    texts = []
    for n, body in enumerate((REPUBLISHED, HALF)):
        texts.append(tmp_path / f"copy{n}.txt")
        texts[-1].write_text(body, encoding="utf-8")
    processes = [adding(twelve.paths.home, text, "go") for text in texts]
    outputs = [process.communicate() for process in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    reread = Library(LibraryPaths(twelve.paths.home))
    assert reread.get(1).near_duplicates == [13, 14]
    assert reread.get(13).near_duplicates == [1] and reread.get(14).near_duplicates == [1]


def test_a_full_disk_at_the_manifest_of_a_near_duplicate_add_leaves_the_library_intact(
    twelve: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = twelve.paths.store
    before = stored.state_bytes(store)
    original = commit.write_atomically  # type: ignore[attr-defined]

    def full_at_the_manifest(path: Path, payload: bytes, **options: bool) -> None:
        if path.name == "clippings.json":
            raise WriteError(path, "No space left on device")
        original(path, payload, **options)

    monkeypatch.setattr(commit, "write_atomically", full_at_the_manifest)
    with pytest.raises(StoreError, match="No space left on device; the library is unchanged"):
        twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    monkeypatch.undo()
    assert stored.state_bytes(store) == before  # the new segment file was removed too
    assert Library(LibraryPaths(twelve.paths.home)).get(1).near_duplicates == []


def test_a_backup_restores_with_its_pending_links(twelve: Library, clip: Clip) -> None:
    twelve.add_captured(Draft(text=REPUBLISHED, title="Again"))
    backup = twelve.backup_now()
    twelve.remove([13])
    twelve.tag([2], ["ferry"])  # folds clipping 1's link into its segment
    restored = clip("restore", backup.name, "--yes")
    assert restored.exit_code == 0, restored.stderr
    again = Library(LibraryPaths(twelve.paths.home))
    assert again.get(1).near_duplicates == [13] and again.get(13).near_duplicates == [1]
    assert waiting(again) == {}  # written into the restored segments


def test_a_library_of_a_newer_schema_is_never_repaired_or_replaced(
    twelve: Library, clip: Clip
) -> None:
    # A clip of schema 2 took the schema-3 manifest for damage: `doctor --repair` restored its
    # newest backup and deleted the newer segment files as debris. This clip does not.
    backup = twelve.backup_now()
    store = twelve.paths.store
    data = stored.manifest(store)
    data["meta"]["1"]["schema_version"] = 4
    store.write_text(json.dumps(data, indent=2), encoding="utf-8")
    before = stored.state_bytes(store)
    examined = clip("doctor")
    assert examined.exit_code == 1 and "newer clip" in examined.stderr
    assert "0 can be repaired" in examined.stdout + examined.stderr
    for command in (("doctor", "--repair"), ("restore", backup.name, "--yes")):
        refused = clip(*command)
        assert refused.exit_code == 1, command
        assert "newer clip" in refused.stderr and "Traceback" not in refused.stderr
        assert stored.state_bytes(store) == before, command
