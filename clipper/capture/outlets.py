"""The outlet of a news item: from attributions in the text, else from the site of its URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Sites whose name is not simply their domain.
SITE_NAMES = {
    "news.az": "News.Az", "report.az": "Report.az", "apa.az": "APA", "azertag.az": "AZERTAC",
    "trend.az": "Trend", "en.trend.az": "Trend", "turan.az": "Turan", "reuters.com": "Reuters",
    "apnews.com": "AP", "afp.com": "AFP", "bbc.co.uk": "BBC News", "bbc.com": "BBC News",
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian", "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times", "bloomberg.com": "Bloomberg", "cnn.com": "CNN",
    "aljazeera.com": "Al Jazeera", "dw.com": "DW", "france24.com": "France 24",
    "euronews.com": "Euronews", "politico.com": "Politico", "politico.eu": "Politico Europe",
    "economist.com": "The Economist", "npr.org": "NPR", "latimes.com": "Los Angeles Times",
    "spiegel.de": "Der Spiegel", "zeit.de": "Die Zeit", "faz.net": "FAZ",
    "lemonde.fr": "Le Monde", "elpais.com": "El País", "tass.com": "TASS", "tass.ru": "TASS",
    "interfax.ru": "Interfax", "xinhuanet.com": "Xinhua", "dawn.com": "Dawn",
    "aa.com.tr": "Anadolu Agency", "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph", "theverge.com": "The Verge", "axios.com": "Axios",
}  # fmt: skip
# Names that are outlets wherever they appear after "told", "according to" and the like.
AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "afp": "AFP", "agence france-presse": "AFP", "bloomberg": "Bloomberg", "bbc": "BBC News",
    "cnn": "CNN", "dpa": "dpa", "efe": "EFE", "ansa": "ANSA", "tass": "TASS",
    "ria novosti": "RIA Novosti", "interfax": "Interfax", "xinhua": "Xinhua", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "pti": "PTI", "ians": "IANS", "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency", "apa": "APA", "azertac": "AZERTAC", "trend": "Trend",
    "turan": "Turan", "report": "Report.az", "sputnik": "Sputnik", "al jazeera": "Al Jazeera",
    "upi": "UPI", "nhk": "NHK", "npr": "NPR",
}  # fmt: skip
# Last words that make a capitalised name an outlet ("the Portmere Courier").
_OUTLET_WORDS_TEXT = (
    "agency broadcasting bulletin chronicle courier daily dispatch express gazette guardian "
    "herald independent inquirer journal magazine mail mirror monitor news observer post press "
    "radio record register review sentinel standard star sun telegraph television times today "
    "tribune tv weekly wire"
)
_OUTLET_WORDS = frozenset(_OUTLET_WORDS_TEXT.split())
_SUFFIXES_TEXT = (
    "co.uk org.uk ac.uk gov.uk com.au net.au co.nz co.jp co.in com.br com.tr co.za com.cn "
    "com.pk com.mx com.ar co.kr com.sg com.hk com.ng co.il com.ua com.eg com.sa"
)
_TWO_LEVEL_SUFFIXES = frozenset(_SUFFIXES_TEXT.split())

_NAME = r"(?:[A-Z][\w&’'-]*(?:\.[A-Za-z]{2,})*)"
_NAME_RUN = rf"(?P<name>{_NAME}(?:[ \t]+(?:of[ \t]+|&[ \t]+)?{_NAME}){{0,4}})"
# "Source: News.Az", "Source - The Daily Example" on a line of its own: the strongest signal,
# taken as written whatever the name looks like.
_SOURCE_LINE = re.compile(
    r"^[ \t]*(?:source|sources|quelle|fuente|fonte|источник|mənbə)[ \t]*[:—–-][ \t]*"
    r"(?P<name>[^\W_][^\n]{0,58}?)[ \t]*\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ATTRIBUTIONS = (
    # dateline agencies: "BAKU (Reuters) -", "(AP) —", "BAKU /Trend/ -", "(CNN)"
    re.compile(rf"^[^\n]{{0,60}}?[(/]\s*{_NAME_RUN}\s*[)/]\s*(?:[-—–:]|$|(?=[A-Z]))", re.MULTILINE),
    # "the embassy told News.Az", "according to the Portmere Courier", "News.Az reports"
    re.compile(
        rf"\b(?:told|to|with|by|according to|cited by|quoted by|reported by)\s+"
        rf"(?:the\s+)?{_NAME_RUN}"
    ),
    re.compile(
        rf"(?:^|[.!?]\s+){_NAME_RUN}\s+(?:reports|reported|informs|writes|learned)\b", re.MULTILINE
    ),
    # a closing signature: "— AP", "- Reuters", "(AFP)"
    re.compile(rf"^\s*(?:[—–-]+\s*|\(\s*){_NAME_RUN}\s*\)?\s*$", re.MULTILINE),
)
_DOMAIN_LIKE = re.compile(r"^[A-Za-z][\w-]*(?:\.[A-Za-z]{2,})+$")


def outlet_name(candidate: str) -> str | None:
    """The outlet a run of capitalised words starts with ("Reuters Tuesday" -> "Reuters")."""
    words = candidate.split()
    for end in range(len(words), 0, -1):
        found = _outlet_for(" ".join(words[:end]))
        if found:
            return found
    return None


def _outlet_for(candidate: str) -> str | None:
    """The outlet a name stands for, or None when it may as well be a person."""
    name = candidate.strip().rstrip(".,;:").removesuffix("’s").removesuffix("'s")
    key = name.lower().removeprefix("the ")
    if key in AGENCIES:
        return AGENCIES[key]
    if _DOMAIN_LIKE.match(name):
        return SITE_NAMES.get(name.lower(), name)
    words = name.split()
    if len(words) >= 2 and words[-1].lower() in _OUTLET_WORDS:
        return name
    return None


def outlet_in_text(text: str) -> str | None:
    """An outlet named by the text itself, in the order of how much each clue can be trusted."""
    head, tail = text[:3000], text[-600:]
    for match in _SOURCE_LINE.finditer(text[:20_000]):
        name = match.group("name").strip()
        if len(name.split()) <= 6:
            return _outlet_for(name) or name
    for index, pattern in enumerate(_ATTRIBUTIONS):
        region = tail if index == len(_ATTRIBUTIONS) - 1 else text[:20_000]
        if index == 0:
            region = head
        for match in pattern.finditer(region):
            found = outlet_name(match.group("name"))
            if found:
                return found
    return None


def registrable_domain(host: str) -> str:
    """example.co.uk from www.news.example.co.uk: the part of a host a publisher owns."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LEVEL_SUFFIXES else 2
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
