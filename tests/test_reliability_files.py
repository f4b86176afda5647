"""Odd files where clippings.json should be: devices, pipes, huge and sparse files, links to
nowhere and to themselves. Each is a one-line error, never a hang, and nothing is written."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clipper.errors import StoreError
from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.expect import error_message

READS = [("list",), ("search", "harbour"), ("show", "1"), ("doctor",), ("stats",)]
WRITES = [("add", "A new article about the harbour.", "--title", "Harbour"), ("rm", "1")]


def run_clip(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    def small_memory() -> None:
        # Reading /dev/zero whole would take all memory: fail fast instead of swapping.
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "clipper", *args],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        env={**os.environ, "CLIPPER_HOME": str(home), "NO_COLOR": "1"},
        preexec_fn=small_memory,
        timeout=120,  # not a measure: only so that a hang fails the test instead of the run
    )  # fmt: skip


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(("Error: ", "1 problem found")), result.stderr
    return result.stderr


@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_a_device_or_a_pipe_as_the_store_is_refused(library_home: Path, kind: str) -> None:
    library_home.mkdir()
    store = library_home / "clippings.json"
    if kind == "device":
        store.symlink_to("/dev/zero")
    else:
        os.mkfifo(store)
    for args in [*READS, *WRITES]:
        message = one_error(run_clip(library_home, *args))
        assert f"is a {kind}, not a clip library file" in message, args
    assert sorted(p.name for p in library_home.iterdir()) == ["clippings.json",
                                                              "clippings.json.lock"]  # fmt: skip


def test_a_sparse_file_is_refused_after_its_first_bytes(library: Library) -> None:
    store = library.paths.store
    store.parent.mkdir()
    with store.open("wb") as sparse:
        sparse.truncate(3 * 1024**3)  # 3 GB of nothing, on no disk space
    message = one_error(run_clip(library.paths.home, "list"))
    assert "is not valid JSON (it does not start with '{')" in message
    assert store.stat().st_size == 3 * 1024**3


def test_a_file_beyond_the_size_limit_is_refused_unread(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    import clipper.storage.store

    monkeypatch.setattr(
        clipper.storage.store.read_raw, "__kwdefaults__", {"limit": 100, "check_start": True}
    )
    with pytest.raises(StoreError, match="more than clip reads"):
        library.clippings()


def test_a_link_to_nowhere_is_an_error_naming_its_target(
    clip: Clip, library_home: Path, tmp_path: Path
) -> None:
    library_home.mkdir()
    target = tmp_path / "unmounted" / "sync" / "clippings.json"
    (library_home / "clippings.json").symlink_to(target)
    for args in [*READS, *WRITES, ("backup",)]:
        message = error_message(clip(*args), 1) if args != ("doctor",) else clip(*args).stderr
        assert f"is a link to {target}, which does not exist" in message, args
    assert not (tmp_path / "unmounted").exists()


def test_a_library_folder_linked_to_nowhere_is_an_error(clip: Clip, tmp_path: Path) -> None:
    home = tmp_path / "linked"
    home.symlink_to(tmp_path / "gone")
    for args in [("list",), WRITES[0]]:
        result = clip("--library", str(home), *args)
        assert f"is a link to {tmp_path / 'gone'}, which does not exist" in error_message(result, 1)
    assert not (tmp_path / "gone").exists()


def test_a_store_linked_to_itself_is_an_error(clip: Clip, library_home: Path) -> None:
    library_home.mkdir()
    (library_home / "clippings.json").symlink_to("clippings.json")
    for args in [*READS, *WRITES]:
        if args == ("doctor",):
            assert "Too many levels of symbolic links" in clip(*args).stderr
            continue
        assert "Too many levels of symbolic links" in error_message(clip(*args), 1), args


# export -o ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inside", ["clippings.json", "index.sqlite3", "backups/clippings-x.json", "notes.md", "."]
)
@pytest.mark.parametrize("fmt", ["json", "md", "md-files"])
def test_export_never_writes_inside_the_library(
    clip: Clip, library: Library, inside: str, fmt: str
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    before = {p: p.read_bytes() for p in library.paths.home.rglob("*") if p.is_file()}
    result = clip("export", "-f", fmt, "-o", str(library.paths.home / inside))
    message = error_message(result, 2)
    assert "is inside the library folder" in message
    after = {p: p.read_bytes() for p in library.paths.home.rglob("*") if p.is_file()}
    assert after == before


def test_export_through_a_link_into_the_library_is_refused(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    before = library.paths.store.read_bytes()
    link = tmp_path / "review.json"
    link.symlink_to(library.paths.store)
    assert "is inside the library folder" in error_message(
        clip("export", "-f", "json", "-o", str(link)), 2
    )
    assert library.paths.store.read_bytes() == before


def test_export_to_a_link_writes_its_target_and_keeps_the_link(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    target = tmp_path / "synced" / "review.md"
    target.parent.mkdir()
    target.write_text("old review")
    link = tmp_path / "review.md"
    link.symlink_to(target)
    assert clip("export", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert "Harbour" in target.read_text()


def test_export_to_a_device_writes_to_it_and_never_replaces_it(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    assert clip("export", "-f", "json", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert Path(os.devnull).is_char_device()


def test_export_to_a_pipe_writes_into_the_pipe(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    import threading

    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    # A daemon: if the export replaced the pipe, this reader would wait forever.
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    assert clip("export", "-f", "jsonl", "-o", str(pipe)).exit_code == 0
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    reader.join()
    assert b"The harbour reopened." in received[0]


def test_export_to_a_dash_is_standard_output(
    clip: Clip, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    monkeypatch.chdir(tmp_path)
    result = clip("export", "-f", "jsonl", "-o", "-")
    assert result.exit_code == 0
    assert "The harbour reopened." in result.stdout
    assert not (tmp_path / "-").exists()


# Temporary files of killed writes ----------------------------------------------------------


def leftover(path: Path, *, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{}" * 100)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)  # it has exited: nobody has this pid until it is reused


def test_stale_temporaries_are_reported_and_swept(clip: Clip, library: Library) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    home = library.paths.home
    stale = [
        leftover(home / f".index.sqlite3.{dead_pid()}.tmp", age=3600),
        leftover(home / "backups" / ".clippings-20260101T000000000000Z-rm.json.a1b2.tmp",
                 age=3600),
        leftover(home / "snapshots" / ".0a1b2c.html.gz.x9y8.tmp", age=3600),
    ]  # fmt: skip
    young = leftover(home / "backups" / ".clippings-20260102T000000000000Z-rm.json.c3.tmp", age=0)
    alive = leftover(home / f".index.sqlite3.{os.getpid()}.tmp", age=3600)

    doctor = clip("doctor")
    assert doctor.exit_code == 1
    for path in stale:
        assert f"{path.relative_to(home)} was left by an interrupted write" in doctor.stderr
    assert young.name not in doctor.stderr
    assert alive.name not in doctor.stderr
    assert "belongs to no clipping" not in doctor.stderr  # a temporary file is no snapshot

    # Any write sweeps those beside the store and in backups/; doctor --repair all of them.
    assert clip("tag", "1", "-t", "port").exit_code == 0
    assert [p.exists() for p in stale] == [False, False, True]
    repair = clip("doctor", "--repair")
    assert "removed snapshots/.0a1b2c.html.gz.x9y8.tmp" in repair.stderr
    assert not stale[2].exists()
    assert young.exists()
    assert alive.exists()
    assert clip("doctor").exit_code == 0


# The search index where it cannot be written -----------------------------------------------


def test_an_index_path_that_is_a_folder_is_said_not_repaired(clip: Clip, library: Library) -> None:
    library.add(Draft(text="The harbour reopened.", title="Harbour"))
    library.paths.index.unlink(missing_ok=True)
    library.paths.index.mkdir()
    reindex = clip("reindex")
    assert "it is a folder: remove it" in error_message(reindex, 1)
    repair = clip("doctor", "--repair")
    assert repair.exit_code == 1
    assert "Repaired: rebuilt the search index" not in repair.stderr
    assert "index.sqlite3 is a folder, where the search index should be" in repair.stderr
    assert "0 can be repaired" in repair.stderr
    assert clip("search", "harbour").stdout.startswith("1\t")  # searches still work
    assert library.paths.index.is_dir()


def test_reindex_on_a_full_disk_says_so(library: Library) -> None:
    for n in range(40):
        library.add(Draft(text=f"Article {n} about the harbour. " * 50, title=f"Harbour {n}"))
    library.paths.index.unlink(missing_ok=True)
    limit = 4096  # the index of 40 clippings needs far more than this

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "clipper", "reindex"],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        env={**os.environ, "CLIPPER_HOME": str(library.paths.home), "NO_COLOR": "1"},
        preexec_fn=small_files,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    message = one_error(result)
    assert "cannot write the search index" in message
    assert "Indexed" not in message
    assert not library.paths.index.exists()
    assert not [p for p in library.paths.home.iterdir() if p.name.endswith(".tmp")]
