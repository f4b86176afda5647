"""Web pages written for the capture tests: an article with the usual page furniture."""

from __future__ import annotations

PARAGRAPHS = [
    "The city council of Portmere voted on Thursday to build a 6.4-kilometre tram line linking "
    "the central station with the redeveloped old docks, ending a debate that has divided the "
    "harbour city for almost a decade.",
    "Thirty-one councillors voted in favour and eighteen against. The line, with nine stops, is "
    "expected to carry 28,000 passengers a day when it opens in 2030.",
    "Shopkeepers on Canal Street, where the tracks will run, asked for compensation during two "
    "years of construction. The council said a support fund would be set up before work begins.",
]


def article_page(
    *,
    title: str = "Portmere approves tram line to the old docks - Portmere Courier",
    head: str | None = None,
    paragraphs: list[str] | None = None,
    charset: str = "utf-8",
    lang: str = "en",
    extra_body: str = "",
) -> str:
    """An article page; `head` replaces the default metadata when given."""
    metadata = head if head is not None else (
        '<meta property="og:site_name" content="Portmere Courier">'
        '<meta name="author" content="Ann Smith">'
        '<meta property="article:published_time" content="2024-03-14T09:30:00Z">'
        '<meta name="description" content="Thirty-one votes to eighteen for nine stops.">'
        '<link rel="canonical" href="https://www.portmere-courier.example/tram?utm_source=rss">'
    )
    body = "".join(f"<p>{p}</p>" for p in (paragraphs if paragraphs is not None else PARAGRAPHS))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>{title}</title>{metadata}</head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        '<div class="ad">Advertisement</div>'
        f"<main><article><h1>Portmere approves tram line to the old docks</h1>{body}{extra_body}"
        "</article></main>"
        '<aside><h2>Most read</h2><ul><li><a href="/a">Ferry strike ends</a></li>'
        '<li><a href="/b">Harbour festival returns</a></li></ul></aside>'
        "<footer>© 2024 Portmere Courier. All rights reserved. Privacy. Cookies.</footer>"
        "</body></html>"
    )


EMPTY_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a menu</title></head><body>"
    '<nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>'
)
