"""How far a team library's estimated totals are from the exact counts, and what each costs,
on a library filled by team_speed.py (--keep leaves its server running).

    python benchmarks/team_counts.py --url postgresql://clip_test@127.0.0.1:PORT/bench

For each query: the exact count (`counting.count`, from the indexes), the sample's estimate and
its 95% range (`counting.sample`), PostgreSQL's own plan estimate (`counting.planned_rows`),
each timed in-process (the median of --runs after a warm-up), and the estimates' errors. The
queries are words of every frequency in the BBC News corpus, phrases, fields and dates,
OR and NOT: none of them was used to choose the sample's size.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clipper.team import counting
from clipper.team.library import TeamLibrary

QUERIES = (
    "election", "minister", "government", "music", "film", "football", "economy", "police",
    "court", "bank", "technology", "olympic", "broadband", "chancellor",
    '"prime minister"', '"world cup"', '"interest rates"', '"chief executive"',
    "election tag:politics after:2010-01-01", "film after:2015-01-01", "music tag:entertainment",
    '"prime minister" tag:politics', "film OR music", "election -labour", "tag:sport",
)
T = TypeVar("T")


def timed(runs: int, work: Callable[[], T]) -> tuple[T, float]:
    """The result and the median milliseconds of `runs` runs after a warm-up."""
    result = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", nargs="*", default=list(QUERIES))
    options = parser.parse_args()
    library = TeamLibrary.connect(options.url)
    conn = library.conn
    size = conn.execute("SELECT count(*) FROM clippings WHERE NOT trashed").fetchone()
    print(f"{size[0] if size else 0:,} clippings; sample of about {counting.SAMPLE_MATCHES:,} "
          f"matches in {counting.WINDOWS} windows, at most {counting.MAX_SHARE:.0%} of the ids")
    print("\n| query | exact | count ms | sample | 95% range | error | sample ms "
          "| plan | error | plan ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- "
          "| --- |")  # fmt: skip
    errors: list[float] = []
    plan_errors: list[float] = []
    inside = 0
    for query in options.queries:
        compiled = library._compiled(conn, library._node(query))
        exact, count_ms = timed(options.runs, functools.partial(counting.count, conn, compiled))
        sampled, sample_ms = timed(options.runs,
                                   functools.partial(counting.sample, conn, compiled))
        planned, plan_ms = timed(options.runs,
                                 functools.partial(counting.planned_rows, conn, compiled))
        conn.rollback()
        plan_error = (planned - exact) / exact if exact else 0.0
        plan_errors.append(abs(plan_error))
        if sampled is None or sampled.estimate is None:
            estimate_cells = "whole library | | | "
        else:
            error = (sampled.value - exact) / exact if exact else 0.0
            errors.append(abs(error))
            inside += sampled.estimate.low <= exact <= sampled.estimate.high
            estimate_cells = (f"{sampled.value:,} | {sampled.estimate.low:,}-"
                              f"{sampled.estimate.high:,} | {error:+.1%} | ")  # fmt: skip
        print(f"| `{query}` | {exact:,} | {count_ms:.0f} | {estimate_cells}{sample_ms:.0f} | "
              f"{planned:,.0f} | {plan_error:+.0%} | {plan_ms:.1f} |")
    if errors:
        print(f"\nsample: median error {statistics.median(errors):.1%}, largest "
              f"{max(errors):.1%}; exact count inside the 95% range {inside} of {len(errors)}")
    print(f"plan: median error {statistics.median(plan_errors):.0%}, largest "
          f"{max(plan_errors):.0%}")
    library.close()


if __name__ == "__main__":
    main()
