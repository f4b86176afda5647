"""The press review of a query, as `clip export` makes it (one review model, the same
templates), its downloads in md, html, pdf and docx, and the original pages kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clipper.errors import ClipperError, UsageError
from clipper.formats.press_review import SHARE_SAFE_NOTICE, Options, build, review_title
from clipper.formats.review import GROUPINGS
from clipper.serve.app import Context, Response, View
from clipper.serve.list_pages import FILTERS, chosen_filter
from clipper.serve.templating import Here

if TYPE_CHECKING:
    from clipper.model import Clipping

DOWNLOADS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A kept page is shown in a sandbox (an origin of its own, no scripts, no forms): it cannot
# reach the view's pages, and nothing in it runs. Its images and styles may still load.
SNAPSHOT_CSP = (
    "sandbox; default-src 'none'; img-src http: https: data:; "
    "style-src http: https: 'unsafe-inline'; font-src http: https: data:; "
    "form-action 'none'; base-uri http: https:; frame-ancestors 'none'"
)
_PARAMS = ("q", *FILTERS, "group", "share_safe", "excerpt")


def review(ctx: Context) -> View:
    """The review of the clippings a query and the library page's facets select (all without
    either), newest first."""
    query, options = _options(ctx)
    chosen = _selected(ctx, query)
    here = Here.of("/review", ctx.request.params)
    downloads = [(name, here.elsewhere(f"/review.{name}", *_PARAMS)) for name in DOWNLOADS]
    kept = [(k, v) for k, v in here.params if k in FILTERS]  # carried by the options' form
    return View("review-page.html.j2", {
        "review": build(chosen, options), "print": False, "notice": SHARE_SAFE_NOTICE,
        "options": options, "groupings": GROUPINGS, "downloads": downloads, "query": query,
        "active": chosen_filter(ctx)[1], "kept": kept,
    })  # fmt: skip


def download(ctx: Context, name: str) -> Response | View:
    """The review as a file, made by the export functions of `clip export -f NAME`."""
    from clipper import formats
    from clipper.formats.pdf_review import MISSING

    query, options = _options(ctx)
    chosen = _selected(ctx, query)
    try:
        document = formats.render_document(name, chosen, options)
    except ClipperError as error:
        if name == "pdf" and error.message.startswith(MISSING):
            return View("error.html.j2", {"message": error.message}, 501)
        raise
    data = document if isinstance(document, bytes) else document.encode("utf-8")
    response = Response(200, data, DOWNLOADS[name])
    named = _file_name(options.title)
    response.headers["Content-Disposition"] = f'attachment; filename="{named}.{name}"'
    return response


def snapshot(ctx: Context, number: str) -> Response:
    """The page kept with `clip add --snapshot`: in a sandbox, or as a file (`download`)."""
    page = ctx.lib.snapshot_page(int(number))
    response = Response(200, page, "text/html; charset=utf-8")
    if ctx.request.value("download") is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="clipping-{number}.html"'
    else:
        response.headers["Content-Security-Policy"] = SNAPSHOT_CSP
    return response


def _options(ctx: Context) -> tuple[str | None, Options]:
    request, settings = ctx.request, ctx.settings
    query = request.value("q")
    group = request.value("group") or settings.group_by
    if group not in GROUPINGS:
        raise UsageError(f"cannot group by {group!r}: use one of {', '.join(GROUPINGS)}.")
    safe = request.value("share_safe")
    excerpt = request.value("excerpt")
    if excerpt is not None and not (excerpt.isdigit() and 0 < int(excerpt) <= 100_000):
        raise UsageError(f"excerpt takes a number of words from 1 to 100000; got {excerpt!r}.")
    words = [query, *ctx.request.values("tag"), request.value("source")]
    return query, Options(
        title=review_title(" ".join(word for word in words if word)),
        subtitle=settings.subtitle,
        group_by=group,
        excerpt_words=int(excerpt) if excerpt is not None else None,
        share_safe=settings.share_safe if safe is None else safe not in ("0", "off", "no"),
    )


def _selected(ctx: Context, query: str | None) -> list[Clipping]:
    return ctx.lib.select(chosen_filter(ctx)[0], sort="newest", query=query)


def _file_name(title: str) -> str:
    from slugify import slugify

    return slugify(title, max_length=60) or "press-review"
