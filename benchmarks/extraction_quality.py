"""Score clip's HTML capture beside trafilatura's own default `extract()` on the same pages.

Two sets (benchmarks/extraction_sets.py has their metrics): the article-extraction-benchmark
(4-gram shingle F1) and the multilingual trafilatura evaluation set (snippet precision, recall
and F1, per language). For each page, clip's HTML capture (the code behind `clip add
page.html`) and `trafilatura.extract(page)` with the library's defaults are scored alike, per
half (dev: where clip's thresholds were chosen; test: where they are reported) and overall.
Then the metadata table (benchmarks/metadata_quality.py): how often each field is right, wrong
or absent on the benchmark pages and on the BBC corpus.

Usage: python benchmarks/extraction_quality.py [--data PATH] [--limit N] [--json]
       [--show-worst N] [--show-metadata]
The data folder defaults to ../shared/data beside the repository (or beside its parent, for a
worktree); without it, the script says so and exits 0. It exits 1 when clip is behind
trafilatura alone on either set.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import extraction_sets as sets  # noqa: E402 - after the path is set
import metadata_quality as meta  # noqa: E402

if TYPE_CHECKING:
    from clipper.model import Draft

HALVES = ("dev", "test", "all")


def capture(item: sets.Item) -> Draft | None:
    """The draft clip makes of a page (None when it finds no article)."""
    from clipper.capture.html_page import Page, decode_html, draft_from_html
    from clipper.errors import ClipperError

    try:
        return draft_from_html(Page(decode_html(item.html), item.url))
    except ClipperError:
        return None


def trafilatura_alone(item: sets.Item) -> str:
    """trafilatura.extract with the library's defaults, given the page's bytes and URL."""
    import trafilatura

    try:
        return trafilatura.extract(item.html, url=item.url) or ""
    except Exception:  # a crash counts as nothing found, as the sets' own scripts count it
        return ""


def default_data() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def run_aeb(data: Path, limit: int | None, worst: list[tuple[float, str]]) -> dict[str, Any]:
    pages: dict[str, dict[str, list[sets.Counts]]] = {"clip": {}, "trafilatura": {}}
    table, misses = meta.new_table(), []
    for item in sets.aeb_items(data, limit):
        draft = capture(item)
        mine = sets.page_counts(item.gold, draft.text if draft else "")
        theirs = sets.page_counts(item.gold, trafilatura_alone(item))
        for name, counts in (("clip", mine), ("trafilatura", theirs)):
            for half in (item.half, "all"):
                pages[name].setdefault(half, []).append(counts)
        worst.append((sets.shingle_scores([mine])["f1"], item.url or item.key))
        page = (item.url or "", item.html.decode("utf-8", "replace"), item.gold)
        meta.judge_page(table, draft, page, misses)
    scored: dict[str, Any] = {}
    for name, by_half in pages.items():
        scored[name] = {
            half: {**sets.shingle_scores(part), "pages": len(part),
                   "f1_ci": sets.shingle_interval(part)}
            for half in HALVES if (part := by_half.get(half, []))
        }  # fmt: skip
    return {"scores": scored, "metadata": table, "misses": misses}


def run_eval(data: Path, limit: int | None) -> dict[str, Any]:
    counts: dict[str, dict[str, Counter[str]]] = {"clip": {}, "trafilatura": {}}
    for item in sets.eval_items(data, limit):
        draft = capture(item)
        found = {"clip": draft.text if draft else "", "trafilatura": trafilatura_alone(item)}
        for name, text in found.items():
            page = sets.snippet_counts(item, text)
            for key in (item.half, "all", f"lang:{item.language}"):
                counts[name].setdefault(key, Counter()).update(page)
                counts[name][key]["pages"] += 1
    return {
        name: {key: {**sets.snippet_scores(c), "pages": c["pages"]} for key, c in by_key.items()}
        for name, by_key in counts.items()
    }


def _print_scores(title: str, scores: dict[str, Any], keys: list[str]) -> None:
    print(f"\n{title}")
    print(f"  {'part':<10} {'pages':>5}  {'clip F1':>8} {'P':>6} {'R':>6}  "
          f"{'traf. F1':>8} {'P':>6} {'R':>6}  {'clip - traf.':>12}")  # fmt: skip
    for key in keys:
        mine, theirs = scores["clip"].get(key), scores["trafilatura"].get(key)
        if not mine or not theirs:
            continue
        print(f"  {key.removeprefix('lang:'):<10} {mine['pages']:>5}  {mine['f1']:>8.3f} "
              f"{mine['precision']:>6.3f} {mine['recall']:>6.3f}  {theirs['f1']:>8.3f} "
              f"{theirs['precision']:>6.3f} {theirs['recall']:>6.3f}  "
              f"{mine['f1'] - theirs['f1']:>+12.3f}")  # fmt: skip


def _print_table(title: str, table: meta.Table) -> None:
    print(f"\n{title}")
    print(f"  {'field':<10} " + " ".join(f"{v:>11}" for v in meta.VERDICTS))
    for row in meta.rows(table):
        print(f"  {row[0]:<10} " + " ".join(f"{cell:>11}" for cell in row[1:]))


def references(data: Path) -> int:
    """The shingle F1 of each output shipped in the benchmark's reference-outputs/."""
    truth = {item.key: item.gold for item in sets.aeb_items(data)}
    for path in sorted((data / sets.AEB / "reference-outputs").glob("*.json")):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        output = loaded.get("output", loaded)
        pages = [sets.page_counts(gold, output.get(key, {}).get("articleBody", ""))
                 for key, gold in truth.items()]  # fmt: skip
        print(f"{path.stem:<24} F1 {sets.shingle_scores(pages)['f1']:.3f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="only the first N pages of each set (for development)")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N")
    parser.add_argument("--show-metadata", action="store_true",
                        help="list the BBC stories given another outlet")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--references", action="store_true",
                        help="score the outputs that ship with the benchmark instead (checks "
                        "this metric against the published figures)")  # fmt: skip
    options = parser.parse_args()
    data = options.data or default_data()
    if not (data / sets.AEB / "ground-truth.json").is_file():
        print(f"skipped: no extraction benchmark at {data / sets.AEB} (shared data is absent).")
        return 0
    if options.references:
        return references(data)
    logging.disable(logging.WARNING)  # trafilatura's complaints about odd pages
    started = time.perf_counter()
    worst: list[tuple[float, str]] = []
    aeb = run_aeb(data, options.limit, worst)
    evaluated = run_eval(data, options.limit) if (data / sets.EVAL).is_dir() else None
    bbc = meta.bbc_table(data, options.limit)
    elapsed = time.perf_counter() - started
    if options.json:
        report = {"seconds": round(elapsed, 1), "article-extraction-benchmark": aeb["scores"],
                  "trafilatura-eval": evaluated,
                  "metadata": {"article-extraction-benchmark": aeb["metadata"],
                               "bbc": bbc[0] if bbc else None}}  # fmt: skip
        print(json.dumps(report, indent=2))
    else:
        print(f"{elapsed:.0f} s")
        _print_scores("article-extraction-benchmark (4-gram shingles)", aeb["scores"],
                      list(HALVES))  # fmt: skip
        if evaluated:
            languages = sorted((k for k in evaluated["clip"] if k.startswith("lang:")),
                               key=lambda k: -evaluated["clip"][k]["pages"])  # fmt: skip
            _print_scores("trafilatura-eval (snippets)", evaluated, [*HALVES, *languages])
        _print_table("metadata, article-extraction-benchmark pages", aeb["metadata"])
        if bbc:
            _print_table("metadata, BBC corpus", bbc[0])
            if options.show_metadata:
                print("\n".join(f"  another outlet: {line}" for line in bbc[1]))
        if options.show_metadata:
            print("\n".join(f"  wrong on a page: {line}" for line in aeb["misses"]))
        for value, where in sorted(worst)[: options.show_worst]:
            print(f"  F1 {value:.2f}  {where}")
    behind = aeb["scores"]["clip"]["all"]["f1"] < aeb["scores"]["trafilatura"]["all"]["f1"]
    if evaluated:
        behind = behind or evaluated["clip"]["all"]["f1"] < evaluated["trafilatura"]["all"]["f1"]
    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main())
