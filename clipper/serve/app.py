"""The web view as a function: a request in, a response out (sockets are server.py's). Each
request opens the library anew, reads through its public methods only, and holds nothing
after: a clipping added in the terminal shows on the next page load."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs, urlsplit

from clipper.errors import ClipperError, NotFoundError, UsageError
from clipper.sanitize import one_line

if TYPE_CHECKING:
    from clipper.model import Clipping
    from clipper.search.searcher import Page, SearchResults
    from clipper.search.stats import Stats
    from clipper.selection import Filter
    from clipper.storage.check import Damage

HTML = "text/html; charset=utf-8"
# Every page: no script at all, styles from our own files only, nothing framed or framing,
# forms only back to the view; and nothing of the addresses visited leaves with a link.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATUS_OF = {UsageError: 400, NotFoundError: 404}
MAX_PAGE = 1_000_000  # a page number beyond this is refused, never an offset SQLite rejects


class Reader(Protocol):
    """What the web view may ask of the library: reads only (a `clipper.library.core.Library`)."""

    def select_page(
        self, where: Filter | None = None, *, sort: str = "newest", limit: int | None = None,
        query: str | None = None, offset: int = 0,
    ) -> Page: ...  # fmt: skip

    def select(
        self, where: Filter | None = None, *, sort: str = "newest", limit: int | None = None,
        query: str | None = None, offset: int = 0,
    ) -> list[Clipping]: ...  # fmt: skip

    def search(
        self, query: str, *, sort: str = "relevance", limit: int | None = 20, offset: int = 0,
        words: str = "fill", expand: bool = False,
    ) -> SearchResults: ...  # fmt: skip

    def stats(
        self, query: str | None = None, where: Filter | None = None, *, top: int = 10
    ) -> Stats: ...

    def get_many(self, clipping_ids: list[int]) -> list[Clipping]: ...

    def find(self, clipping_ids: list[int]) -> dict[int, Clipping]: ...

    def related(self, clipping_id: int, *, limit: int | None = 10) -> SearchResults: ...

    def snapshot_page(self, clipping_id: int) -> bytes: ...

    def damage_seen(self) -> tuple[list[Damage], list[str]]: ...


@dataclass(frozen=True, slots=True)
class Settings:
    """What the view takes from `clip config`: the review's defaults, the library's name."""

    home: str = ""
    group_by: str = "date"
    share_safe: bool = False
    subtitle: str | None = None
    page_size: int = 20


@dataclass(frozen=True, slots=True)
class Request:
    """A GET: the path, and the query string's values by name (in order)."""

    path: str
    params: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, target: str) -> Request:
        parts = urlsplit(target)
        return cls(parts.path or "/", parse_qs(parts.query, max_num_fields=200))

    def value(self, name: str) -> str | None:
        """The last non-blank value of a parameter, stripped; None when there is none."""
        found = [v.strip() for v in self.params.get(name, []) if v.strip()]
        return found[-1] if found else None

    def values(self, name: str) -> list[str]:
        return [v.strip() for v in self.params.get(name, []) if v.strip()]

    def number(self, name: str, default: int, *, least: int = 1) -> int:
        raw = self.value(name)
        if raw is None:
            return default
        if not raw.isdigit() or not least <= int(raw) <= MAX_PAGE:
            raise UsageError(
                f"{name} takes a whole number from {least} to {MAX_PAGE}; got {raw!r}."
            )
        return int(raw)


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=lambda: dict(SECURITY_HEADERS))


@dataclass(slots=True)
class View:
    """A page to render: its template and what it shows."""

    template: str
    context: dict[str, Any]
    status: int = 200


@dataclass(slots=True)
class Context:
    """What a page handler gets: this request's library, the settings, the request."""

    lib: Reader
    settings: Settings
    request: Request


Handler = Callable[..., "View | Response"]


def _routes() -> list[tuple[re.Pattern[str], Handler]]:
    from clipper.serve import clipping_pages, list_pages, review_pages

    table: list[tuple[str, Handler]] = [
        (r"/", list_pages.library),
        (r"/search", list_pages.search),
        (r"/clipping/([0-9]{1,15})", clipping_pages.clipping),
        (r"/clipping/([0-9]{1,15})/snapshot", review_pages.snapshot),
        (r"/story/([0-9]{1,15})", clipping_pages.story),
        (r"/review", review_pages.review),
        (r"/review\.(md|html|pdf|docx)", review_pages.download),
    ]
    return [(re.compile(pattern), handler) for pattern, handler in table]


STYLESHEETS = {
    "serve.css": resources.files("clipper.serve") / "static" / "serve.css",
    "review.css": resources.files("clipper.formats") / "templates" / "review.css",
}


class App:
    """Answers requests with pages rendered from the library `open_library` returns."""

    def __init__(self, open_library: Callable[[], Reader], settings: Settings) -> None:
        self.open_library = open_library
        self.settings = settings
        self.routes = _routes()
        # Library reads one at a time: the core is written for one command per process (an
        # index rebuilt by two threads at once would share its temporary file, named by the
        # process). Connections stay concurrent, and pages render outside the lock.
        self.reading = threading.Lock()

    def answer(self, request: Request) -> Response:
        """The response to a GET (HEAD is the same without the body)."""
        if request.path.startswith("/static/"):
            return self._static(request.path.removeprefix("/static/"))
        for pattern, handler in self.routes:
            found = pattern.fullmatch(request.path)
            if found is not None:
                return self._run(handler, request, found.groups())
        return self._error(request, NotFoundError(f"no page {request.path}. Try the library: /"))

    def _run(self, handler: Handler, request: Request, groups: tuple[str, ...]) -> Response:
        try:
            with self.reading:
                lib = self.open_library()
                result = handler(Context(lib, self.settings, request), *groups)
                warning = _damage_line(lib)
        except ClipperError as error:
            return self._error(request, error)
        if isinstance(result, Response):
            return result
        return self.render(result, request, warning=warning)

    def render(self, view: View, request: Request, *, warning: str | None = None) -> Response:
        from clipper.serve.templating import environment

        shared = {"home": self.settings.home, "warning": warning, "q": request.value("q")}
        page = environment().get_template(view.template).render({**shared, **view.context})
        response = Response(view.status, page.encode("utf-8"))
        # Pages follow the library: a browser asks again rather than show an old copy.
        response.headers["Cache-Control"] = "no-store"
        return response

    def _error(self, request: Request, error: ClipperError) -> Response:
        code = next(
            (code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 500
        )
        view = View("error.html.j2", {"message": one_line(error.message)}, code)
        return self.render(view, request)

    def _static(self, name: str) -> Response:
        sheet = STYLESHEETS.get(name)
        if sheet is None:
            return self._error(Request("/"), NotFoundError(f"no file /static/{name}."))
        response = Response(200, sheet.read_bytes(), "text/css; charset=utf-8")
        response.headers["Cache-Control"] = "max-age=300"
        return response


def _damage_line(lib: Reader) -> str | None:
    """The CLI's warning about damaged records skipped, for the top of the page."""
    from clipper.storage.check import damage_summary

    summary = damage_summary(*lib.damage_seen())
    return one_line(summary) if summary else None
