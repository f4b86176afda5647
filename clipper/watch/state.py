"""What a watch run remembers between runs, per feed: its HTTP validators (ETag,
Last-Modified), when the server asked to be left alone until (Retry-After), and which of its
items each watch has already seen (guid or link), bounded in size.

It lives in `watch-state.json` beside clippings.json rather than inside it: it changes on every
run, even one that adds nothing, and rewriting the library (and bumping its generation, which
sends the search index to check itself) for a new ETag would make an idle run cost a write of
the whole store. Losing it loses nothing kept: the next run fetches every feed in full and
the items already kept are recognized by their URL as duplicates.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from clipper.errors import StoreError
from clipper.storage.atomic import WriteError, write_atomically

if TYPE_CHECKING:
    from clipper.library.core import Library
    from clipper.team.library import TeamLibrary

STATE_FILE = "watch-state.json"
LOCK_FILE = "watch.lock"
SEEN_PER_FEED = 2000  # more than any feed carries at once; the oldest are forgotten first


@dataclass(slots=True)
class FeedState:
    """One feed's memory: validators for a conditional request, and the items seen by each
    watch (by name) in the order they were first seen."""

    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None  # UTC time before which the feed is not asked again
    seen: dict[str, list[str]] = field(default_factory=dict)

    def seen_by(self, watch: str) -> set[str]:
        return set(self.seen.get(watch, []))

    def remember(self, watch: str, keys: list[str]) -> None:
        kept = dict.fromkeys(self.seen.get(watch, []))
        for key in keys:
            kept.pop(key, None)
            kept[key] = None  # seen again: the newest
        self.seen[watch] = list(kept)[-SEEN_PER_FEED:]

    def to_dict(self) -> dict[str, Any]:
        return {"etag": self.etag, "last_modified": self.last_modified,
                "retry_after": self.retry_after, "seen": self.seen}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Any) -> FeedState:
        if not isinstance(data, dict):
            return cls()
        seen = data.get("seen")
        seen = seen if isinstance(seen, dict) else {}
        return cls(
            etag=_text(data.get("etag")),
            last_modified=_text(data.get("last_modified")),
            retry_after=_text(data.get("retry_after")),
            seen={str(k): [str(x) for x in v] for k, v in seen.items() if isinstance(v, list)},
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def load_state(home: Path) -> dict[str, FeedState]:
    """Every feed's state by URL; a missing or unreadable file is an empty memory (the next
    run then fetches every feed in full, which loses nothing)."""
    try:
        data = orjson.loads((home / STATE_FILE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    feeds = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(feeds, dict):
        return {}
    return {str(url): FeedState.from_dict(state) for url, state in feeds.items()}


def save_state(home: Path, states: dict[str, FeedState]) -> None:
    """Write the state file atomically (a crash leaves the old memory or the new one)."""
    payload = {"version": 1, "feeds": {url: s.to_dict() for url, s in sorted(states.items())}}
    try:
        write_atomically(home / STATE_FILE, orjson.dumps(payload, option=orjson.OPT_INDENT_2))
    except WriteError as error:
        raise StoreError(f"cannot write {home / STATE_FILE}: {error.reason}.") from None


@contextlib.contextmanager
def run_lock(
    home: Path, timeout: float, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the library's watch lock for a whole run: a second run (a second scheduler, a run
    by hand) waits for the first to finish, so two never fetch and add at once. `waiting` is
    called once when another run holds it."""
    from filelock import FileLock, Timeout

    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(home / LOCK_FILE, timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if waiting is not None:
                waiting()
            lock.acquire()
    except Timeout:
        raise StoreError(
            f"another `clip watch run` has been running on {home} for over {timeout:g} s; "
            f"try again later (if none is running, delete {home / LOCK_FILE})."
        ) from None
    try:
        yield
    finally:
        lock.release()


class Memory(Protocol):
    """Where a library's watch runs keep their memory, and the lock that keeps two runs apart:
    beside the store for a library folder (FolderMemory), in the team's tables for a team
    library (clipper/team/watching.py)."""

    def lock(self, timeout: float, waiting: Callable[[], None] | None = None
             ) -> contextlib.AbstractContextManager[None]: ...  # fmt: skip

    def load(self) -> dict[str, FeedState]: ...

    def save(self, states: dict[str, FeedState]) -> None: ...


@dataclass(slots=True)
class FolderMemory:
    """A library folder's: watch-state.json and watch.lock beside its store."""

    home: Path

    def lock(self, timeout: float, waiting: Callable[[], None] | None = None
             ) -> contextlib.AbstractContextManager[None]:  # fmt: skip
        return run_lock(self.home, timeout, waiting)

    def load(self) -> dict[str, FeedState]:
        return load_state(self.home)

    def save(self, states: dict[str, FeedState]) -> None:
        save_state(self.home, states)


def memory_of(library: Library | TeamLibrary) -> Memory:
    """A folder's files beside its store, or a team library's tables."""
    from clipper.library.core import Library

    if isinstance(library, Library):
        return FolderMemory(library.paths.home)
    return library.watch_memory()
