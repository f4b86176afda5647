"""HTML fragments (feed content, wallabag articles) as plain text with paragraph breaks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end a paragraph; their text is kept, separated by a blank line.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is never text for a reader.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAK = "\x00"  # stands for a paragraph break until the text is assembled


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag == "pre":
            self.preformatted += 1
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "pre":
            self.preformatted = max(0, self.preformatted - 1)
        if tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            data = data.replace(_BREAK, "")
            # Outside <pre>, a newline in the source is only a space.
            self.parts.append(data if self.preformatted else data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: block elements become paragraphs, `<br>` a line
    break, scripts and styles are dropped, entities decoded, runs of spaces collapsed."""
    if "<" not in html and "&" not in html:
        return _tidy(re.sub(r"\n[ \t]*\n", _BREAK, html.replace(_BREAK, "")))
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return _tidy("".join(collector.parts))


def _tidy(raw: str) -> str:
    paragraphs = []
    for block in raw.split(_BREAK):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def looks_like_html(text: str) -> bool:
    """Whether a field that may hold HTML or plain text holds HTML."""
    return bool(re.search(r"<(p|br|div|a|img|span|em|strong|b|i|ul|ol|li|h\d)\b[^>]*>", text, re.I))
