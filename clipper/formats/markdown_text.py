"""Text made safe for CommonMark: whatever a clipping says, it cannot break the document."""

from __future__ import annotations

import re

from clipper.sanitize import inert

# Characters with inline meaning anywhere in a line. CommonMark lets a backslash escape any
# ASCII punctuation, so escaping more than strictly needed is always safe. '#' too: at the end
# of a heading, "### Issue #" would otherwise lose its closing hashes.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!#])")
# Line starts that would open a block: headings, quotes, lists, rules, setext underlines, tables.
_BLOCK_START = re.compile(r"^([#>+=\-]|\d{1,9}(?=[.)]))")
_ORDERED_MARK = re.compile(r"^(\d{1,9})([.)])")


def escape_inline(text: str) -> str:
    """Escape a one-line value (a title, a name) for use inside Markdown."""
    return _INLINE.sub(r"\\\1", " ".join(inert(text).split()))


def escape_line(line: str) -> str:
    """Escape one line of body text so it stays a plain paragraph line."""
    line = _INLINE.sub(r"\\\1", line.strip())
    ordered = _ORDERED_MARK.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{line[ordered.end() :]}"
    if _BLOCK_START.match(line):
        return "\\" + line
    return line


def escape_block(text: str) -> str:
    """Escape body text, keeping its paragraphs: blank lines separate them, single line
    breaks inside a paragraph are kept as hard breaks."""
    paragraphs = re.split(r"\n\s*\n", inert(text).strip())
    rendered = []
    for paragraph in paragraphs:
        lines = [escape_line(line) for line in paragraph.split("\n") if line.strip()]
        if lines:
            rendered.append("\\\n".join(lines))
    return "\n\n".join(rendered)


def link_text(url: str) -> str:
    """A URL as a CommonMark link destination in angle brackets, safe for any characters."""
    return (
        "<"
        + url.replace("\\", "%5C")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace(" ", "%20")
        .replace("\n", "")
        + ">"
    )
