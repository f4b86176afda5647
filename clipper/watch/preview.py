"""`clip watch test`: a watch's query on the clippings kept, and on its feeds' current items,
as a preview. Nothing is written: no clipping, no feed state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError, UsageError
from clipper.model import Clipping
from clipper.watch.fetching import FeedRequest, HostGate, fetch_feeds
from clipper.watch.items import FeedItem, for_watch, parse_items, too_old
from clipper.watch.watches import Watch

if TYPE_CHECKING:
    from clipper.library.core import Library
    from clipper.selection import Filter
    from clipper.team.library import TeamLibrary


@dataclass(slots=True)
class Preview:
    """Clippings kept that match; feed items that match (True) or that only their full text
    would decide (None); feeds that failed, with their error."""

    watch: Watch
    kept: list[Clipping]
    items: list[tuple[FeedItem, bool | None]] = field(default_factory=list)
    looked_at: int = 0  # feed items judged
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "watch": self.watch.name,
            "kept": [c.to_dict() for c in self.kept],
            "items": [
                {
                    "feed": item.feed,
                    "title": item.draft.title,
                    "url": item.link,
                    "published": item.draft.published,
                    "verdict": "match" if verdict else "full text decides",
                }
                for item, verdict in self.items
            ],
            "items_judged": self.looked_at,
            "failed_feeds": self.failed,
        }


def preview(
    library: Library | TeamLibrary,
    watch: Watch,
    *,
    where: Filter | None,
    feeds: bool,
    now: datetime,
    cutoff: datetime | None = None,
) -> Preview:
    """What the watch would keep: from the library (`where`: --since), and from its feeds'
    current items (published after `cutoff`) when `feeds`."""
    from clipper.search.drafts import judge

    kept = library.select(where, query=watch.query)
    result = Preview(watch, kept)
    if not feeds:
        return result
    answers = fetch_feeds([FeedRequest(url) for url in watch.feeds], HostGate(), now=now)
    items: list[FeedItem] = []
    for url, answer in answers.items():
        try:
            if answer.outcome != "fetched":
                raise UsageError(answer.error or answer.outcome)
            items += parse_items(url, answer.body, answer.final_url)
        except UsageError as error:
            result.failed[url] = error.message
    if cutoff is not None:
        items = [item for item in items if not too_old(item, cutoff)]
    clippings: dict[int, Clipping] = {}
    for number, item in enumerate(items, start=1):
        summary = item.link is None or not watch.full_text
        try:
            draft = for_watch(item, watch.clipping_tags, summary=summary)
            clippings[number] = Clipping.create(number, draft.validated(order=library.date_order))
        except ClipperError:
            continue
    complete = [i for i in clippings if items[i - 1].link is None or not watch.full_text]
    verdicts = judge(watch.parsed(order=library.date_order), clippings, complete)
    result.looked_at = len(clippings)
    result.items = [(items[i - 1], v) for i, v in verdicts.items() if v is not False]
    return result
