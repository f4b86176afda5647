"""clip side by side with buku and jrnl: whole-process time and peak memory at 1k, 10k, 100k.

    python benchmarks/run.py --peers-venv ../bench-venv --timeout 120 --write BENCHMARKS.md
    python benchmarks/run.py --sizes 10000 --runs 7        # prints the table, writes nothing
    python benchmarks/run.py --quick                       # 1k only (CI runs it with --runs 1)
    python benchmarks/run.py --report RESULTS.json --write BENCHMARKS.md    # saved results

The same clippings (the BBC News corpus in ../shared/data replicated with variations, or
synthetic text without it: benchmarks/corpus.py) go into a clip library (`Library.add_many`),
a buku database (buku's `BukuDb` API: title, tags, and the text as the description) and a jrnl
journal (one entry per clipping, written in jrnl's format and read back by jrnl once). They
are kept in --work (outside the repository) and reused by later runs of the same size.

Every operation runs as its own process with stdin closed and stdout to /dev/null: one
warm-up, then the median wall time of --runs runs and the peak resident memory
(/usr/bin/time -f %M). An operation whose warm-up takes longer than --budget seconds is run
fewer times (at least once), and a peer's process running past --timeout is stopped; the
table says so. buku and jrnl are optional (see peers.py):
without them their columns say "not installed". Results are also saved as JSON in --work.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
from operations import (  # noqa: E402
    BUKU_OPS,
    CLIP_OPS,
    EXCHANGE,
    EXCHANGE_MAX,
    JRNL_OPS,
    NOTES,
    OPERATIONS,
    Command,
    Context,
    Maker,
    Result,
    TextFactory,
    with_config,
)

from clipper.library.core import Library  # noqa: E402
from clipper.paths import LibraryPaths  # noqa: E402

CLIP = Path(sys.executable).with_name("clip")
TIME = Path("/usr/bin/time")
# Running ---------------------------------------------------------------------------------

class RunFailed(Exception):
    """A process exited with an error or ran past the timeout."""


def run_once(argv: Command, env: dict[str, str], timeout: float) -> tuple[float, int | None]:
    """Wall seconds and peak RSS (KB) of one process."""
    timer = [str(TIME), "-f", "%M"] if TIME.exists() else []
    started = time.perf_counter()
    # A session of its own, so that a timeout ends the command and not only /usr/bin/time.
    process = subprocess.Popen(
        [*timer, *argv], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RunFailed(f"did not finish in {timeout:.0f} s") from None
    seconds = time.perf_counter() - started
    errors = stderr.decode("utf-8", "replace")
    if process.returncode != 0:
        raise RunFailed(f"{' '.join(argv[:4])} ... failed ({process.returncode}): {errors[-600:]}")
    peak = int(errors.split()[-1]) if timer and errors.split() else None
    return seconds, peak


def measure(
    make: Callable[[], tuple[Command, dict[str, str]]], options: argparse.Namespace
) -> Result:
    """One warm-up, then --runs runs (fewer when the warm-up says they would pass --budget)."""
    argv, env = make()
    warm, _ = run_once(argv, env, options.timeout)
    runs = options.runs
    count = max(1, min(runs, int(options.budget / max(warm, 1e-3))))
    timings = []
    for _ in range(count):
        argv, env = make()
        timings.append(run_once(argv, env, options.timeout))
    peaks = [p for _, p in timings if p is not None]
    note = f"{count} run{'s' * (count > 1)}" if count < runs else ""
    return Result(statistics.median(t for t, _ in timings), max(peaks) if peaks else None,
                  count, note)  # fmt: skip


def base_env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE would make every run recompile the editable install (40-50 ms).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    return env


def run_tool(
    tool: str, command: Path, ops: dict[str, Maker], ctx: Context, env: dict[str, str],
    options: argparse.Namespace,
) -> dict[str, Result]:  # fmt: skip
    results: dict[str, Result] = {}
    for name in OPERATIONS:
        maker = ops.get(name)
        if maker is None:
            results[name] = Result(note="no such operation")
            continue
        if name in EXCHANGE and ctx.size > EXCHANGE_MAX:
            results[name] = Result(note=f"run up to {EXCHANGE_MAX:,} clippings")
            continue

        def make(maker: Maker = maker) -> tuple[Command, dict[str, str]]:
            args = maker(ctx) or []
            run_env = dict(env)
            prefix = [str(command)]
            for arg in list(args):  # per-run overrides: @db=FOLDER, @config=FILE
                if arg.startswith("@db="):
                    run_env["BUKU_DEFAULT_DBDIR"] = arg[4:]
                    args.remove(arg)
                elif arg.startswith("@config="):
                    prefix = [str(command), "--config-file", arg[8:]]
                    args.remove(arg)
            if tool == "buku":
                prefix.append("--nostdin")  # must come first
            return [*prefix, *args], run_env

        try:
            result = measure(make, options)
        except RunFailed as error:
            if tool == "clip":
                raise SystemExit(f"clip {name}: {error}") from None
            result = Result(note=str(error))
        result.note = "; ".join(x for x in (result.note, NOTES.get(tool, {}).get(name)) if x)
        results[name] = result
        print(f"  {tool:5} {name:26} {report.cell(result)}", flush=True)
    return results


# Building the libraries ------------------------------------------------------------------

def build_clip(home: Path, drafts: list[corpus.Draft], work: Path, size: int) -> None:
    marker = home / f".built-{size}"
    if not marker.exists():
        shutil.rmtree(home, ignore_errors=True)
        started = time.perf_counter()
        result = Library(LibraryPaths(home), lock_timeout=600).add_many(drafts)
        if len(result.added) != size:
            raise SystemExit(f"only {len(result.added)} of {size} clippings were added")
        print(f"  clip: {size:,} clippings added in {time.perf_counter() - started:.0f} s")
        marker.write_text("built\n")
    jsonl = work / f"library-{size}.jsonl"
    if size <= EXCHANGE_MAX and not jsonl.exists():
        env = {**base_env(), "CLIPPER_HOME": str(home)}
        run_once([str(CLIP), "export", "-f", "jsonl", "-o", str(jsonl), "-q"], env, 600)
    # The first read builds the search index; do it here rather than in a warm-up.
    run_once([str(CLIP), "list", "--limit", "1"], {**base_env(), "CLIPPER_HOME": str(home)}, 600)


def build_buku(peer: peers.Peer, folder: Path, items: list[dict[str, object]],
               work: Path, size: int) -> None:  # fmt: skip
    marker = folder / f".built-{size}"
    if not marker.exists():
        count = peers.load_buku(peer, folder, items)
        print(f"  buku: {count:,} bookmarks loaded with BukuDb.add_rec")
        marker.write_text("built\n")
    export = work / f"buku-{size}.md"
    if size <= EXCHANGE_MAX and not export.exists():
        env = {**base_env(), "BUKU_DEFAULT_DBDIR": str(folder)}
        run_once([str(peer.command), "--nostdin", "-e", str(export), "--tacit"], env, 600)


def build_jrnl(peer: peers.Peer, folder: Path, items: list[dict[str, object]], size: int) -> Path:
    config = folder / "journal.yaml"
    marker = folder / f".built-{size}"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        config = peers.write_jrnl(folder, items, version=peer.version.lstrip("v"))
        count = peers.jrnl_count(peer, config)
        if count != size:
            raise SystemExit(f"jrnl reads {count} entries of the {size} written")
        print(f"  jrnl: {count:,} entries written, and read back by jrnl")
        marker.write_text("built\n")
    return config


# Main ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="1,000 clippings only")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds an operation may take in all; slow ones run fewer times")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds after which a peer's process is stopped and noted")
    parser.add_argument("--work", type=Path, default=Path("/tmp/clip-bench"))
    parser.add_argument("--peers-venv", type=Path, default=None,
                        help="virtual environment where buku and jrnl are installed")
    parser.add_argument("--no-peers", action="store_true", help="measure clip alone")
    parser.add_argument("--build-only", action="store_true", help="build the libraries, no runs")
    parser.add_argument("--write", type=Path, default=None, metavar="MARKDOWN",
                        help="update this BENCHMARKS.md (default: none, print only)")
    parser.add_argument("--report", type=Path, default=None, metavar="RESULTS_JSON",
                        help="only render saved results (with --write: into that file)")
    options = parser.parse_args(argv)  # fmt: skip
    if options.report is not None:
        return render_saved(options)
    sizes = [1_000] if options.quick else options.sizes
    options.work.mkdir(parents=True, exist_ok=True)
    found = {
        name: None if options.no_peers else peers.find(name, options.peers_venv, CLIP.parent)
        for name in ("buku", "jrnl")
    }
    for name, peer in found.items():
        if peer is None and not options.no_peers:
            print(f"note: {name} is not installed; its column is skipped "
                  f"(pip install {name} into a venv, then --peers-venv VENV)")  # fmt: skip
    articles, source = corpus.articles()
    print(f"clippings from: {source}")
    machine = report.machine()
    machine["peers"] = {name: peer.version for name, peer in found.items() if peer}
    machine["argv"] = " ".join(argv if argv is not None else sys.argv[1:])
    sections = []
    for size in sizes:
        section = run_size(size, articles, source, found, options)
        if section is not None:
            sections.append(section)
    saved = options.work / f"results-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    saved.write_text(json.dumps(report.as_json(machine, sections), indent=1), encoding="utf-8")
    print(f"\nresults saved in {saved}")
    if options.write is not None and sections:
        report.update_markdown(options.write, machine, sections, found, argv or sys.argv[1:])
        print(f"{options.write} updated")
    return 0


def render_saved(options: argparse.Namespace) -> int:
    """Print (and with --write, put into BENCHMARKS.md) the tables of a saved results file."""
    machine, sections = report.load_json(options.report)
    found = {
        name: peers.Peer(name, Path(name), Path(name), str(version))
        for name, version in machine.get("peers", {}).items()
    }
    for stats, results in sections:
        print(report.table(stats, results, found), end="\n\n")
    if options.write is not None:
        argv = machine.get("argv", "").split()
        report.update_markdown(options.write, machine, sections, found, argv)
        print(f"{options.write} updated")
    return 0


def run_size(
    size: int, articles: list[corpus.Article], source: str, found: dict[str, peers.Peer | None],
    options: argparse.Namespace,
) -> tuple[report.Stats, dict[str, dict[str, Result]]] | None:  # fmt: skip
    """Build the libraries of one size and measure every operation on them."""
    work: Path = options.work
    load_before = os.getloadavg()
    print(f"\n{size:,} clippings (load average {load_before[0]:.2f})", flush=True)
    drafts = list(corpus.drafts(articles, size))
    items = peers.clipping_dicts(drafts)
    clip_home = work / f"clip-{size}"
    build_clip(clip_home, drafts, work, size)
    buku, jrnl = found["buku"], found["jrnl"]
    if buku is not None:
        build_buku(buku, work / f"buku-{size}", items, work, size)
    config = None if jrnl is None else build_jrnl(jrnl, work / f"jrnl-{size}", items, size)
    if options.build_only:
        return None
    texts = TextFactory(articles, work / "texts")
    scratch = work / "scratch"
    scratch.mkdir(exist_ok=True)
    env = base_env()
    results: dict[str, dict[str, Result]] = {}
    ctx = Context(size, work, clip_home, texts, show_id=size // 2, scratch=scratch)
    results["clip"] = run_tool("clip", CLIP, CLIP_OPS, ctx,
                               {**env, "CLIPPER_HOME": str(clip_home)}, options)  # fmt: skip
    if buku is not None:
        folder = work / f"buku-{size}"
        ctx = Context(size, work, folder, texts, show_id=size // 2, scratch=scratch)
        results["buku"] = run_tool("buku", buku.command, BUKU_OPS, ctx,
                                   {**env, "BUKU_DEFAULT_DBDIR": str(folder)}, options)  # fmt: skip
    if jrnl is not None and config is not None:
        ctx = Context(size, work, work / f"jrnl-{size}", texts, scratch=scratch,
                      peer_version=jrnl.version.lstrip("v"))  # fmt: skip
        ops = {name: with_config(maker, config) for name, maker in JRNL_OPS.items()}
        results["jrnl"] = run_tool("jrnl", jrnl.command, ops, ctx, env, options)
    load_after = os.getloadavg()
    stats = report.Stats(size, source, load_before[0], load_after[0],
                         report.sizes_on_disk(clip_home, work, size))  # fmt: skip
    print()
    print(report.table(stats, results, found))
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(texts.folder, ignore_errors=True)
    return stats, results


if __name__ == "__main__":
    sys.exit(main())
