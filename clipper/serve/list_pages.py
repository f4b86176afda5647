"""The library page (newest first, paged, with facets) and the search page (ranked hits with
snippets): the same library calls as `clip list` and `clip search`."""

from __future__ import annotations

import calendar
import re
from typing import TYPE_CHECKING, Any

from clipper.errors import UsageError
from clipper.model import normalize_tags
from clipper.selection import Filter
from clipper.serve.app import Context, View
from clipper.serve.templating import Here

if TYPE_CHECKING:
    from clipper.search.searcher import Estimate

FACETS = 12  # names per facet
FILTERS = ("tag", "source", "lang", "month", "starred")  # the facets' parameters
MONTHS = 24  # months in the month facet, newest first
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_LANGUAGE = re.compile(r"[A-Za-z0-9]{1,8}([-_][A-Za-z0-9]{1,8})*")
LIST_SORTS = ("newest", "oldest", "added")
SEARCH_SORTS = ("relevance", "newest", "oldest")


def library(ctx: Context) -> View:
    """The clippings, newest first, one page at a time; the query box (as `clip list QUERY`)
    and the facets narrow them down, and the facets count what is shown."""
    request, lib = ctx.request, ctx.lib
    query = request.value("q")
    where, active = chosen_filter(ctx)
    sort = _sort(request.value("sort"), LIST_SORTS)
    number, size = request.number("page", 1), ctx.settings.page_size
    found = lib.select_page(where, sort=sort, limit=size, query=query, offset=(number - 1) * size)
    stats = lib.stats(query, where, top=FACETS)
    months = [(m, n) for m, n in reversed(stats.months) if n][:MONTHS]
    here = Here.of("/", request.params)
    return View("library.html.j2", {
        "clippings": found.items, "total": found.total, "told": told(found.total, found.estimate),
        "estimate": found.estimate, "page": number, "size": size,
        "stats": stats, "months": months, "active": active, "here": here, "sort": sort,
        "sorts": LIST_SORTS, "filtered": bool(query or active),
    })  # fmt: skip


def search(ctx: Context) -> View:
    """Ranked hits for a query, as `clip search` finds them, with highlighted snippets."""
    request, lib = ctx.request, ctx.lib
    query = request.value("q")
    sort = _sort(request.value("sort"), SEARCH_SORTS)
    number, size = request.number("page", 1), ctx.settings.page_size
    here = Here.of("/search", request.params)
    context: dict[str, Any] = {"query": query, "sort": sort, "sorts": SEARCH_SORTS, "here": here,
               "page": number, "size": size, "hits": [], "total": 0, "told": told(0, None),
               "estimate": None, "more": False}  # fmt: skip
    if query is None:
        return View("search.html.j2", context)
    results = lib.search(query, sort=sort, limit=size, offset=(number - 1) * size)
    context.update(hits=results.hits, total=results.total, estimate=results.estimate,
                   told=told(results.total, results.estimate), more=len(results.hits) >= size)
    return View("search.html.j2", context)


def told(total: int, estimate: Estimate | None) -> str:
    """"1 clipping", "12 clippings", or an estimated total said as one ("about 104,000
    clippings"), as the CLI says it."""
    from clipper.render.data import total_text

    noun = "clipping" if total == 1 and estimate is None else "clippings"
    return f"{total_text(total, estimate)} {noun}"


def _sort(value: str | None, allowed: tuple[str, ...]) -> str:
    if value is None:
        return allowed[0]
    if value not in allowed:
        raise UsageError(f"unknown sort {value!r}: use one of {', '.join(allowed)}.")
    return value


def chosen_filter(ctx: Context) -> tuple[Filter, list[tuple[str, str, str]]]:
    """The facets chosen (tag, source, lang, month, starred) as a library filter, and each as
    (what it is, its value, the parameter) for the list of filters shown."""
    request = ctx.request
    tags = normalize_tags(request.values("tag"))
    source = request.value("source")
    language = request.value("lang")
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise UsageError(f"{language!r} is not a language code (for example de or pt-BR).")
    if language is not None:
        language = language.lower().replace("_", "-")
    month = request.value("month")
    since = until = None
    if month is not None:
        found = _MONTH.fullmatch(month)
        if found is None:
            raise UsageError(f"month takes a month such as 2023-02; got {month!r}.")
        year, number = int(found[1]), int(found[2])
        since = f"{month}-01"
        until = f"{month}-{calendar.monthrange(year, number)[1]:02d}"
    starred = request.value("starred") is not None
    active = [("tag", tag, "tag") for tag in tags]
    active += [(label, value, name) for label, value, name in (
        ("outlet", source, "source"), ("language", language, "lang"), ("month", month, "month"),
    ) if value is not None]  # fmt: skip
    if starred:
        active.append(("starred", "★", "starred"))
    where = Filter(tags=tags, source=source, since=since, until=until,
                   starred=True if starred else None, language=language)  # fmt: skip
    return where, active
