"""Score clip's HTML capture on the article-extraction-benchmark (scrapinghub, MIT).

For each of the benchmark's pages (html/*.html.gz), clip's HTML capture (the code behind
`clip add page.html`) extracts the article text, which is compared with the gold text in
ground-truth.json using the benchmark's own metric, as its README describes: the texts are
cut into word tokens (\\w+), tokens into overlapping 4-grams ("shingles"); true positives,
false positives and false negatives are counted over the shingle multisets and normalised per
page, precision and recall are averaged over pages, and F1 is computed from the two averages.
Confidence intervals are 1.96 standard deviations of 1000 bootstrap resamples of the pages.

Usage: python benchmarks/extraction_quality.py [--data PATH] [--show-worst N] [--json]
The data folder defaults to ../shared/data next to the repository; without it, the script
says so and exits 0 (a fresh clone has no shared data).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clipper.model import Draft

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCHMARK = Path("extraction") / "article-extraction-benchmark"
TARGET_F1 = 0.95

_TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of word n-grams of a text (a text shorter than n is one short shingle)."""
    tokens = _TOKEN.findall(text or "")
    last = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(last) if tokens[i : i + size])


def page_counts(truth: str, predicted: str) -> Counts:
    """Shingle true positives, false positives and false negatives, normalised to sum to 1."""
    expected, found = shingles(truth), shingles(predicted)
    true_positives = sum((expected & found).values())
    false_positives = sum((found - expected).values())
    false_negatives = sum((expected - found).values())
    total = true_positives + false_positives + false_negatives
    if not total:
        return (0.0, 0.0, 0.0)
    return (true_positives / total, false_positives / total, false_negatives / total)


def _ratio(hit: float, miss: float, other_miss: float) -> float:
    if miss == other_miss == 0:
        return 1.0  # both texts empty, or identical
    return 0.0 if hit == miss == 0 else hit / (hit + miss)


def scores(pages: list[Counts]) -> dict[str, float]:
    """Mean precision and recall over pages, and F1 of the two means."""
    precisions = [_ratio(tp, fp, fn) for tp, fp, fn in pages if tp + fp > 0]
    recalls = [_ratio(tp, fn, fp) for tp, fp, fn in pages if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def intervals(pages: list[Counts], rounds: int = 1000, seed: int = 0) -> dict[str, float]:
    """Half-widths of 95% bootstrap intervals of each score."""
    generator = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        resampled = [pages[generator.randrange(len(pages))] for _ in pages]
        for name, value in scores(resampled).items():
            samples.setdefault(name, []).append(value)
    return {name: 1.96 * statistics.stdev(values) for name, values in samples.items()}


def capture(html_bytes: bytes, url: str | None) -> Draft | None:
    """The draft clip makes of a page (None when it finds no article)."""
    from clipper.capture.html_page import Page, decode_html, draft_from_html
    from clipper.errors import ClipperError

    try:
        return draft_from_html(Page(decode_html(html_bytes), url))
    except ClipperError:
        return None


def trafilatura_alone(html_bytes: bytes, url: str | None) -> str:
    """trafilatura.extract with its defaults: the baseline clip's capture builds on."""
    import trafilatura

    return trafilatura.extract(html_bytes.decode("utf-8"), url=url) or ""


def coverage(drafts: list[Draft | None]) -> dict[str, float]:
    """Share of pages for which each metadata field was found."""
    found = [d for d in drafts if d is not None]
    fields = {
        "title (from the page)": lambda d: d.title_source == "extracted",
        "published": lambda d: bool(d.published),
        "source": lambda d: bool(d.source),
        "authors": lambda d: bool(d.authors),
        "language": lambda d: bool(d.language),
        "url": lambda d: bool(d.url),
        "description": lambda d: bool(d.description),
    }
    return {name: sum(1 for d in found if test(d)) / len(drafts) for name, test in fields.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--baseline", action="store_true", help="also score trafilatura alone, side by side"
    )
    parser.add_argument(
        "--references", action="store_true",
        help="also score the outputs that ship with the benchmark (checks this metric against "
        "the published figures)",
    )
    options = parser.parse_args()
    folder = options.data / BENCHMARK
    if not (folder / "ground-truth.json").is_file():
        print(f"skipped: no extraction benchmark at {folder} (shared data is absent).")
        return 0
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Counts] = []
    baseline: list[Counts] = []
    drafts: list[Draft | None] = []
    per_page: list[tuple[float, str]] = []
    started = time.perf_counter()
    for key, item in truth.items():
        html_bytes = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        gold, url = item.get("articleBody", ""), item.get("url")
        draft = capture(html_bytes, url)
        drafts.append(draft)
        pages.append(page_counts(gold, draft.text if draft else ""))
        per_page.append((scores([pages[-1]])["f1"], key))
        if options.baseline:
            baseline.append(page_counts(gold, trafilatura_alone(html_bytes, url)))
    elapsed = time.perf_counter() - started
    results = {"clip": (scores(pages), intervals(pages))}
    if baseline:
        results["trafilatura alone"] = (scores(baseline), intervals(baseline))
    if options.references:
        for path in sorted((folder / "reference-outputs").glob("*.json")):
            loaded = json.loads(path.read_text(encoding="utf-8"))
            output = loaded.get("output", loaded)
            shipped = [page_counts(item.get("articleBody", ""),
                                   output.get(key, {}).get("articleBody", ""))
                       for key, item in truth.items()]  # fmt: skip
            results[f"{path.stem} (shipped)"] = (scores(shipped), intervals(shipped))
    found = coverage(drafts)
    if options.json:
        report: dict[str, object] = {"pages": len(pages), "seconds": round(elapsed, 1)}
        for name, (figures, spread) in results.items():
            report[name] = {**figures, **{f"{k}_ci": v for k, v in spread.items()}}
        print(json.dumps({**report, "coverage": found}, indent=2))
    else:
        print(f"{len(pages)} pages in {elapsed:.1f} s")
        print(f"{'':<24} {'F1':<14} {'precision':<14} recall")
        for name, (figures, spread) in results.items():
            cells = [f"{figures[m]:.3f} ± {spread[m]:.3f}" for m in ("f1", "precision", "recall")]
            print(f"{name:<24} " + " ".join(f"{cell:<14}" for cell in cells))
        print("metadata found: " + ", ".join(f"{k} {v:.0%}" for k, v in found.items()))
        for value, key in sorted(per_page)[: options.show_worst]:
            print(f"  F1 {value:.2f}  {truth[key].get('url', key)}")
    return 0 if results["clip"][0]["f1"] >= TARGET_F1 else 1


if __name__ == "__main__":
    sys.exit(main())
