"""Fetching a web page with httpx: timeouts, a size cap, redirects and one-line errors.

httpx is imported here only, so that commands which fetch nothing never pay for it.

A browser User-Agent, 20 s for the whole fetch, a 10 MB cap, redirects followed, one
`FetchError` per failure (exit code 5). httpx bounds each read, not the whole, so a server
sending a byte a second would hold clip forever: the fetch runs in a thread that `within()`
waits for no longer than the timeout.
"""

from __future__ import annotations

import contextlib
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar, cast

from clipper.capture.urls import canonical_url
from clipper.errors import FetchError

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
MAX_PAGE_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 10
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 clipper"
)
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    "Accept-Language": "en;q=0.9,*;q=0.5",
}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NAMED_TYPES = {
    "application/pdf": "a PDF document",
    "application/json": "JSON data",
    "application/zip": "a ZIP archive",
    "application/octet-stream": "a binary file",
}
_MEDIA = {"image": "an image", "audio": "an audio file", "video": "a video"}


@dataclass(slots=True)
class Fetched:
    """A page as the server sent it: the final URL after redirects, its bytes, its type."""

    url: str
    body: bytes
    content_type: str
    charset: str | None

    @property
    def is_plain_text(self) -> bool:
        return self.content_type == "text/plain"


def _kind(content_type: str) -> str:
    if content_type in _NAMED_TYPES:
        return _NAMED_TYPES[content_type]
    major = content_type.split("/", 1)[0]
    return _MEDIA.get(major, f"{content_type} content")


def within(seconds: float, work: Callable[[], T], late: str) -> T:
    """`work()`, given `seconds` in all; past them a FetchError(`late`), whatever it waits on.

    httpx's timeouts bound each read, not the whole: a server that sends a byte a second (in
    its headers too, where no loop of ours runs) would hold clip as long as it likes. So the
    work runs in a daemon thread and this one waits no longer than allowed; a thread left
    behind ends at its next read (see `Deadline`) or with the process.
    """
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the caller, raised there
            outcome.append((False, error))

    worker = threading.Thread(target=run, name="clip-fetch", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise FetchError(late)
    done, value = outcome[0]
    if not done:
        raise value
    return cast(T, value)


class Deadline:
    """The moment a fetch must be over, checked between the chunks of a body."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() > self.at


def client(timeout: float | None = None) -> httpx.Client:
    """An httpx client as `fetch` uses it (headers, redirects, timeouts), for callers that
    fetch many pages: making one costs about 80 ms (its TLS context), so they share one."""
    import httpx

    return httpx.Client(
        headers=_HEADERS,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout or TIMEOUT_SECONDS),
    )


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    shared: httpx.Client | None = None,
) -> Fetched:
    """The page at an http(s) URL, all of it within the timeout; every failure is a
    FetchError saying what went wrong. `shared`: a `client()` to fetch with (its own
    timeout then bounds each read)."""
    timeout = timeout or TIMEOUT_SECONDS
    address = canonical_url(url)
    late = f"{address} did not answer within {timeout:g} s; nothing was saved."
    return within(
        timeout, lambda: _fetch(address, timeout, max_bytes or MAX_PAGE_BYTES, shared), late
    )


def _fetch(
    address: str, timeout: float, max_bytes: int, shared: httpx.Client | None
) -> Fetched:
    import httpx

    deadline = Deadline(timeout)
    try:
        with contextlib.ExitStack() as stack:
            session = shared or stack.enter_context(client(timeout))
            response = stack.enter_context(session.stream("GET", address))
            _check_status(address, response)
            content_type, charset = _content_type(response)
            _check_type(address, response, content_type)
            body = _read_capped(address, response, max_bytes, deadline)
            final = str(response.url)
    except httpx.TimeoutException:
        raise FetchError(
            f"{address} did not answer within {timeout:g} s; nothing was saved."
        ) from None
    except httpx.TooManyRedirects:
        raise FetchError(
            f"{address} redirects more than {MAX_REDIRECTS} times; nothing was saved."
        ) from None
    except httpx.ConnectError as error:
        raise FetchError(_connect_problem(address, error)) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        # InvalidURL: a redirect to `javascript:alert(1)` or `http://[oops/`, which httpx
        # refuses outside its own error hierarchy.
        raise FetchError(
            f"{address} redirects to an address that is not http(s); nothing was saved."
        ) from None
    except httpx.HTTPError as error:
        raise FetchError(f"fetching {address} failed: {error or type(error).__name__}; "
                         "nothing was saved.") from None  # fmt: skip
    if not body.strip():
        raise FetchError(f"{address} answered with an empty page; nothing was saved.")
    return Fetched(final, body, content_type, charset)


def _check_status(address: str, response: httpx.Response) -> None:
    if response.status_code >= 400:
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = response.reason_phrase or "an error"
        raise FetchError(
            f"{address} answered {response.status_code} {reason}; nothing was saved."
        )


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    header = response.headers.get("content-type", "")
    media = header.split(";", 1)[0].strip().lower()
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", header, re.IGNORECASE)
    return media, match.group(1) if match else None


def _check_type(address: str, response: httpx.Response, content_type: str) -> None:
    acceptable = (*_HTML_TYPES, "text/plain", "", "text/xml", "application/xml")
    if content_type not in acceptable:
        raise FetchError(
            f"{address} is {_kind(content_type)}, not a web page; clip saves articles from "
            "HTML pages. Nothing was saved."
        )


def _read_capped(
    address: str, response: httpx.Response, max_bytes: int, deadline: Deadline
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared[:30]) > max_bytes:
        raise FetchError(_too_big(address, max_bytes))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_big(address, max_bytes))
        if deadline.passed():
            # The same words as `within`'s: which of the two notices first is a race.
            raise FetchError(
                f"{address} did not answer within {deadline.seconds:g} s; nothing was saved."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(address: str, max_bytes: int) -> str:
    return (
        f"{address} is larger than {max_bytes / 1024 / 1024:g} MB, more than an article page; "
        "nothing was saved."
    )


def _connect_problem(address: str, error: Exception) -> str:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "certificate not trusted"
            return f"{address} has an invalid TLS certificate ({reason}); nothing was saved."
        if isinstance(cause, ssl.SSLError):
            return f"a secure (TLS) connection to {address} failed; nothing was saved."
        cause = cause.__cause__ or cause.__context__
    text = str(error)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return f"a secure (TLS) connection to {address} failed ({text}); nothing was saved."
    detail = f" ({text})" if text else ""
    return f"cannot connect to {address}{detail}; nothing was saved."
