"""Reading the store's files: only a regular file, of a bounded size, checked for shape.

A library folder may hold anything where clippings.json should be: a device or a pipe (which
would never end, or hang), a sparse or huge file (which would fill memory before failing to
parse), a link to an unmounted drive (which must not look like an empty library). Each is a
clear StoreError here, before anything is read whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson

from clipper.errors import NewerLibraryError, StoreError

# 3: a manifest with pending links (storage/pending.py), and segment files (storage/layout.py);
# 2: the same without pending links; 1: one clippings.json with every table.
SCHEMA_VERSION = 3
# The version of a clipping record (exports carry it): the same in both layouts.
RECORDS_VERSION = 1
CLIPPINGS, TRASH, META, SEGMENTS, PENDING = "clippings", "trash", "meta", "segments", "pending"
TABLES = (CLIPPINGS, TRASH, META)  # a schema-1 file
MANIFEST_TABLES = {2: (META, SEGMENTS), 3: (META, SEGMENTS, PENDING)}
SEGMENT_TABLES = (CLIPPINGS, TRASH)
_META_ID = 1

Record = dict[str, Any]


def _damaged(path: Path, problem: str) -> StoreError:
    return StoreError(
        f"{path} {problem}. clip has not changed it; `clip doctor --repair` restores the "
        "newest good backup and keeps a copy of this file."
    )


# Far above any real library (a million clippings take about 3 GB), far below what would
# exhaust memory before a clean error: a file beyond it is refused without being read.
MAX_STORE_BYTES = 8 * 1024**3
_HEAD_BYTES = 64 * 1024


def read_raw(
    path: Path, *, limit: int = MAX_STORE_BYTES, check_start: bool = True
) -> bytes | None:
    """The bytes of a store file, None when it does not exist.

    Only a regular file is read (a device, a pipe or a socket would hang or never end), and
    only when it starts like JSON: a sparse or binary file is refused after its first bytes.
    `check_start=False` reads a damaged file whatever it starts with (to keep a copy of it,
    or salvage what it still holds), within the same bounds.
    """
    try:
        # O_NONBLOCK: opening a pipe must not wait for a writer; no effect on a regular file.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        refuse_dangling(path)
        return None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a clip library file.") from None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}.") from None
    try:
        _check_kind(path, os.fstat(fd), limit)
        start = os.pread(fd, _HEAD_BYTES, 0).removeprefix(b"\xef\xbb\xbf").lstrip()
        if check_start and start and not start.startswith(b"{"):
            raise _damaged(path, "is not valid JSON (it does not start with '{')")
        with os.fdopen(os.dup(fd), "rb") as stream:
            # The file may have grown since fstat: never more than the limit is read.
            raw = stream.read(limit + 1)
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}.") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise _damaged(path, "grew beyond the size clip reads while it was read")
    return raw


def store_stat(path: Path) -> os.stat_result | None:
    """The stat of a store file, None when there is none; a StoreError when it cannot be
    told (a link to nowhere, a loop of links, a folder that cannot be searched)."""
    try:
        return path.stat()
    except FileNotFoundError:
        refuse_dangling(path)
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}.") from None


def refuse_dangling(path: Path) -> None:
    """A store, or library folder, that is a link to nothing is not a missing library: it is
    elsewhere (an unmounted drive, a sync folder), and a new one must not be started here."""
    for link in (path, path.parent):
        if not link.is_symlink():
            continue
        try:
            link.stat()
        except FileNotFoundError:
            raise StoreError(
                f"{link} is a link to {link.readlink()}, which does not exist (a drive or "
                "synced folder not mounted?); clip will not start a new library there."
            ) from None
        except OSError as error:  # a loop of links
            raise StoreError(f"cannot read {link}: {error.strerror or error}.") from None


def _check_kind(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder, not a clip library file.")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"{path} is {_file_kind(info.st_mode)}, not a clip library file; clip reads only "
            "a regular file there."
        )
    if info.st_size > limit:
        raise _damaged(path, f"is {info.st_size:,} bytes, more than clip reads")


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def parse_store(raw: bytes, path: Path) -> dict[str, dict[str, Record]]:
    """The content of a store file, checked for shape and schema; StoreError when unusable."""
    # A pending table of another shape is damage of those links only (storage/pending).
    data = _tables(raw, path, "library", loose=PENDING)
    meta = data.get(META, {}).get(str(_META_ID), {})
    # A file without a version is of the layout it has (a hand-made one: just its tables).
    default = SCHEMA_VERSION if SEGMENTS in data else 1
    version = meta.get("schema_version", default) if isinstance(meta, dict) else None
    if not isinstance(version, int):
        raise _damaged(path, f"has a malformed schema_version {version!r}")
    if version > SCHEMA_VERSION:
        raise NewerLibraryError(
            f"{path} was written by a newer clip (library schema {version}; this clip reads "
            f"up to {SCHEMA_VERSION}). Upgrade clip; the file was left untouched."
        )
    expected = MANIFEST_TABLES[version] if version >= 2 else TABLES
    foreign = sorted(set(data) - set(expected))
    if foreign:
        raise _damaged(path, f"is not a clip library (it has the table {foreign[0]!r})")
    # Records are checked one by one (store_check): a bad one is skipped, not the library.
    return data


def parse_segment(raw: bytes, path: Path) -> dict[str, dict[str, Record]]:
    """The tables of a segment file, checked for shape; StoreError when unusable."""
    data = _tables(raw, path, "segment")
    foreign = sorted(set(data) - set(SEGMENT_TABLES))
    if foreign:
        raise _damaged(path, f"is not a clip segment (it has the table {foreign[0]!r})")
    return data


def _tables(
    raw: bytes, path: Path, kind: str, *, loose: str | None = None
) -> dict[str, dict[str, Record]]:
    """A store file's JSON as tables of records (a manifest's or a segment's); StoreError when
    it is empty, not JSON, or not tables (but for the table `loose`, checked by its reader)."""
    if not raw.strip():
        raise _damaged(path, "is empty (0 bytes of data)")
    try:
        # Some editors start UTF-8 with a byte-order mark; the README invites hand edits.
        data = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        raise _damaged(path, f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) for name, t in data.items() if name != loose
    ):
        raise _damaged(path, f"is JSON but not a clip {kind} (expected tables of records)")
    return data
