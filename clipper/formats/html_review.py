"""The press review as a standalone HTML page: styled, printable, everything escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape as html_escape
from urllib.parse import urlsplit

from clipper.formats.review import count_label, date_range, excerpt, human_date, sections
from clipper.model import Clipping
from clipper.sanitize import inert

_STYLE = """
body{font:16px/1.55 Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
header p,.meta{font:14px/1.4 system-ui,sans-serif;color:#555}
h1{font-size:1.9rem;margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
h3{font-size:1.2rem;margin-bottom:.2rem}.tag{background:#eef;border-radius:3px;padding:0 .3rem;margin-right:.2rem}
.note{border-left:3px solid #c90;background:#fff8e6;padding:.4rem .8rem;font-style:italic}
nav ul{font:14px/1.6 system-ui,sans-serif}article{margin-bottom:2rem}.star{color:#c90}
@media print{nav{display:none}a{color:inherit}}
"""  # noqa: E501 (one rule per line keeps the stylesheet scannable)


def escape(text: str, quote: bool = True) -> str:
    """HTML-escaped text without control characters (invalid in HTML, and no use to anyone)."""
    return html_escape(inert(text), quote=quote)


def render(
    clippings: Sequence[Clipping],
    *,
    title: str = "Press review",
    group_by: str = "date",
    excerpt_words: int | None = None,
    exported: datetime | None = None,
) -> str:
    """A complete HTML5 document. No text from a clipping is ever written unescaped."""
    when = (exported or datetime.now(UTC)).strftime("%-d %b %Y")
    summary = " · ".join(p for p in (count_label(len(clippings)), date_range(clippings),
                                     f"exported {when}") if p)  # fmt: skip
    groups = sections(clippings, group_by)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>",
        "<body>",
        f"<header><h1>{escape(title)}</h1><p>{escape(summary)}</p></header>",
    ]
    if group_by != "none" and groups:
        out.append("<nav><ul>")
        out += [f'<li><a href="#s{i}">{escape(g.name)}</a> ({len(g.clippings)})</li>'
                for i, g in enumerate(groups)]  # fmt: skip
        out.append("</ul></nav>")
    for index, group in enumerate(groups):
        out.append(f'<section id="s{index}">')
        if group.name:
            out.append(f"<h2>{escape(group.name)}</h2>")
        out += [_article(c, excerpt_words) for c in group.clippings]
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _article(clipping: Clipping, excerpt_words: int | None) -> str:
    star = '<span class="star">★</span> ' if clipping.starred else ""
    meta = []
    if clipping.source or clipping.site:
        meta.append(f"<em>{escape(clipping.source or clipping.site or '')}</em>")
    if clipping.date:
        meta.append(escape(human_date(clipping.published) or human_date(clipping.date)))
    if clipping.authors:
        meta.append("by " + escape(", ".join(clipping.authors)))
    if clipping.url and _is_web(clipping.url):
        meta.append(
            f'<a href="{escape(clipping.url, quote=True)}">{escape(clipping.site or "link")}</a>'
        )
    if clipping.tags:
        meta.append(" ".join(f'<span class="tag">{escape(t)}</span>' for t in clipping.tags))
    parts = [
        "<article>",
        f"<h3>{star}{escape(clipping.title)}</h3>",
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    if clipping.note:
        parts.append(f'<p class="note">{escape(clipping.note)}</p>')
    text, cut = (clipping.text, False)
    if excerpt_words is not None:
        text, cut = excerpt(clipping.text, excerpt_words)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    parts += [f"<p>{escape(p.strip()).replace(chr(10), '<br>')}</p>" for p in paragraphs]
    if cut and clipping.url and _is_web(clipping.url):
        parts.append(f'<p><a href="{escape(clipping.url, quote=True)}">Continue reading</a></p>')
    parts.append("</article>")
    return "\n".join(parts)


def _is_web(url: str) -> bool:
    # Only http(s) links become clickable: a javascript: URL must never reach an href.
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:  # a malformed host, typed into clippings.json by hand
        return False
