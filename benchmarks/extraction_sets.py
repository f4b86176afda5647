"""The two article-text evaluation sets, their pages and their own metrics.

- article-extraction-benchmark (scrapinghub, MIT): 181 pages with gold text. The texts are cut
  into word tokens (\\w+), tokens into overlapping 4-grams ("shingles"); true positives, false
  positives and false negatives are counted over the shingle multisets and normalised per page,
  precision and recall are averaged over pages, and F1 is computed from the two averages, as
  its README describes.
- trafilatura-eval (adbar/trafilatura, Apache-2.0): 990 pages in many languages with snippets
  that the text must contain (`with`) and boilerplate it must not (`without`). After whitespace
  normalisation, each snippet found is a true positive (`with`) or a false positive (`without`);
  counts are summed over all pages; F1 = 2TP / (2TP + FP + FN), as its README defines it.

Each set is cut into two halves by a hash of the page's key: `dev` (where clip's thresholds
were chosen) and `test` (where they are reported); see BENCHMARKS.md.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

AEB = Path("extraction") / "article-extraction-benchmark"
EVAL = Path("extraction") / "trafilatura-eval"

_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
Counts = tuple[float, float, float]


@dataclass(slots=True)
class Item:
    """One page of a set: its key, bytes, address, and what the set knows of it."""

    key: str
    html: bytes
    url: str | None
    gold: str = ""
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    language: str = "none"

    @property
    def half(self) -> str:
        return "dev" if zlib.crc32(self.key.encode("utf-8")) % 2 == 0 else "test"


def aeb_items(data: Path, limit: int | None = None) -> Iterator[Item]:
    folder = data / AEB
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in list(truth.items())[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield Item(key, html, item.get("url"), gold=item.get("articleBody", ""))


def eval_items(data: Path, limit: int | None = None) -> Iterator[Item]:
    folder = data / EVAL
    entries = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in list(entries.items())[:limit]:
        html = gzip.decompress((folder / entry["file"]).read_bytes())
        language = (entry.get("html_lang") or "none").split("-")[0].split("_")[0].lower()
        yield Item(url, html, url, with_=tuple(entry["with"]), without=tuple(entry["without"]),
                   language=language if language.isalpha() else "none")  # fmt: skip


# article-extraction-benchmark: shingle counts per page ----------------------------------------


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


def shingle_scores(pages: list[Counts]) -> dict[str, float]:
    """Mean precision and recall over pages, and F1 of the two means."""
    precisions = [_ratio(tp, fp, fn) for tp, fp, fn in pages if tp + fp > 0]
    recalls = [_ratio(tp, fn, fp) for tp, fp, fn in pages if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def shingle_interval(pages: list[Counts], rounds: int = 1000, seed: int = 0) -> float:
    """Half-width of the 95% bootstrap interval of F1."""
    generator = random.Random(seed)
    samples = [
        shingle_scores([pages[generator.randrange(len(pages))] for _ in pages])["f1"]
        for _ in range(rounds)
    ]
    return 1.96 * statistics.stdev(samples) if len(samples) > 1 else 0.0


# trafilatura-eval: snippet counts ------------------------------------------------------------


def snippet_counts(item: Item, predicted: str) -> Counter[str]:
    """tp, fn, fp, tn of one page: which snippets the predicted text contains."""
    text = _SPACES.sub(" ", predicted or "").strip()
    counts: Counter[str] = Counter()
    for snippet in item.with_:
        counts["tp" if text and _SPACES.sub(" ", snippet).strip() in text else "fn"] += 1
    for snippet in item.without:
        counts["fp" if text and _SPACES.sub(" ", snippet).strip() in text else "tn"] += 1
    return counts


def snippet_scores(counts: Counter[str]) -> dict[str, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }
