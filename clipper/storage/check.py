"""The one check of every record read from the store's files, and what is done with a bad one.

A record that cannot be used as a clipping (a hand edit gone wrong: a wrong type, a missing
field, an id out of range, a key that is no id) is set aside, not loaded: every command works
on the sound records and says how many were skipped, and `clip doctor` lists each. A write
keeps every set-aside record exactly as it was read (see `Store`), so that nothing the user
typed is lost before they have fixed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clipper.model import MAX_ID, record_problem
from clipper.storage.layout import META

Record = dict[str, Any]
Tables = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Damage:
    """A record that was skipped: where it is (table and key, as in the file) and why."""

    table: str
    key: str
    reason: str

    @property
    def label(self) -> str:
        """The record as people name it: its id, or its key quoted when that is no id."""
        return self.key if record_id(self.key) is not None else _quoted(self.key)


def record_id(key: str) -> int | None:
    """The id a table key stands for: ASCII digits from 1 to MAX_ID, no leading zero; else None."""
    # Written as clip writes it: "01" would be a second key for clipping 1.
    if not (0 < len(key) <= len(str(MAX_ID)) and key.isascii() and key.isdigit()):
        return None
    if key[0] == "0":
        return None
    value = int(key)
    return value if 1 <= value <= MAX_ID else None


def problem(key: str, record: object) -> str | None:
    """Why the record under `key` cannot be loaded, or None."""
    if record_id(key) is None:
        return f"is stored under a key that is not an id from 1 to {MAX_ID}"
    return record_problem(record)


def split(table: dict[str, Any]) -> tuple[dict[str, Record], dict[str, Any]]:
    """The sound records of a table and the damaged ones, each by key as in the file."""
    sound: dict[str, Record] = {}
    damaged: dict[str, Any] = {}
    for key, record in table.items():
        if problem(key, record) is None:
            sound[key] = record
        else:
            damaged[key] = record
    return sound, damaged


def damages(table_name: str, damaged: dict[str, Any]) -> list[Damage]:
    return [
        Damage(table_name, key, problem(key, record) or "is damaged")
        for key, record in damaged.items()
    ]


def counter(meta: Record, name: str, default: int) -> int | None:
    """A counter of the meta record (next_id, generation); None when a hand edit broke it."""
    value = meta.get(name, default)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID + 1:
        return value
    return None


def meta_problems(meta: Record) -> list[str]:
    """What is wrong with the counters of the meta record."""
    return [
        f"the library's {name} is {_shown(meta.get(name))}, not a number"
        for name, default in (("next_id", 1), ("generation", 0))
        if counter(meta, name, default) is None
    ]


def _quoted(key: str) -> str:
    return repr(key) if len(key) <= 24 else repr(key[:21] + "...")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def split_tables(
    data: dict[str, dict[str, Any]],
) -> tuple[dict[str, dict[str, Record]], dict[str, dict[str, Any]], list[Damage]]:
    """A parsed store file as its sound tables, its damaged records by table, and why each
    is damaged (the meta table is taken whole: its counters are checked where used)."""
    sound: dict[str, dict[str, Record]] = {}
    aside: dict[str, dict[str, Any]] = {}
    found: list[Damage] = []
    for name, table in data.items():
        if name == META:
            sound[name] = table
            continue
        sound[name], bad = split(table)
        if bad:
            aside[name] = bad
            found += damages(name, bad)
    return sound, aside, found


def highest_id(table: dict[str, Any]) -> int:
    return max((i for key in table if (i := record_id(key)) is not None), default=0)


def damage_summary(skipped: list[Damage], problems: list[str]) -> str | None:
    """What a command that skipped damaged records (or found broken counters) warns of, the
    same on the terminal and in the web view; None when there is nothing to say."""
    parts = []
    if skipped:
        labels = ", ".join(damage.label for damage in skipped[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        noun = "clipping" if len(skipped) == 1 else "clippings"
        parts.append(f"{len(skipped)} damaged {noun} skipped (ids {labels}{more})")
    parts += problems
    return "; ".join(parts) + "; run `clip doctor`." if parts else None
