"""Export and import speed at 10k clippings, through the real `clip` command.

Builds a library of N clippings (BBC News texts from ../shared/data/corpus/bbc, varied so that
each is unique, or synthetic text when the corpus is absent) with Library.add_many, then times,
as whole processes: export to md-files, export to one md digest, and import from JSONL into an
empty library. Targets at 10k (issue 5): md-files <= 10 s, md digest <= 5 s; JSONL import at
2,000 clippings a second (10k in 5 s, 100k in 50 s, issue 15).

Usage: python benchmarks/export_import_speed.py [--count 10000] [--runs 3] [--import-only]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clipper.library.core import Library  # noqa: E402
from clipper.model import Draft  # noqa: E402
from clipper.paths import LibraryPaths  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import BBC  # noqa: E402  # ../shared/data, also beside a folder of worktrees

TARGETS = {"export md-files": 10.0, "export md digest": 5.0, "import jsonl": 5.0}
IMPORT_RATE = 2_000  # clippings a second: the import target at any size
OUTLETS = ("BBC News", "News.Az", "Daily Example", "Portmere Courier", None)


def articles() -> list[tuple[str, str, str]]:
    """(category, headline, body) of the BBC corpus, or synthetic ones."""
    found = []
    if BBC.is_dir():
        for path in sorted(BBC.glob("*/*.txt")):
            text = path.read_bytes().decode("utf-8", errors="replace").strip()
            headline, _, body = text.partition("\n")
            if body.strip():
                found.append((path.parent.name, headline.strip(), body.strip()))
    if not found:
        print("note: no BBC corpus at", BBC, "- synthetic texts instead")
        rng = random.Random(5)
        words = [
            "harbour",
            "council",
            "budget",
            "minister",
            "seminar",
            "embassy",
            "election",
            "court",
        ]
        for n in range(500):
            body = "\n\n".join(" ".join(rng.choice(words) for _ in range(80)) for _ in range(5))
            found.append(("synthetic", f"Synthetic story {n}", body))
    return found


def build(home: Path, count: int) -> float:
    """A library of `count` unique clippings; returns the seconds it took."""
    source = articles()
    rng = random.Random(42)
    drafts = []
    for n in range(count):
        category, headline, body = source[n % len(source)]
        round_ = n // len(source)
        drafts.append(
            Draft(
                text=f"{body}\n\nEdition {round_}, item {n}.",
                title=headline if round_ == 0 else f"{headline} ({round_ + 1})",
                url=f"https://news.example/{category}/{n}",
                source=OUTLETS[n % len(OUTLETS)],
                published=f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                tags=[category, f"batch/{n % 7}"],
                starred=rng.random() < 0.05,
                note="Read this first." if n % 50 == 0 else None,
            )
        )
    started = time.perf_counter()
    result = Library(LibraryPaths(home)).add_many(drafts)
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed[:3]
    return elapsed


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each timed process, by name
RSS: dict[str, list[float]] = {}  # peak resident memory (MB) of each timed process, by name


def timed(name: str, home: Path, *args: str) -> float:
    """`clip`'s wall time, its CPU time kept in CPU and its peak memory in RSS: on a shared
    machine the CPU time says what the work costs, the wall time what the user waits."""
    elapsed, usage = clip_usage(home, *args)
    CPU.setdefault(name, []).append(usage.ru_utime + usage.ru_stime)
    RSS.setdefault(name, []).append(usage.ru_maxrss / 1024)  # kB on Linux
    return elapsed


def clip(home: Path, *args: str) -> float:
    """Run the installed `clip` as a user would; the wall time of the whole process."""
    return clip_usage(home, *args)[0]


def clip_usage(home: Path, *args: str) -> tuple[float, resource.struct_rusage]:
    """The wall time of a whole `clip` process and its own resource usage (os.wait4)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CLIPPER_HOME"] = str(home)
    command = [str(Path(sys.executable).with_name("clip")), *args]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()
            raise SystemExit(f"{' '.join(args)} failed: {message}")
    return elapsed, usage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-only", action="store_true", help="time the import alone")
    options = parser.parse_args(argv)
    targets = {**TARGETS, "import jsonl": options.count / IMPORT_RATE}
    if options.import_only:
        targets = {"import jsonl": targets["import jsonl"]}
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        library = work / "library"
        built = build(library, options.count)
        files = [library / "clippings.json", *(library / "clippings.d").glob("*.json")]
        size = sum(path.stat().st_size for path in files if path.is_file()) / 1e6
        print(f"built {options.count} clippings with Library.add_many in {built:.1f} s "
              f"(store {size:.0f} MB)")  # fmt: skip
        jsonl = work / "all.jsonl"
        clip(library, "export", "-f", "jsonl", "-o", str(jsonl), "-q")
        timings: dict[str, list[float]] = {name: [] for name in targets}
        for run in range(options.runs):
            if not options.import_only:
                vault = work / f"vault-{run}"
                md_files = ("export", "-f", "md-files", "-o", str(vault), "-q")
                timings["export md-files"].append(timed("export md-files", library, *md_files))
                shutil.rmtree(vault)
                digest = ("export", "-f", "md", "-o", str(work / "review.md"), "-q")
                timings["export md digest"].append(timed("export md digest", library, *digest))
            target = work / f"empty-{run}"
            timings["import jsonl"].append(
                timed("import jsonl", target, "import", str(jsonl), "-q", "--json")
            )
            shutil.rmtree(target)
        print(f"\n{'operation':<18} {'median':>8} {'min':>7} {'max':>7} {'target':>7}  verdict"
              f"  {'CPU':>7} {'peak RSS':>9}")  # fmt: skip
        worst = 0
        for name, values in timings.items():
            median = statistics.median(values)
            verdict = "ok" if median <= targets[name] else "OVER"
            worst += verdict != "ok"
            print(f"{name:<18} {median:>7.2f}s {min(values):>6.2f}s {max(values):>6.2f}s "
                  f"{targets[name]:>6.0f}s  {verdict:<7}  "
                  f"{statistics.median(CPU[name]):>6.2f}s "
                  f"{max(RSS[name]):>6.0f} MB")  # fmt: skip
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{options.count} clippings, {options.runs} runs each, on {os.cpu_count()} CPUs "
          f"(load average {load} at the end; CPU: median user + system time; "
          "peak RSS: the largest)")  # fmt: skip
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
