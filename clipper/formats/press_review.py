"""The review model every review format renders (md, html, pdf, docx): the cover, the counts,
the sections of stories, and what each story shows (all of it, an excerpt, or share-safe)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from clipper.errors import UsageError
from clipper.formats.review import count_label, date_range, dateline, excerpt, sections
from clipper.formats.stories import Story, fold, outlet
from clipper.model import Clipping
from clipper.passages import in_text_order

# Share-safe reviews quote at most this many words per story unless --excerpt says otherwise.
SHARE_SAFE_WORDS = 60
SHARE_SAFE_NOTICE = (
    "Excerpts only, each with its source: the full texts belong to their publishers."
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Options:
    """How a review is made; the same for every format."""

    title: str = "Press review"
    subtitle: str | None = None
    group_by: str = "date"
    excerpt_words: int | None = None
    share_safe: bool = False
    group_copies: bool = True
    exported: datetime | None = None


@dataclass(frozen=True, slots=True)
class Copy:
    """Another outlet's copy of a story: where, when, and its link."""

    outlet: str
    date: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """A story as the review shows it. `passages` replace `body` when excerpting; `body` is
    the whole text, or its opening words when `cut`."""

    clipping: Clipping
    passages: tuple[str, ...]
    body: str
    cut: bool
    also_in: str
    copies: tuple[Copy, ...]
    attribution: str | None

    @property
    def outlet(self) -> str:
        return self.clipping.source or self.clipping.site or ""

    @property
    def dateline(self) -> str:
        return dateline(self.clipping)


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Review:
    title: str
    subtitle: str | None
    summary: str
    period: str
    exported: str
    clippings: int
    stories: int
    outlets: tuple[tuple[str, int], ...]
    tags: tuple[tuple[str, int], ...]
    parts: tuple[Part, ...]
    grouped: bool
    share_safe: bool


def build(clippings: Sequence[Clipping], options: Options) -> Review:
    """The review of `clippings`: copies folded into stories (unless `group_copies` is off),
    grouped and ordered as every format shows them."""
    if options.excerpt_words is not None and options.excerpt_words <= 0:
        raise UsageError("--excerpt takes a number of words greater than 0.")
    stories = fold(clippings, group=options.group_copies)
    groups = sections(stories, options.group_by)
    when = (options.exported or datetime.now(UTC)).strftime("%-d %b %Y")
    period = date_range(clippings)
    counted = [count_label(len(clippings))]
    if len(stories) != len(clippings):
        counted.append(count_label(len(stories), "story").replace("storys", "stories"))
    summary = " · ".join(p for p in (*counted, period, f"exported {when}") if p)
    return Review(
        title=options.title,
        subtitle=options.subtitle,
        summary=summary,
        period=period,
        exported=when,
        clippings=len(clippings),
        stories=len(stories),
        outlets=_ranked(outlet(c) for c in clippings),
        tags=_ranked(tag for c in clippings for tag in c.tags),
        parts=tuple(Part(g.name, tuple(_entry(s, options) for s in g.stories)) for g in groups),
        grouped=options.group_by != "none",
        share_safe=options.share_safe,
    )


def review_title(query: str | None) -> str:
    """'Press review: khojaly' for the query 'tag:khojaly'; field names are noise in a title
    (`clip export` and the web view's review)."""
    if not query or not query.strip():
        return "Press review"
    readable = re.sub(r"\b(tag|source|site|author|lang|title|is|has):", "", query)
    return "Press review: " + " ".join(readable.split())


def _ranked(names: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(names)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))


def _entry(story: Story, options: Options) -> Entry:
    lead = story.lead
    passages = tuple(in_text_order(lead.text, lead.passages))
    words = options.excerpt_words
    if options.share_safe:
        cap = words or SHARE_SAFE_WORDS
        if passages:
            body, cut, passages = "", True, _within(passages, cap)
        else:
            body, cut = opening_sentences(lead.text, cap)
    elif words is not None:
        body, cut = ("", True) if passages else excerpt(lead.text, words)
    else:
        body, cut = lead.text, False
    copies = tuple(Copy(outlet(c), dateline(c), c.url) for c in story.copies)
    return Entry(
        clipping=lead,
        passages=passages,
        body=body,
        cut=cut,
        also_in=story.also_in(),
        copies=copies,
        attribution=_attribution(lead) if options.share_safe else None,
    )


def opening_sentences(text: str, cap: int) -> tuple[str, bool]:
    """Whole sentences from the start while they fit in `cap` words (the first one cut to
    `cap` words when it alone is longer); True when the text goes on."""
    flat = " ".join(text.split())
    taken: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(flat):
        length = len(_WORD.findall(sentence))
        if count + length > cap:
            break
        taken.append(sentence)
        count += length
    if not taken:
        return _cut(flat, cap), True
    kept = " ".join(taken)
    return kept, len(kept) < len(flat)


def _cut(flat: str, words: int) -> str:
    """The first `words` words, with an ellipsis joined to the last (no extra word)."""
    return " ".join(flat.split()[:words]).rstrip(" ,;:") + "…"


def _within(passages: Sequence[str], cap: int) -> tuple[str, ...]:
    """The passages in order while they fit in `cap` words together; the one that does not
    fit is cut short, the others left out: a story never quotes more than `cap` words."""
    kept: list[str] = []
    left = cap
    for passage in passages:
        if left <= 0:
            break
        flat = " ".join(passage.split())
        length = len(_WORD.findall(flat))
        if length > left:
            flat = _cut(flat, left)
        kept.append(flat)
        left -= min(length, left)
    return tuple(kept)


def _attribution(clipping: Clipping) -> str:
    """Whose text it is, for reviews that leave the organisation."""
    who = clipping.source or clipping.site or "the publisher"
    when = dateline(clipping)
    where = f"; full text at {clipping.url}" if clipping.url else ""
    return f"Excerpt from {who}, {when}. © {who}, quoted for press review{where}."
