"""Rotating copies of clippings.json, taken before destructive changes, and restoring them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clipper.atomic import write_atomically
from clipper.errors import NotFoundError, UsageError

DEFAULT_KEEP = 10
_NAME = re.compile(r"^clippings-(\d{8}T\d{6})(\d{6})?Z(?:-([a-z0-9-]+))?\.json$")


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: when it was taken, and why."""

    path: Path
    taken: str  # ISO 8601 UTC
    reason: str
    size: int


class Backups:
    """The backups/ folder of a library, newest kept, oldest removed beyond `keep`."""

    def __init__(self, folder: Path, *, keep: int = DEFAULT_KEEP) -> None:
        if keep < 0:
            raise UsageError("the number of backups to keep cannot be negative.")
        self.folder = folder
        self.keep = keep

    def take(self, content: bytes, reason: str) -> Path | None:
        """Save `content` as a new backup and rotate; nothing when keeping no backups."""
        if self.keep == 0:
            return None
        label = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
        while True:  # microseconds in the name keep backups in order; a clash only retries
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            path = self.folder / f"clippings-{stamp}-{label}.json"
            if not path.exists():
                break
        write_atomically(path, content)
        self.rotate()
        return path

    def all(self) -> list[Backup]:
        """Every backup, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match or not path.is_file():
                continue
            stamp = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S")
            found.append(
                Backup(
                    path=path,
                    taken=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    reason=match.group(3) or "manual",
                    size=path.stat().st_size,
                )
            )
        return sorted(found, key=lambda b: (b.taken, _fraction(b.path)), reverse=True)

    def rotate(self) -> None:
        """Remove the oldest backups beyond `keep`."""
        for old in self.all()[self.keep :]:
            old.path.unlink(missing_ok=True)

    def find(self, name: str) -> Path:
        """A backup by file name (in backups/) or by path; NotFoundError when there is none."""
        candidate = Path(name).expanduser()
        if candidate.is_file():
            return candidate
        inside = self.folder / name
        if inside.is_file():
            return inside
        raise NotFoundError(f"no backup {name!r}. See `clip backup --list`.")


def _fraction(path: Path) -> int:
    match = _NAME.match(path.name)
    return int(match.group(2)) if match and match.group(2) else 0
