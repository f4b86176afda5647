"""What one write costs at a library size, before and after a change, with buku beside it.

    python benchmarks/write_costs.py --before ../main --sizes 10000 100000 --runs 5 \
        --peers-venv ../bench-venv

For each size a library is built once in --work with the code of --before (a checkout holding
its own `clipper/` package; `Library.add_many` of benchmarks/corpus.py's drafts), and a buku
database with the same clippings. Each code (before, then this checkout) runs on its own copy
of that library: one warm-up write first (for a newer layout, the migration) and a read (the
index catches up with the copy), then the median
wall time of --runs whole `clip` processes, their CPU time (user + sys: what the load of a shared
machine changes least) and their peak memory (/usr/bin/time) for: add a new article (a real
news text the library does not hold: the gold texts of the article-extraction benchmark in
../shared/data, English, then other languages), add random words (300 pseudo-words: a near
duplicate of nothing, in no language, so that the language model is loaded), add a near
duplicate in its two cases (below), tag, edit --note, rm (which takes a backup). Each process
starts from compiled bytecode (kept in --work), as an installed clip does, and with an
interpreter that finds the packages of this one without running their `.pth` hooks (an editable
install's finder is not part of an installed clip; --editable keeps it).
The near duplicates are BBC articles with one word changed, of two kinds (benchmarks/corpus.py):
"add near duplicate, kept once" is the everyday case, a second version of a story the library
holds once (an article the BBC published once, not a wire story: one link, to the original);
"add near duplicate, kept 12 times" is the worst case, a wire story the library holds 12 times
spread over it (corpus.WIRE_STORIES; from 10,000 clippings on, each copy in a segment of its
own: MAX_NEAR_DUPLICATES, 10 links, each in an old segment the add rewrites), the case the
old corpus, where every copy was a near duplicate of the others, made of every near-duplicate
add. The links each made are read back from the library and printed ("links").
"store tx" is the store's own part of a tag, timed inside one process: one transaction that
reads one clipping and writes it back (what the index does after is not in it). Last, the
bytes on disk of the store and the index, against the bytes of text the library holds.
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402

TIME = "/usr/bin/time"
REPO = HERE.parent
# News texts no library of the BBC corpus holds: the article-extraction benchmark's gold texts,
# by the site that published them (each settled by clip's language check without the model).
HELD_OUT = corpus.DATA / "extraction" / "article-extraction-benchmark" / "ground-truth.json"
ENGLISH_SITES = ("www.reuters.com", "hosted.ap.org", "www.theguardian.com", "www.cnn.com",
                 "www.aljazeera.com", "news.sky.com", "www.cbsnews.com")  # fmt: skip
OTHER_SITES = ("blog.comwrap.com", "www.remember8090.it", "entermedia.co.kr",
               "comoeducarseusfilhos.com.br", "www.wday.ru")  # fmt: skip (de, it, ko, pt, ru)

_BUILD = """
import sys, time
sys.path.insert(0, sys.argv[3])
import corpus
from clipper.library.core import Library
from clipper.paths import LibraryPaths
source, _ = corpus.articles()
started = time.perf_counter()
library = Library(LibraryPaths(__import__("pathlib").Path(sys.argv[1])), lock_timeout=600)
drafts = corpus.drafts(source, int(sys.argv[2]))
if "keep_added" in __import__("inspect").signature(library.add_many).parameters:
    added = library.add_many(drafts, keep_added=False).count  # streamed, a batch at a time
else:  # an older clip: every draft in one transaction
    added = len(library.add_many(list(drafts)).added)
print(added, round(time.perf_counter() - started))
"""

# The store's part of a tag: one transaction reading and writing one clipping.
_STORE_TX = """
import resource, sys, time
from pathlib import Path
try:  # the old code first: an editable install would lend it the new storage package
    from clipper.store import CLIPPINGS, Store
except ImportError:
    from clipper.storage.store import CLIPPINGS, Store
store = Store(Path(sys.argv[1]) / "clippings.json")
started = time.perf_counter()
with store.transaction() as tx:
    record = tx.get(CLIPPINGS, int(sys.argv[2]))
    record["tags"] = [*record["tags"], "store-tx"]
    tx.put(CLIPPINGS, int(sys.argv[2]), record)
