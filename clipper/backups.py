"""Copies of clippings.json, taken before destructive changes, kept by kind and age, restored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clipper.atomic import write_atomically
from clipper.backup_retention import Retention, Verdict, describe, plan
from clipper.errors import NotFoundError, UsageError

DEFAULT_KEEP = 10
DEFAULT_MAX_BYTES = 2_000_000_000
# The kind of a backup (the command that took it) is in its name, where it survives copies,
# and where a person reads it: clippings-20261129T101500123456Z-rm.json. Names from before
# microseconds were added (clippings-20261129T101500Z-rm.json) are read the same way.
_NAME = re.compile(r"^clippings-(\d{8}T\d{6})(\d{6})?Z(?:-([a-z0-9-]+))?\.json$")


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
        label = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
        moment = now or datetime.now(UTC)
        while True:  # microseconds in the name keep backups in order; a clash takes the next
            path = self.folder / f"clippings-{moment:%Y%m%dT%H%M%S%f}Z-{label}.json"
            if not path.exists():
                break
            moment += timedelta(microseconds=1)
        write_atomically(path, content)
        self.rotate(now=moment)
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
            moment = datetime.strptime(match.group(1) + (match.group(2) or "000000"),
                                       "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)  # fmt: skip
            found.append(Backup(path, moment, match.group(3) or "manual", path.stat().st_size))
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
                backup.path.unlink(missing_ok=True)

    def find(self, name: str) -> Path:
        """A backup by file name (in backups/) or by path; NotFoundError when there is none."""
        candidate = Path(name).expanduser()
        if candidate.is_file():
            return candidate
        inside = self.folder / name
        if inside.is_file():
            return inside
        raise NotFoundError(f"no backup {name!r}. See `clip backup --list`.")
