"""Could the index keep only the exact words? Ranking of an exact-words FTS5 table against the
stemmed columns clip ranks with, on Cranfield (decision 021).

    python benchmarks/exact_only_ranking.py

Three contentless FTS5 tables of the 1,400 Cranfield documents, built with the index's own
analysis (`analyzer("en")`, `fold`, `tokens`): the ranked columns (stems without stopwords),
the exact columns (every folded word), and both, as the index holds them. Each of the 225
queries (its words, repeats kept) is ranked as an any-word match by FTS5's `bm25` with clip's
field weights: on the ranked columns as the OR of its stems (what `clip search --any` does), on
the exact columns as the OR of every word of the collection that stems to one of its stems
(what an index of exact words alone would have to do). Prints each table's size and MAP over
the first 1,000 hits and nDCG@10 of the two rankings.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_quality as sq

from clipper.search.analysis import analyzer
from clipper.search.compiler import WEIGHTS
from clipper.search.folding import fold, tokens

COLUMNS = ("title", "body", "source", "author")
TABLE = "USING fts5({}, content='', tokenize='unicode61 remove_diacritics 2')"


def quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def main() -> None:
    folder = sq.CRANFIELD
    if not folder.is_dir():
        print(f"skipped: the Cranfield collection is not at {folder}")
        return
    docs = sq.records(folder / "cran.all.1400")
    queries = [q.get("W", "") for q in sq.records(folder / "cran.qry")]
    gains = sq.judgments(folder / "cranqrel")
    judged = sorted(gains)
    english = analyzer("en")

    conn = sqlite3.connect(":memory:")
    exact_columns = [f"{c}_x" for c in COLUMNS]
    conn.execute(f"CREATE VIRTUAL TABLE ranked {TABLE.format(', '.join(COLUMNS))}")
    conn.execute(f"CREATE VIRTUAL TABLE exact {TABLE.format(', '.join(COLUMNS))}")
    conn.execute(f"CREATE VIRTUAL TABLE both8 {TABLE.format(', '.join(COLUMNS + tuple(exact_columns)))}")  # noqa: E501
    forms: dict[str, set[str]] = defaultdict(set)  # stem -> the collection's words stemming to it
    for doc in docs:
        authors = " ".join(a.strip() for a in doc.get("A", "").split(";") if a.strip())
        fields = (" ".join(doc.get("T", "").split()) or "(untitled)",
                  doc.get("W", "").strip() or doc.get("T", "").strip() or "(empty)", "",
                  authors)  # fmt: skip
        ranked = [english.text(field) for field in fields]
        exact = [" ".join(tokens(fold(field))) for field in fields]
        for field in fields:
            for word in tokens(fold(field)):
                for stem in english.terms(word):
                    forms[stem].add(word)
        number = int(doc["I"])
        for table, values in (("ranked", ranked), ("exact", exact)):
            conn.execute(f"INSERT INTO {table} (rowid, {', '.join(COLUMNS)}) "
                         "VALUES (?, ?, ?, ?, ?)", (number, *values))  # fmt: skip
        conn.execute(f"INSERT INTO both8 (rowid, {', '.join(COLUMNS)}, {', '.join(exact_columns)}) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (number, *ranked, *exact))  # fmt: skip
    for table in ("ranked", "exact", "both8"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        size = conn.execute(f"SELECT sum(length(block)) FROM {table}_data").fetchone()[0]
        print(f"{table:7} {size / 1e6:.2f} MB")

    weights = ", ".join(str(w) for w in WEIGHTS)

    def run(table: str, expression: Callable[[list[str]], str]) -> tuple[float, float]:
        rankings = []
        for query in queries:
            words = [w for w in sq.words(query) if w not in {"or", "and", "not"}]
            stems = [stem for word in words for stem in english.terms(word)]
            match = expression(stems)
            rows = conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY "
                                f"bm25({table}, {weights}) LIMIT {sq.DEPTH}",
                                (match,)).fetchall() if match else []  # fmt: skip
            rankings.append([row[0] for row in rows])
        return sq.scores(rankings, gains, judged)

    stemmed = run("ranked", lambda stems: " OR ".join(quoted(s) for s in stems))
    print(f"ranked columns, OR of the stems:          MAP {stemmed[0]:.4f}  nDCG@10 {stemmed[1]:.4f}")  # noqa: E501
    words = run("exact", lambda stems: " OR ".join(
        quoted(w) for s in stems for w in sorted(forms.get(s, {s}))))
    print(f"exact columns, OR of the stems' words:    MAP {words[0]:.4f}  nDCG@10 {words[1]:.4f}")


if __name__ == "__main__":
    main()