print((time.perf_counter() - started) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The near duplicates the benchmark's adds linked: title, then the linked ids.
_LINKS = """
import sys
from pathlib import Path
from clipper.library.core import Library
from clipper.paths import LibraryPaths
from clipper.errors import ClipperError
library = Library(LibraryPaths(Path(sys.argv[1])))
for number in range(int(sys.argv[2]), int(sys.argv[3])):
    try:
        clipping = library.get(number)
    except ClipperError:  # not there
        continue
    if clipping.title.startswith(("Near ", "Wire ")):
        print(clipping.title.split()[0], *clipping.near_duplicates)
"""
SEGMENT = 250  # ids a segment holds (storage/layout.py)

Command = list[str]


def timed(command: Command, env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys) and peak memory in MB of one process."""
    done = subprocess.run([TIME, "-f", "%e %U %S %M", *command], check=False, env=env, cwd=cwd,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]}: {done.stderr[-800:]}")
    seconds, user, system, kilobytes = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(user) + float(system), int(kilobytes) // 1024


def bytecode(env: dict[str, str], work: Path) -> dict[str, str]:
    """`env` for processes that read and keep compiled bytecode (in `work`, outside the
    checkouts), as an installed clip does: without it every run would compile every module."""
    kept = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PYTHONPYCACHEPREFIX": str(work / "pycache")}


def installed_python(work: Path) -> str:
    """An interpreter that runs clip as an installed one does: a virtual environment in `work`
    whose site-packages names this interpreter's in a plain `.pth` path line. Its packages are
    found, but the hooks of their own `.pth` files are not run: an editable install of clip
    imports its finder (pathlib, importlib.util...) at every start, about 20 ms of CPU that an
    installed clip and buku do not pay. clip itself comes from PYTHONPATH, each code's own."""
    import site
    import sysconfig
    import venv

    folder = work / "installed-python"
    python = folder / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True,
                             check=True).stdout.strip()  # fmt: skip
    paths = dict.fromkeys([*site.getsitepackages(), sysconfig.get_path("purelib")])
    Path(purelib, "clip-benchmark-packages.pth").write_text("".join(f"{p}\n" for p in paths))
    return str(python)


def build(work: Path, size: int, before: Path) -> Path:
    home = work / f"library-{size}"
    if not (home / ".built").exists():
        shutil.rmtree(home, ignore_errors=True)
        env = {**os.environ, "PYTHONPATH": str(before)}
        # cwd: `python -c` puts the working folder first on sys.path, where a checkout's own
        # clipper/ would win over --before's.
        done = subprocess.run([sys.executable, "-c", _BUILD, str(home), str(size), str(HERE)],
                              env=env, capture_output=True, text=True, check=True,
                              cwd=work)  # fmt: skip
        added, seconds = done.stdout.split()
        print(f"built {int(added):,} clippings in {seconds} s (code of {before})", flush=True)
        env["CLIPPER_HOME"] = str(home)
        subprocess.run([sys.executable, "-m", "clipper", "list", "--limit", "1"], env=env,
                       check=True, capture_output=True, cwd=work)  # fmt: skip
        (home / ".built").write_text("built\n")
    return home


def text_bytes(size: int) -> int:
    source, _ = corpus.articles()
    return sum(len(draft.text.encode()) for draft in corpus.drafts(source, size))


def disk(home: Path) -> tuple[int, int]:
    """Bytes of the store (manifest and segments) and of the index."""
    store = sum(p.stat().st_size for p in home.glob("clippings.json"))
    store += sum(p.stat().st_size for p in (home / "clippings.d").glob("*") if p.is_file())
    index = sum(p.stat().st_size for p in home.glob("index.sqlite3*"))
    return store, index


