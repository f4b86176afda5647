"""The feed watches of a team library (`clip watch`), and what its watch runs remember: kept in
the team's own tables (schema version 3), so that whoever runs the watches, from whichever
machine, sees the same watches and does not fetch again what another run has seen.

A run holds a session advisory lock for its whole length, as a folder's run holds its lock
file: a second run (a second scheduler, on another machine too) waits for the first. The
server lets the lock go when the session ends, so a run that was killed leaves none behind.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from clipper.errors import DuplicateError, NotFoundError, StoreError

if TYPE_CHECKING:
    import psycopg

    from clipper.team.library import TeamLibrary
    from clipper.watch.state import FeedState
    from clipper.watch.watches import Watch

    Conn = psycopg.Connection[Any]

# The watch runs' lock, by number (the schema's migration lock is another).
RUN_LOCK = 0x636C6977


def watches(conn: Conn) -> dict[str, Watch]:
    from clipper.watch.watches import Watch

    rows = conn.execute("SELECT watch FROM clip_watches ORDER BY name").fetchall()
    found = [Watch.from_dict(row[0]) for row in rows if isinstance(row[0], dict)]
    return {watch.name: watch for watch in found}


def save(conn: Conn, watch: Watch, *, new: bool) -> None:
    """Keep a watch: a new one (refused when its name is taken) or a changed one."""
    from psycopg.types.json import Jsonb

    if new:
        added = conn.execute(
            "INSERT INTO clip_watches VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
            [watch.name, Jsonb(watch.to_dict())],
        )
        if added.rowcount == 0:
            raise DuplicateError(
                f"a watch named {watch.name!r} exists; change it with "
                f"`clip watch edit {watch.name}`.", 0,
            )  # fmt: skip
        return
    changed = conn.execute(
        "UPDATE clip_watches SET watch = %s WHERE name = %s", [Jsonb(watch.to_dict()), watch.name]
    )
    if changed.rowcount == 0:
        raise NotFoundError(f"no watch {watch.name!r}. See `clip watch list`.")


def remove(conn: Conn, name: str) -> None:
    """Forget a watch (the clippings it kept stay, with its tag)."""
    if conn.execute("DELETE FROM clip_watches WHERE name = %s", [name]).rowcount == 0:
        raise NotFoundError(f"no watch {name!r}. See `clip watch list`.")


def load_state(conn: Conn) -> dict[str, FeedState]:
    """Every feed's memory by URL, as a folder's watch-state.json holds it."""
    from clipper.watch.state import FeedState

    rows = conn.execute("SELECT url, state FROM clip_watch_feeds").fetchall()
    return {str(url): FeedState.from_dict(state) for url, state in rows}


def save_state(conn: Conn, states: dict[str, FeedState]) -> None:
    """Every feed's memory, each feed's row replaced (one transaction: the old memory or the
    new one, as the folder's atomic file)."""
    from psycopg.types.json import Jsonb

    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO clip_watch_feeds VALUES (%s, %s) "
            "ON CONFLICT (url) DO UPDATE SET state = excluded.state",
            [(url, Jsonb(state.to_dict())) for url, state in sorted(states.items())],
        )


@contextlib.contextmanager
def run_lock(conn: Conn, label: str, timeout: float,
             waiting: Callable[[], None] | None = None) -> Iterator[None]:  # fmt: skip
    """Hold the team library's watch lock for a whole run; `waiting` is called once when
    another run holds it, and the wait ends after `timeout` seconds with an error."""
    import psycopg

    with conn.transaction():
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK]).fetchone()
    if not (row and row[0]):
        if waiting is not None:
            waiting()
        try:
            with conn.transaction():
                # A lock wait is what lock_timeout bounds; SET LOCAL ends with the transaction.
                conn.execute(f"SET LOCAL lock_timeout = {max(int(timeout * 1000), 1)}")
                conn.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK])
        except psycopg.errors.LockNotAvailable:
            raise StoreError(
                f"another `clip watch run` has been running on {label} for over {timeout:g} s; "
                "try again later (the lock goes with that run's connection)."
            ) from None
    try:
        yield
    finally:
        with contextlib.suppress(psycopg.Error), conn.transaction():
            conn.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])


class TeamWatchMemory:
    """The watch runs' memory and lock of a team library (clipper.watch.state.Memory)."""

    def __init__(self, library: TeamLibrary) -> None:
        self.library = library

    def lock(self, timeout: float, waiting: Callable[[], None] | None = None
             ) -> contextlib.AbstractContextManager[None]:  # fmt: skip
        return run_lock(self.library.conn, self.library.label, timeout, waiting)

    def load(self) -> dict[str, FeedState]:
        return self.library._read(load_state)

    def save(self, states: dict[str, FeedState]) -> None:
        self.library._write(functools.partial(save_state, states=states))
