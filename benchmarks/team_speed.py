"""A team library in PostgreSQL beside a library folder, in the same run: bulk import, search,
add and tag at one size, each command its own `clip` process.

    python benchmarks/team_speed.py                       # 100,000 clippings, 5 runs
    python benchmarks/team_speed.py --size 10000 --runs 3
    python benchmarks/team_speed.py --url postgresql://me@localhost/bench   # an existing server
    python benchmarks/team_speed.py --size 1000000 --team-only   # 100,000 imported, then copied

Without --url a throwaway PostgreSQL server is started with the machine's initdb and pg_ctl
(tests/postgres_server.py, as the postgres user under root) in a temporary folder, and stopped
at the end; the benchmark skips with a message when there are no PostgreSQL binaries or no
psycopg. Both libraries get the same clippings (the BBC News corpus of ../shared/data,
replicated with variations; synthetic text when it is absent), stored in one bulk import each
(`add_many`, in-process, timed). Each command then runs as its own process: a warm-up, then the
median wall time of --runs runs. `add` adds a new article each run; `tag` tags one clipping.

Above --import clippings (100,000 by default), the team library gets --import clippings through
clip's own import, then copies of them made by the server itself (`replicate`: new ids, uuids,
URLs, text hashes and dates; the tsvectors copied as they are), then VACUUM ANALYZE; a library
folder of that size is not built (--team-only is implied).
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


# The copies: every column derived from the copied row, so that the copy is a clipping clip
# could have stored (its URL, text hash and uuid unique; its date moved by up to ten years,
# kept inside the corpus's years; its record saying the same as its columns).
_COPY = """
INSERT INTO clippings (id, uuid, url, content_hash, duplicate_ok, trashed, record, day, day_end,
    captured, starred, has_note, has_author, lang, site, url_key, source_key, tags, near,
    signature, word_count, added_by, config, tsv, words, bands)
SELECT n.id, n.uuid, n.url, n.hash, c.duplicate_ok, c.trashed,
    (c.record::jsonb || jsonb_build_object('id', n.id, 'uuid', n.uuid, 'url', n.url,
        'content_hash', n.hash, 'published', n.day, 'near_duplicates', '[]'::jsonb))::json,
    n.day, n.day, c.captured, c.starred, c.has_note, c.has_author, c.lang, c.site,
    lower(n.url), c.source_key, c.tags, '{}', c.signature, c.word_count, c.added_by,
    c.config, c.tsv, c.words, c.bands
FROM clippings c, LATERAL (SELECT nextval('clip_ids') AS id, gen_random_uuid()::text AS uuid,
    CASE WHEN c.url IS NULL THEN NULL ELSE c.url || '?copy=' || %(copy)s END AS url,
    md5(c.content_hash || '/' || %(copy)s) AS hash,
    CASE WHEN length(c.day) = 10 THEN to_char(date '2004-01-01'
        + (c.day::date - date '2004-01-01' + 373 * %(copy)s) %% 7665, 'YYYY-MM-DD')
        ELSE c.day END AS day) n
WHERE c.id <= %(last)s ORDER BY c.id LIMIT %(rows)s
"""


def replicate(url: str, size: int) -> float:
    """Copy the imported clippings on the server until the library holds `size`; seconds."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        base, last = conn.execute("SELECT count(*), max(id) FROM clippings").fetchone() or (0, 0)
        # The GIN and RUM indexes are built again at the end (faster than growing them row by
        # row), and the tag counts counted once, with the trigger off while copying.
        gin = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                           "'clippings' AND (indexdef LIKE '%%USING gin%%' "
                           "OR indexdef LIKE '%%USING rum%%')").fetchall()  # fmt: skip
        for name, _ in gin:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("ALTER TABLE clippings DISABLE TRIGGER clippings_tag_counts")
        copy = 0
        while (count := base * (copy + 1)) < size:
            copy += 1
            with conn.transaction():  # whole copies, then what is left of one
                conn.execute(_COPY, {"copy": copy, "last": last, "rows": min(base, size - count)})
            print(f"  copy {copy}: {min(count + base, size):,} clippings, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        conn.execute("ALTER TABLE clippings ENABLE TRIGGER clippings_tag_counts")
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in gin:
            conn.execute(definition)
        with conn.transaction():
            conn.execute("DELETE FROM clip_tag_counts")
            conn.execute("INSERT INTO clip_tag_counts SELECT t, count(*) FROM clippings c, "
                         "unnest(c.tags) t WHERE NOT c.trashed GROUP BY t")  # fmt: skip
        conn.execute("VACUUM ANALYZE clippings")
    return time.perf_counter() - started


def build(options: argparse.Namespace, url: str, local_too: bool) -> dict[str, float]:
    """Fill the libraries; the seconds each step took."""
    from clipper.team.library import TeamLibrary

    imports: dict[str, float] = {}
    articles, what = corpus.articles()
    drafts = list(corpus.drafts(articles, min(options.size, options.imported)))
    print(f"{len(drafts):,} clippings from {what}", flush=True)
    if local_too:
        home = options.work / f"local-{options.size}"
        if home.exists():
            raise SystemExit(f"{home} exists: remove it or give another --work")
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
    print(f"imported in {imports['team']:.0f} s", flush=True)
    if options.size > options.imported:
        imports["copies"] = replicate(url, options.size)
    return imports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--import", dest="imported", type=int, default=100_000,
                        help="clippings imported by clip; copied on the server above that")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/clipper-team-bench"))
    parser.add_argument("--url", help="an existing, empty PostgreSQL database to fill")
    parser.add_argument("--team-only", action="store_true", help="no library folder")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the library at --url as it is (filled before)")
    options = parser.parse_args()
    try:
        import psycopg
    except ImportError:
        print("psycopg is not installed (pip install '.[team]'): team benchmark skipped")
        return
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
        print(f"server: {url} in {server.folder}", flush=True)
    local_too = not options.team_only and options.size <= options.imported
    began = time.perf_counter()
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        imports = {} if options.measure_only else build(options, url, local_too)
        local = measure(str(options.work / f"local-{options.size}"), options.runs,
                        options.size) if local_too else {}  # fmt: skip
        shared = measure(url, options.runs, options.size)
        print(f"load average after: {os.getloadavg()[0]:.2f}; the run took "
              f"{(time.perf_counter() - began) / 60:.0f} min")  # fmt: skip
        print("\n| operation | library folder | team library (PostgreSQL) |\n| --- | --- | --- |")
        for name, seconds in imports.items():
            print(f"| {name} | {seconds:.0f} s |")
        for name in shared:
            folder = f"{local[name] * 1000:.0f} ms" if name in local else ""
            print(f"| `clip {name}` | {folder} | {shared[name] * 1000:.0f} ms |")
    finally:
        if server is not None and not options.keep:
            postgres_server.remove(server)


if __name__ == "__main__":
    main()
