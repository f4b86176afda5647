"""Segments under crashes and concurrency: a kill between the segment files and the manifest,
in the middle of a migration, readers beside a writer, and writers of different segments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from clipper.library import doctor
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.storage import layout
from clipper.storage.debris import STALE_AFTER
from clipper.storage.store import CLIPPINGS, SCHEMA_VERSION
from tests import stored

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

SMALL = "import clipper.storage.layout as layout; layout.SEGMENT_SIZE = 5\n"

# A writer that stops (and says so) at a chosen point of its commit: after its Nth segment
# file ("segment:N"), or just before it replaces the manifest ("manifest").
PAUSING = SMALL + """
import signal, sys
from pathlib import Path
from clipper.storage import commit
from clipper.library.core import Library
from clipper.paths import LibraryPaths
stop_at, written = sys.argv[2], []
original = commit.write_atomically
def pausing(path, payload, **options):
    if path.parent.name != "clippings.d" and stop_at == "manifest":
        print("reached", flush=True)
        signal.pause()
    original(path, payload, **options)
    if path.parent.name == "clippings.d":
        written.append(path)
        if stop_at == f"segment:{len(written)}":
            print("reached", flush=True)
            signal.pause()
commit.write_atomically = pausing
Library(LibraryPaths(Path(sys.argv[1]))).tag([int(i) for i in sys.argv[3:]], ["killed"])
print("done", flush=True)
"""

# A writer that tags clippings in its own range of ids, one transaction each time.
TAGGER = SMALL + """
import sys
from pathlib import Path
from clipper.library.core import Library
from clipper.paths import LibraryPaths
lib = Library(LibraryPaths(Path(sys.argv[1])))
ids, name, rounds = [int(i) for i in sys.argv[3].split(",")], sys.argv[2], int(sys.argv[4])
for n in range(rounds):
    lib.tag(ids, [f"{name}{n}"])
    print(n, flush=True)
"""


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "SEGMENT_SIZE", 5)


@pytest.fixture
def twelve(library: Library) -> Library:
    drafts = [Draft(text=f"Story {n} about the {n}th harbour.", title=f"S{n}") for n in range(12)]
    library.add_many(drafts)
    return library


def child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def kill_when_reached(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line == "reached\n", (line, process.stderr.read() if process.stderr else "")
    process.send_signal(signal.SIGKILL)
    process.communicate()  # and close its pipes


def test_a_kill_between_the_segments_and_the_manifest_leaves_the_old_state(
    twelve: Library,
) -> None:
    home = twelve.paths.home
    before = stored.state_bytes(twelve.paths.store)
    manifest = twelve.paths.store.read_bytes()
    kill_when_reached(child(PAUSING, str(home), "manifest", "2", "7"))
    assert twelve.paths.store.read_bytes() == manifest
    orphans = twelve.store.orphans()
    assert len(orphans) == 2  # the segments of 2 and of 7, written but never named
    assert not any("killed" in c.tags for c in Library(LibraryPaths(home)).clippings())
    assert doctor.examine(twelve) == []  # young: perhaps a commit about to be named
    old = orphans[0].stat().st_mtime - STALE_AFTER - 1
    for path in orphans:
        os.utime(path, (old, old))
    assert [f.kind for f in doctor.examine(twelve)] == ["debris", "debris"]
    twelve.tag([3], ["next"])  # the next writer sweeps them
    assert twelve.store.orphans() == []
    assert stored.state_bytes(twelve.paths.store) != before
    assert doctor.examine(twelve) == []


def test_a_kill_in_the_middle_of_a_migration_leaves_the_old_layout(twelve: Library) -> None:
    store = twelve.paths.store
    old = stored.as_schema_1(store)
    assert Library(twelve.paths).get(7).title == "S6"  # read without converting
    assert store.read_bytes() == old and not twelve.store.segments.exists()
    kill_when_reached(child(PAUSING, str(twelve.paths.home), "segment:2", "7"))
    assert store.read_bytes() == old  # still schema 1, whole
    assert len(list(twelve.store.segments.iterdir())) == 2  # debris of the killed migration
    reread = Library(twelve.paths)
    assert [c.id for c in reread.clippings()] == list(range(1, 13))
    assert doctor.examine(reread) == []
    reread.tag([7], ["after"])  # this write converts the library
    assert stored.manifest(store)["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert sorted(stored.manifest(store)["segments"]) == ["1", "2", "3"]
    assert reread.store.orphans() == []
    assert [c.id for c in Library(twelve.paths).clippings()] == list(range(1, 13))
    migration = sorted(twelve.backups.folder.glob("*-migration"))
    assert migration and (migration[-1] / "clippings.json").read_bytes() == old


def test_readers_beside_a_writer_never_see_half_a_change(twelve: Library) -> None:
    # Each commit tags clippings 2 and 7 (two segments) at once: a reader sees both or none.
    writer = child(TAGGER, str(twelve.paths.home), "round", "2,7", "40")
    assert writer.stdout is not None
    assert writer.stdout.readline() == "0\n"
    reads = 0
    while writer.poll() is None or reads == 0:
        pair = twelve.store.read_records(CLIPPINGS, [2, 7])
        assert pair[2]["tags"] == pair[7]["tags"]
        whole = twelve.store.snapshot().clippings
        assert whole[2]["tags"] == whole[7]["tags"] and len(whole) == 12
        reads += 1
    _, errors = writer.communicate()
    assert writer.returncode == 0, errors
    assert len(twelve.get(7).tags) == 40


def test_two_writers_of_different_segments_lose_nothing(twelve: Library) -> None:
    home = str(twelve.paths.home)
    writers = [child(TAGGER, home, "a", "1,2", "15"), child(TAGGER, home, "b", "11,12", "15")]
    for writer in writers:
        _, errors = writer.communicate()
        assert writer.returncode == 0, errors
    assert set(twelve.get(2).tags) == {f"a{n}" for n in range(15)}
    assert set(twelve.get(11).tags) == {f"b{n}" for n in range(15)}
    assert twelve.store.orphans() == [] and doctor.examine(twelve) == []
