"""A web page to a draft clipping: article text and metadata with trafilatura, field by field.

trafilatura finds the article and most metadata; whatever it misses is filled from the page
itself (`<title>`, `<html lang>`) or from the text, as for pasted text. trafilatura is imported
here only, so that plain-text capture never pays for it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from clipper.capture.cleanup import byline_authors, remove_chrome
from clipper.capture.hints import Hints
from clipper.capture.language import detect_language
from clipper.capture.outlets import (
    SITE_NAMES,
    outlet_from_url,
    outlet_in_text,
    registrable_domain,
)
from clipper.capture.text import find_published, generate_title
from clipper.capture.urls import canonical_url
from clipper.errors import ClipperError, UsageError
from clipper.model import Draft, count_words

MIN_ARTICLE_WORDS = 30  # below this, extraction is tried again favouring recall
MIN_TEXT_WORDS = 8  # below this, a page holds no article (a menu, a sign-in wall)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""",
                        re.I)  # fmt: skip
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TITLE_META = re.compile(
    r"""<meta[^>]+(?:property|name)=["'](?:og|twitter):title["'][^>]+content=["']([^"']*)""", re.I
)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
# Charsets that browsers read as Windows-1252, which is a superset of them.
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1"}


@dataclass(slots=True)
class Page:
    """A web page as fetched or read from a file: its markup, where it came from, its bytes."""

    html: str
    url: str | None
    raw: bytes = b""


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The page's text: valid UTF-8 wins over any declaration (the usual mislabelling), then
    the page's `<meta charset>` and the server's charset, then UTF-8 read leniently."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:8192])
    for name in (meta.group(1).decode("ascii", "ignore") if meta else None, declared):
        codec = _codec(name)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    import clipper.capture.files  # noqa: F401 - registers the lenient "clipper-cp1252" handler

    return data.decode("utf-8", errors="clipper-cp1252")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(lowered).name
    except LookupError:
        return None


def _extract(html: str, url: str | None, **options: Any) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            with_metadata=True,
            # Metadata and the URL only: the wider search guesses from copyright lines and
            # calendars ("© 2024" becomes 2024-01-01); the article's own dateline is read instead.
            date_extraction_params={"extensive_search": False, "original_date": True},
            **options,
        )
    except Exception:  # a parser failing on hostile markup: that page simply has no article
        return None


def extract_article(html: str, url: str | None) -> tuple[str, Any]:
    """The article text (paragraphs apart by blank lines) and trafilatura's document."""
    document = _extract(html, url, favor_precision=True)
    text = (getattr(document, "text", None) or "").strip()
    if count_words(text) < MIN_ARTICLE_WORDS:
        # Precision can cut a short article down to nothing: ask again for recall.
        second = _extract(html, url, favor_recall=True)
        second_text = (getattr(second, "text", None) or "").strip()
        if count_words(second_text) > count_words(text):
            document, text = second, second_text
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return remove_chrome("\n\n".join(paragraphs)).text, document


def clean_page_title(title: str, names: set[str]) -> str:
    """The headline without the site's name around it ('Story - BBC News' -> 'Story')."""
    known = {name.casefold() for name in names if name}
    cleaned = " ".join(title.split())
    while True:
        separators = list(_TITLE_SEPARATORS.finditer(cleaned))
        if not separators:
            return cleaned
        head, tail = cleaned[: separators[-1].start()], cleaned[separators[-1].end() :]
        first = cleaned[: separators[0].start()]
        short_tail = len(tail.split()) <= 3 and len(head.split()) >= max(3, len(tail.split()) + 1)
        if tail.casefold() in known or short_tail:
            cleaned = head
        elif first.casefold() in known:
            cleaned = cleaned[separators[0].end() :]
        else:
            return cleaned


