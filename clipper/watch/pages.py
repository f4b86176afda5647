"""The pages of feed items: fetched a few at a time (never two at one host), read cheaply as
words to rule an item out, and captured as `clip add URL` captures them only when kept.

Extraction (trafilatura) costs far more than the fetch, and most items a watch looks at do
not match. A page's whole text (menus and all) holds every word of its article, so an item
whose query does not match even that text (for a query without NOT, which the extra words of
the menus could turn the wrong way) cannot match its article, and is never extracted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from clipper.capture import files, web
from clipper.capture.hints import Hints
from clipper.errors import ClipperError, FetchError
from clipper.model import Draft
from clipper.search.query import And, Node, Not, Or
from clipper.watch.fetching import WORKERS, HostGate

Captured = tuple[Draft, bytes | None]


@dataclass(slots=True)
class ItemPage:
    """An item's page as fetched."""

    url: str
    fetched: web.Fetched

    def words(self) -> str:
        """Every word of the page, article or not, without extracting anything."""
        from clipper.formats.html_text import html_to_text

        if self.fetched.is_plain_text:
            return files.decode_text(self.fetched.body, name=self.url)
        from clipper.capture.html_page import decode_html

        return html_to_text(decode_html(self.fetched.body, self.fetched.charset))

    def capture(self) -> Captured:
        """The article, metadata and page, as `clip add URL` captures them."""
        hints = Hints(url=self.url)
        if self.fetched.is_plain_text:
            from clipper.capture.sources import capture_text

            text = files.decode_text(self.fetched.body, name=self.url)
            return capture_text(text, replace(hints, url=self.fetched.url)).draft, None
        from clipper.capture.html_page import Page, decode_html, draft_from_html

        html = decode_html(self.fetched.body, self.fetched.charset)
        page = Page(html, self.fetched.url)
        return draft_from_html(page, hints, name=self.url, failure=FetchError), self.fetched.body


def fetch_pages(links: list[str], gate: HostGate) -> dict[str, ItemPage | ClipperError]:
    """Every page by its link (or the error that stopped it), fetched concurrently."""

    if not links:
        return {}
    with web.client() as session:

        def work(url: str) -> tuple[str, ItemPage | ClipperError]:
            try:
                with gate.hold(url):
                    return url, ItemPage(url, web.fetch(url, shared=session))
            except ClipperError as error:
                return url, error

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return dict(pool.map(work, list(dict.fromkeys(links))))


def monotone(node: Node) -> bool:
    """Whether more words can only make the query match (it has no NOT anywhere)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And | Or):
        return all(monotone(child) for child in node.children)
    return True
