"""clip side by side with buku and jrnl: whole-process time and peak memory at 1k, 10k, 100k.

    python benchmarks/run.py                        # 1k, 10k and 100k; writes BENCHMARKS.md
    python benchmarks/run.py --sizes 10000 --runs 7
    python benchmarks/run.py --quick                # 1k only (what CI runs, with --runs 1)

The same clippings (the BBC News corpus in ../shared/data replicated with variations, or
synthetic text without it: benchmarks/corpus.py) go into a clip library (`Library.add_many`),
a buku database (buku's `BukuDb` API: title, tags, and the text as the description) and a jrnl
journal (one entry per clipping, written in jrnl's format and read back by jrnl once). They
are kept in --work (outside the repository) and reused by later runs of the same size.

Every operation runs as its own process with stdin closed and stdout to /dev/null: one
warm-up, then the median wall time of --runs runs and the peak resident memory
(/usr/bin/time -f %M). An operation whose warm-up takes longer than --budget seconds is run
fewer times (at least once); the table says so. buku and jrnl are optional (see peers.py):
without them their columns say "not installed". Results are also saved as JSON in --work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402

from clipper.library import Library  # noqa: E402
from clipper.paths import LibraryPaths  # noqa: E402

CLIP = Path(sys.executable).with_name("clip")
TIME = Path("/usr/bin/time")
EXCHANGE_MAX = 10_000  # export and import run on libraries up to this size

Command = list[str]
# An operation's command for one tool, given the run's scratch values; None: no such operation.
Maker = Callable[["Context"], Command | None]


@dataclass
class Context:
    """What an operation's command may refer to, for one tool at one size."""

    size: int
    work: Path
    home: Path  # the tool's library folder
    texts: TextFactory
    show_id: int = 1
    scratch: Path = field(default_factory=Path)

    def new_file(self, suffix: str) -> str:
        """A path in the scratch folder that no earlier run has used."""
        return str(self.scratch / f"{uuid.uuid4().hex}.{suffix}")


@dataclass
class Result:
    median: float | None = None  # seconds
    peak: int | None = None  # KB
    runs: int = 0
    note: str = ""


class TextFactory:
    """New article texts for `add`: sentences of several corpus articles, so that each one is
    new to the library (neither a duplicate nor a near duplicate of a kept clipping)."""

    def __init__(self, articles: list[corpus.Article], folder: Path) -> None:
        self.articles = articles
        self.folder = folder
        self.rng = random.Random(11)
        folder.mkdir(parents=True, exist_ok=True)

    def text(self) -> tuple[str, str]:
        picks = [self.rng.choice(self.articles) for _ in range(12)]
        title = f"{picks[0].headline} ({uuid.uuid4().hex[:8]})"
        paragraphs = [self.rng.choice(a.paragraphs) for a in picks]
        return title, "\n\n".join(paragraphs) + f"\n\nReference {uuid.uuid4().hex}."

    def text_file(self) -> Path:
        title, text = self.text()
        path = self.folder / f"{uuid.uuid4().hex}.txt"
        path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        return path

    def html_file(self) -> Path:
        title, text = self.text()
        body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
        path = self.folder / f"{uuid.uuid4().hex}.html"
        path.write_text(
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2024-03-01T09:00:00Z'></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>© Example News</footer></body></html>",
            encoding="utf-8",
        )
        return path


# The operations --------------------------------------------------------------------------

def _clip_import(ctx: Context) -> Command:
    target = ctx.scratch / "import-target"
    shutil.rmtree(target, ignore_errors=True)
    return ["import", str(ctx.work / f"library-{ctx.size}.jsonl"), "-q", "-L", str(target)]


CLIP_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": lambda c: ["add", str(c.texts.text_file())],
    "add an HTML file": lambda c: ["add", str(c.texts.html_file())],
    "search one word": lambda c: ["search", "election"],
    "search a phrase": lambda c: ["search", '"prime minister"'],
    "search word + tag + date": lambda c: ["search", "election tag:politics after:2010-01-01"],
    "show": lambda c: ["show", str(c.show_id), "--no-pager"],
    "list 20": lambda c: ["list", "--limit", "20"],
    "export to md": lambda c: ["export", "-f", "md", "-o", c.new_file("md"), "-q"],
    "import jsonl": _clip_import,
}


def _buku_add(ctx: Context) -> Command:
    title, text = ctx.texts.text()
    url = f"https://bench.example/{uuid.uuid4().hex}"
    return ["-a", url, "bench,politics", "--title", title, "-c", text, "--offline", "--tacit"]


def _buku_import(ctx: Context) -> Command:
    target = ctx.scratch / "buku-import"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return ["-i", str(ctx.work / f"buku-{ctx.size}.md"), "--tacit", f"@db={target}"]


