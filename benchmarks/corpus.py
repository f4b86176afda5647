"""News clippings for benchmarks: the BBC corpus made into distinct stories, or synthetic text.

The BBC News corpus (../shared/data/corpus/bbc: 2,225 articles in five folders, headline on the
first line) is read from outside the repository and never copied into it. To reach 10,000 or
100,000 clippings, the articles come first as they are, then copies, each with its own date,
outlet, dateline and tags. A copy is not the article shuffled (that made every copy a near
duplicate of every other: 24 links a clipping at 100,000) but paragraphs of other articles of
the same category, drawn until it holds about the words the shuffled copy would have held
(the article's paragraphs, one maybe dropped); never two from one article, nor a paragraph
that is more than half of its article or of the copy. So no copy holds more than half of
any article, below the near-duplicate test's 0.8 (clipper/capture/dedup.py), while the
vocabulary, the paragraphs and the lengths stay the corpus's. The near duplicates a library
holds are then the BBC's own (stories it published twice: 337 of its articles), a few copies
the test pairs at its threshold (short ones sharing a paragraph: about 30 of 7,775 at
10,000), and one case kept on purpose:

- WIRE_STORIES articles of those the BBC published once are wire stories, kept WIRE_COPIES
  times: the original, then copies in the old way (paragraphs shuffled, one maybe dropped)
  spread evenly over the rest of the library, so each lies in its own segment. A near
  duplicate of one of them is the worst case of a near-duplicate add (MAX_NEAR_DUPLICATES
  links, in as many old segments); `kept_once` gives the articles whose near duplicate is the
  everyday case (one link).

`python benchmarks/corpus.py --sizes 10000` prints what a size holds: the text, and how many
clippings have a near duplicate (by the detector's own bulk test).
Without the corpus, a generator writes Zipf-distributed pseudo-words instead.
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from clipper.capture.dedup import SignatureBuckets
from clipper.model import Draft
from clipper.signature import text_signature

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
WIRE_STORIES = 10  # stories kept WIRE_COPIES times: the worst case of a near-duplicate add
WIRE_COPIES = 12  # more than clip links (MAX_NEAR_DUPLICATES, 10)
MAX_SHARE = 0.5  # of its article and of the copy: the most one paragraph of a copy may be


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


def article_text(article: Article) -> str:
    """An article as its file holds it: the headline, then the paragraphs."""
    return article.headline + "\n" + "\n\n".join(article.paragraphs)


def kept_once(source: Sequence[Article]) -> list[int]:
    """The indices of the articles with no near duplicate among the others (by the bulk
    test of an import), in order: the stories the corpus holds once."""
    buckets = SignatureBuckets()
    linked: set[int] = set()
    for number, article in enumerate(source):
        text = article_text(article)
        found = buckets.add_matching(number, text_signature(text), len(text.split()))
        linked.update(item for item, _ in found)
        if found:
            linked.add(number)
    return [number for number in range(len(source)) if number not in linked]


def wire_stories(source: Sequence[Article]) -> list[int]:
    """The indices of the WIRE_STORIES articles kept WIRE_COPIES times: stories kept once,
    spread over the categories."""
    once = kept_once(source)
    return once[:: max(1, len(once) // WIRE_STORIES)][:WIRE_STORIES]


def wire_slots(source: Sequence[Article], count: int) -> dict[int, int]:
    """The numbers of the drafts that are copies of a wire story, and the story of each: the
    copies spread evenly over the drafts after the originals."""
    stories = wire_stories(source)
    start, copies = len(source), WIRE_COPIES - 1
    if count <= start:
        return {}
    step = max(len(stories), (count - start) // copies)
    return {slot: story for copy in range(copies) for place, story in enumerate(stories)
            if (slot := start + copy * step + place) < count}  # fmt: skip


def _pools(source: Sequence[Article]) -> dict[str, list[tuple[int, str, int]]]:
    """Per category, the paragraphs a copy may take: (article, paragraph, words), each at
    most MAX_SHARE of its article."""
    pools: dict[str, list[tuple[int, str, int]]] = {}
    for number, article in enumerate(source):
        total = sum(len(p.split()) for p in article.paragraphs)
        pools.setdefault(article.category, []).extend(
            (number, paragraph, words) for paragraph in article.paragraphs
            if (words := len(paragraph.split())) <= MAX_SHARE * total
        )  # fmt: skip
    return pools


def _mixed(target: int, pool: list[tuple[int, str, int]], rng: random.Random) -> list[str]:
    """A distinct story of about `target` words: paragraphs of the pool's articles, one each,
    none more than MAX_SHARE of the copy, drawn until one more would overshoot more than it
    adds."""
    chosen: list[str] = []
    used: set[int] = set()
    total = 0
    for _ in range(1000):
        number, paragraph, words = pool[rng.randrange(len(pool))]
        if number in used or words > MAX_SHARE * target:
            continue
        if total + words / 2 > target:
            break
        chosen.append(paragraph)
        used.add(number)
        total += words
    return chosen


def drafts(source: list[Article], count: int, seed: int = 1) -> Iterator[Draft]:
    """`count` drafts: the articles, then copies that are other stories (and the wire
    stories' copies), each varied in date, outlet, text and tags."""
    rng = random.Random(seed)
    pools = _pools(source)
    wire = wire_slots(source, count)
    for number in range(count):
        story = wire.get(number)
        article = source[number % len(source) if story is None else story]
        copy = number // len(source)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        outlet, site = OUTLETS[(number + copy) % len(OUTLETS)]
        paragraphs = list(article.paragraphs)
        if copy or story is not None:  # as the old corpus made every copy: shuffled, trimmed
            rng.shuffle(paragraphs)
            paragraphs = paragraphs[: max(2, len(paragraphs) - rng.randrange(2))]
        if copy and story is None:  # then other articles' paragraphs, as many words
            target = sum(len(p.split()) for p in paragraphs)
            paragraphs = _mixed(target, pools[article.category], rng)
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


def near_duplicate_share(items: Iterator[Draft]) -> tuple[int, int, int, int]:
    """(clippings, clippings with a near duplicate, links, text bytes) of a stream of drafts,
    by the bulk test of an import (each draft against those before it, both ends linked)."""
    buckets = SignatureBuckets()
    linked: set[int] = set()
    count = links = volume = 0
    for number, draft in enumerate(items):
        count += 1
        volume += len(draft.text.encode("utf-8"))
        found = buckets.add_matching(number, text_signature(draft.text), len(draft.text.split()))
        if found:
            linked.add(number)
            linked.update(item for item, _ in found)
            links += len(found)
    return count, len(linked), links, volume


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What a benchmark library of a size holds.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    options = parser.parse_args(argv)
    source, what = articles()
    print(what)
    for size in options.sizes:
        count, linked, links, volume = near_duplicate_share(drafts(source, size))
        print(f"{count:,} clippings: text {volume / 1e6:.1f} MB ({volume / count:.0f} bytes "
              f"a clipping); {linked:,} with a near duplicate ({linked / count:.1%}), "
              f"{links:,} pairs")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
