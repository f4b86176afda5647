"""A clipping in full (metadata, text, passages, its near duplicates and related clippings),
and a story: a clipping with the copies of it other outlets carried."""

from __future__ import annotations

from clipper.formats.stories import Story, fold
from clipper.model import Clipping
from clipper.passages import spans as passage_spans
from clipper.serve.app import Context, View
from clipper.serve.marking import paragraphs, spans_of

RELATED = 5  # related clippings listed under a clipping
MAX_COPIES = 500  # a story is read link by link up to this many copies


def clipping(ctx: Context, number: str) -> View:
    """The clipping, its text with the passages quoted and (coming from a search) the query's
    words highlighted, as `clip show --highlight` does."""
    lib, query = ctx.lib, ctx.request.value("q")
    [found] = lib.get_many([int(number)])
    title = None
    hits: list[tuple[int, int]] = []
    if query is not None:
        from clipper.search.searcher import highlight

        title, text = highlight(query, found)  # a malformed query is the CLI's error
        hits = spans_of(text)
    quoted = passage_spans(found.text, found.passages)
    near = lib.find(list(found.near_duplicates))
    related = lib.related(found.id, limit=RELATED).hits
    return View("clipping.html.j2", {
        "c": found, "title": title, "paragraphs": paragraphs(found.text, hits, quoted),
        "near": [near[i] for i in found.near_duplicates if i in near], "related": related,
        "marked": bool(hits),
    })  # fmt: skip


def story(ctx: Context, number: str) -> View:
    """The story a clipping belongs to: every copy reached through near-duplicate links, the
    copy a review shows first, and where the others appeared."""
    [start] = ctx.lib.get_many([int(number)])
    copies = _linked(ctx, start)
    folded: Story = next(s for s in fold(copies) if start in s.clippings)
    lead = folded.lead
    return View("story.html.j2", {
        "story": folded, "lead": lead, "asked": start,
        "paragraphs": paragraphs(lead.text, [], passage_spans(lead.text, lead.passages)),
    })  # fmt: skip


def _linked(ctx: Context, start: Clipping) -> list[Clipping]:
    """The clipping and every clipping linked to it, directly or through others."""
    found = {start.id: start}
    asked = {start.id}
    waiting = [i for i in start.near_duplicates if i not in asked]
    while waiting and len(found) < MAX_COPIES:
        asked.update(waiting)
        fetched = ctx.lib.find(waiting)  # a copy in the trash is not found: left out
        found.update(fetched)
        waiting = list(dict.fromkeys(
            i for c in fetched.values() for i in c.near_duplicates if i not in asked
        ))  # fmt: skip
    return sorted(found.values(), key=lambda c: c.id)
