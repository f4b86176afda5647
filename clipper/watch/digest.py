"""The Markdown digest of a run, for a mail or a chat: what each watch added, one section per
watch, the copies of one story (near duplicates: the same wire story on two feeds) together."""

from __future__ import annotations

from datetime import datetime

from clipper.formats.markdown_text import escape_inline, link_text
from clipper.model import Clipping
from clipper.watch.run import RunReport

EXCERPT_WORDS = 40


def stories(added: list[Clipping]) -> list[list[Clipping]]:
    """The clippings grouped by story as the press review groups them (near duplicates are
    one story, its copy shown first), in the order their first copy was added."""
    from clipper.formats.stories import fold

    return [list(story.clippings) for story in fold(added)]


def render_digest(report: RunReport, *, now: datetime) -> str:
    """The digest as Markdown; a run that added nothing says so in one line."""
    lines = [f"# Watch digest, {now.strftime('%Y-%m-%d %H:%M')} UTC", ""]
    total = sum(len(w.added) for w in report.watches)
    if not total:
        lines += ["Nothing new.", ""]
    for watch in report.watches:
        if not watch.added:
            continue
        grouped = stories(watch.added)
        count = f"{len(watch.added)} new" + (
            f" in {len(grouped)} stories" if len(grouped) != len(watch.added) else ""
        )
        lines += [f"## {escape_inline(watch.name)}: {count}", ""]
        for story in grouped:
            lines += _story(story)
    if report.failed:
        lines += ["## Feeds that failed", ""]
        lines += [f"- {escape_inline(url)}: {escape_inline(report.feeds[url].error or '')}"
                  for url in report.failed]  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _story(copies: list[Clipping]) -> list[str]:
    lead = copies[0]
    words = lead.text.split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")
    lines = [f"### {escape_inline(lead.title)}", ""]
    if len(copies) > 1:
        lines += [f"{len(copies)} copies of this story.", ""]
    lines += [escape_inline(excerpt), ""]
    for copy in copies:
        where = copy.source or copy.site or "unknown outlet"
        when = f", {copy.published[:10]}" if copy.published else ""
        label = f"{escape_inline(where)}{escape_inline(when)}: {escape_inline(copy.title)}"
        link = f"[{label}]({link_text(copy.url)})" if copy.url else label
        lines.append(f"- {link} (clip show {copy.id})")
    lines.append("")
    return lines
