"""Tags a new clipping could take: tags the library already uses that fit it, then its own
distinctive terms (frequent here, rare in the library, names rather than common words).

In order: tags in use that the text names, tags of the near duplicates, then the text's
distinctive terms (frequency, names weighted up, rarity against the 120 most recent
clippings); `clip add --auto-tag` applies them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clipper.capture.language import STOPWORDS

MAX_SUGGESTIONS = 5
MIN_BACKGROUND = 20  # below this many clippings, the library says nothing about rarity
SHORTLIST = 20  # terms weighed against the library, the strongest by their use in the text

_TERM = re.compile(r"[^\W\d_][\w’'-]*[^\W_]|[^\W\d_]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
# Words of news prose too general to tag anything with, in any story.
_GENERIC_WORDS = (
    "said says say told tells according also would could should will may might must can new "
    "one two three four five first second last next year years month months week weeks day "
    "days today yesterday tomorrow time times people person percent per cent million billion "
    "thousand hundred number part place way well much many more most other others another "
    "just like make made get got take took see seen come came going go went back still even "
    "however since while where when what which who whom whose there here this that these "
    "those them they their then than about after before during between against over under "
    "into onto upon within without through around among including include includes included "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december mr mrs ms dr event events "
    "statement report reported reports news added noted stated stressed pointed expressed "
    "held hold holds several various among already always never now later earlier city "
    "country line world area group end case side man woman men women life work thing things "
    "lot system level point issue issues matter member members old big small large high low "
    "long good great little own same different rest"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())


@dataclass(slots=True)
class LibraryTerms:
    """What the library says about words: the tags in use and a sample of texts for rarity."""

    tag_counts: Counter[str] = field(default_factory=Counter)
    texts: Sequence[str] = ()
    related_tags: Sequence[str] = ()  # tags of the clippings that tell the same story


def _terms(text: str) -> tuple[Counter[str], Counter[str]]:
    """Each term's count, and how often it was written capitalised inside a sentence."""
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for match in _TERM.finditer(text):
        word = re.sub(r"[’']s$", "", match.group())
        if len(word) < 3:
            continue
        term = word.casefold()
        counts[term] += 1
        if word[0].isupper() and not _SENTENCE_START.search(text[max(0, match.start() - 3) :
                                                                  match.start()]):  # fmt: skip
            capitalised[term] += 1
    return counts, capitalised


def _occurrences(phrase: str, text: str) -> int:
    pattern = r"(?<!\w)" + r"[\s-]+".join(map(re.escape, phrase.split("-"))) + r"(?!\w)"
    return len(re.findall(pattern, text, re.IGNORECASE))


def fitting_tags(text: str, title: str, tag_counts: Counter[str]) -> list[str]:
    """Tags in use whose last part is named in the title, or at least twice in the text."""
    scored: list[tuple[int, int, str]] = []
    for tag, uses in tag_counts.items():
        leaf = tag.rsplit("/", 1)[-1]
        if len(leaf) < 3:
            continue
        in_text, in_title = _occurrences(leaf, text), _occurrences(leaf, title)
        if in_title or in_text >= 2:
            scored.append((in_text + 3 * in_title, uses, tag))
    return [tag for *_, tag in sorted(scored, reverse=True)]


def distinctive_terms(
    text: str, title: str, language: str | None, background: Sequence[str]
) -> list[str]:
    """Terms that stand out: frequent in this text, names more than common words, and rare in
    the library's texts (when the library has enough of them to tell)."""
    stop = STOPWORDS["en"] | STOPWORDS.get(language or "", frozenset()) | _GENERIC
    counts, capitalised = _terms(f"{title}\n{text}")
    title_terms = set(_terms(title)[0])
    scores: dict[str, float] = {}
    for term, count in counts.items():
        if term in stop or (count < 2 and term not in title_terms):
            continue
        weight = float(count)
        if capitalised[term] >= 0.6 * count:
            weight *= 2.0  # a name: Pakistan, SZABIST
        if term in title_terms:
            weight *= 1.5
        scores[term] = weight
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:SHORTLIST]
    if len(background) >= MIN_BACKGROUND:
        # Rarity in the library (an inverse document frequency), for the shortlist only.
        sample = [text.casefold() for text in background]
        ranked = [
            (term, weight * (math.log((len(sample) + 1) / (1 + sum(term in t for t in sample)))
                             + 0.1))
            for term, weight in ranked
        ]  # fmt: skip
        ranked.sort(key=lambda item: (-item[1], item[0]))
    return [term for term, _ in ranked]


def suggest_tags(
    text: str,
    title: str,
    language: str | None,
    own_tags: Iterable[str],
    library: LibraryTerms,
    *,
    limit: int = MAX_SUGGESTIONS,
) -> list[str]:
    """Up to `limit` tags for a new clipping, not counting those it already has."""
    own = set(own_tags)
    taken_leaves = {tag.rsplit("/", 1)[-1] for tag in own}
    chosen: list[str] = []
    candidates = [
        *library.related_tags,
        *fitting_tags(text, title, library.tag_counts),
    ]
    for tag in candidates:
        if tag not in own and tag not in chosen:
            chosen.append(tag)
            taken_leaves.add(tag.rsplit("/", 1)[-1])
    for term in distinctive_terms(text, title, language, library.texts):
        if len(chosen) >= limit:
            break
        tag = re.sub(r"[\s’']+", "-", term).strip("-")
        if tag and tag not in taken_leaves and tag not in chosen:
            chosen.append(tag)
            taken_leaves.add(tag)
    return chosen[:limit]
