"""A web page to a draft clipping: article text and metadata with trafilatura, field by field.

trafilatura finds the article and most metadata; whatever it misses is filled from the page
itself (`<title>`, `<html lang>`) or from the text, as for pasted text. trafilatura is imported
here only, so that plain-text capture never pays for it.

The article: trafilatura's default mode (no comments), and its `favor_precision` mode when that
keeps at least 80% of the default's words (a much shorter text means precision cut the
article); `favor_recall` when the default leaves under 30 words. BENCHMARKS.md ("Extraction
quality") has the evaluation behind these choices. Then metadata field by field: trafilatura's
(a site name only when it reads as a name, authors through `people.py`), the page's own
`<title>`/`<h1>`/`<html lang>`, else what plain text capture finds. Valid UTF-8 wins over a
declared charset (the usual mislabelling).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from clipper.capture.cleanup import byline_authors, remove_chrome
from clipper.capture.found import Found
from clipper.capture.hints import Hints
from clipper.capture.language import detect_language
from clipper.capture.outlet_names import SITE_NAMES
from clipper.capture.outlets import find_outlet, outlet_from_url, registrable_domain
from clipper.capture.people import person_names
from clipper.capture.text import find_published, generate_title
from clipper.capture.urls import canonical_url
from clipper.errors import ClipperError, UsageError
from clipper.model import Draft, count_words

MIN_ARTICLE_WORDS = 30  # below this, extraction is tried again favouring recall
PRECISION_SHARE = 0.8  # precision mode's text is taken when it keeps this much of the default's
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
_JOINING_WORDS = "of the and for on in at de des du la le di da del do dos das für und et y e"
_JOINING = frozenset(_JOINING_WORDS.split())
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
    """The article text (paragraphs apart by blank lines) and trafilatura's document.

    trafilatura's default mode, and its precision mode where that keeps most of the default's
    text: precision drops more boilerplate, but a much shorter text than the default's means
    it cut the article itself (BENCHMARKS.md: tuned on one half of both evaluation sets)."""
    default = _extract(html, url)
    document, text = default, _text_of(default)
    if count_words(text) < MIN_ARTICLE_WORDS:
        # Even the default can miss a short article: trafilatura's recall mode finds more.
        second = _extract(html, url, favor_recall=True)
        if count_words(_text_of(second)) > count_words(text):
            document, text = second, _text_of(second)
    else:
        precise = _extract(html, url, favor_precision=True)
        precise_text = _text_of(precise)
        if count_words(precise_text) >= PRECISION_SHARE * count_words(text):
            document, text = precise, precise_text
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return remove_chrome("\n\n".join(paragraphs)).text, document


def _text_of(document: Any) -> str:
    return (getattr(document, "text", None) or "").strip()


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


def _authors(document: Any, text: str, names: set[str]) -> tuple[list[str], str]:
    """People's names from the page's metadata, else from a byline atop the text."""
    found = person_names([getattr(document, "author", None) or ""], not_names=names)
    if found:
        return found, "page metadata"
    for line in text.split("\n")[:4]:
        found = person_names(byline_authors(line), not_names=names)
        if found:
            return found, "byline"
    return [], ""


def site_name(document: Any) -> str | None:
    """The page's own name for its site (og:site_name and the like), when it reads as a name:
    not a domain, a handle ("Wday_") or a slogan."""
    raw = (getattr(document, "sitename", None) or "").split(" | ")[0].strip()
    if not raw or "." in raw or len(raw) > 40 or len(raw.split()) > 5:
        return None
    if not re.fullmatch(r"[^\W_](?:[\w&'’ -]*[^\W_])?", raw) or "_" in raw or raw.islower():
        return None
    words = raw.split()
    # A name's words are capitalised but for small joining words: "Expert how-to for
    # riders" is a slogan, "Copyright 2014" a footer.
    if any(w[:1].islower() and w.casefold() not in _JOINING for w in words) or (
        words[0].casefold() in ("copyright", "©")
    ):
        return None
    return raw


def draft_from_html(
    page: Page,
    hints: Hints | None = None,
    *,
    name: str = "the page",
    failure: type[ClipperError] = UsageError,
) -> Draft:
    """A draft from a web page; whatever the user gave (hints) wins over what the page says.
    Its provenance says how each field was found.

    A page without article text raises `failure` (a FetchError for a fetched page)."""
    hints = hints or Hints()
    given = hints.given(hints.url)
    given_url = canonical_url(given) if given else None
    text, document = extract_article(page.html, given_url or page.url)
    if not text:
        raise failure(f"no article text found in {name}; nothing was saved.")
    url = given_url or _page_url(document, page.url)
    sitename = site_name(document)
    found = Found()
    found.pick("source", [
        (hints.given(hints.source), "given"), (_known_site(url), "url"),
        (sitename, "page metadata"), (lambda: find_outlet(text), ""),
        (lambda: outlet_from_url(url), "url"),
    ])  # fmt: skip
    source = found.values.get("source")
    headlines = _headlines(page.html)
    # The headline is the title: kept once, not again as the text's first line.
    text = _without_headline(text, headlines)
    if count_words(text) < MIN_TEXT_WORDS:
        raise failure(f"no article text found in {name}; nothing was saved.")
    title, title_source = hints.given(hints.title), "given"
    found.origins["title"] = "given"
    if not title:
        page_title = _trusted(getattr(document, "title", None), headlines)
        names = {source or "", sitename or "", _domain(url)}
        title = clean_page_title(page_title, names) if page_title else None
        title_source = "extracted"
        found.origins["title"] = "page metadata"
    if not title:
        title, title_source = generate_title(text), "generated"
        found.origins["title"] = "generated"
    lang_match = _HTML_LANG.search(page.html[:4096])
    language = found.pick("language", [
        (hints.given(hints.language), "given"),
        (lang_match.group(1) if lang_match else None, "page metadata"),
        (lambda: detect_language(text), "detected"),
    ])  # fmt: skip
    found.pick("published", [
        (hints.given(hints.published), "given"),
        (getattr(document, "date", None), "page metadata"),
        (lambda: find_published([], text, language), "dateline"),
    ])  # fmt: skip
    authors, origin = list(hints.authors), "given"
    if not authors:
        authors, origin = _authors(document, text, {source or "", sitename or "", _domain(url)})
    if authors:
        found.origins["authors"] = origin
    description = getattr(document, "description", None)
    return Draft(
        text=text,
        title=title,
        title_source=title_source,
        url=url,
        source=source,
        authors=authors,
        published=found.values.get("published"),
        language=language,
        description=" ".join(description.split()) if description else None,
        provenance=found.origins,
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
