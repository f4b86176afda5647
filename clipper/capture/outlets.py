"""The outlet of a news item: from what its text says of itself, else from the site of its URL.

Precision first. A `Source:` line, a dateline agency (`LONDON (Reuters) -`) and a closing
signature (`- AP`) say who publishes the text. An attribution (`the embassy told News.Az`)
counts only for a known outlet that publishes the text: not one quoted as the place of an
interview (`told the Reuters news agency`, `told BBC Radio 4`), and only when it stands in the
opening lines or the text names no other outlet.

The order of trust: a `Source:` line, a dateline agency (`(Reuters) -`, or any name in `CITY,
date (Name) -`), a closing signature (`— AP`), then an attribution (`told News.Az`) only for an
outlet of the table in `outlet_names.py` that publishes the text: in the opening two
paragraphs, with no other outlet named, and not quoted as the place of an interview (`told the
Reuters news agency`, `BBC Radio 4`, `the BBC's Newsnight`); then the site of the URL. No
outlet is guessed from capitalised words.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from clipper.capture.outlet_names import AGENCIES, SITE_NAMES

_SUFFIXES_TEXT = (
    "co.uk org.uk ac.uk gov.uk com.au net.au co.nz co.jp co.in com.br com.tr co.za com.cn "
    "com.pk com.mx com.ar co.kr com.sg com.hk com.ng co.il com.ua com.eg com.sa"
)
_TWO_LEVEL_SUFFIXES = frozenset(_SUFFIXES_TEXT.split())
# Second levels under a country's domain that no publisher owns: gov.br, com.az, org.ua.
_GENERIC_TEXT = "com net org gov edu ac co mil nic or ne go gob gouv"
_GENERIC = frozenset(_GENERIC_TEXT.split())
OPENING_LINES = 2  # paragraphs where the outlet that publishes a text names itself

_NAME = r"(?:[A-Z][\w&’'/-]*(?:\.[A-Za-z]{2,})*)"
_NAME_RUN = rf"(?P<name>{_NAME}(?:[ \t]+(?:of[ \t]+|&[ \t]+)?{_NAME}){{0,4}})"
# "Source: News.Az", "Source - The Daily Example" on a line of its own: the strongest signal,
# taken as written whatever the name looks like.
_SOURCE_LINE = re.compile(
    r"^[ \t]*(?:source|sources|quelle|fuente|fonte|источник|mənbə)[ \t]*[:—–-][ \t]*"
    r"(?P<name>[^\W_][^\n]{0,58}?)[ \t]*\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "BAKU (Reuters) -", "(AP) —", "BAKU /Trend/ -", "(CNN)" at the start of a line.
_DATELINE = re.compile(
    rf"^(?P<city>[^\n]{{0,60}}?)[(/]\s*{_NAME_RUN}\s*[)/]\s*(?P<dash>[-—–:]|$|(?=[A-Z]))",
    re.MULTILINE,
)
_CITY = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'’. -]{1,30}(?:,[^\n()]{1,40})?\s*$")
# A closing signature: "— AP", "- Reuters", "(AFP)" alone on one of the last lines.
_SIGNATURE = re.compile(rf"^\s*(?:[—–-]+\s*|\(\s*){_NAME_RUN}\s*\)?\s*$", re.MULTILINE)
_ATTRIBUTIONS = (
    re.compile(
        rf"\b(?:told|according to|cited by|quoted by|reported by)\s+(?:the\s+)?{_NAME_RUN}"
    ),
    re.compile(
        rf"(?:^|[.!?]\s+){_NAME_RUN}\s+(?:reports|reported|informs|writes|learned)\b", re.MULTILINE
    ),
)
# What follows an outlet quoted as the place of an interview, not as the text's publisher.
_INTERVIEW_AFTER = re.compile(
    r"^\W{0,3}(?:(?-i:(?:'s|’s)\s+[A-Z\d])|(?:\s*\w+){0,3}?\s*\b(?:news agency|agency|programme|"
    r"program|show|magazine|newspaper|paper|radio|tv|television|channel|podcast|documentary|"
    r"website|interview|in an interview)\b)",
    re.IGNORECASE,
)
_INTERVIEW_BEFORE = re.compile(r"\binterview(?:ed)?\b[^.]{0,40}$", re.IGNORECASE)
_KNOWN_NAME = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in sorted(AGENCIES, key=len, reverse=True))
    + r")(?![\w]|\.[A-Za-z])",
    re.IGNORECASE,
)  # fmt: skip
_LONGER_NAME = re.compile(
    r"^(?:'s|’s)?\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|On|In|"
    r"That|This|Last|Earlier|Today)\b)[A-Z]"
)
_DOMAIN_LIKE = re.compile(r"^[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+$")


def known_outlet(candidate: str) -> str | None:
    """The outlet a name stands for when the table knows it ("the Associated Press" -> AP)."""
    name = candidate.strip().rstrip(".,;:").removesuffix("’s").removesuffix("'s")
    key = name.lower().removeprefix("the ")
    if key in AGENCIES or name.lower() in AGENCIES:
        return AGENCIES.get(name.lower()) or AGENCIES[key]
    if _DOMAIN_LIKE.match(name):
        return SITE_NAMES.get(name.lower())
    return None


def outlet_name(candidate: str) -> str | None:
    """The known outlet a run of capitalised words starts with ("Reuters Tuesday" -> Reuters)."""
    found = _leading_outlet(candidate)
    return found[0] if found else None


def _leading_outlet(candidate: str) -> tuple[str, int] | None:
    """The known outlet a run starts with, and how many characters of the run it takes."""
    words = candidate.split()
    for end in range(len(words), 0, -1):
        run = " ".join(words[:end])
        found = known_outlet(run)
        if found:
            # "the BBC's Newsnight": what follows the name includes its possessive.
            return found, len(re.sub(r"(?:'s|’s)$", "", run))
    return None


def find_outlet(text: str) -> tuple[str, str] | None:
    """(outlet, how it was found) from the text itself, the most trusted clue first."""
    for match in _SOURCE_LINE.finditer(text[:20_000]):
        name = match.group("name").strip()
        if len(name.split()) <= 6:
            return known_outlet(name) or name, "source line"
    opening = "\n".join(_paragraphs(text)[:OPENING_LINES])
    for match in _DATELINE.finditer(opening[:1500]):
        found = outlet_name(match["name"])
        city_dash = bool(_CITY.match(match["city"])) and match["dash"] in "-—–"
        if found or (city_dash and len(match["name"].split()) <= 4):
            return found or match["name"], "dateline"
    for match in _SIGNATURE.finditer(text[-600:]):
        found = outlet_name(match["name"])
        if found:
            return found, "signature"
    return _attribution(text, opening)


def _attribution(text: str, opening: str) -> tuple[str, str] | None:
    named = {outlet for m in _KNOWN_NAME.finditer(text) if (outlet := known_outlet(m.group()))}
    for pattern in _ATTRIBUTIONS:
        for match in pattern.finditer(text[:20_000]):
            leading = _leading_outlet(match["name"])
            if leading is None:
                continue
            outlet, length = leading
            if _LONGER_NAME.match(match["name"][length:]):
                continue  # "the Financial Times Conference": another name that starts alike
            after = text[match.start("name") + length : match.start("name") + length + 60]
            before = text[max(0, match.start() - 60) : match.start()]
            if _INTERVIEW_AFTER.match(after) or _INTERVIEW_BEFORE.search(before):
                continue
            if match.start() < len(opening) and named <= {outlet}:
                return outlet, "attribution"
    return None


def outlet_in_text(text: str) -> str | None:
    """The outlet the text itself names as its publisher, or None."""
    found = find_outlet(text)
    return found[0] if found else None


def _paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def registrable_domain(host: str) -> str:
    """example.co.uk from www.news.example.co.uk: the part of a host a publisher owns."""
    labels = host.lower().rstrip(".").split(".")
    keep = 2
    generic = len(labels) >= 3 and labels[-2] in _GENERIC and len(labels[-1]) == 2
    if ".".join(labels[-2:]) in _TWO_LEVEL_SUFFIXES or generic:
        keep = 3
        # A state's or a region's level below it: jaraguadosul.sc.gov.br
        if generic and len(labels) >= 4 and len(labels[-3]) == 2 and labels[-2] == "gov":
            keep = 4
    return ".".join(labels[-keep:])


def outlet_from_url(url: str | None) -> str | None:
    """The name of the site a URL belongs to: a known name, else its domain."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # a malformed address: no outlet from it
        return None
    if not host or host.replace(".", "").isdigit():
        return None
    bare = host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    domain = registrable_domain(bare)
    return SITE_NAMES.get(bare) or SITE_NAMES.get(domain) or domain
