"""The press review as one Markdown document (CommonMark): contents, sections, clippings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from clipper.formats.markdown_text import escape_block, escape_inline, link_text
from clipper.formats.press_review import SHARE_SAFE_NOTICE, Entry, Options, Review, build
from clipper.model import Clipping


def render(
    clippings: Sequence[Clipping], options: Options | None = None, **fields: Any
) -> str:
    """The whole review (`fields`: those of press_review.Options, without `options`)."""
    return render_review(build(clippings, options or Options(**fields)))


def render_review(review: Review) -> str:
    parts = [f"# {escape_inline(review.title)}", ""]
    if review.subtitle:
        parts += [f"*{escape_inline(review.subtitle)}*", ""]
    parts += [review.summary, ""]
    if review.share_safe:
        parts += [f"*{SHARE_SAFE_NOTICE}*", ""]
    # Counts only say something when there is more than one outlet or tag to compare.
    if len(review.outlets) > 1 or len(review.tags) > 1:
        counts = [_counts("Outlets", review.outlets), _counts("Tags", review.tags)]
        parts += [*(line for line in counts if line), ""]
    anchors = _Anchors()
    if review.grouped and review.parts:
        parts += [f"- [{escape_inline(p.name)}](#{anchors.of(p.name)}) ({len(p.entries)})"
                  for p in review.parts]  # fmt: skip
        parts.append("")
    for part in review.parts:
        if part.name:
            parts += [f"## {escape_inline(part.name)}", ""]
        for entry in part.entries:
            parts += _entry(entry)
    return "\n".join(parts).rstrip("\n") + "\n"


def _counts(label: str, counts: tuple[tuple[str, int], ...]) -> str:
    if not counts:
        return ""
    listed = " · ".join(f"{escape_inline(name)} {count}" for name, count in counts)
    return f"**{label}:** {listed}  "


def _entry(entry: Entry) -> list[str]:
    clipping = entry.clipping
    star = "★ " if clipping.starred else ""
    lines = [f"### {star}{escape_inline(clipping.title)}", ""]
    byline = []
    if entry.outlet:
        byline.append(f"*{escape_inline(entry.outlet)}*")
    byline.append(entry.dateline)
    if clipping.authors:
        byline.append("by " + escape_inline(", ".join(clipping.authors)))
    if clipping.url:
        byline.append(f"[{escape_inline(clipping.site or 'link')}]({link_text(clipping.url)})")
    if clipping.tags:
        byline.append(" ".join(f"`{tag.replace('`', '')}`" for tag in clipping.tags))
    lines += [" · ".join(byline), ""]
    if entry.also_in:
        copies = "; ".join(
            escape_inline(f"{copy.outlet}, {copy.date}")
            + (f" ([link]({link_text(copy.url)}))" if copy.url else "")
            for copy in entry.copies
        )
        lines += [f"Also in: {escape_inline(entry.also_in)} · {copies}", ""]
    if clipping.note:
        lines += ["> **Note:** " + escape_block(clipping.note).replace("\n\n", "\\\n"), ""]
    for passage in entry.passages:
        lines += ["> " + escape_block(" ".join(passage.split())), ""]
    if entry.body:
        body = escape_block(entry.body)
        if entry.cut and clipping.url:
            body += f" [continued]({link_text(clipping.url)})"
        lines += [body, ""]
    if entry.attribution:
        lines += [f"*{escape_inline(entry.attribution)}*", ""]
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
