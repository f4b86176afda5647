"""Provenance: for each metadata field of a clipping, how its value was found.

A wrong outlet or author is worse than none, so capture says where each value came from and a
user (or a test) can judge it. Stored in the record as a map, field -> origin; a record from
before provenance was kept simply has none.
"""

from __future__ import annotations

from typing import Any

from clipper.errors import UsageError

FIELDS = ("title", "source", "authors", "published", "language")
ORIGINS = (
    "given",  # typed by the user
    "page metadata",  # the page's JSON-LD, Open Graph, <meta>, <time> or <html lang>
    "headline",  # the page's or the text's own headline
    "byline",  # a "By ..." line at the top of the text
    "dateline",  # the story's dateline: "BAKU (Reuters) -", a date line above the story
    "source line",  # a "Source: ..." line
    "signature",  # a closing signature: "- AP"
    "attribution",  # "the embassy told News.Az" where News.Az publishes the text
    "url",  # the site of the page's address
    "feed",  # the feed the item came from
    "detected",  # language detection on the text
    "generated",  # made from the text (a title from its first sentence)
)


def validate_provenance(value: Any, clipping: Any = None) -> dict[str, str]:
    """A provenance map of known fields to known origins, in field order; with `clipping`,
    entries for fields it leaves empty are dropped (a cleared field has no origin)."""
    if not isinstance(value, dict):
        raise UsageError("provenance must be a map of field names to how they were found.")
    for name, origin in value.items():
        if name not in FIELDS:
            raise UsageError(
                f"{name!r} is not a field with a provenance: use {', '.join(FIELDS)}."
            )
        if origin not in ORIGINS:
            raise UsageError(f"{origin!r} is not a provenance: use one of {', '.join(ORIGINS)}.")
    return {
        name: value[name]
        for name in FIELDS
        if name in value and (clipping is None or getattr(clipping, name))
    }
