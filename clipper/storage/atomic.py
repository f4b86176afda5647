"""Writing a file so that a crash leaves either the old content or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clipper.errors import ClipperError


class WriteError(ClipperError):
    """A file could not be written; the old content is still in place."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}; {path.name} is unchanged.")
        self.path = path
        self.reason = reason


def write_atomically(
    path: Path, payload: bytes | Sequence[bytes | memoryview], *, sync_folder: bool = True
) -> None:
    """Replace `path` with `payload` (bytes, or pieces written one after the other, which spares
    joining them in memory): temporary file in the same folder, fsync, rename, fsync. Without
    `sync_folder`, the caller fsyncs the folder itself (`sync_folder`), once for several files."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(payload, bytes):
                stream.write(payload)
            else:
                stream.writelines(payload)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            temp.chmod(path.stat().st_mode & 0o777)
        temp.replace(path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteError(path, error.strerror or str(error)) from None
        raise
    if sync_folder:
        fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Make the names written in `folder` durable (its renames); not possible on every
    platform, hence the suppress."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_output(path: Path, payload: bytes) -> None:
    """Write an output file the user named: a regular file (or a new one) is replaced
    atomically, through any link to it, which stays a link; anything else that exists (a
    device such as /dev/null, a pipe) is written to as it is, never replaced by a file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
    if info is None or stat.S_ISREG(info.st_mode):
        write_atomically(path.resolve(), payload)
        return
    if stat.S_ISDIR(info.st_mode):
        raise ClipperError(f"{path} is a folder; give the name of a file to write.")
    try:
        with path.open("wb") as stream:
            stream.write(payload)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
