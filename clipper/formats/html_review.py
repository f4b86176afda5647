"""The press review as a standalone HTML page (and the HTML the PDF is printed from):
styled, printable, everything escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html import escape as html_escape
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from clipper.formats.press_review import SHARE_SAFE_NOTICE, Options, Review, build
from clipper.model import Clipping
from clipper.sanitize import inert

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATES = resources.files("clipper.formats") / "templates"


def escape(text: str, quote: bool = True) -> str:
    """HTML-escaped text without control characters (invalid in HTML, and no use to anyone)."""
    return html_escape(inert(text), quote=quote)


def render(
    clippings: Sequence[Clipping], options: Options | None = None, **fields: Any
) -> str:
    """A complete HTML5 document, nothing from a clipping unescaped (`fields`: Options's)."""
    return render_review(build(clippings, options or Options(**fields)))


def render_review(review: Review, *, print_version: bool = False) -> str:
    """The review as HTML; `print_version` adds the cover page and paged contents of the PDF."""
    style = stylesheet("review.css")
    if print_version:
        style += "\n" + stylesheet("review-print.css")
    page = environment().get_template("review.html.j2").render(
        review=review, style=style, print=print_version, notice=SHARE_SAFE_NOTICE
    )
    return page.rstrip("\n") + "\n"


def stylesheet(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The templates shared by the review formats (and, later, the web view)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clean=inert, web=web_url, paragraphs=_line_breaks, split_paragraphs=_paragraphs
    )
    return env


def web_url(url: str | None) -> str:
    """The URL when it is http(s), else '': a javascript: URL must never reach an href."""
    try:
        if url and urlsplit(url).scheme.lower() in ("http", "https"):
            return url
    except ValueError:  # not even a URL (an unclosed IPv6 bracket): no link at all
        pass
    return ""


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _line_breaks(text: str) -> Markup:
    from markupsafe import Markup, escape

    return Markup("<br>").join(escape(line) for line in text.split("\n"))