def _authors(document: Any, text: str, source: str | None) -> list[str]:
    raw = getattr(document, "author", None) or ""
    names = [name.strip() for name in re.split(r";|\s+and\s+", raw) if name.strip()]
    names = [n for n in names if n.casefold() != (source or "").casefold() and len(n) < 80]
    if names:
        return names
    for line in text.split("\n")[:4]:
        found = byline_authors(line)
        if found:
            return found
    return []


def draft_from_html(
    page: Page,
    hints: Hints | None = None,
    *,
    name: str = "the page",
    failure: type[ClipperError] = UsageError,
) -> Draft:
    """A draft from a web page; whatever the user gave (hints) wins over what the page says.

    A page without article text raises `failure` (a FetchError for a fetched page)."""
    hints = hints or Hints()
    given = hints.given(hints.url)
    given_url = canonical_url(given) if given else None
    text, document = extract_article(page.html, given_url or page.url)
    if not text:
        raise failure(f"no article text found in {name}; nothing was saved.")
    url = given_url or _page_url(document, page.url)
    sitename = (getattr(document, "sitename", None) or "").split(" | ")[0].strip() or None
    source = (
        hints.given(hints.source)
        or _known_site(url)
        or (sitename if sitename and "." not in sitename else None)
        or outlet_in_text(text)
        or outlet_from_url(url)
    )
    headlines = _headlines(page.html)
    text = _without_headline(text, headlines)
    if count_words(text) < MIN_TEXT_WORDS:
        raise failure(f"no article text found in {name}; nothing was saved.")
    title = hints.given(hints.title)
    title_source = "given"
    if not title:
        found = _trusted(getattr(document, "title", None), headlines)
        names = {source or "", sitename or "", _domain(url)}
        title = clean_page_title(found, names) if found else None
        title_source = "extracted"
    if not title:
        title, title_source = generate_title(text), "generated"
    lang_match = _HTML_LANG.search(page.html[:4096])
    language = hints.given(hints.language) or (lang_match.group(1) if lang_match else None)
    published = hints.given(hints.published) or getattr(document, "date", None)
    description = getattr(document, "description", None)
    return Draft(
        text=text,
        title=title,
        title_source=title_source,
        url=url,
        source=source,
        authors=list(hints.authors) or _authors(document, text, source),
        published=published or find_published([], text, language),
        language=language or detect_language(text),
        description=" ".join(description.split()) if description else None,
    )


def _page_url(document: Any, fallback: str | None) -> str | None:
    """The page's canonical URL when it gives a web address, else where it came from."""
    for candidate in (getattr(document, "url", None), fallback):
        if candidate:
            try:
                return canonical_url(candidate)
            except UsageError:
                continue
    return None


def _domain(url: str | None) -> str:
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed address in the page: no domain to compare with
        return ""
    return registrable_domain(host) if host else ""


def _known_site(url: str | None) -> str | None:
    name = outlet_from_url(url)
    return name if name in SITE_NAMES.values() else None


def _headlines(html: str) -> list[str]:
    """What the page itself gives as its headline: <title>, og:/twitter:title, <h1>."""
    import html as html_module

    found = [m.group(1) for m in _TITLE_TAG.finditer(html[:65536])]
    found += [m.group(1) for m in _TITLE_META.finditer(html[:65536])]
    found += [_TAG.sub(" ", m.group(1)) for m in _H1.finditer(html)]
    texts = (" ".join(html_module.unescape(text).split()) for text in found)
    return [text for text in texts if text]


def _trusted(title: str | None, headlines: list[str]) -> str | None:
    """trafilatura's title when the page gives it as a headline (not an aside's heading),
    else the page's own <title> or <h1>."""
    if title and any(title.casefold() in line.casefold() for line in headlines):
        return title
    return headlines[0] if headlines else None


def _without_headline(text: str, headlines: list[str]) -> str:
    """The text without the headline that trafilatura keeps as its first line."""
    first, _, rest = text.partition("\n\n")
    folded = first.casefold()
    if rest and any(folded == line.casefold() or (folded in line.casefold() and len(first) > 20)
                    for line in headlines):  # fmt: skip
        return rest
    return text
