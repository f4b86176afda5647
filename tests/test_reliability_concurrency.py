"""Many `clip` processes at once: nothing is lost, and every reader sees a whole library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests import stored

WRITERS, ADDS_EACH = 8, 25

# One writer: ADDS_EACH separate runs of the real `clip add` command.
WRITER = """
import subprocess, sys
clip, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(count):
    text = f"Writer {writer} files report {n}: the council met again and voted on item {n}."
    done = subprocess.run([*clip.split("|"), "add", text, "--title", f"W{writer} R{n}",
                           "-t", f"writer-{writer}"], capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        sys.exit(1)
"""

# A reader that keeps listing (and searching, where available) while the writers write.
READER = """
import json, subprocess, sys
clip, rounds, search = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
for _ in range(rounds):
    listed = subprocess.run([*clip.split("|"), "list", "--json"], capture_output=True, text=True)
    if listed.returncode != 0:
        print("list failed:", listed.stderr, file=sys.stderr); sys.exit(1)
    json.loads(listed.stdout)
    if search:
        found = subprocess.run([*clip.split("|"), "search", "council", "--json"],
                               capture_output=True, text=True)
        if found.returncode != 0:
            print("search failed:", found.stderr, file=sys.stderr); sys.exit(1)
        json.loads(found.stdout)
"""


def clip_command() -> str:
    """The installed `clip` when it is beside this interpreter, else `python -m clipper`."""
    beside = Path(sys.executable).with_name("clip")
    if beside.exists():
        return str(beside)
    found = shutil.which("clip")
    return found if found else f"{sys.executable}|-m|clipper"


def has_search(clip: str, env: dict[str, str]) -> bool:
    probe = subprocess.run([*clip.split("|"), "search", "-h"], capture_output=True, env=env,
                           check=False)  # fmt: skip
    return probe.returncode == 0


def test_eight_writers_and_a_reader_lose_nothing(library_home: Path) -> None:
    # About 200 real `clip add` processes: some 40 s on two cores.
    env = {**os.environ, "CLIPPER_HOME": str(library_home), "CLIPPER_LOCK_TIMEOUT": "120"}
    clip = clip_command()
    search = has_search(clip, env)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, clip, str(w), str(ADDS_EACH)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    reader = subprocess.Popen([sys.executable, "-c", READER, clip, "15", "1" if search else "0"],
                              env=env, stderr=subprocess.PIPE, text=True)  # fmt: skip
    for child in [*children, reader]:
        _, errors = child.communicate(timeout=600)
        assert child.returncode == 0, errors

    data = stored.tables(library_home / "clippings.json")
    records = data["clippings"]
    assert len(records) == WRITERS * ADDS_EACH
    assert sorted(int(key) for key in records) == list(range(1, WRITERS * ADDS_EACH + 1))
    titles = {record["title"] for record in records.values()}
    assert titles == {f"W{w} R{n}" for w in range(WRITERS) for n in range(ADDS_EACH)}
    for record in records.values():
        writer = record["title"].split()[0][1:]
        assert record["tags"] == [f"writer-{writer}"]
        assert record["text"].startswith(f"Writer {writer} files report")

    listed = subprocess.run([*clip.split("|"), "list", "--json"], capture_output=True, env=env,
                            text=True, check=True)  # fmt: skip
    assert len(json.loads(listed.stdout)) == WRITERS * ADDS_EACH
    if search:
        found = subprocess.run([*clip.split("|"), "search", "council", "--json", "--limit", "1000"],
                               capture_output=True, env=env, text=True, check=True)  # fmt: skip
        assert len(json.loads(found.stdout)) == WRITERS * ADDS_EACH


# Each worker runs the real `clip` once per item, so the commands interleave with each other.
WORKER = """
import subprocess, sys
clip, commands = sys.argv[1], sys.argv[2:]
for command in commands:
    done = subprocess.run([*clip.split("|"), *command.split("\\x1f")], capture_output=True,
                          text=True)
    if done.returncode != 0:
        print(command, done.stderr, file=sys.stderr)
        sys.exit(1)
"""


def test_tag_rm_and_import_racing_with_add_lose_nothing(library_home: Path, tmp_path: Path) -> None:
    from clipper.library.core import Library
    from clipper.model import Draft
    from clipper.paths import LibraryPaths

    library = Library(LibraryPaths(library_home))
    library.add_many([Draft(text=f"Seed article {n} about the harbour.", title=f"Seed {n}")
                      for n in range(1, 21)])  # fmt: skip
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(
        json.dumps({"title": f"Imported {n}", "text": f"Imported article {n} about trams."}) + "\n"
        for n in range(30)
    ))  # fmt: skip
    sep = "\x1f"
    jobs = {
        "add": [f"add{sep}Racing article {n} about ferries.{sep}--title{sep}Race {n}"
                for n in range(10)],
        "tag": [f"tag{sep}{n}{sep}-t{sep}raced" for n in range(1, 11)],
        "rm": [f"rm{sep}{n}{sep}--yes" for n in range(11, 21)],
        "import": [f"import{sep}{batch}"],
    }  # fmt: skip
    env = {**os.environ, "CLIPPER_HOME": str(library_home), "CLIPPER_LOCK_TIMEOUT": "120"}
    clip = clip_command()
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, clip, *commands], env=env,
                         stderr=subprocess.PIPE, text=True)
        for commands in jobs.values()
    ]  # fmt: skip
    for worker in workers:
        _, errors = worker.communicate(timeout=600)
        assert worker.returncode == 0, errors

    data = stored.tables(library_home / "clippings.json")
    kept, trash = data["clippings"], data["trash"]
    assert len(kept) == 10 + 10 + 30 and len(trash) == 10
    assert {int(key) for key in trash} == set(range(11, 21))
    for n in range(1, 11):
        assert kept[str(n)]["tags"] == ["raced"]
    titles = {record["title"] for record in kept.values()}
    assert {f"Race {n}" for n in range(10)} <= titles
    assert {f"Imported {n}" for n in range(30)} <= titles
    ids = sorted(int(key) for key in [*kept, *trash])
    assert ids == list(range(1, 61))
