"""Faults of the environment and damaged files: clear errors, and the library intact."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from clipper.library.core import Library
from clipper.model import Draft
from tests import stored
from tests.conftest import Clip


def run_clip(home: Path, *args: str, **popen: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIPPER_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "clipper", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
        **popen,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def seeded(library: Library, library_home: Path) -> bytes:
    """A library with two clippings; returns the store's bytes."""
    library.add(Draft(text="The first article of the library.", title="First"))
    library.add(Draft(text="The second article of the library.", title="Second"))
    return (library_home / "clippings.json").read_bytes()


def test_a_lock_held_too_long_gives_a_clear_error(
    clip: Clip, library_home: Path, seeded: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_LOCK_TIMEOUT", "0.3")
    with FileLock(str(library_home / "clippings.json.lock")):
        result = clip("add", "A third article.", "--title", "Third")
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert "lock" in line and "0.3 s" in line
    assert (library_home / "clippings.json").read_bytes() == seeded


def test_a_bad_lock_timeout_setting_is_a_usage_error(
    clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_LOCK_TIMEOUT", "soon")
    result = clip("list")
    assert result.exit_code == 2
    assert "CLIPPER_LOCK_TIMEOUT" in one_error_line(result.stderr)


def test_a_full_disk_leaves_the_library_intact(library_home: Path, seeded: bytes) -> None:
    # RLIMIT_FSIZE makes every write past the limit fail with EFBIG, as a full disk would.
    limit = len(seeded) + 64

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_clip(library_home, "add", "A long article. " * 200, "--title", "Big",
                      "--lang", "en", preexec_fn=small_files)  # fmt: skip
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert "File too large" in line and "unchanged" in line
    assert (library_home / "clippings.json").read_bytes() == seeded
    assert not [p for p in library_home.iterdir() if p.name.endswith(".tmp")]


def _make_read_only(folder: Path) -> bool:
    """Make a folder read-only for this process; False when that cannot be done here."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    # root ignores permission bits: the immutable attribute stops root too, where supported.
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    return done.returncode == 0


def _make_writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="needs POSIX permissions")
def test_a_read_only_library_folder_gives_a_clear_error(library_home: Path, seeded: bytes) -> None:
    if not _make_read_only(library_home):
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        listing = run_clip(library_home, "list")
        added = run_clip(library_home, "add", "A third article.", "--title", "Third")
        removed = run_clip(library_home, "rm", "1", "--yes")
    finally:
        _make_writable(library_home)
    assert listing.returncode == 0, listing.stderr  # reading needs no write access
    assert "First" in listing.stdout
    for result in (added, removed):
        assert result.returncode == 1
        line = one_error_line(result.stderr)
        assert "Permission denied" in line or "Operation not permitted" in line
        assert "unchanged" in line
    assert (library_home / "clippings.json").read_bytes() == seeded


DAMAGED: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda good: good[: len(good) // 2],
    "zero bytes": lambda good: b"",
    "garbage": lambda good: bytes(range(256)) * 4,
    "wrong shape": lambda good: b'[{"title": "a list, not tables"}]',
    "foreign tables": lambda good: b'{"_default": {"1": {"a": 1}}}',
    # Whatever the spacing the store writes (one record a line: `"schema_version":2`).
    "newer schema": lambda good: re.sub(rb'"schema_version":\s*\d+', b'"schema_version": 99', good),
}
COMMANDS = [
    ("add", "A new article.", "--title", "New"),
    ("list",),
    ("show", "1"),
    ("tag", "1", "-t", "x"),
    ("rm", "1", "--yes"),
    ("trash", "empty", "--yes"),
    ("tags", "rename", "x", "y"),
    ("export", "-f", "json"),
    ("backup",),
]


@pytest.mark.parametrize("damage", DAMAGED, ids=list(DAMAGED))
def test_no_command_overwrites_a_file_it_could_not_read(
    clip: Clip, library_home: Path, seeded: bytes, damage: str
) -> None:
    bad = DAMAGED[damage](seeded)
    assert bad != seeded
    store = library_home / "clippings.json"
    store.write_bytes(bad)
    for command in COMMANDS:
        result = clip(*command)
        assert result.exit_code == 1, (command, result.stdout)
        line = one_error_line(result.stderr)
        assert str(store) in line, (command, line)
        assert ("newer clip" in line) == (damage == "newer schema")
        assert store.read_bytes() == bad, command
    doctor = clip("doctor")
    assert doctor.exit_code == 1
    assert str(store) in doctor.stderr


def test_doctor_repair_restores_the_newest_good_backup(
    clip: Clip, library_home: Path, seeded: bytes
) -> None:
    assert clip("rm", "2", "--yes").exit_code == 0  # takes a backup of the two-clipping state
    after_rm = stored.tables(library_home / "clippings.json")
    assert clip("backup").exit_code == 0  # the newest backup: one clipping, one in the trash
    store = library_home / "clippings.json"
    store.write_bytes(b'{"clippings": {"1": ')
    repaired = clip("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.stderr
    assert "restored" in repaired.stderr
    restored = stored.tables(store)
    assert (restored["clippings"], restored["trash"]) == (after_rm["clippings"], after_rm["trash"])
    damaged = [p for p in library_home.iterdir() if p.name.startswith("clippings.json.damaged-")]
    assert len(damaged) == 1 and damaged[0].read_bytes() == b'{"clippings": {"1": '
    assert clip("doctor").exit_code == 0


def test_doctor_finds_and_repairs_bad_records(
    clip: Clip, library_home: Path, seeded: bytes
) -> None:
    import json

    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["1"]["content_hash"] = "0" * 64
    data["clippings"]["2"]["uuid"] = data["clippings"]["1"]["uuid"]
    data["trash"] = {"2": dict(data["clippings"]["2"])}
    stored.save(store, data)
    found = clip("doctor", "--json")
    assert found.exit_code == 1
    kinds = sorted(p["kind"] for p in json.loads(found.stdout)["problems"])
    assert kinds.count("ids") >= 2 and "record" in kinds
    assert clip("doctor", "--repair").exit_code == 0
    assert clip("doctor").exit_code == 0
    repaired = stored.tables(store)
    assert len(repaired["clippings"]) == 2 and len(repaired["trash"]) == 1
    assert "2" not in repaired["trash"]


def test_backups_rotate_to_the_configured_count(
    clip: Clip, library_home: Path, tmp_path: Path, seeded: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_BACKUPS", "3")
    for n in range(6):
        source = tmp_path / f"import{n}.jsonl"
        source.write_text(f'{{"text": "Imported article {n}.", "title": "I{n}"}}\n')
        assert clip("import", str(source)).exit_code == 0
    backups = sorted((library_home / "backups").iterdir())
    assert len(backups) == 3  # imports are not protected: only the newest 3 stay
    listed = clip("backup", "--list")
    assert listed.stdout.splitlines()[0].startswith(backups[-1].name)
    restored = clip("restore", backups[0].name, "--yes")
    assert restored.exit_code == 0, restored.stderr
    assert clip("doctor").exit_code == 0
