"""Writing md-files into a folder, again and again: a refresh that never loses a person's edits
and never writes outside the folder.

Each clipping has one file, found by the uuid in its front matter (so a file keeps its name
when the title changes), else named after its date and title (a regular file there without a
uuid is taken for the clipping's, its front matter edited away). A file is rewritten only when
clip wrote it and nobody changed it since (its HASH_KEY line says so), or with `force`; a name
that is taken by anything else (a note of the person's, a symbolic link, a folder) is left alone
and the clipping gets the next free name. Nothing is ever written through a symbolic link: every
write is a new file renamed over the name, which replaces a link planted meanwhile instead of
following it.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipper.errors import ClipperError, UsageError
from clipper.formats.markdown_files import document, file_name, written_by_clip
from clipper.model import Clipping

# The uuid line of a front matter as clip writes it (quoted if a person re-saved it so).
_UUID_LINE = re.compile(r"^uuid: ['\"]?([0-9a-fA-F-]{36})['\"]?\s*$", re.MULTILINE)
HEAD_BYTES = 64 * 1024  # enough for any front matter clip writes; the uuid is in there
MAX_FILE_BYTES = 64 * 1024 * 1024  # a bigger file is not one clip wrote: never read whole


@dataclass(slots=True)
class Refresh:
    """What an md-files export did, file by file."""

    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited since clip wrote them
    overwritten: list[Path] = field(default_factory=list)  # edited, but `force`

    @property
    def written(self) -> list[Path]:
        return [*self.new, *self.updated, *self.overwritten]


def write(
    clippings: Sequence[Clipping], folder: Path, *, force: bool = False,
    advance: Callable[[], None] | None = None,
) -> Refresh:  # fmt: skip
    """Bring `folder` (created if needed) up to date with `clippings`, one file each."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; md-files exports into a folder.")
    refresh = Refresh()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        by_uuid, anonymous, taken = _existing(folder)
        uuids = [str(clipping.uuid or "").lower() for clipping in clippings]  # hand edits...
        shared = {uuid for uuid, count in Counter(uuids).items() if count > 1}
        for clipping, uuid in zip(clippings, uuids, strict=True):
            name = file_name(clipping)
            # ... may empty a uuid, or give two clippings one: neither tells whose a file is.
            known = by_uuid.get(uuid) if uuid and uuid not in shared else None
            path = known or anonymous.pop(name.lower(), None)
            if path is None:
                path = folder / _free_name(name, taken)
                if path.parent != folder:  # names are slugs; kept as a guard
                    raise ClipperError(f"refusing to write {path}: outside {folder}.")
                _write(path, document(clipping))
                refresh.new.append(path)
            else:
                _refresh(path, document(clipping), force, refresh)
            if advance is not None:
                advance()
    except OSError as error:
        raise ClipperError(f"cannot write in {folder}: {error.strerror or error}.") from None
    return refresh


def _existing(folder: Path) -> tuple[dict[str, Path], dict[str, Path], set[str]]:
    """The regular .md files of the folder by the uuid they carry, those without one by their
    name (lowercase), and every name taken (lowercase: case-insensitive file systems)."""
    by_uuid: dict[str, Path] = {}
    anonymous: dict[str, Path] = {}
    taken: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            taken.add(entry.name.lower())
            if not entry.name.endswith(".md") or not entry.is_file(follow_symlinks=False):
                continue
            head = _read(Path(entry.path), HEAD_BYTES)
            front = head.split("\n---", 1)[0] if head and head.startswith("---") else ""
            found = _UUID_LINE.search(front)
            if found is not None:
                by_uuid.setdefault(found.group(1).lower(), Path(entry.path))
            elif head is not None:
                anonymous[entry.name.lower()] = Path(entry.path)
    return by_uuid, anonymous, taken


def _free_name(name: str, taken: set[str]) -> str:
    stem, number = name[:-3], 2
    while name.lower() in taken:
        name, number = f"{stem}-{number}.md", number + 1
    taken.add(name.lower())
    return name


def _refresh(path: Path, content: str, force: bool, refresh: Refresh) -> None:
    """One existing file of a clipping: unchanged, updated, kept (edited) or overwritten."""
    current = _read(path, MAX_FILE_BYTES)
    if current == content:
        refresh.unchanged.append(path)
    elif current is not None and written_by_clip(current):
        _write(path, content)
        refresh.updated.append(path)
    elif force:
        _write(path, content)
        refresh.overwritten.append(path)
    else:
        refresh.kept.append(path)


def _read(path: Path, limit: int) -> str | None:
    """The text of a regular file (its first `limit` bytes); None for anything else: a link,
    a pipe (opened without blocking, never read), a bigger file, bytes that are not UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or (limit == MAX_FILE_BYTES and info.st_size > limit):
            return None
        data = stream.read(limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None if limit == MAX_FILE_BYTES else data.decode("utf-8", errors="ignore")


def _write(path: Path, content: str) -> None:
    """A new file beside `path`, renamed over it: whatever `path` is (a link planted since the
    folder was read), it is replaced, never written through."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)  # debris of a killed run (a link is removed, not followed)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
