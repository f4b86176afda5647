"""Temporary files that killed processes left in a library folder, and sweeping them.

Every file clip writes in a library goes through a temporary file beside it (`.NAME.*.tmp`),
renamed over the target once complete. A process killed in between leaves the temporary file:
a full copy of the store for a backup, an index being built. Nothing reads them; they only
take space. One is stale when it is older than a minute and the process that wrote it (named
in the index's temporary files) is gone; a younger one may still be in the middle of a write.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

STALE_AFTER = 60.0  # seconds
_OWNER = re.compile(r"^\.[^/]*\.(\d+)\.tmp$")  # .index.sqlite3.PID.tmp


def temporaries(folder: Path) -> list[Path]:
    """The temporary files of clip's writes in one folder (not below it)."""
    try:
        # A folder: a backup killed before its rename (storage/backups).
        return sorted(
            p for p in folder.glob(".*.tmp") if (p.is_file() or p.is_dir()) and not p.is_symlink()
        )
    except OSError:
        return []


def is_stale(path: Path, *, now: float | None = None) -> bool:
    """Whether a temporary file was left by a write that will never finish."""
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError:
        return False  # gone meanwhile: renamed by its writer, or swept by another process
    if age < STALE_AFTER:
        return False
    match = _OWNER.match(path.name)
    return match is None or not _alive(int(match.group(1)))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process (or a pid we cannot ask about): leave it
    return True


def stale(folders: list[Path]) -> list[Path]:
    """The stale temporary files in these folders (a library's, its segments', backups/ and
    snapshots/, a folder that may hold thousands of files: only doctor looks there)."""
    return [path for folder in folders for path in temporaries(folder) if is_stale(path)]


def sweep(files: list[Path]) -> list[Path]:
    """Remove stale temporary files; returns those removed."""
    removed = []
    for path in files:
        with contextlib.suppress(OSError):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed
