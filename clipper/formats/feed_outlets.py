"""The outlet of a feed's items: the site's name, not the title of a programme or a section.

A feed's title is often "Today", "World" or "SPIEGEL ONLINE - Schlagzeilen": it names the
outlet only when it agrees with the feed's site. An aggregator's items (links to other sites)
are each from their own site.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from clipper.capture.outlet_names import SITE_NAMES
from clipper.capture.outlets import outlet_from_url, registrable_domain
from clipper.model import Draft

_PARTS = re.compile(r"\s+[|–—:-]\s+|:\s+")


def _domain(url: str | None) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").lower() if url else ""
    except ValueError:  # a malformed address in the feed: no domain to take the outlet from
        return None
    return registrable_domain(host.removeprefix("www.")) if host else None


def feed_outlet(title: str | None, site: str | None, item: str | None) -> tuple[str | None, str]:
    """(outlet, how it was found) for an item at `item` in a feed titled `title` of `site`."""
    site_domain, item_domain = _domain(site), _domain(item)
    if item_domain and site_domain and item_domain != site_domain:
        return outlet_from_url(item), "url"  # an aggregator: the item's own site
    domain = site_domain or item_domain
    if domain is None:
        return None, "feed"
    if domain in SITE_NAMES:
        return SITE_NAMES[domain], "url"
    first = _PARTS.split(title or "")[0].strip()
    compact = re.sub(r"\W", "", first).casefold()
    label = domain.split(".")[0].replace("-", "")
    if len(label) >= 3 and compact and (label in compact or compact in label):
        return first, "feed"
    return outlet_from_url(site or item), "url"


def with_feed_provenance(draft: Draft, source_origin: str) -> Draft:
    """The draft, saying that its fields came from the feed (its outlet as found)."""
    origins = {"title": "generated" if draft.title_source == "generated" else "feed"}
    for name in ("authors", "published", "language"):
        if getattr(draft, name):
            origins[name] = "feed"
    if draft.source:
        origins["source"] = source_origin
    draft.provenance = origins
    return draft
