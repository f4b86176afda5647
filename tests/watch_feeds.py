"""Feeds and pages written for the watch tests: RSS built from a few fields, served locally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"


@dataclass
class Item:
    title: str
    summary: str
    link: str | None = None
    guid: str | None = None
    age: timedelta = timedelta(hours=2)


def rss(items: list[Item], *, title: str = "Portmere Courier") -> str:
    """An RSS 2.0 feed of the items, dated relative to now."""
    now = datetime.now(UTC)
    entries = []
    for item in items:
        parts = [f"<title>{escape(item.title)}</title>",
                 f"<description>{escape(item.summary)}</description>",
                 f"<pubDate>{format_datetime(now - item.age)}</pubDate>"]  # fmt: skip
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        entries.append(f"<item>{''.join(parts)}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>news</description>{''.join(entries)}</channel></rss>"
    )


def page(
    title: str, paragraphs: list[str], *, outlet: str = "Portmere Courier", menu: str = "News"
) -> str:
    """An article page with a menu, an aside and a footer around the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f'</title><meta property="og:site_name" content="{escape(outlet)}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/news">{escape(menu)}</a></nav>'
        f"<main><article><h1>{escape(title)}</h1>{body}</article></main>"
        "<footer>All rights reserved. Privacy. Cookies.</footer></body></html>"
    )


TRAM = [
    "The city council of Portmere voted on Thursday to build a 6.4-kilometre tram line linking "
    "the central station with the redeveloped old docks, ending a debate that has divided the "
    "harbour city for almost a decade.",
    "Thirty-one councillors voted in favour and eighteen against. The line, with nine stops, is "
    "expected to carry 28,000 passengers a day when it opens in 2030.",
    "Shopkeepers on Canal Street, where the tracks will run, asked for compensation during two "
    "years of construction. The council said a support fund would be set up before work begins.",
]
FERRY = [
    "The ferry between Portmere and the islands will sail twice as often from next month, the "
    "operator announced on Monday after a summer of crowded crossings and long queues.",
    "A second vessel, leased from a Norwegian company, joins the route in October. Fares stay "
    "the same, and the first sailing of the day moves half an hour earlier.",
    "Island residents had petitioned for more crossings for three years, saying the single "
    "boat could not carry the lorries that supply their shops.",
]
BUDGET = [
    "Portmere's budget for next year puts most of its new spending into schools and the "
    "harbour walls, the finance committee said, after a long session on Tuesday night.",
    "Among the smaller lines, the council keeps money aside for the tram depot it approved in "
    "the spring, and for the repair of three bridges over the canal.",
    "Councillors from the opposition said the budget raised local taxes by more than the "
    "inflation rate and promised to vote against it in December.",
]
