"""Which backups to keep: by kind and age, under a size cap; a pure function of the list and "now".

A backup is kept when any rule keeps it:

- the newest backup, always (even alone over the size cap: it is the last way back);
- the newest `recent` backups, of any kind;
- every backup taken before a destructive command (rm, trash empty, tags rename, restore,
  doctor --repair, a migration) or by hand (`clip backup`), for `protected_days` days: a run of
  imports must not push out the one copy that undoes an rm;
- the newest backup of each of the last `daily_days` days (UTC).

Then, when the kept backups take more than `max_bytes`, the least precious go first: the newest
stays, then protected backups, then the recent ones, then the daily ones, newer before older.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

# The label in a backup's file name says which command took it (see Backups.take).
DESTRUCTIVE = {
    "rm": "rm",
    "trash-empty": "trash empty",
    "tags-rename": "tags rename",
    "before-restore": "restore",
    "doctor": "doctor --repair",
    "migration": "a migration",
}
MANUAL = "manual"


class Dated(Protocol):
    """What the policy needs to know of a backup."""

    @property
    def moment(self) -> datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def size(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Retention:
    """The rules' numbers; `max_bytes` 0 means no size cap."""

    recent: int = 10
    protected_days: int = 30
    daily_days: int = 7
    max_bytes: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one backup is kept, and why (or why not)."""

    keep: bool
    why: tuple[str, ...]


def describe(reason: str) -> str:
    """'before rm', 'by hand', 'before import': what took a backup, for people."""
    if reason == MANUAL:
        return "by hand"
    return "before " + DESTRUCTIVE.get(reason, reason.replace("-", " "))


def is_protected(reason: str) -> bool:
    """Backups before destructive commands and those taken by hand are kept for days."""
    return reason in DESTRUCTIVE or reason == MANUAL


def plan(backups: Sequence[Dated], now: datetime, rules: Retention) -> list[Verdict]:
    """A verdict for each backup of `backups` (newest first), in the same order."""
    why: list[list[str]] = [[] for _ in backups]
    rank: list[int] = [3] * len(backups)  # the most precious rule that keeps it (0 best)
    if backups:
        why[0].append("the newest")
        rank[0] = 0
    for position in range(min(rules.recent, len(backups))):
        why[position].append(f"one of the last {rules.recent}")
        rank[position] = min(rank[position], 2)
    for position, backup in enumerate(backups):
        until = backup.moment + timedelta(days=rules.protected_days)
        if is_protected(backup.reason) and now < until:
            why[position].append(f"taken {describe(backup.reason)}, kept until {until:%Y-%m-%d}")
            rank[position] = min(rank[position], 1)
    days_seen = set()
    for position, backup in enumerate(backups):
        day = backup.moment.date()
        if day in days_seen or (now.date() - day).days >= rules.daily_days:
            continue
        days_seen.add(day)
        why[position].append(f"the newest of {day} (one a day for {rules.daily_days} days)")
        rank[position] = min(rank[position], 3)
    keep = [bool(reasons) for reasons in why]
    if rules.max_bytes and backups:
        total = backups[0].size
        kept = sorted((p for p in range(1, len(backups)) if keep[p]), key=lambda p: (rank[p], p))
        for position in kept:
            if total + backups[position].size <= rules.max_bytes:
                total += backups[position].size
            else:
                keep[position] = False
                limit = f"{rules.max_bytes / 1_000_000:g} MB"
                why[position] = [f"over the {limit} that backups may take"]
    return [
        Verdict(keep[p], tuple(why[p]) if why[p] else ("kept by no rule",))
        for p in range(len(backups))
    ]