def held_out(sites: tuple[str, ...]) -> list[str]:
    """The gold texts of the articles these sites published, in the order of the sites."""
    from urllib.parse import urlsplit

    if not HELD_OUT.is_file():
        raise SystemExit(f"{HELD_OUT} is missing: the held-out articles are read from it")
    pages = json.loads(HELD_OUT.read_text(encoding="utf-8"))
    texts = [(sites.index(host), page["articleBody"]) for _, page in sorted(pages.items())
             if (host := urlsplit(page["url"]).hostname) in sites
             and len(page["articleBody"].split()) <= 1000]  # fmt: skip
    return [text for _, text in sorted(texts, key=lambda pair: pair[0])]


def clip_operations(rng: random.Random, runs: int) -> dict[str, Callable[[int], Command]]:
    words = [f"w{n}x" for n in range(50_000)]
    source, _ = corpus.articles()
    wire = corpus.wire_stories(source)
    once = [number for number in corpus.kept_once(source) if number not in wire]
    if runs > len(wire):
        raise SystemExit(f"--runs {runs}: the corpus has {len(wire)} wire stories")
    # One article a run (the same text twice would be refused as a duplicate): the sites, and
    # so the languages, take turns.
    english, other = held_out(ENGLISH_SITES), held_out(OTHER_SITES)
    if runs > min(len(english), len(other)):
        raise SystemExit(f"--runs {runs}: there are {len(english)} English and {len(other)} "
                         "other held-out articles")  # fmt: skip
    english, other = english[:: len(english) // runs], other[:: len(other) // runs]

    def new_text() -> str:  # a near duplicate of nothing, in no language: random pseudo-words
        return " ".join(rng.choice(words) for _ in range(300)) + "."

    def altered(number: int) -> str:  # a corpus article with one word changed
        text = corpus.article_text(source[number]).split()
        text[len(text) // 2] = "altered"
        return " ".join(text)

    kept_once = [once[rng.randrange(len(once))] for _ in range(runs)]

    return {
        "add new article": lambda n: ["add", english[n], "--title", f"Article {n}"],
        "add new article, de it ko pt ru": lambda n: ["add", other[n], "--title", f"Other {n}"],
        "add random words": lambda n: ["add", new_text(), "--title", f"New {n}"],
        "add near duplicate, kept once": lambda n: [
            "add", altered(kept_once[n]), "--title", f"Near {n}"],
        "add near duplicate, kept 12 times": lambda n: [
            "add", altered(wire[n]), "--title", f"Wire {n}"],
        "tag": lambda n: ["tag", str(10 + n), "-t", f"bench{n}"],
        "edit --note": lambda n: ["edit", str(20 + n), "--note", f"note {n}"],
        "rm": lambda n: ["rm", str(30 + n), "--yes"],
    }


def links(home: Path, size: int, adds: int, env: dict[str, str]) -> str:
    """What the near-duplicate adds linked: per kind, the links of each add and the segments
    they lie in (the ids after the library's `size` are the benchmark's own)."""
    done = subprocess.run([sys.executable, "-c", _LINKS, str(home), str(size + 1),
                           str(size + adds + 1)], env=env, capture_output=True, text=True,
                          check=True, cwd=home.parent)  # fmt: skip
    found: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        kind, *ids = line.split()
        segments = {(int(i) - 1) // SEGMENT for i in ids if int(i) <= size}
        found.setdefault(kind, []).append(f"{len(ids)}/{len(segments)}")
    return "; ".join(f"{'kept once' if kind == 'Near' else 'kept 12 times'} "
                     f"{' '.join(cells)}" for kind, cells in found.items()) + (
        " (links/old segments of each add)")  # fmt: skip


def buku_operations() -> dict[str, Callable[[int], Command]]:
    return {
        "add new article": lambda n: [
            "-a", f"https://bench.example/new/{n}/{time.time_ns()}", "bench", "--title",
            f"New {n}", "-c", "A new text.", "--offline", "--tacit",
        ],
        "tag": lambda n: ["-u", str(10 + n), "--tag", "+", f"bench{n}", "--tacit"],
        "edit --note": lambda n: ["-u", str(20 + n), "-c", f"note {n}", "--tacit"],
        "rm": lambda n: ["-d", str(30 + n), "--tacit"],
    }


Run = Callable[[Command], tuple[float, float, int]]


def measure(
    label: str, run: Run, operations: dict[str, Callable[[int], Command]], runs: int
) -> dict[str, str]:
    results = {}
    for name, make in operations.items():
        samples = [run(make(n)) for n in range(runs)]
        median = statistics.median(seconds for seconds, _, _ in samples) * 1000
        cpu = statistics.median(seconds for _, seconds, _ in samples) * 1000
        peak = max(megabytes for _, _, megabytes in samples)
        results[name] = f"{median:.0f} ms (CPU {cpu:.0f}), {peak} MB"
        print(f"  {label:8} {name:32} {results[name]}", flush=True)
    return results


def run_size(options: argparse.Namespace, size: int, buku: peers.Peer | None) -> None:
    library = build(options.work, size, options.before)
    text = text_bytes(size)
    rows: dict[str, dict[str, str]] = {}
    codes = (("before", options.before), ("after", REPO))
    for label, code in codes[1:] if options.after_only else codes:
        home = options.work / f"{label}-{size}"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(library, home)
        env = bytecode({**os.environ, "CLIPPER_HOME": str(home), "PYTHONPATH": str(code)},
                       options.work)  # fmt: skip
        clip = [options.python, "-m", "clipper"]

        def run(args: Command, env: dict[str, str] = env, clip: Command = clip) -> tuple[float, float, int]:  # noqa: E501
            return timed([*clip, *args], env, options.work)


        started = time.perf_counter()
        run(["tag", "1", "-t", "warm-up"])  # the first write: a migration to a newer layout
        # The index catches up with the copy (a new inode) and the migration once, here.
        run(["list", "--limit", "1"])
        print(f"  {label:8} warm-up write        {time.perf_counter() - started:.1f} s")
        operations = clip_operations(random.Random(5), options.runs)
        rows[label] = measure(label, run, operations, options.runs)
        rows[label]["links"] = links(home, size, len(operations) * options.runs, env)
        print(f"  {label:8} links {rows[label]['links']}")
        tx = [subprocess.run([sys.executable, "-c", _STORE_TX, str(home), str(40 + n)], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
              for n in range(options.runs)]  # fmt: skip
        rows[label]["store tx"] = (f"{statistics.median(float(t[0]) for t in tx):.0f} ms, "
                                   f"{max(int(t[1]) for t in tx) // 1024} MB")  # fmt: skip
        store, index = disk(home)
        rows[label]["on disk"] = (f"store {store / 1e6:.0f} MB + index {index / 1e6:.0f} MB = "
                                  f"{(store + index) / text:.1f}x the text")  # fmt: skip
        print(f"  {label:8} store tx {rows[label]['store tx']}; {rows[label]['on disk']}")
    if buku is not None:
        folder = options.work / f"buku-{size}"
        if not (folder / ".built").exists():
            source, _ = corpus.articles()
            peers.load_buku(buku, folder, peers.clipping_dicts(list(corpus.drafts(source, size))))
            (folder / ".built").write_text("built\n")
        env = bytecode({**os.environ, "BUKU_DEFAULT_DBDIR": str(folder)}, options.work)
        rows["buku"] = measure("buku", lambda args: timed([str(buku.command), "--nostdin", *args],
                               env, options.work), buku_operations(), options.runs)  # fmt: skip
    print(f"\n| {size:,} clippings | before | after | buku |\n| --- | --- | --- | --- |")
    for name in [*clip_operations(random.Random(5), options.runs), "links", "store tx",
                 "on disk"]:  # fmt: skip
        cells = [rows.get(label, {}).get(name, "") for label in ("before", "after", "buku")]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--after-only", action="store_true",
                        help="build with --before's code, measure only this checkout's (1M)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/clip-write-costs"))
    parser.add_argument("--peers-venv", type=Path, default=None)
    parser.add_argument("--editable", action="store_true",
                        help="run clip with this interpreter, editable install's hooks and all")
    options = parser.parse_args(argv)
    options.work.mkdir(parents=True, exist_ok=True)
    options.python = sys.executable if options.editable else installed_python(options.work)
    buku = peers.find("buku", options.peers_venv, Path(sys.executable).parent)
    for size in options.sizes:
        run_size(options, size, buku)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
