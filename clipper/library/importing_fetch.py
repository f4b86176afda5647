"""The network side of `clip import`: a feed or export by URL, and with --fetch each entry's
full article through the capture path.

Feeds and exports are fetched here rather than with capture/web.py, which accepts only web
pages (HTML and text) and caps them at 10 MB; a feed is served as application/rss+xml or JSON,
and an export may be far larger. httpx is imported only inside the functions."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from clipper.errors import ClipperError, FetchError
from clipper.formats.records import Batch
from clipper.model import Draft

MAX_FETCH_BYTES = 50 * 1024 * 1024
TIMEOUT_SECONDS = 20.0  # for each step: connecting, each read
# For the whole fetch: a feed is small, but an export of 50 MB needs about 1 MB/s for this.
TOTAL_SECONDS = 60.0
FETCH_WORKERS = 4
USER_AGENT = "clip (news-clipping manager; +https://github.com/)"


def fetch_bytes(url: str, *, max_bytes: int = MAX_FETCH_BYTES) -> tuple[bytes, str]:
    """The body of an http(s) URL and the address it was finally served from (after
    redirects), all within TOTAL_SECONDS; any failure is a one-line FetchError."""
    from clipper.capture.web import within

    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url!r} is not an http(s) address; only those are fetched.")
    late = f"{url} did not answer within {TOTAL_SECONDS:g} s; nothing was imported."
    return within(TOTAL_SECONDS, lambda: _fetch_bytes(url, max_bytes), late)


def _fetch_bytes(url: str, max_bytes: int) -> tuple[bytes, str]:
    import httpx

    from clipper.capture.web import Deadline

    deadline = Deadline(TOTAL_SECONDS)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                timeout=TIMEOUT_SECONDS,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(
                    f"{url} answered {response.status_code} {response.reason_phrase}; "
                    "nothing was imported."
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"{url} sends over {max_bytes // (1024 * 1024)} MB; nothing was imported."
                    )
                if deadline.passed():
                    # The same words as `within`'s: which of the two notices first is a race.
                    raise FetchError(
                        f"{url} did not answer within {TOTAL_SECONDS:g} s; nothing was imported."
                    )
                chunks.append(chunk)
            final_url = str(response.url)
    except httpx.TimeoutException:
        raise FetchError(f"{url} did not answer within {TIMEOUT_SECONDS:g} s.") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        # InvalidURL: a redirect to `javascript:alert(1)`, outside httpx's own error hierarchy.
        raise FetchError(f"{url} redirects to an address that is not http(s).") from None
    except httpx.HTTPError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise FetchError(f"cannot fetch {url}: {reason}.") from None
    return b"".join(chunks), final_url


def fetch_article(url: str) -> Draft:
    """The full article at `url`, captured exactly as `clip add URL` does (capture/sources.py:
    capture/web.py fetches, trafilatura extracts)."""
    from clipper.capture.hints import Hints
    from clipper.capture.sources import capture_url

    return capture_url(url, Hints(url=url)).draft


def fetch_articles(batch: Batch, *, advance: Callable[[], None] | None = None) -> dict[int, str]:
    """Replace the text of each record that has a URL with its full article, a few at a time.

    An entry whose article cannot be fetched keeps the text it came with; the returned
    warnings (by record index) say so in the report.
    """
    wanted = [(i, r.draft) for i, r in enumerate(batch.records) if r.draft and r.draft.url]
    warnings: dict[int, str] = {}

    def work(item: tuple[int, Draft]) -> tuple[int, Draft | ClipperError]:
        index, draft = item
        try:
            return index, fetch_article(str(draft.url))
        except ClipperError as error:
            return index, error

    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        for index, article in pool.map(work, wanted):
            record = batch.records[index]
            assert record.draft is not None
            if isinstance(article, ClipperError):
                warnings[index] = f"article not fetched ({article.message}); kept the entry text"
            else:
                record.draft = merge_article(record.draft, article)
            if advance is not None:
                advance()
    return warnings


def merge_article(entry: Draft, article: Draft) -> Draft:
    """The entry with the article's text; what the entry says about itself wins, the article
    fills what the entry lacks."""
    filled: dict[str, Any] = {"text": article.text}
    origins = dict(entry.provenance)  # each field keeps the origin of where it was taken
    for name in ("source", "published", "language", "authors"):
        # An outlet the feed only inferred from an address gives way to the page's own name
        # for itself (its metadata): the stronger evidence wins.
        weak = (
            name == "source"
            and entry.provenance.get(name) == "url"
            and article.provenance.get(name, "url") not in ("url", "generated")
        )
        if (weak or not getattr(entry, name)) and getattr(article, name):
            filled[name] = getattr(article, name)
            origins.pop(name, None)
            if name in article.provenance:
                origins[name] = article.provenance[name]
    if entry.title_source == "generated" and article.title:
        filled["title"], filled["title_source"] = article.title, article.title_source
        origins["title"] = article.provenance.get("title", "page metadata")
    filled["provenance"] = origins
    return replace(entry, **filled)
