"""From what the user gives `clip add` to a draft: text, a text or HTML file, bytes from
standard input, or a web address. The one entry point of capture for the CLI.

Text, a file (`files.py`), bytes from standard input, or an http(s) URL (`web.py`) come in
here. Options the user gives travel as `Hints` and always win over detection. An argument that
may be a web address typed without its scheme is asked of `urls.bare_web_address` only after
checking that no file of that name exists (`capture_argument`), and `clip add --text` skips the
guessing altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.capture import files
from clipper.capture.hints import Hints
from clipper.capture.urls import bare_web_address, is_web_url, looks_like_url
from clipper.errors import ClipperError, FetchError, UsageError
from clipper.model import Draft

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


@dataclass(slots=True)
class Captured:
    """A draft, and the original page when it came from HTML (kept with --snapshot)."""

    draft: Draft
    page: bytes | None = None


def looks_like_html(text: str) -> bool:
    """Whether pasted text is a whole web page rather than an article's words."""
    return bool(_HTML_START.match(text[:4096]))


def capture_text(text: str, hints: Hints) -> Captured:
    """Pasted text, or a page's HTML pasted whole."""
    if looks_like_html(text):
        return _capture_page(text, text.encode("utf-8"), hints.url, hints, "the pasted page")
    from clipper.capture.text import draft_from_text

    return Captured(draft_from_text(text, hints=hints))


def capture_bytes(data: bytes, hints: Hints, *, name: str) -> Captured:
    """Bytes read from standard input: a page or text in whatever encoding they came in."""
    head = data[:4096].decode("utf-8", errors="ignore")
    if looks_like_html(head):
        from clipper.capture.html_page import decode_html

        return _capture_page(decode_html(data), data, hints.url, hints, name)
    return capture_text(files.decode_text(data, name=name), hints)


def capture_file(path: Path, hints: Hints) -> Captured:
    """A text, Markdown or HTML file (gzipped HTML too)."""
    if files.is_html_path(path):
        from clipper.capture.html_page import decode_html

        data = files.read_html_file(path)
        return _capture_page(decode_html(data), data, hints.url, hints, str(path))
    return capture_bytes(files.read_bytes_checked(path), hints, name=str(path))


def capture_url(url: str, hints: Hints, *, timeout: float | None = None) -> Captured:
    """A web page fetched over http(s): its article, or its text when it is plain text."""
    from clipper.capture import web

    fetched = web.fetch(url, timeout=timeout)
    if fetched.is_plain_text:
        text = files.decode_text(fetched.body, name=url)
        with_url = replace(hints, url=hints.url or fetched.url)
        return Captured(capture_text(text, with_url).draft)
    from clipper.capture.html_page import decode_html

    html = decode_html(fetched.body, fetched.charset)
    return _capture_page(html, fetched.body, fetched.url, hints, url, failure=FetchError)


def capture_argument(argument: str, hints: Hints, *, timeout: float | None = None) -> Captured:
    """The TEXT, FILE or URL argument of `clip add`; a web address may come without its
    scheme (`www.news.az/en/news/123`), as browsers show it."""
    if is_web_url(argument):
        return capture_url(argument.strip(), hints, timeout=timeout)
    if looks_like_url(argument):
        raise UsageError(
            f"{argument.strip()!r} is not a web address clip fetches: only http:// and "
            "https:// pages are fetched."
        )
    address = bare_web_address(argument)
    if address and not files.is_existing_path(argument):  # a file of that name stays a file
        try:
            return capture_url(address, hints, timeout=timeout)
        except FetchError as error:  # the user may have meant these words as the text
            raise FetchError(
                f"{error.message} To keep {argument.strip()!r} as the text, use --text."
            ) from None
    if files.looks_like_path(argument):
        return capture_file(Path(argument).expanduser(), hints)
    return capture_text(argument, hints)


def _capture_page(
    html: str,
    raw: bytes,
    url: str | None,
    hints: Hints,
    name: str,
    *,
    failure: type[ClipperError] = UsageError,
) -> Captured:
    from clipper.capture.html_page import Page, draft_from_html

    draft = draft_from_html(Page(html, url), hints, name=name, failure=failure)
    return Captured(draft, raw)
