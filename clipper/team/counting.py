"""How many clippings a query selects in a team library: counted exactly up to a size, and
above it estimated from a sample of the library, with the range the estimate lies in.

Counting is the part of a search that grows with its matches: PostgreSQL visits every
matching row (a phrase reads each candidate's tsvector to check the order of its words), 0.9
to 1.7 s for "election" at a million clippings, 5.9 s for a phrase (decision 019). The sample
is a fixed set of id windows spread evenly over the library's ids, a share of them sized from
the planner's estimate so as to hold about SAMPLE_MATCHES matches; PostgreSQL counts the
matches inside the windows from the same indexes as any count (the windows are ranges of the
primary key), and the total is that count over the share. The same query on the same library
gives the same estimate, page after page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from clipper.search.searcher import Estimate
    from clipper.team.compiler import Compiled

    Conn = psycopg.Connection[Any]

EXACT_COUNT = 10_000  # the `exact_count` setting's default
SAMPLE_MATCHES = 1_000  # the matches a sample is sized to hold
WINDOWS = 128  # id windows a sample is made of, evenly spread over the ids
MAX_SHARE = 0.05  # of the ids, in a sample at most: a twentieth of what a count visits
Z95 = 1.96


@dataclass(frozen=True, slots=True)
class Total:
    """A count (`estimate` None) or an estimate with its 95% range."""

    value: int
    estimate: Estimate | None = None


def total(conn: Conn, compiled: Compiled, exact_count: int = EXACT_COUNT) -> Total:
    """How many clippings the query selects: counted, unless `exact_count` > 0 and a sample
    shows with 95% confidence that they are more than `exact_count`; then estimated."""
    if exact_count > 0:
        sampled = sample(conn, compiled)
        if sampled is not None and sampled.estimate and sampled.estimate.low > exact_count:
            return sampled
    return Total(count(conn, compiled))


def at_least(found: Total, known: int) -> Total:
    """An estimate no lower than the clippings a page has shown to exist (its end)."""
    if found.estimate is None or found.estimate.low >= known:
        return found
    from clipper.search.searcher import Estimate

    high = max(found.estimate.high, known)
    return Total(max(found.value, known), Estimate(known, high))


def count(conn: Conn, compiled: Compiled) -> int:
    """The exact count, from the indexes: at a million clippings PostgreSQL would rather
    read the whole table for a word in a tenth of them, every tsvector with it (16 s against
    0.9 s)."""
    conn.execute("SET LOCAL enable_seqscan = off")
    row = conn.execute(
        f"SELECT count(*) FROM clippings c WHERE NOT c.trashed AND ({compiled.where})",
        compiled.params,
    ).fetchone()
    conn.execute("RESET enable_seqscan")
    return int(row[0]) if row else 0


def sample(conn: Conn, compiled: Compiled) -> Total | None:
    """The estimate from a sample of the ids (None: the sample would be the whole library,
    or the library is empty)."""
    from clipper.search.searcher import Estimate

    span = conn.execute("SELECT min(id), max(id) FROM clippings").fetchone()
    if span is None or span[0] is None:
        return None
    first, last = int(span[0]), int(span[1])
    ids = last - first + 1
    expected = planned_rows(conn, compiled)
    # The plan's estimate only sizes the sample, and PostgreSQL expects far too few matches
    # of a phrase (1,398 expected, 9,003 found at 100,000): at most MAX_SHARE of the ids,
    # enough for SAMPLE_MATCHES / 2 matches when there are more than EXACT_COUNT.
    width = math.ceil(min(MAX_SHARE, SAMPLE_MATCHES / max(expected, 1.0)) * ids / WINDOWS)
    if width * WINDOWS >= ids:
        return None
    starts = [first + (ids * k) // WINDOWS for k in range(WINDOWS)]
    share = width * WINDOWS / ids
    ranges = " OR ".join(["c.id BETWEEN %s AND %s"] * WINDOWS)
    bounds = [b for start in starts for b in (start, start + width - 1)]
    conn.execute("SET LOCAL enable_seqscan = off")
    rows = conn.execute(
        "SELECT width_bucket(c.id, %s::bigint[]), count(*) FROM clippings c "
        f"WHERE NOT c.trashed AND ({compiled.where}) AND ({ranges}) GROUP BY 1",
        [starts, *compiled.params, *bounds],
    ).fetchall()
    conn.execute("RESET enable_seqscan")
    per_window = [0] * WINDOWS
    for window, n in rows:
        per_window[int(window) - 1] = int(n)
    found = sum(per_window)
    value = found / share
    # The windows are the sample's units: the spread of their counts, not a binomial's,
    # so that matches clustered in runs of ids (copies of one story) widen the range.
    mean = found / WINDOWS
    variance = sum((n - mean) ** 2 for n in per_window) / (WINDOWS - 1)
    spread = Z95 * math.sqrt(max(WINDOWS * variance * (1 - share), found * (1 - share))) / share
    return Total(round(value), Estimate(max(found, math.floor(value - spread)),
                                        math.ceil(value + spread)))  # fmt: skip


def planned_rows(conn: Conn, compiled: Compiled) -> float:
    """How many clippings PostgreSQL expects a query to select (its plan's rows)."""
    [(plan,)] = conn.execute(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM clippings c WHERE NOT c.trashed "
        f"AND ({compiled.where})",
        compiled.params,
    ).fetchall()
    return float(plan[0]["Plan"]["Plan Rows"])