BUKU_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": _buku_add,
    "search one word": lambda c: ["-s", "election", "--np", "--nc"],
    "search a phrase": lambda c: ["-s", "prime minister", "--np", "--nc"],
    "search word + tag + date": lambda c: ["-s", "election", "--stag", "politics", "--np", "--nc"],
    "show": lambda c: ["-p", str(c.show_id), "--nc"],
    "list 20": lambda c: ["-p", "-20", "--nc"],
    "export to md": lambda c: ["-e", c.new_file("md"), "--tacit"],
    "import jsonl": _buku_import,
}


def _jrnl_add(ctx: Context) -> Command:
    title, text = ctx.texts.text()
    return [f"{title}. {text} @bench"]


def _jrnl_import(ctx: Context) -> Command:
    target = ctx.scratch / "jrnl-import"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    config = peers.write_jrnl_config(target / "empty.yaml", target / "empty.txt")
    (target / "empty.txt").write_text("", encoding="utf-8")
    source = ctx.home / "journal.txt"
    return [f"@config={config}", "--import", "--file", str(source)]


JRNL_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": _jrnl_add,
    "search one word": lambda c: ["-contains", "election", "-n", "20"],
    "search a phrase": lambda c: ["-contains", "prime minister", "-n", "20"],
    "search word + tag + date": lambda c: [
        "@politics", "-from", "2010-01-01", "-contains", "election", "-n", "20"
    ],
    "list 20": lambda c: ["-n", "20", "--format", "short"],
    "export to md": lambda c: ["--format", "markdown", "--file", c.new_file("md")],
    "import jsonl": _jrnl_import,
}

OPERATIONS = list(CLIP_OPS)
EXCHANGE = ("export to md", "import jsonl")
NOTES = {
    "buku": {
        "search word + tag + date": "no date filter in buku: word + tag only",
        "export to md": "links only: buku's Markdown export has no text",
        "import jsonl": "buku reads no JSONL: its own Markdown export (links) instead",
    },
    "jrnl": {
        "import jsonl": "jrnl reads no JSONL: its own journal format instead",
    },
}


# Running ---------------------------------------------------------------------------------

def run_once(argv: Command, env: dict[str, str]) -> tuple[float, int | None]:
    """Wall seconds and peak RSS (KB) of one process; SystemExit when it fails."""
    timer = [str(TIME), "-f", "%M"] if TIME.exists() else []
    started = time.perf_counter()
    done = subprocess.run(
        [*timer, *argv], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    errors = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} ... failed ({done.returncode}): {errors[-600:]}")
    peak = int(errors.split()[-1]) if timer and errors.split() else None
    return seconds, peak


def measure(make: Callable[[], tuple[Command, dict[str, str]]], runs: int, budget: float) -> Result:
    argv, env = make()
    warm, _ = run_once(argv, env)
    count = max(1, min(runs, int(budget / max(warm, 1e-3))))
    timings = []
    for _ in range(count):
        argv, env = make()
        timings.append(run_once(argv, env))
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

        result = measure(make, options.runs, options.budget)
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
        run_once([str(CLIP), "export", "-f", "jsonl", "-o", str(jsonl), "-q"], env)
    # The first read builds the search index; do it here rather than in a warm-up.
    run_once([str(CLIP), "list", "--limit", "1"], {**base_env(), "CLIPPER_HOME": str(home)})


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
        run_once([str(peer.command), "--nostdin", "-e", str(export), "--tacit"], env)


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
    parser.add_argument("--work", type=Path, default=Path("/tmp/clip-bench"))
    parser.add_argument("--peers-venv", type=Path, default=None,
                        help="virtual environment where buku and jrnl are installed")
    parser.add_argument("--no-peers", action="store_true", help="measure clip alone")
    parser.add_argument("--build-only", action="store_true", help="build the libraries, no runs")
    parser.add_argument("--write", type=Path, default=None, metavar="MARKDOWN",
                        help="update this BENCHMARKS.md (default: none, print only)")
    options = parser.parse_args(argv)  # fmt: skip
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
        ctx = Context(size, work, work / f"jrnl-{size}", texts, scratch=scratch)
        ops = {name: _with_config(maker, config) for name, maker in JRNL_OPS.items()}
        results["jrnl"] = run_tool("jrnl", jrnl.command, ops, ctx, env, options)
    load_after = os.getloadavg()
    stats = report.Stats(size, source, load_before[0], load_after[0],
                         report.sizes_on_disk(clip_home, work, size))  # fmt: skip
    print()
    print(report.table(stats, results, found))
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(texts.folder, ignore_errors=True)
    return stats, results


def _with_config(maker: Maker, config: Path) -> Maker:
    def make(ctx: Context) -> Command | None:
        args = maker(ctx)
        if args is None or any(a.startswith("@config=") for a in args):
            return args
        return [f"@config={config}", *args]

    return make


if __name__ == "__main__":
    sys.exit(main())
