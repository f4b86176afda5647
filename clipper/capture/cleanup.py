"""Page chrome in pasted text: the widget, share, advert and cookie lines around an article.

Only whole lines are dropped, and only short ones that match what sites put around articles;
paragraphs of the article itself are never cut or re-wrapped.

Chrome here means font-size widgets, share rows, adverts, "Read more", cookie notices and
bylines; the dropped lines are where the date usually is, so they are handed on to the date
reader. Navigation lines (`Home | Politics | World`, `News » Europe`) are chrome too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clipper.capture.dates import find_date, strip_dates

MAX_CHROME_WORDS = 14

_I = re.IGNORECASE
# A line that is nothing but one of these (give or take punctuation) is chrome.
_STANDALONE = re.compile(
    r"^(?:advertisement|advertisements|advert|ad|anzeige|publicité|publicidad|реклама|"
    r"sponsored(?: content)?|promoted|read more|read also|read next|more|see also|related|"
    r"related (?:articles|stories|news|content|topics|coverage)|more (?:on|from) (?:this|the).*|"
    r"most (?:read|popular|viewed)|top stories|trending|recommended(?: for you)?|"
    r"share|share this(?: article| story| page)?|share on \w+|tweet|print|e-?mail|comments?|"
    r"\d+ comments?|leave a comment|subscribe|subscribe now|sign up|log ?in|sign in|menu|"
    r"home|search|close|back to top|skip to (?:main )?content|loading\.*|listen|"
    r"listen to (?:this )?article|watch|play video|image caption|media caption|"
    r"image source.*|photo:.*|getty images|copy link|link copied|copied|"
    r"font size|text size|a\+? ?a-?|a a a|zoom|print this (?:article|page)|"
    r"(?:\d+ )?min(?:ute)?s? read|(?:(?:updated|published|posted)\s+)?(?:\d+|an?|one)\s+"
    r"(?:second|minute|min|hour|hr|day|week|month)s?\s+ago|reading time:? .*|"
    r"\d+ views?|views:? \d+|"
    r"all rights reserved\.?|tags?:.*|categories:.*|filed under:?.*)$",
    _I,
)
# Lines that start like chrome whatever follows (kept short by MAX_CHROME_WORDS).
_LEADING = re.compile(
    r"^(?:read more|read also|also read|read next|see also|more on this|"
    r"follow us|follow (?:@|\w+ on )|join (?:us|our) (?:on|telegram|whatsapp)|"
    r"subscribe (?:to|for)|sign up (?:for|to)|click here|download (?:our|the) app|"
    r"related:|©|copyright\b|share (?:this|on)|(?:updated|published|posted)(?::|\s+(?:on|at)\b)|"
    r"last (?:updated|modified))",
    _I,
)
_COOKIES = re.compile(
    r"\b(?:we use cookies|this (?:web)?site uses cookies|uses? cookies to|accept (?:all )?cookies|"
    r"cookie (?:policy|settings|preferences|consent)|by continuing to (?:use|browse))",
    _I,
)
_SOCIAL_WORDS = (
    "facebook twitter x whatsapp telegram linkedin email e-mail reddit pinterest vk "
    "messenger copy link print share tweet instagram youtube tiktok threads bluesky "
    "mastodon viber sms"
)
_SOCIAL = frozenset(_SOCIAL_WORDS.split())
# Font-size and other widget marks: "16 px", the reset arrow, "A+ A-".
_WIDGET = re.compile(r"\b\d{1,2}\s?px\b|[↺↻⟳]|\bA\+\s*A[−-]")
_DATE_WORDS = re.compile(
    r"\b(?:date|published|updated|posted|modified|last|on|at|am|pm|utc|gmt|e[sd]t|c[sd]t|"
    r"m[sd]t|p[sd]t|bst|cet|cest|eet|eest|msk|ist|azt|gst|pkt|jst|kst|aest|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|ago|"
    r"hours?|minutes?|mins?|px|by)\b|\d{1,2}:\d{2}(?::\d{2})?|[|•·,:+−–—/↺↻-]",
    _I,
)


_PERSON = r"[A-Z][\w.'’-]+(?:\s+(?:van|von|de|der|da|di|al|bin|ibn|[A-Z][\w.'’-]+)){1,3}"
# "By Jane Doe and John Roe | Reuters | 23 Feb 2023" at the top of an article.
_BYLINE = re.compile(
    rf"^\s*(?i:by|von|par|por|di|door|av)\s+(?P<names>{_PERSON}(?:\s*(?:,|and|&|und|et|y|e)\s*"
    rf"{_PERSON})*)(?P<rest>.*)$"
)
_NOT_NAMES = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the|this|last|next)\b", _I
)
PARAGRAPH_WORDS = 20


@dataclass(slots=True)
class Cleaned:
    """The text without chrome, and what the dropped lines held: their text, a byline's names."""

    text: str
    dropped: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def byline_authors(line: str) -> list[str]:
    """The names in a byline ('By Jane Doe and John Roe, Reuters'), else an empty list."""
    match = _BYLINE.match(line)
    if not match or len(_words(line)) > MAX_CHROME_WORDS or _NOT_NAMES.search(match["names"]):
        return []
    rest = match["rest"].strip(" ,|•·–—-")
    if rest and not (find_date(rest) or len(_words(rest)) <= 3):
        return []
    names = re.split(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s*", match["names"])
    return [name.strip() for name in names if name.strip()]


def _words(line: str) -> list[str]:
    return re.findall(r"[^\W_]+", line)


def is_social_line(line: str) -> bool:
    """A row of share buttons: 'Facebook Twitter WhatsApp Share'."""
    tokens = [t.lower() for t in re.findall(r"[\w-]+", line)]
    return len(tokens) >= 2 and all(t in _SOCIAL for t in tokens)


def is_navigation_line(line: str) -> bool:
    """Site navigation or breadcrumbs: short items joined by '|', '»', '>' or '/'
    ('Home | Politics | Economy | World', 'News » Europe'), never a sentence."""
    for separator in ("|", "»", ">", "/", "›"):
        items = [item.strip() for item in line.split(separator)]
        # Three items at least for '|' and '/', which headlines also use; two for breadcrumbs.
        fewest = 3 if separator in "|/" else 2
        if len(items) < fewest or not all(items):
            continue
        if all(len(_words(item)) <= 3 and re.search(r"[^\W\d_]", item)
               and not re.search(r"[.!?,;:]$|https?:", item)
               for item in items):  # fmt: skip
            return True
    return False


def is_date_line(line: str) -> bool:
    """A line that holds a date and nothing else but date words, times and widget marks."""
    if find_date(line) is None:
        return False
    rest = _DATE_WORDS.sub(" ", strip_dates(line))
    return len(_words(rest)) <= 1


def is_chrome(line: str) -> bool:
    """Whether a line of pasted text is page furniture rather than article."""
    text = line.strip()
    if not text:
        return False
    words = _words(text)
    if len(words) > MAX_CHROME_WORDS * 3:
        return False
    bare = text.strip(" \t.:;!?|•·»«>–—-*")
    if _STANDALONE.match(bare) or is_social_line(text) or is_date_line(text):
        return True
    if is_navigation_line(text):
        return True
    if len(words) <= MAX_CHROME_WORDS and (_LEADING.match(bare) or _WIDGET.search(text)):
        return True
    return bool(_COOKIES.search(text))


def remove_chrome(text: str) -> Cleaned:
    """The text with chrome lines dropped; blank-line runs left behind are closed up."""
    cleaned = Cleaned("")
    kept: list[str] = []
    in_header = True  # until the first real paragraph: where bylines are
    for line in text.split("\n"):
        authors = byline_authors(line) if in_header else []
        if authors or is_chrome(line):
            cleaned.dropped.append(line.strip())
            cleaned.authors += authors
            continue
        kept.append(line.rstrip())
        in_header = in_header and len(_words(line)) < PARAGRAPH_WORDS
    cleaned.text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return cleaned
