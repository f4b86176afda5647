"""Query expansion by pseudo-relevance feedback, in the style of RM3.

The best documents of a first search are taken as relevant: their terms, weighed by how much
of each document they make up and by the document's score, give a relevance model; its best
terms join the query with the weight the original query gives up (Anserini's defaults: 10
documents, 10 terms, original weight 0.5). FTS5 weighs a query term only by repeating it, so
weights become repetitions: the original query appears REPEAT times at least, and each new
term as many times as its share of the weight asks, rounded (a term whose share rounds to
nothing is left out).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from clipper.search.analysis import analyzer
from clipper.search.compiler import Compiled, stem_phrase
from clipper.search.lookup import Found

DOCUMENTS = 10
TERMS = 10
COMMON = 0.5  # a term in the text of more than half the clippings has no BM25 weight in FTS5
ORIGINAL_WEIGHT = 0.5
REPEAT = 8  # repetitions of the whole query (at least): the resolution of the weights


def relevance_model(found: Sequence[Found]) -> dict[str, float]:
    """Every term of the feedback documents with its weight in the relevance model: its share
    of each document, weighed by the document's share of the scores."""
    scores = [max(item.score or 0.0, 0.0) for item in found]
    total_score = sum(scores) or 1.0
    model: dict[str, float] = {}
    for item, score in zip(found, scores, strict=True):
        clipping = item.clipping
        analyse = analyzer(clipping.language).terms
        counts = Counter(analyse(clipping.title) + analyse(clipping.text))
        length = sum(counts.values())
        if not length:
            continue
        for term, count in counts.items():
            if not term.isdigit() and len(term) > 1:
                model[term] = model.get(term, 0.0) + (count / length) * (score / total_score)
    return model


def best_terms(
    model: dict[str, float], common: Callable[[str], bool], terms: int = TERMS
) -> dict[str, float]:
    """The model's best terms that are not `common`, with weights summing to 1 (the test of
    commonness is asked of as few terms as it takes)."""
    best: dict[str, float] = {}
    for term, weight in sorted(model.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(best) == terms:
            break
        if not common(term):
            best[term] = weight
    mass = sum(best.values())
    return {term: weight / mass for term, weight in best.items()} if mass else {}


def expanded(
    compiled: Compiled, phrases: int, model: dict[str, float], *, weighted: bool = True
) -> Compiled:
    """The compiled query with the feedback terms added, `phrases` being the number of words
    the original query ranks by; not `weighted`, each once (the same matches, to count)."""
    if compiled.match is None or not model:
        return compiled
    copies = max(1, math.ceil(REPEAT / max(phrases, 1))) if weighted else 1
    # The original's weight, in phrase repetitions, against the new terms' share of the rest.
    unit = copies * max(phrases, 1) * (1 - ORIGINAL_WEIGHT) / ORIGINAL_WEIGHT
    parts = [f"({compiled.match})"] * copies
    for term, weight in model.items():
        parts += [stem_phrase(term)] * (round(weight * unit) if weighted else 1)
    return Compiled(" OR ".join(parts), compiled.where, list(compiled.params), compiled.rank)
