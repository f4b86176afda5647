"""The press review as one Markdown document (CommonMark): contents, sections, clippings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from clipper.formats.markdown_text import escape_block, escape_inline, link_text
from clipper.formats.review import (
    count_label,
    date_range,
    dateline,
    excerpt,
    sections,
)
from clipper.model import Clipping


def render(
    clippings: Sequence[Clipping],
    *,
    title: str = "Press review",
    group_by: str = "date",
    excerpt_words: int | None = None,
    exported: datetime | None = None,
) -> str:
    """The whole review. With `excerpt_words`, only the opening words of each text."""
    when = (exported or datetime.now(UTC)).strftime("%-d %b %Y")
    parts = [f"# {escape_inline(title)}", ""]
    summary = [count_label(len(clippings)), date_range(clippings), f"exported {when}"]
    parts += [" · ".join(part for part in summary if part), ""]
    groups = sections(clippings, group_by)
    anchors = _Anchors()
    if group_by != "none" and groups:
        parts += [f"- [{escape_inline(g.name)}](#{anchors.of(g.name)}) ({len(g.clippings)})"
                  for g in groups]  # fmt: skip
        parts.append("")
    for group in groups:
        if group.name:
            parts += [f"## {escape_inline(group.name)}", ""]
        for clipping in group.clippings:
            parts += _clipping(clipping, excerpt_words)
    return "\n".join(parts).rstrip("\n") + "\n"


def _clipping(clipping: Clipping, excerpt_words: int | None) -> list[str]:
    star = "★ " if clipping.starred else ""
    lines = [f"### {star}{escape_inline(clipping.title)}", ""]
    byline = []
    if clipping.source or clipping.site:
        byline.append(f"*{escape_inline(clipping.source or clipping.site or '')}*")
    byline.append(dateline(clipping))
    if clipping.authors:
        byline.append("by " + escape_inline(", ".join(clipping.authors)))
    if clipping.url:
        byline.append(f"[{escape_inline(clipping.site or 'link')}]({link_text(clipping.url)})")
    if clipping.tags:
        byline.append(" ".join(f"`{tag.replace('`', '')}`" for tag in clipping.tags))
    lines += [" · ".join(byline), ""]
    if clipping.note:
        lines += ["> **Note:** " + escape_block(clipping.note).replace("\n\n", "\\\n"), ""]
    text, cut = (clipping.text, False)
    if excerpt_words is not None:
        text, cut = excerpt(clipping.text, excerpt_words)
    body = escape_block(text)
    if cut and clipping.url:
        body += f" [continued]({link_text(clipping.url)})"
    lines += [body, ""]
    return lines


class _Anchors:
    """GitHub-style heading anchors, unique within the document."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def of(self, heading: str) -> str:
        base = re.sub(r"[^\w\- ]", "", escape_inline(heading).replace("\\", "").lower())
        base = base.strip().replace(" ", "-") or "section"
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"
