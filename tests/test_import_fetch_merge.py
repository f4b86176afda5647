"""An entry and the article fetched for it: what the entry says wins, unless it only guessed."""

from __future__ import annotations

from clipper.library.importing_fetch import merge_article
from clipper.model import Draft


def _entry(source: str, origin: str) -> Draft:
    return Draft(text="Summary.", title="Tram approved", source=source,
                 provenance={"source": origin, "title": "feed"})  # fmt: skip


def _article(source: str | None, origin: str | None) -> Draft:
    return Draft(text="The whole article.", title="Tram approved", source=source,
                 provenance={"source": origin} if origin else {})  # fmt: skip


def test_an_outlet_read_from_the_feed_wins_over_the_page() -> None:
    merged = merge_article(
        _entry("Harbour Herald", "feed"), _article("Portmere Courier", "page metadata")
    )
    assert (merged.source, merged.provenance["source"]) == ("Harbour Herald", "feed")
    assert merged.text == "The whole article."


def test_an_outlet_the_feed_only_inferred_from_an_address_gives_way_to_the_page_metadata() -> None:
    merged = merge_article(
        _entry("herald.example", "url"), _article("Harbour Herald", "page metadata")
    )
    assert (merged.source, merged.provenance["source"]) == ("Harbour Herald", "page metadata")


def test_an_address_against_an_address_keeps_the_feed_s() -> None:
    merged = merge_article(_entry("herald.example", "url"), _article("cdn.example", "url"))
    assert (merged.source, merged.provenance["source"]) == ("herald.example", "url")
