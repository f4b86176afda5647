"""Fetching feeds for a run: a few at once, never two at the same host, conditional requests,
Retry-After honoured, the capture's size and time caps, one-line errors.

httpx is imported inside the functions only, so that `clip watch list` never pays for it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from clipper.capture.web import MAX_PAGE_BYTES, MAX_REDIRECTS, TIMEOUT_SECONDS, USER_AGENT

if TYPE_CHECKING:
    import httpx

WORKERS = 8  # feeds fetched at once (each at a different host)
MAX_RETRY_AFTER = timedelta(days=1)  # a server asking for longer is asked again tomorrow
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)


@dataclass(slots=True)
class FeedRequest:
    """A feed to fetch, with the validators of its last answer (None: fetch in full)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None


@dataclass(slots=True)
class FeedAnswer:
    """What a feed answered: `fetched` (with a body), `unchanged` (304), `deferred` (its
    Retry-After has not passed: not asked), or `failed` (with a one-line error)."""

    url: str
    outcome: str
    body: bytes = b""
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    error: str | None = None


class HostGate:
    """At most one request at a time per host, whichever thread makes it."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, url: str) -> Iterator[None]:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # a malformed item address: it fails when fetched, one at a time
            host = ""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            yield


def fetch_feeds(
    requests: list[FeedRequest],
    gate: HostGate,
    *,
    now: datetime,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_PAGE_BYTES,
    done: Callable[[FeedAnswer], None] | None = None,
) -> dict[str, FeedAnswer]:
    """Every feed's answer by URL, fetched concurrently; one failure never stops the others."""
    import httpx

    answers: dict[str, FeedAnswer] = {}
    with httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
    ) as client:

        def work(request: FeedRequest) -> FeedAnswer:
            if request.retry_after and request.retry_after > _stamp(now):
                return FeedAnswer(
                    request.url, "deferred", retry_after=request.retry_after,
                    etag=request.etag, last_modified=request.last_modified,
                )  # fmt: skip
            with gate.hold(request.url):
                return fetch_one(client, request, now=now, timeout=timeout, max_bytes=max_bytes)

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for answer in pool.map(work, requests):
                answers[answer.url] = answer
                if done is not None:
                    done(answer)
    return answers


def fetch_one(
    client: httpx.Client, request: FeedRequest, *, now: datetime, timeout: float, max_bytes: int
) -> FeedAnswer:
    """One conditional GET of a feed."""
    import httpx

    headers = {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    url = request.url

    def failed(error: str, retry_after: str | None = None) -> FeedAnswer:
        return FeedAnswer(url, "failed", error=error, etag=request.etag,
                          last_modified=request.last_modified, retry_after=retry_after)  # fmt: skip

    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return FeedAnswer(url, "unchanged", final_url=str(response.url),
                                  etag=response.headers.get("etag") or request.etag,
                                  last_modified=response.headers.get("last-modified")
                                  or request.last_modified)  # fmt: skip
            if response.status_code >= 400:
                wait = _retry_after(response.headers.get("retry-after"), now)
                later = f"; asked to wait until {wait}" if wait else ""
                return failed(f"answered {response.status_code} {_reason(response)}{later}", wait)
            body = _read_capped(response, max_bytes)
            if body is None:
                return failed(f"sends more than {max_bytes / 1024 / 1024:g} MB")
            return FeedAnswer(
                url, "fetched", body=body, final_url=str(response.url),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )  # fmt: skip
    except httpx.TimeoutException:
        return failed(f"did not answer within {timeout:g} s")
    except httpx.TooManyRedirects:
        return failed(f"redirects more than {MAX_REDIRECTS} times")
    except httpx.UnsupportedProtocol:
        return failed("redirects to an address that is not http(s)")
    except httpx.HTTPError as error:
        return failed(f"cannot be fetched ({' '.join(str(error).split()) or type(error).__name__})")


def _reason(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or "an error"


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes | None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None, now: datetime) -> str | None:
    """The UTC time a Retry-After header (seconds or an HTTP date) names, capped; None without."""
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return _stamp(min(when, now + MAX_RETRY_AFTER))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
