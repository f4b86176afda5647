"""Authors: people's names only, as a byline or the page's metadata gives them.

Pages put organisations ("Condé Nast", "Syrian defense ministries"), labels glued to a name
("Текст Венера Ерофеева", "By Jane Doe"), the outlet itself and user names where a byline
belongs. A wrong author is worse than none: a name is kept only when it reads as a person's.

Bylines in plain text and authors in a page's metadata both go through here, so that no
organisation, label or outlet becomes an author by either path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clipper.capture.outlet_names import AGENCIES, SITE_NAMES

MAX_NAME_WORDS = 5
# Labels that stand before a name in bylines and credits, in the languages clip reads.
_LABEL = re.compile(
    r"^(?:(?:written|reported|reporting|words|text|photos?|pictures?|video|edited|story|"
    r"interview)\s+by|by|von|par|por|di|door|av|af|text|texte|texto|testo|tekst|текст|"
    r"фото|автор|author|authors|autor|autorin|auteur|redaktion|редактор|reporter|"
    r"correspondent|photo|photos|foto|fotos|video|posted by|opinion)\b\s*[:|,—–-]?\s*",
    re.IGNORECASE,
)
# Words of an organisation's name, never of a person's.
_ORGANISATION_WORDS = (
    "agency agencies associated bureau channel club co columnist committee company condé "
    "contributor contributors corp corporation correspondent council daily defence defense "
    "department desk editorial editors foundation gazette group government guardian hearst "
    "herald inc institute international journal llc ltd magazine media ministries ministry "
    "nast network news newsroom office online partners post press editor editor-at-large "
    "writer reporter publishing radio reuters service services society staff studio studios "
    "team telegraph television times tribune tv university weekly wire"
)
_ORGANISATION = frozenset(_ORGANISATION_WORDS.split())
# Lower-case words that belong inside names: "Ludwig van Beethoven", "Ana de la Cruz".
_PARTICLES_TEXT = "van von der den de del della di da dos das du la le al el bin ibn ter"
_PARTICLES = frozenset(_PARTICLES_TEXT.split())
_NOT_FIRST = frozenset(["the", "a", "an", "this", "that", "our", "your", "their", "by", "and"])
_OUTLETS = frozenset({*AGENCIES, *(name.casefold() for name in SITE_NAMES.values())})
# A date glued after a name in a byline: "Jeff Foust Monday", "Carrie Arnold November".
_DATE_WORDS_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december today yesterday updated"
)
_DATE_WORDS = frozenset(_DATE_WORDS_TEXT.split())
# Parts are stripped after the split: spaces around the separator in the pattern would make
# it quadratic on a long run of spaces.
_SPLIT = re.compile(r";|,|\||\band\b|&|\bund\b|\bet\b|\by\b|\bи\b")
MAX_CREDIT_CHARS = 500  # no byline is longer; a longer "author" is page junk


def person_name(candidate: str, *, not_names: Iterable[str] = ()) -> str | None:
    """The person's name in a credit ("By Jane Doe" -> "Jane Doe"), None for anything else."""
    name = " ".join(candidate.split()).strip(" .,;:|•·–—-")
    while (stripped := _LABEL.sub("", name, count=1)) != name:
        name = stripped.strip(" .,;:|•·–—-")
    words = name.split()
    while len(words) > 2 and words[-1].casefold().strip(".,") in _DATE_WORDS:
        words.pop()
    name = " ".join(words)
    if not 2 <= len(words) <= MAX_NAME_WORDS or len(name) > 60:
        return None
    folded = name.casefold()
    if folded in _OUTLETS or folded.removeprefix("the ") in _OUTLETS:
        return None
    if any(folded == other.casefold() for other in not_names if other):
        return None
    if re.search(r"[\d@/\\_#()\[\]{}<>=+]|https?:|www\.", name):
        return None
    if words[0].casefold() in _NOT_FIRST:
        return None
    for word in words:
        bare = word.strip(".,'’").casefold()
        if bare in _ORGANISATION or bare in AGENCIES:  # "CNN Editor-at-large", "AP Staff"
            return None
        if not word[:1].isupper() and bare not in _PARTICLES and word[:1].isalpha():
            return None
    return name


def person_names(credits: Iterable[str], *, not_names: Iterable[str] = ()) -> list[str]:
    """The people among credits (each may list several: "Jane Doe and John Roe"), in order."""
    excluded = list(not_names)
    found: dict[str, None] = {}
    for credit in credits:
        for part in _SPLIT.split((credit or "")[:MAX_CREDIT_CHARS]):
            name = person_name(part, not_names=excluded)
            if name:
                found.setdefault(name, None)
    return list(found)
