"""News clippings for benchmarks: the BBC corpus replicated with variations, or synthetic text.

The BBC News corpus (../shared/data/corpus/bbc: 2,225 articles in five folders, headline on the
first line) is read from outside the repository and never copied into it. To reach 10,000 or
100,000 clippings each article is reused with a different date, outlet, dateline, tags and
paragraph order, so no two clippings share their text (clip would refuse the duplicate).
Without the corpus, a generator writes Zipf-distributed pseudo-words instead.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from clipper.model import Draft

REPO = Path(__file__).resolve().parent.parent
# ../shared/data beside the repository, or beside the folder holding it (a git worktree kept
# in a folder of worktrees); $CLIPPER_BENCH_DATA names another.
DATA = next(
    (
        path
        for path in (
            Path(os.environ.get("CLIPPER_BENCH_DATA", REPO.parent / "shared" / "data")),
            REPO.parent.parent / "shared" / "data",
        )
        if path.is_dir()
    ),
    REPO.parent / "shared" / "data",
)
BBC = DATA / "corpus" / "bbc"

OUTLETS = [
    ("BBC News", "bbc.co.uk"), ("The Guardian", "theguardian.com"), ("Reuters", "reuters.com"),
    ("News.Az", "news.az"), ("Le Monde", "lemonde.fr"), ("Daily Example", "example.com"),
    ("The Times", "thetimes.co.uk"), ("Associated Press", "apnews.com"),
]  # fmt: skip
CITIES = ["London", "Paris", "Baku", "Berlin", "New York", "Madrid", "Rome", "Tokyo", "Delhi",
          "Cairo", "Lagos", "Sydney", "Toronto", "Moscow", "Ankara", "Warsaw"]  # fmt: skip
REGIONS = ["region/europe/uk", "region/europe/france", "region/europe/germany",
           "region/asia/azerbaijan", "region/asia/japan", "region/americas/usa",
           "region/africa/nigeria", "region/oceania/australia"]  # fmt: skip
AUTHORS = ["Jane Smith", "John Doe", "Ayla Mammadova", "Pierre Martin", "Yuki Tanaka",
           "Maria Garcia", "Ivan Petrov", "Amina Bello"]  # fmt: skip
FIRST_DAY = date(2004, 1, 1)
DAYS = 365 * 21


@dataclass(frozen=True, slots=True)
class Article:
    category: str
    headline: str
    paragraphs: tuple[str, ...]


def bbc_articles(folder: Path = BBC) -> list[Article]:
    """The BBC articles; the one file that is not UTF-8 is read as Latin-1."""
    articles = []
    for path in sorted(folder.glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        lines = text.strip().splitlines()
        paragraphs = tuple(p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip())
        if lines and paragraphs:
            articles.append(Article(path.parent.name, lines[0].strip(), paragraphs))
    return articles


def synthetic_articles(count: int = 2225, seed: int = 7) -> list[Article]:
    """Articles of pseudo-words with a Zipf-like frequency, for machines without the corpus."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "pe", "zu", "ge"]
    vocabulary = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
                  for _ in range(20_000)]  # fmt: skip
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    categories = ["business", "entertainment", "politics", "sport", "tech"]
    articles = []
    for _ in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(150, 700))
        paragraphs = tuple(
            " ".join(words[i : i + 60]).capitalize() + "." for i in range(0, len(words), 60)
        )
        headline = " ".join(rng.choices(vocabulary, weights, k=7)).capitalize()
        articles.append(Article(rng.choice(categories), headline, paragraphs))
    return articles


def articles() -> tuple[list[Article], str]:
    """The BBC articles when the corpus is there, else synthetic ones; and which it is."""
    if BBC.is_dir():
        return bbc_articles(), "BBC News corpus (replicated with variations)"
    return synthetic_articles(), "synthetic text (the BBC corpus was not found)"


def drafts(source: list[Article], count: int, seed: int = 1) -> Iterator[Draft]:
    """`count` drafts: the articles in turn, each copy varied in date, outlet, text and tags."""
    rng = random.Random(seed)
    for number in range(count):
        article = source[number % len(source)]
        copy = number // len(source)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        outlet, site = OUTLETS[(number + copy) % len(OUTLETS)]
        paragraphs = list(article.paragraphs)
        if copy:
            rng.shuffle(paragraphs)
            paragraphs = paragraphs[: max(2, len(paragraphs) - rng.randrange(2))]
        dateline = f"{rng.choice(CITIES).upper()}, {day:%d %B %Y} ({outlet}) -"
        title = article.headline if copy == 0 else f"{article.headline} ({_VARIANTS[copy % 6]})"
        yield Draft(
            text=f"{dateline} " + "\n\n".join(paragraphs),
            title=title,
            url=f"https://www.{site}/news/{article.category}/{number + 1}",
            source=outlet,
            authors=[rng.choice(AUTHORS)],
            published=day.isoformat(),
            language="en",
            tags=[article.category, rng.choice(REGIONS)],
            starred=rng.random() < 0.05,
            note="Follow up." if rng.random() < 0.1 else None,
        )


_VARIANTS = ["update", "analysis", "live", "explainer", "in depth", "what we know"]
