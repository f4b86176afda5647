"""How well clip ranks: nDCG@10 and MAP on the Cranfield collection, beside plain BM25.

    pip install -e '.[bench]'
    python benchmarks/search_quality.py

Cranfield (../shared/data/ir/cranfield, read in place): 1,400 aerodynamics abstracts, 225
queries, graded judgments. Query n in cranqrel is the n-th query of cran.qry, whatever number
it prints. Grades 1 (a complete answer) to 4 (of minimal interest) are relevant with gains 4 to
1; -1 (of no interest) counts as not relevant.

clip: each document becomes a clipping (title, abstract, authors) in a temporary library, and
each query is the OR of its words in clip's query language, ranked by `Library.select(...,
sort="relevance")`, exactly the path of `clip search`. The baseline is rank_bm25's BM25Okapi
with the same k1 and b as SQLite FTS5 (1.2, 0.75), over the same title and abstract, tokenized
by the same folding, with no field weights: plain BM25.
"""

from __future__ import annotations

import math
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from clipper.library import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.search.folding import fold, tokens

CRANFIELD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ir" / "cranfield"
DEPTH = 1000  # hits ranked per query, for MAP


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


def clip_rankings(docs: list[dict[str, str]], queries: list[str]) -> list[list[int]]:
    with tempfile.TemporaryDirectory() as folder:
        library = Library(LibraryPaths(Path(folder)))
        drafts = [
            Draft(
                id=int(doc["I"]),
                title=" ".join(doc.get("T", "").split()) or "(untitled)",
                text=doc.get("W", "").strip() or doc.get("T", "").strip() or "(empty)",
                authors=[a.strip() for a in doc.get("A", "").split(";") if a.strip()],
            )
            for doc in docs
        ]
        result = library.add_many(drafts, allow_duplicate=True)
        assert not result.failed, result.failed[:3]
        rankings = []
        for query in queries:
            expression = " OR ".join(dict.fromkeys(words(query)))
            chosen = library.select(query=expression, sort="relevance", limit=DEPTH)
            rankings.append([c.id for c in chosen])
        return rankings


def baseline_rankings(docs: list[dict[str, str]], queries: list[str]) -> list[list[int]]:
    from rank_bm25 import BM25Okapi

    ids = [int(doc["I"]) for doc in docs]
    corpus = [words(doc.get("T", "") + " " + doc.get("W", "")) for doc in docs]
    bm25 = BM25Okapi(corpus, k1=1.2, b=0.75)
    rankings = []
    for query in queries:
        scores = bm25.get_scores(list(dict.fromkeys(words(query))))
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))
        rankings.append([ids[i] for i in order[:DEPTH] if scores[i] > 0])
    return rankings


def main() -> None:
    if not CRANFIELD.is_dir():
        print(f"skipped: the Cranfield collection is not at {CRANFIELD}")
        return
    try:
        import rank_bm25  # noqa: F401
    except ImportError:
        sys.exit("the baseline needs rank_bm25: pip install -e '.[bench]'")
    docs = records(CRANFIELD / "cran.all.1400")
    queries = [q.get("W", "") for q in records(CRANFIELD / "cran.qry")]
    gains = judgments(CRANFIELD / "cranqrel")
    judged = [n for n in range(1, len(queries) + 1) if gains.get(n)]
    print(f"{len(docs)} documents, {len(queries)} queries, {len(judged)} with relevant documents")
    results = {}
    for name, rank in (("clip", clip_rankings), ("BM25 (rank_bm25)", baseline_rankings)):
        started = time.perf_counter()
        rankings = rank(docs, queries)
        seconds = time.perf_counter() - started
        ndcg = statistics.mean(ndcg_at(rankings[n - 1], gains[n]) for n in judged)
        ap = statistics.mean(average_precision(rankings[n - 1], gains[n]) for n in judged)
        results[name] = (ndcg, ap, seconds)
    print("\n| system | nDCG@10 | MAP | time |\n| --- | --- | --- | --- |")
    for name, (ndcg, ap, seconds) in results.items():
        print(f"| {name} | {ndcg:.4f} | {ap:.4f} | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
