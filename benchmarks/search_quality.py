"""How well clip ranks: nDCG@10 and MAP on the Cranfield collection, beside bm25s.

    pip install -e '.[bench]'
    python benchmarks/search_quality.py            # grid search, then every figure
    python benchmarks/search_quality.py --weights 3 1 1 1   # skip the grid

Cranfield (../shared/data/ir/cranfield, read in place): 1,400 aerodynamics abstracts, 225
queries, graded judgments. Query n in cranqrel is the n-th query of cran.qry, whatever number
it prints. Grades 1 (a complete answer) to 4 (of minimal interest) are relevant with gains 4 to
1; -1 (of no interest) counts as not relevant.

The queries are split in two halves: odd positions tune, even positions are held out. The
field weights of clip's ranking (title, body, outlet, authors) are chosen by a grid search on
the tuning half (best MAP) and reported on the held-out half, the tuning half and all queries.

clip: each document becomes an English clipping (title, abstract, authors) in a temporary
library, and each query is its words (repeats kept: the query's term frequency) ranked as any
word matches (`clip search --any`), through `Searcher.ranked`, the path of `clip search`
without the snippets; `--expand` adds RM3 feedback. The baseline is bm25s (method "lucene")
with its English stopwords and the Porter stemmer (PyStemmer "porter"), k1 0.9 and b 0.4 as
Anserini runs BM25, over the same title and abstract.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.search import compiler
from clipper.search.folding import fold, tokens

CRANFIELD = corpus.DATA / "ir" / "cranfield"
DEPTH = 1000  # hits ranked per query, for MAP
# The grid: title and author weights against a body weight of 1 (the outlet is empty here).
TITLE_WEIGHTS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0)
AUTHOR_WEIGHTS = (0.0, 1.0)
TOLERANCE = 0.001  # MAP differences below this are noise on 113 queries
K1S = (0.6, 0.9, 1.2, 1.5, 2.0)  # the baseline's own grid, for comparison
BS = (0.3, 0.4, 0.6, 0.75, 0.9)
Rankings = list[list[int]]


def records(path: Path) -> list[dict[str, str]]:
    """The `.I` records of a Cranfield file, each a dict of its fields (.T, .A, .B, .W)."""
    found: list[dict[str, str]] = []
    field = ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        marker = re.match(r"^\.([ITABW])\b\s*(.*)$", line)
        if marker and marker.group(1) == "I":
            found.append({"I": marker.group(2).strip()})
            field = ""
        elif marker:
            field = marker.group(1)
            found[-1].setdefault(field, "")
        elif found and field:
            found[-1][field] += line + "\n"
    return found


def judgments(path: Path) -> dict[int, dict[int, int]]:
    """Gains by query number (1-based position in cran.qry) and document id."""
    gains: dict[int, dict[int, int]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3:
            grade = int(parts[2])
            if 1 <= grade <= 4:
                gains.setdefault(int(parts[0]), {})[int(parts[1])] = 5 - grade
    return gains


def ndcg_at(ranking: list[int], gains: dict[int, int], k: int = 10) -> float:
    dcg = sum(gains.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranking[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def average_precision(ranking: list[int], gains: dict[int, int]) -> float:
    hits, total = 0, 0.0
    for i, doc in enumerate(ranking):
        if gains.get(doc, 0) > 0:
            hits += 1
            total += hits / (i + 1)
    return total / len(gains) if gains else 0.0


def words(text: str) -> list[str]:
    return tokens(fold(text))


@contextmanager
def cranfield_library(docs: list[dict[str, str]]) -> Iterator[Library]:
    with tempfile.TemporaryDirectory() as folder:
        library = Library(LibraryPaths(Path(folder)))
        drafts = [
            Draft(
                id=int(doc["I"]),
                title=" ".join(doc.get("T", "").split()) or "(untitled)",
                text=doc.get("W", "").strip() or doc.get("T", "").strip() or "(empty)",
                authors=[a.strip() for a in doc.get("A", "").split(";") if a.strip()],
                language="en",
            )
            for doc in docs
        ]
        result = library.add_many(drafts, allow_duplicate=True)
        assert not result.failed, result.failed[:3]
        yield library


def clip_rankings(library: Library, queries: list[str], *, expand: bool = False) -> Rankings:
    searcher = library._searcher()
    rankings = []
    for query in queries:
        expression = " ".join(w for w in words(query) if w not in {"or", "and", "not"})
        found = searcher.ranked(expression, limit=DEPTH, words="any", expand=expand)
        rankings.append([item.clipping.id for item in found])
    return rankings


def baseline_rankings(
    docs: list[dict[str, str]], queries: list[str], k1: float = 0.9, b: float = 0.4
) -> Rankings:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("porter")
    ids = [int(doc["I"]) for doc in docs]
    corpus = [doc.get("T", "") + " " + doc.get("W", "") for doc in docs]
    retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)  # fmt: skip
    rankings = []
    for query in queries:
        tokenized = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        found, scores = retriever.retrieve(tokenized, k=DEPTH, show_progress=False)
        rankings.append([ids[i] for i, score in zip(found[0], scores[0], strict=True) if score > 0])
    return rankings


def scores(rankings: Rankings, gains: dict[int, dict[int, int]], judged: list[int]) -> tuple[
    float, float
]:  # fmt: skip
    """(MAP, nDCG@10) over the judged queries (1-based numbers) of a run."""
    ap = statistics.mean(average_precision(rankings[n - 1], gains[n]) for n in judged)
    ndcg = statistics.mean(ndcg_at(rankings[n - 1], gains[n]) for n in judged)
    return ap, ndcg


def grid(
    library: Library, queries: list[str], gains: dict[int, dict[int, int]], tuning: list[int]
) -> tuple[float, float, float, float]:
    """The field weights with the best MAP on the tuning queries; prints the whole grid."""
    results: dict[tuple[float, float, float, float], float] = {}
    print("\n| title | author | MAP (tuning) | nDCG@10 (tuning) |\n| --- | --- | --- | --- |")
    subset = [queries[n - 1] for n in tuning]
    renumbered = {i + 1: gains[n] for i, n in enumerate(tuning)}
    for title, author in itertools.product(TITLE_WEIGHTS, AUTHOR_WEIGHTS):
        weights = (title, 1.0, 1.0, author)
        compiler.WEIGHTS = weights
        ap, ndcg = scores(clip_rankings(library, subset), renumbered, list(renumbered))
        print(f"| {title} | {author} | {ap:.4f} | {ndcg:.4f} |")
        results[weights] = ap
    # A weight leaves the neutral 1 only for a gain beyond noise: among the weights within
    # TOLERANCE of the best MAP, the closest to all ones wins.
    best = max(results.values())
    near = [w for w, ap in results.items() if ap >= best - TOLERANCE]
    return min(near, key=lambda w: (sum(abs(x - 1) for x in w), -results[w]))


def holding(
    library: Library, queries: list[str], gains: dict[int, dict[int, int]],
    held_out: list[int], chosen: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:  # fmt: skip
    """The chosen weights if they also beat neutral ones (all 1) on the held-out queries,
    else the neutral ones: a weight is kept only where it holds on queries it was not tuned on."""
    neutral = (1.0, 1.0, 1.0, 1.0)
    subset = [queries[n - 1] for n in held_out]
    renumbered = {i + 1: gains[n] for i, n in enumerate(held_out)}
    maps = {}
    for weights in (chosen, neutral):
        compiler.WEIGHTS = weights
        maps[weights] = scores(clip_rankings(library, subset), renumbered, list(renumbered))[0]
    kept = chosen if maps[chosen] >= maps[neutral] else neutral
    print(f"held out: MAP {maps[chosen]:.4f} with {chosen}, {maps[neutral]:.4f} with {neutral}: "
          f"{'kept' if kept == chosen else 'not kept, neutral weights used'}")  # fmt: skip
    return kept


def baseline_grid(
    docs: list[dict[str, str]], queries: list[str], gains: dict[int, dict[int, int]],
    tuning: list[int],
) -> tuple[float, float]:  # fmt: skip
    """bm25s's k1 and b with the best MAP on the tuning queries: what FTS5's fixed k1 1.2 and
    b 0.75 might cost clip, seen on the baseline."""
    best: tuple[float, tuple[float, float]] | None = None
    subset = [queries[n - 1] for n in tuning]
    renumbered = {i + 1: gains[n] for i, n in enumerate(tuning)}
    for k1, b in itertools.product(K1S, BS):
        ap, _ = scores(baseline_rankings(docs, subset, k1, b), renumbered, list(renumbered))
        if best is None or ap > best[0]:
            best = (ap, (k1, b))
    assert best is not None
    print(f"bm25s k1 and b tuned on the tuning half: {best[1]} (MAP {best[0]:.4f} there)")
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=CRANFIELD, help="the Cranfield folder")
    parser.add_argument("--weights", type=float, nargs=4, metavar=("TITLE", "BODY", "OUTLET",
                        "AUTHORS"), help="skip the grid search and use these")  # fmt: skip
    options = parser.parse_args()
    folder: Path = options.data
    if not folder.is_dir():
        print(f"skipped: the Cranfield collection is not at {folder} (use --data)")
        return
    try:
        import bm25s  # noqa: F401
        import Stemmer  # noqa: F401
    except ImportError:
        sys.exit("the baseline needs bm25s and PyStemmer: pip install -e '.[bench]'")
    docs = records(folder / "cran.all.1400")
    queries = [q.get("W", "") for q in records(folder / "cran.qry")]
    gains = judgments(folder / "cranqrel")
    judged = [n for n in range(1, len(queries) + 1) if gains.get(n)]
    halves = {"tuning (odd)": judged[0::2], "held out (even)": judged[1::2], "all": judged}
    print(f"{len(docs)} documents, {len(queries)} queries, {len(judged)} with relevant documents")
    runs: dict[str, tuple[Rankings, float]] = {}
    with cranfield_library(docs) as library:
        chosen = tuple(options.weights) if options.weights else grid(
            library, queries, gains, halves["tuning (odd)"]
        )  # fmt: skip
        if not options.weights:
            chosen = holding(library, queries, gains, halves["held out (even)"], chosen)
        compiler.WEIGHTS = chosen
        k1, b = baseline_grid(docs, queries, gains, halves["tuning (odd)"])
        print(f"\nfield weights (title, body, outlet, authors): {chosen}")
        systems: dict[str, Callable[[], Rankings]] = {
            "clip": lambda: clip_rankings(library, queries),
            "clip --expand": lambda: clip_rankings(library, queries, expand=True),
            "bm25s (Porter, stopwords, k1 0.9, b 0.4)": lambda: baseline_rankings(docs, queries),
            f"bm25s tuned (k1 {k1}, b {b})": lambda: baseline_rankings(docs, queries, k1, b),
        }
        for name, rank in systems.items():
            started = time.perf_counter()
            rankings = rank()
            runs[name] = (rankings, time.perf_counter() - started)
    print(
        "\n| system | queries | MAP | nDCG@10 | time (all 225) |\n| --- | --- | --- | --- | --- |"
    )
    for half, numbers in halves.items():
        for name, (rankings, seconds) in runs.items():
            ap, ndcg = scores(rankings, gains, numbers)
            print(f"| {name} | {half}, {len(numbers)} | {ap:.4f} | {ndcg:.4f} | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
