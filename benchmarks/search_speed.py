"""How fast clip searches, lists and shows at 10,000 and 100,000 clippings, and how fast it indexes.

    python benchmarks/search_speed.py                  # 10k and 100k, 7 runs each
    python benchmarks/search_speed.py --sizes 10000 --runs 5 --work /tmp/clip-bench

Libraries are built once per size with `Library.add_many` (a commit per 25,000 clippings)
from the BBC News corpus in ../shared/data (its articles, then copies made of other articles'
paragraphs, distinct stories: benchmarks/corpus.py; synthetic text when it is absent) and
kept in the work folder, so later runs reuse them. Each command is run as its own process,
like a user would: one warm-up, then the median wall time of --runs runs, and the peak
resident memory of the slowest-memory run (from the kernel's rusage of the child). Output is
piped, so it measures the tab-separated path. With `--before CHECKOUT WORK`, the commands
run in turns with the code of another checkout on WORK's copies of the libraries. The index
build rate is measured twice: `clip reindex` as a whole (reading the 250 MB store included) and
the build alone in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from clipper.library.core import Library
from clipper.paths import LibraryPaths

CLIP = Path(sys.executable).with_name("clip")
COMMANDS = {
    "search: one word": ["search", "election"],
    "search: a phrase": ["search", '"prime minister"'],
    "search: word + tag: + after:": ["search", "election tag:politics after:2010-01-01"],
    "search: two words --expand": ["search", "election campaign", "--expand"],
    "list --limit 20": ["list", "--limit", "20"],
    "show ID": ["show", "{id}", "--no-pager"],
}
TARGETS = {10_000: 200, 100_000: 200}  # ms, for search; list and show: 300 at both sizes
EXPAND_TARGET = 400  # ms, for search --expand (a first search, then the expanded one)


def build(home: Path, size: int) -> tuple[float, str]:
    """A library of `size` clippings in `home` (reused when it is already there)."""
    marker = home / f".built-{size}"
    articles, what = corpus.articles()
    if marker.exists():
        return float(marker.read_text()), what
    shutil.rmtree(home, ignore_errors=True)
    library = Library(LibraryPaths(home), lock_timeout=600)
    drafts = list(corpus.drafts(articles, size))
    started = time.perf_counter()
    result = library.add_many(drafts)
    seconds = time.perf_counter() - started
    if len(result.added) != size:
        raise SystemExit(f"only {len(result.added)} of {size} clippings were added")
    marker.write_text(f"{seconds:.1f}")
    return seconds, what


def run(home: Path, args: list[str], code: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KB) of one `clip` process (of the checkout
    `code` when given: its clipper/ first on the path).

    The peak comes from /usr/bin/time when there is one: the kernel's rusage of a child
    forked from this (large) process would count the parent's pages it started with.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CLIPPER_HOME"] = str(home)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    process = subprocess.Popen(
        [*timer, str(CLIP), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    errors = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"clip {' '.join(args)} failed: {errors}")
    peak = int(errors.split()[-1]) if timer else usage.ru_maxrss
    return seconds, peak


def measure(home: Path, args: list[str], runs: int) -> tuple[float, int]:
    run(home, args)  # warm-up: the index catches up, the page cache fills
    timings = [run(home, args) for _ in range(runs)]
    return statistics.median(t for t, _ in timings), max(m for _, m in timings)


def in_turns(size: int, homes: dict[str, tuple[Path, Path | None]], runs: int) -> None:
    """Each command run by each code in turn (one warm-up each, then `runs` rounds), so
    that a change of load on the machine weighs on both alike; medians and peaks."""
    labels = list(homes)
    print(f"\n| {size:,} clippings | {' | '.join(labels)} |\n|{' --- |' * (len(labels) + 1)}")
    for name, template in COMMANDS.items():
        args = [a.replace("{id}", str(size // 2)) for a in template]
        samples: dict[str, list[tuple[float, int]]] = {label: [] for label in labels}
        for home, code in homes.values():
            run(home, args, code)  # warm-up: the index catches up, the page cache fills
        for _ in range(runs):
            for label, (home, code) in homes.items():
                samples[label].append(run(home, args, code))
        cells = [f"{statistics.median(t for t, _ in samples[label]) * 1000:.0f} ms, "
                 f"{max(m for _, m in samples[label]) // 1024} MB" for label in labels]  # fmt: skip
        print(f"| `clip {name}` | {' | '.join(cells)} |", flush=True)


def index_rates(home: Path, size: int) -> tuple[float, float]:
    """Clippings per second: `clip reindex` whole, and the build alone (store already read)."""
    seconds, _ = run(home, ["reindex"])
    from clipper.search.index import Reads, SearchIndex

    store = Library(LibraryPaths(home)).store
    state = store.state()
    reads: Reads = {name: (store.read_segment(name)["clippings"], []) for name in state.segments}
    scratch = home / "scratch-index.sqlite3"
    started = time.perf_counter()
    SearchIndex(scratch).rebuild(store, state=state, reads=reads)
    build_seconds = time.perf_counter() - started
    scratch.unlink()
    return size / seconds, size / build_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/clipper-search-bench"))
    parser.add_argument("--no-index-rates", action="store_true",
                        help="skip the two index builds (reads only: before/after in turns)")
    parser.add_argument("--before", type=Path, nargs=2, metavar=("CHECKOUT", "WORK"),
                        help="reads of the checkout's code on WORK's libraries (copies of "
                        "--work's) and of this one, in turns")  # fmt: skip
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    if options.before is not None:
        checkout, work = options.before
        for size in options.sizes:
            homes = {"before": (work / f"lib-{size}", checkout),
                     "after": (options.work / f"lib-{size}", None)}  # fmt: skip
            in_turns(size, homes, options.runs)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return
    rows = []
    for size in options.sizes:
        home = options.work / f"lib-{size}"
        add_seconds, what = build(home, size)
        print(f"{size} clippings from {what}; bulk add took {add_seconds:.0f} s")
        if not options.no_index_rates:
            reindex_rate, build_rate = index_rates(home, size)
            print(f"  index build: {build_rate:,.0f}/s alone, {reindex_rate:,.0f}/s as "
                  "`clip reindex`")  # fmt: skip
        store = [home / "clippings.json", *(home / "clippings.d").glob("*.json")]
        store_mb = sum(path.stat().st_size for path in store if path.is_file()) / 1e6
        index_mb = (home / "index.sqlite3").stat().st_size / 1e6
        print(f"  store {store_mb:.0f} MB, index {index_mb:.0f} MB")
        for name, template in COMMANDS.items():
            args = [a.replace("{id}", str(size // 2)) for a in template]
            median, peak = measure(home, args, options.runs)
            target = TARGETS[size] if name.startswith("search") else 300
            target = EXPAND_TARGET if "--expand" in args else target
            verdict = "ok" if median * 1000 <= target else "OVER"
            rows.append((size, name, median * 1000, peak / 1024, target, verdict))
            print(f"  {name:32} {median * 1000:6.0f} ms  {peak / 1024:5.0f} MB  "
                  f"(target {target} ms: {verdict})")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("\n| clippings | command | median | peak RSS | target |\n| --- | --- | --- | --- | --- |")
    for size, name, ms, mb, target, verdict in rows:
        print(f"| {size:,} | `clip {name}` | {ms:.0f} ms | {mb:.0f} MB | {target} ms {verdict} |")


if __name__ == "__main__":
    main()
