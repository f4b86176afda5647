"""Many `clip` processes at once: nothing is lost, and every reader sees a whole library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

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

    data = json.loads((library_home / "clippings.json").read_text())
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
