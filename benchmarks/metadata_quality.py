"""How often each metadata field clip captures is right, wrong or absent.

Two sets with known answers: the article-extraction-benchmark pages (each has its URL, so its
site; the text's language is that of the gold text) and the BBC corpus (../shared/data/corpus/
bbc: plain text whose first line is the headline; the outlet is the BBC or unknown, never
another; the stories are from 2004-2005 and carry no byline). BENCHMARKS.md defines each
verdict; fields that a set cannot check are counted as "unchecked".
"""

from __future__ import annotations

import html as html_module
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from clipper.model import Draft

BBC = Path("corpus") / "bbc"
FIELDS = ("title", "source", "authors", "published", "language")
VERDICTS = ("right", "wrong", "absent", "unchecked")
Table = dict[str, Counter[str]]

_URL_DATE = re.compile(
    r"(?<!\d)(20\d\d|19\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_HEADLINE = re.compile(
    r"<h1[^>]*>(.*?)</h1>|<title[^>]*>(.*?)</title>|"
    r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']*)",
    re.I | re.S,
)
_TAG = re.compile(r"<[^>]+>")
# Words that never stand in a person's name: organisations, outlets, labels.
_NOT_PERSON = re.compile(
    r"\b(?:news|media|staff|inc|ltd|llc|agency|ministry|ministries|nast|press|group|team|"
    r"desk|editors?|newsroom|service|associated|reuters|online|magazine|times|post|daily|"
    r"by|text|текст|photo|фото|von|author|business|insider|editor|reporter|writer|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|june|july|august|september|october|november|december)\b|[\d@_]",
    re.I,
)


def new_table() -> Table:
    return {name: Counter() for name in FIELDS}


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", html_module.unescape(text)).casefold().strip()


def page_headlines(html: str) -> list[str]:
    found = []
    for match in _HEADLINE.finditer(html):
        found.append(_fold(_TAG.sub(" ", next((g for g in match.groups() if g), ""))))
    return [text for text in found if text]


def names_the_site(source: str, url: str) -> bool:
    """Whether an outlet name stands for the site of a URL (its known name or its domain)."""
    from clipper.capture.outlets import outlet_from_url, registrable_domain

    host = (urlsplit(url).hostname or "").lower()
    if source == outlet_from_url(url):
        return True
    compact = re.sub(r"[^a-z0-9]", "", source.casefold())
    label = registrable_domain(host).split(".")[0].replace("-", "")
    return bool(compact) and (compact in label or label in compact)


def judge_page(
    table: Table, draft: Draft | None, item: tuple[str, str, str], misses: list[str]
) -> None:
    """Verdicts for the metadata of one benchmark page (its url, html and gold text); the
    wrong titles, outlets and authors go to `misses`."""
    url, html, gold = item
    if draft is None:
        for name in FIELDS:
            table[name]["absent"] += 1
        return
    verdicts = {
        "title": _title_verdict(draft, html),
        "source": "absent" if not draft.source else
        "right" if names_the_site(draft.source, url) else "wrong",
        "authors": "absent" if not draft.authors else
        "wrong" if any(_NOT_PERSON.search(n) or len(n.split()) < 2
                       or n.casefold() == (draft.source or "").casefold() for n in draft.authors)
        else "right",
        "published": _date_verdict(draft.published, url),
        "language": _language_verdict(draft.language, gold),
    }  # fmt: skip
    for name, verdict in verdicts.items():
        table[name][verdict] += 1
        if verdict == "wrong" and name in ("title", "source", "authors", "language"):
            misses.append(f"{name} {getattr(draft, name)!r}  {url}")


def _title_verdict(draft: Draft, html: str) -> str:
    if draft.title_source == "generated":
        return "absent"
    title = _fold(draft.title)
    good = any(title and (title in line or line in title) for line in page_headlines(html))
    return "right" if good else "wrong"


def _date_verdict(published: str | None, url: str) -> str:
    dated = _URL_DATE.search(urlsplit(url).path)
    if not published:
        return "absent"
    if not dated:
        return "unchecked"
    return "right" if published[:10] == "-".join(dated.groups()) else "wrong"


def _language_verdict(language: str | None, gold: str) -> str:
    from clipper.capture.language import detect_language

    expected = detect_language(gold) if gold.strip() else None
    if not language:
        return "absent"
    if expected is None:
        return "unchecked"
    return "right" if language.split("-")[0] == expected else "wrong"


def judge_bbc(table: Table, draft: Draft | None, headline: str) -> None:
    """Verdicts for the metadata of one BBC corpus story."""
    if draft is None:
        for name in FIELDS:
            table[name]["absent"] += 1
        return
    if draft.title_source == "generated":
        table["title"]["absent"] += 1
    else:
        table["title"]["right" if draft.title == " ".join(headline.split()) else "wrong"] += 1
    if not draft.source:
        table["source"]["absent"] += 1
    else:
        table["source"]["right" if draft.source.startswith("BBC") else "wrong"] += 1
    # The stories carry no byline: any author found is wrong.
    table["authors"]["wrong" if draft.authors else "absent"] += 1
    if not draft.published:
        table["published"]["absent"] += 1
    else:
        table["published"]["right" if draft.published[:4] in ("2004", "2005") else "wrong"] += 1
    if not draft.language:
        table["language"]["absent"] += 1
    else:
        table["language"]["right" if draft.language.startswith("en") else "wrong"] += 1


def bbc_table(data: Path, limit: int | None = None) -> tuple[Table, list[str]] | None:
    """The verdicts over the BBC corpus, and the stories given another outlet."""
    from clipper.capture.hints import Hints
    from clipper.capture.sources import capture_file
    from clipper.errors import ClipperError

    folder = data / BBC
    if not folder.is_dir():
        return None
    table, others = new_table(), []
    for path in sorted(folder.glob("*/*.txt"))[:limit]:
        headline = path.read_bytes().decode("utf-8", "replace").split("\n", 1)[0]
        try:
            draft: Draft | None = capture_file(path, Hints()).draft
        except ClipperError:
            draft = None
        judge_bbc(table, draft, headline)
        if draft and draft.source and not draft.source.startswith("BBC"):
            others.append(f"{path.parent.name}/{path.name}: {draft.source}")
    return table, others


def rows(table: Table) -> list[list[str]]:
    """One row per field: right, wrong, absent, unchecked as counts and shares."""
    lines = []
    for name in FIELDS:
        counts = table[name]
        total = sum(counts.values()) or 1
        lines.append([name, *(f"{counts[v]} ({counts[v] / total:.0%})" for v in VERDICTS)])
    return lines
