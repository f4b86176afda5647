"""The items of a fetched feed as a watch sees them: parsed safely, each with the keys that
say whether it was seen before, its draft, and whether its text is only the feed's summary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from clipper.errors import ClipperError, UsageError
from clipper.formats.feeds import read_feed_items
from clipper.model import Draft, content_hash
from clipper.watch.watches import refuse_entities

# The tag of a clipping whose text is the feed's summary, not the article: the item had no
# link, its page could not be fetched, or the watch does not fetch pages.
SUMMARY_TAG = "feed-summary"


@dataclass(slots=True)
class FeedItem:
    """One entry of a feed: its draft (text: the feed's content or summary) and its keys."""

    feed: str
    draft: Draft
    keys: list[str]

    @property
    def link(self) -> str | None:
        return self.draft.url


def parse_items(url: str, body: bytes, final_url: str | None) -> list[FeedItem]:
    """The usable items of a feed; UsageError (a one-line reason) when it is no feed at all,
    is broken before its first item, or declares XML entities."""
    refuse_entities(body, "the feed")
    try:
        parsed = read_feed_items(body, final_url or url, "the feed")
    except UsageError as error:
        reason = error.message.removeprefix("the feed ").removesuffix("; nothing was imported.")
        raise UsageError(reason) from None
    items = []
    for _, guid, result in parsed:
        if isinstance(result, ClipperError):
            continue  # an unusable entry (no text, no title): nothing to judge
        keys = [f"id:{guid}"] if guid else []
        if result.url:
            keys.append(f"url:{result.url}")
        if not keys:
            keys.append(f"text:{content_hash(result.title + chr(10) + result.text)}")
        items.append(FeedItem(url, result, keys))
    return items


def too_old(item: FeedItem, cutoff: datetime) -> bool:
    """Whether an item was published before `cutoff` (an undated item never is)."""
    published = (item.draft.published or "")[:10]
    return bool(published) and published < cutoff.strftime("%Y-%m-%d")


def for_watch(item: FeedItem, tags: list[str], *, summary: bool) -> Draft:
    """The item's draft as the watch keeps it: the watch's tags (the feed's own categories
    are left out: they say nothing the user chose), and the summary mark when so."""
    return replace(item.draft, tags=[*tags, *([SUMMARY_TAG] if summary else [])])
