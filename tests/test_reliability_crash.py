"""A writer killed with SIGKILL at any moment leaves the library as it was before or after."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clipper.library import doctor
from clipper.library.core import Library
from clipper.paths import LibraryPaths
from tests import stored

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

# A child that adds clippings one at a time and reports each commit on stdout.
ADDER = """
import sys
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
lib = Library(LibraryPaths(__import__("pathlib").Path(sys.argv[1])))
start, how = int(sys.argv[2]), sys.argv[3]
words = ["harbour", "council", "tram", "ferry", "budget", "school", "election", "river"]
for n in range(start, start + 400):
    if how == "intake" and n <= start + 1:
        lib.select(limit=1)  # a read builds the index, which `clip add`'s intake asks
    # Texts distinct enough not to be near duplicates.
    text = " ".join(f"{words[(n * 7 + i * i) % 8]}{(n * 31 + i) % 997}" for i in range(60))
    draft = Draft(text=f"Article body number {n}. {text}.", title=f"Article {n}")
    lib.add(draft) if how == "transaction" else lib.add_captured(draft)
    print(n, flush=True)
"""

# A child that imports a batch of 3,000 clippings in one atomic write.
IMPORTER = """
import sys
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
lib = Library(LibraryPaths(__import__("pathlib").Path(sys.argv[1])))
drafts = [Draft(text=f"Imported body {n}. " * 30, title=f"Imported {n}") for n in range(3000)]
print("start", flush=True)
result = lib.add_many(drafts, backup="import")
print("done", len(result.added), flush=True)
"""

# The same import committed 500 clippings at a time (Library.add_many's batches).
BATCH_IMPORTER = IMPORTER.replace('backup="import")', 'backup="import", batch=500)')


def run_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def assert_healthy(home: Path) -> dict[str, dict[str, dict[str, object]]]:
    """The library opens, passes the doctor, and its file is valid JSON."""
    library = Library(LibraryPaths(home))
    library.clippings()
    assert doctor.examine(library) == []
    return stored.tables(home / "clippings.json")


@pytest.mark.parametrize("how", ["transaction", "intake"])
def test_adds_killed_at_random_moments_lose_nothing_committed(tmp_path: Path, how: str) -> None:
    """`transaction`: Library.add; `intake`: clip add's path, which asks the index (brought
    up to the store under its lock) about the clippings kept, and updates it after the write."""
    home = tmp_path / "lib"
    rng = random.Random(20261129)
    committed = 0
    for _round in range(10):
        child = run_child(ADDER, str(home), str(committed + 1000 * _round), how)
        assert child.stdout is not None
        # The kill follows the child's own reports, never the clock: wait for a random number of
        # commits (however slow the machine, the library then exists and has grown), then let
        # a random share of one more add go by so the kill lands anywhere inside a write.
        reported = 0
        for _commit in range(rng.randint(1, 4)):
            assert child.stdout.readline(), "the adder stopped before its commits"
            reported += 1
        time.sleep(rng.uniform(0.0, 0.05))  # where in the next add it dies; any moment is valid
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported += len(out.split())
        data = assert_healthy(home)
        count = len(data["clippings"])
        # Every reported add is there; at most one more (killed after its rename, before print).
        assert committed + reported <= count <= committed + reported + 1
        for record in data["clippings"].values():
            assert str(record["text"]).startswith("Article body number")
        committed = count
    ids = sorted(int(key) for key in assert_healthy(home)["clippings"])
    assert ids == list(range(1, len(ids) + 1))
    assert committed > 0


def kill_import_midway(code: str, home: Path, delay: float) -> None:
    """Start an importer, wait for its "start" line (its drafts built, its write under way),
    then SIGKILL it `delay` seconds later: any moment of the write must be survivable."""
    child = run_child(code, str(home))
    assert child.stdout is not None
    child.stdout.readline()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.communicate()


def test_an_import_killed_midway_is_all_or_nothing(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    library = Library(LibraryPaths(home))
    from clipper.model import Draft

    library.add(Draft(text="Already here before the import.", title="Before"))
    rng = random.Random(7)
    for _round in range(8):
        before = len(assert_healthy(home)["clippings"])
        kill_import_midway(IMPORTER, home, rng.uniform(0.0, 0.6))
        after = len(assert_healthy(home)["clippings"])
        # Duplicates of an earlier completed round are refused, so a finished import adds 0 or 3000.
        assert after in (before, before + 3000), (before, after)
    assert assert_healthy(home)["clippings"]["1"]["title"] == "Before"


def test_an_import_in_batches_killed_midway_keeps_every_committed_batch(tmp_path: Path) -> None:
    """Killed at any moment, an import committed in batches leaves the library healthy with
    its committed batches whole (a multiple of the batch, in the file's order), and the same
    import run again adds the rest, refusing those already added as duplicates."""
    home = tmp_path / "lib"
    library = Library(LibraryPaths(home))
    from clipper.model import Draft

    library.add(Draft(text="Already here before the import.", title="Before"))
    rng = random.Random(11)
    counts = set()
    for _round in range(6):
        kill_import_midway(BATCH_IMPORTER, home, rng.uniform(0.0, 1.5))
        clippings = assert_healthy(home)["clippings"]
        imported = sorted(
            int(str(record["title"]).split()[1])
            for record in clippings.values()
            if str(record["title"]).startswith("Imported")
        )
        assert len(imported) % 500 == 0, len(imported)
        assert imported == list(range(len(imported)))  # whole batches, in the file's order
        counts.add(len(imported))
    finished = run_child(BATCH_IMPORTER, str(home))
    out, _ = finished.communicate()
    assert out.split()[-1] == str(3000 - max(counts))
    clippings = assert_healthy(home)["clippings"]
    assert len(clippings) == 3001
    assert clippings["1"]["title"] == "Before"
