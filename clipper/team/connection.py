"""Opening a team library's database: psycopg found, the server reached, errors in one line,
and transactions retried when PostgreSQL reports a conflict with another writer."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from clipper.errors import ClipperError, StoreError
from clipper.paths import redacted

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")
EXTRA = "pip install 'clipper[team]'"
CONNECT_TIMEOUT = 10  # seconds: an unreachable host is an error, not a hang
# Serialization failures and deadlocks are retried: another writer won, the work is redone on
# the state it left. Each wait is random, so that writers that collided do not collide again.
ATTEMPTS = 30
RETRY_STATES = ("40001", "40P01")


def connect(url: str) -> psycopg.Connection[Any]:
    """A connection to the team library at `url`; a StoreError naming the problem when psycopg
    is missing or the server, the user or the database cannot be reached."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            f"{redacted(url)} is a team library (PostgreSQL); clip needs psycopg for it: "
            f"{EXTRA}."
        ) from None
    try:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as error:
        raise StoreError(f"cannot open the team library {redacted(url)}: {reason(error)}") from None


def reason(error: Exception) -> str:
    """What went wrong, in one sentence, from psycopg's (multi-line) message."""
    text = " ".join(str(error).split())
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "the server refused the user name or password."
    if "does not exist" in lowered and "database" in lowered:
        return "that database does not exist (create it with createdb, or check the URL)."
    if "permission denied" in lowered or "must be owner" in lowered:
        return ("this user may not create or change clip's tables: run clip once as the "
                "database's owner, then grant the team its rights (see docs/team-library.md).")
    if "role" in lowered and "does not exist" in lowered:
        return "that user does not exist on the server."
    if any(word in lowered for word in ("refused", "timeout", "timed out", "could not translate",
                                        "no such file", "unreachable", "name or service")):
        return "the server cannot be reached (is it running, and is the address right?)."
    # Anything else as the server worded it, first sentence only.
    return text.split(". ")[0].rstrip(".") + "."


def retried(conn: psycopg.Connection[Any], work: Callable[[psycopg.Connection[Any]], T]) -> T:
    """Run `work` in one serializable transaction, again when it lost a race with another
    writer; a ClipperError raised by `work` rolls the transaction back and goes up as it is."""
    import psycopg

    for attempt in range(ATTEMPTS):
        try:
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                return work(conn)
        except psycopg.errors.UniqueViolation:
            # Two writers added the same URL or text at once: the retry sees the other's and
            # refuses it as a duplicate, as clip does for one writer.
            if attempt == ATTEMPTS - 1:
                raise StoreError("the team library kept refusing the write; try again.") from None
        except psycopg.Error as error:
            if getattr(error, "sqlstate", None) not in RETRY_STATES or attempt == ATTEMPTS - 1:
                raise StoreError(f"the team library refused the write: {reason(error)}") from None
        except ClipperError:
            raise
        time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
    raise StoreError("the team library kept refusing the write; try again.")
