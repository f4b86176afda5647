"""Plain text to a draft clipping: the title from the first line or the opening sentence."""

from __future__ import annotations

import re

from clipper.model import Draft

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'‘(\[]?[A-ZÀ-ÖØ-Þ0-9])")
_PARENTHETICAL = re.compile(r"\s*\([^)]{0,80}\)")
_LETTER_WORD = re.compile(r"^[^\W\d_]{2,}[’'.-]?\w*[,:;!?]?$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
MAX_TITLE_WORDS = 14
MAX_HEADLINE_CHARS = 200


def looks_like_headline(line: str) -> bool:
    """A short line of mostly words, not ending like a sentence in mid-paragraph."""
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > MAX_HEADLINE_CHARS:
        return False
    if line.rstrip().endswith((".", ",", ";", ":")) and not line.rstrip().endswith("..."):
        return False
    wordy = sum(1 for word in words if _LETTER_WORD.match(word))
    return wordy >= 2 and wordy / len(words) >= 0.6


def generate_title(text: str) -> str:
    """A short title made from the opening sentence of the text."""
    first_paragraph = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    sentence = _SENTENCE_END.split(first_paragraph, maxsplit=1)[0].strip()
    sentence = _PARENTHETICAL.sub("", sentence).rstrip(" .!?;:,")
    words = sentence.split()
    if len(words) <= MAX_TITLE_WORDS:
        return " ".join(words)
    return " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:") + "…"


def split_title(text: str) -> tuple[str, str, str]:
    """(title, title_source, body): a headline on the first line is taken out of the body."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = _MARKDOWN_HEADING.sub("", first).strip()
    if rest.strip() and looks_like_headline(first):
        return first, "extracted", rest.strip()
    return generate_title(stripped), "generated", stripped


def draft_from_text(text: str, *, title: str | None = None) -> Draft:
    """A draft from pasted text; a given title wins over the one found in the text."""
    if title and title.strip():
        return Draft(text=text, title=title, title_source="given")
    found, source, body = split_title(text)
    return Draft(text=body, title=found or "Untitled", title_source=source)
