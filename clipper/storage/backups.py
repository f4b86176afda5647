"""Backups of the library, taken before destructive changes, kept by kind and age, restored.

A backup is one thing in backups/: a folder `clippings-<time>Z-<kind>/` holding the manifest
(clippings.json) and its segment files (clippings.d/), hard links to the library's own where
the file system allows (segment files are never changed in place, only superseded, so a link
keeps the content of the moment), copies elsewhere. A library of schema 1 is backed up, and
older backups stay, as one file `clippings-<time>Z-<kind>.json`. Both restore (`Store.restore`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clipper.errors import NotFoundError, UsageError
from clipper.storage.atomic import WriteError, write_atomically
from clipper.storage.retention import Retention, Verdict, describe, plan

DEFAULT_KEEP = 10
DEFAULT_MAX_BYTES = 2_000_000_000
# The kind of a backup (the command that took it) is in its name, where it survives copies,
# and where a person reads it: clippings-20261129T101500123456Z-rm.json. Names from before
# microseconds were added (clippings-20261129T101500Z-rm.json) are read the same way.
_NAME = re.compile(r"^clippings-(\d{8}T\d{6})(\d{6})?Z(?:-([a-z0-9-]+))?(\.json)?$")


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: when it was taken, and why."""

    path: Path
    moment: datetime  # UTC, to the microsecond when the name has them
    reason: str  # the label in the name: rm, import, manual ...
    size: int

    @property
    def taken(self) -> str:
        """ISO 8601 UTC, to the second."""
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def kind(self) -> str:
        """'before rm', 'by hand': what took it, for people."""
        return describe(self.reason)


class Backups:
    """The backups/ folder of a library, thinned by `backup_retention` after each new one."""

    def __init__(
        self, folder: Path, *, keep: int = DEFAULT_KEEP, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if keep < 0:
            raise UsageError("the number of backups to keep cannot be negative.")
        if max_bytes < 0:
            raise UsageError("the size backups may take cannot be negative.")
        self.folder = folder
        self.keep = keep
        self.rules = Retention(recent=keep, max_bytes=max_bytes)

    def take(
        self, content: bytes, reason: str, *, now: datetime | None = None, force: bool = False
    ) -> Path | None:
        """Save `content` as a new backup and thin the folder; nothing when keeping no
        automatic backups, unless `force` (a backup asked for by hand)."""
        if self.keep == 0 and not force:
            return None
        path, moment = self._new_name(reason, now, ".json")
        write_atomically(path, content)
        self.rotate(now=moment)
        return path

    def take_folder(
        self,
        manifest: bytes,
        files: Mapping[str, Path],
        reason: str,
        *,
        now: datetime | None = None,
        force: bool = False,
    ) -> Path | None:
        """Save a manifest and the segment files it names as a new backup folder, made under
        a temporary name and renamed whole (a killed backup is debris, never half a backup)."""
        if self.keep == 0 and not force:
            return None
        path, moment = self._new_name(reason, now, "")
        temp = self.folder / f".{path.name}.{os.getpid()}.tmp"
        try:
            shutil.rmtree(temp, ignore_errors=True)
            (temp / "clippings.d").mkdir(parents=True)
            for name, source in files.items():
                target = temp / "clippings.d" / name
                try:
                    os.link(source, target)
                except OSError:  # no hard links here (another drive, some sync folders)
                    shutil.copyfile(source, target)
            write_atomically(temp / "clippings.json", manifest)
            temp.rename(path)
        except OSError as error:
            shutil.rmtree(temp, ignore_errors=True)
            raise WriteError(path, error.strerror or str(error)) from None
        self.rotate(now=moment)
        return path

    def _new_name(self, reason: str, now: datetime | None, suffix: str) -> tuple[Path, datetime]:
        label = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
        moment = now or datetime.now(UTC)
        while True:  # microseconds in the name keep backups in order; a clash takes the next
            path = self.folder / f"clippings-{moment:%Y%m%dT%H%M%S%f}Z-{label}{suffix}"
            if not path.exists() and not path.with_suffix(".json").exists():
                return path, moment
            moment += timedelta(microseconds=1)

    def all(self) -> list[Backup]:
        """Every backup, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match or not (path.is_dir() if match.group(4) is None else path.is_file()):
                continue
            moment = datetime.strptime(match.group(1) + (match.group(2) or "000000"),
                                       "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)  # fmt: skip
            found.append(Backup(path, moment, match.group(3) or "manual", _size(path)))
        return sorted(found, key=lambda b: (b.moment, b.path.name), reverse=True)

    def verdicts(self, *, now: datetime | None = None) -> list[tuple[Backup, Verdict]]:
        """Every backup, newest first, with whether the rules keep it and why."""
        found = self.all()
        return list(zip(found, plan(list(found), now or datetime.now(UTC), self.rules),
                        strict=True))  # fmt: skip

    def rotate(self, *, now: datetime | None = None) -> None:
        """Remove the backups that no rule keeps."""
        for backup, verdict in self.verdicts(now=now):
            if not verdict.keep:
                if backup.path.is_dir():
                    shutil.rmtree(backup.path, ignore_errors=True)
                else:
                    backup.path.unlink(missing_ok=True)

    def find(self, name: str) -> Path:
        """A backup by file name (in backups/) or by path; NotFoundError when there is none."""
        candidate = Path(name).expanduser()
        if candidate.exists():
            return candidate
        inside = self.folder / name
        if inside.exists():
            return inside
        raise NotFoundError(f"no backup {name!r}. See `clip backup --list`.")


def _size(path: Path) -> int:
    """The bytes a backup holds of its own: a folder's files that are linked nowhere else
    (removing it frees that much; what it shares with the library costs nothing)."""
    if not path.is_dir():
        return path.stat().st_size
    total = 0
    for file in path.rglob("*"):
        with contextlib.suppress(OSError):
            info = file.stat()
            if file.is_file() and info.st_nlink == 1:
                total += info.st_size
    return total
