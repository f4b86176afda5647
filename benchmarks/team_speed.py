"""A team library in PostgreSQL beside a library folder, in the same run: bulk import, search,
add and tag at one size, each command its own `clip` process.

    python benchmarks/team_speed.py                       # 100,000 clippings, 5 runs
    python benchmarks/team_speed.py --size 10000 --runs 3
    python benchmarks/team_speed.py --url postgresql://me@localhost/bench   # an existing server

Without --url a throwaway PostgreSQL server is started with the machine's initdb and pg_ctl
(tests/postgres_server.py, as the postgres user under root) in a temporary folder, and stopped
at the end; the benchmark skips with a message when there are no PostgreSQL binaries or no
psycopg. Both libraries get the same clippings (the BBC News corpus of ../shared/data,
replicated with variations; synthetic text when it is absent), stored in one bulk import each
(`add_many`, in-process, timed). Each command then runs as its own process: a warm-up, then the
median wall time of --runs runs. `add` adds a new article each run; `tag` tags one clipping.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/postgres_server.py

import corpus

from clipper.library.core import Library
from clipper.paths import LibraryPaths

CLIP = Path(sys.executable).with_name("clip")
SEARCHES = {
    "search: one word": ["search", "election"],
    "search: a phrase": ["search", '"prime minister"'],
    "search: word + tag: + after:": ["search", "election tag:politics after:2010-01-01"],
    "list --limit 20": ["list", "--limit", "20"],
}


def run(location: str, args: list[str]) -> float:
    """Wall seconds of one `clip` process on the library at `location`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CLIPPER_HOME"] = location
    started = time.perf_counter()
    done = subprocess.run(
        [str(CLIP), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"clip {' '.join(args)} failed: {done.stderr.decode()}")
    return seconds


def median_of(location: str, make_args: list[list[str]]) -> float:
    """The median wall time of the commands after the first (a warm-up)."""
    run(location, make_args[0])
    return statistics.median(run(location, args) for args in make_args[1:])


def measure(location: str, runs: int, size: int) -> dict[str, float]:
    timings = {name: median_of(location, [args] * (runs + 1)) for name, args in SEARCHES.items()}
    adds = [["add", f"A new article, number {n}, on the council's harbour plan and its {n} "
             f"berths, filed for the benchmark at {time.time()}.", "--title", f"Bench {n}"]
            for n in range(runs + 1)]  # fmt: skip
    timings["add"] = median_of(location, adds)
    tags = [["tag", str(size // 2 + n), "-t", f"bench/{n}"] for n in range(runs + 1)]
    timings["tag"] = median_of(location, tags)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/clipper-team-bench"))
    parser.add_argument("--url", help="an existing, empty PostgreSQL database to fill")
    options = parser.parse_args()
    try:
        import psycopg
    except ImportError:
        print("psycopg is not installed (pip install '.[team]'): team benchmark skipped")
        return
    from clipper.team.library import TeamLibrary
    from tests import postgres_server

    server = None
    url = options.url
    if url is None:
        if postgres_server.binaries() is None:
            print("no PostgreSQL binaries (initdb, pg_ctl): team benchmark skipped")
            return
        server = postgres_server.start_server()
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
        url = server.url("bench")
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        articles, what = corpus.articles()
        drafts = list(corpus.drafts(articles, options.size))
        home = options.work / f"local-{options.size}"
        if home.exists():
            raise SystemExit(f"{home} exists: remove it or give another --work")
        imports = {}
        started = time.perf_counter()
        Library(LibraryPaths(home), lock_timeout=600).add_many(drafts)
        imports["local"] = time.perf_counter() - started
        team = TeamLibrary.connect(url)
        started = time.perf_counter()
        team.add_many(drafts)
        imports["team"] = time.perf_counter() - started
        team.conn.execute("ANALYZE clippings")
        team.conn.commit()
        team.close()
        print(f"{options.size:,} clippings from {what}")
        local = measure(str(home), options.runs, options.size)
        shared = measure(url, options.runs, options.size)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print("\n| operation | library folder | team library (PostgreSQL) |\n| --- | --- | --- |")
        print(f"| import {options.size:,} (in-process add_many) | {imports['local']:.0f} s "
              f"| {imports['team']:.0f} s |")  # fmt: skip
        for name in local:
            print(f"| `clip {name}` | {local[name] * 1000:.0f} ms | {shared[name] * 1000:.0f} ms |")
    finally:
        if server is not None:
            postgres_server.remove(server)


if __name__ == "__main__":
    main()
