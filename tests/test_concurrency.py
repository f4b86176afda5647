"""Several `clip add` processes at once lose nothing: the lock serializes their writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import stored

WORKERS = 6
ADDS_PER_WORKER = 5

# Each worker runs `python -m clipper add` several times in a row, as a shell loop would.
WORKER = """
import subprocess, sys
worker, adds = sys.argv[1], int(sys.argv[2])
for n in range(adds):
    text = f"Worker {worker} wrote item {n} of its batch, with words of its own."
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "add", text, "--title", f"w{worker}-{n}"],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        sys.exit(f"worker {worker} item {n}: exit {done.returncode}: {done.stderr}")
"""


def test_concurrent_adds_lose_nothing(library_home: Path, tmp_path: Path) -> None:
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    environment = {**os.environ, "CLIPPER_HOME": str(library_home), "CLIPPER_LOCK_TIMEOUT": "60"}
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), str(ADDS_PER_WORKER)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    failures = []
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        if worker.returncode != 0:
            failures.append(stderr)
    assert failures == []

    total = WORKERS * ADDS_PER_WORKER
    data = stored.tables(library_home / "clippings.json")
    clippings = list(data["clippings"].values())
    assert len(clippings) == total
    assert sorted(c["id"] for c in clippings) == list(range(1, total + 1))
    assert sorted(data["clippings"]) == sorted(str(n) for n in range(1, total + 1))
    assert {c["title"] for c in clippings} == {
        f"w{w}-{n}" for w in range(WORKERS) for n in range(ADDS_PER_WORKER)
    }
    assert all(f"Worker {c['title'][1]} wrote item" in c["text"] for c in clippings)
    assert len({c["uuid"] for c in clippings}) == total
    assert data["meta"]["1"]["next_id"] == total + 1
    assert sorted(p.name for p in library_home.iterdir()) == [
        "clippings.d", "clippings.json", "clippings.json.lock"
    ]  # fmt: skip
    segments = stored.segment_files(library_home / "clippings.json")
    assert sorted((library_home / "clippings.d").iterdir()) == sorted(segments)


def test_the_same_text_added_at_once_is_kept_once(library_home: Path) -> None:
    environment = {**os.environ, "CLIPPER_HOME": str(library_home), "CLIPPER_LOCK_TIMEOUT": "60"}
    text = "Everyone pasted the very same article at the very same moment."
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "clipper", "add", text, "--title", f"racer {n}"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [racer.communicate(timeout=60) for racer in racers]
    assert sorted(racer.returncode for racer in racers) == [0, 4, 4, 4]
    data = stored.tables(library_home / "clippings.json")
    assert list(data["clippings"]) == ["1"]
    for racer, (output, errors) in zip(racers, outputs, strict=True):
        if racer.returncode == 0:
            assert (output, errors) == ("1\n", "")
        else:
            assert output == ""
            assert errors.startswith("Error: the same text is already kept as clipping 1")
