"""The library's cross-process lock: flock on clippings.json.lock.

On POSIX the lock is taken with `fcntl.flock` directly, as filelock's UnixFileLock takes it
(the same lock, so both exclude each other): importing filelock costs more than the rest of a
`clip tag`'s own work. Elsewhere (Windows), filelock takes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

# How often a waiting writer tries again (filelock's default).
POLL_SECONDS = 0.05
_CONTENDED = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})


class LockTimeout(Exception):
    """Another process held the lock for longer than the timeout."""


@contextlib.contextmanager
def held(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock on `path` (created if missing), waiting at most `timeout` seconds for
    it (a negative timeout waits for as long as it takes); LockTimeout when it stays held,
    OSError when the file cannot be opened or locked."""
    try:
        import fcntl
    except ImportError:  # no flock on this system: filelock knows its way
        with _filelock(path, timeout):
            yield
        return
    # O_NOFOLLOW: a link planted in the folder never makes clip open (and create) its target.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in _CONTENDED:
                    raise
            if timeout >= 0 and time.monotonic() >= deadline:
                raise LockTimeout(path)
            time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _filelock(path: Path, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(path) from None
    try:
        yield
    finally:
        lock.release()
