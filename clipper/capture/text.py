"""Plain text to a draft clipping: chrome dropped, then title, date, outlet and language found.

A first line that reads like a headline is the title; otherwise one is made from the opening
sentence (dateline, asides and trailing clauses left out, `Long Name (ABC)` shortened to
`ABC`) and marked `generated`. Chrome is dropped by `cleanup.py`, the date read by `dates.py`,
the outlet by `outlets.py`, authors by `people.py`, the language by `language.py`.
"""

from __future__ import annotations

import re

from clipper.capture.cleanup import PARAGRAPH_WORDS, remove_chrome
from clipper.capture.dates import find_date, parse_date_line
from clipper.capture.found import Found
from clipper.capture.hints import Hints
from clipper.capture.language import detect_language
from clipper.capture.outlets import find_outlet, outlet_from_url
from clipper.capture.people import person_names
from clipper.capture.urls import canonical_url
from clipper.model import Draft, clean_text

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“'‘(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9])")
# Words before a full stop that does not end the sentence: "Mr. Smith", "U.S. troops".
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Capt|Sen|Rep|Gov|Pres|Rev|Jr|Sr|No|Vol|vs|"
    r"etc|approx|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|"
    r"\b[A-Z]|(?:\b[A-Za-z]\.)+[A-Za-z])\.$"
)
_PARENTHETICAL = re.compile(r"\s*\([^)]{0,80}\)")
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&]{1,9})\)")
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ'’. -]{1,30}(?:,[^\n()—–-]{1,40})?\s*(?:\([^)]{1,40}\)|/[^/]{1,30}/)?"
    r"\s*[—–-]{1,2}\s+|\([^)]{1,30}\)\s*[—–-]?\s*)"
)
_DATELINE_END = re.compile(r"\s[-—–]\s|\s?\(|\s/")
_LETTER_WORD = re.compile(r"^[^\W\d_]{2,}[’'.-]?\w*[,:;!?]?$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# A clause after a comma that only describes what came before ("..., one of the leading ...,").
_APPOSITIVE = re.compile(r"^(?:one of|who|whose|which|a|an|the|including|also|known as|aged)\b")
# A clause after a comma that a headline leaves out ("..., dedicated to the anniversary").
_TRAILING = re.compile(
    r"^(?:dedicated|according|which|where|while|as|amid|despite|following|saying|adding|"
    r"noting|stressing|citing|with|who|after|before|in order|[a-z]+ing)\b"
)
_INTRO = re.compile(
    r"^(?:on|in|at|after|before|earlier|later|meanwhile|however|yesterday|today|last|this|"
    r"according to|speaking|during|following)\b",
    re.IGNORECASE,
)
MAX_TITLE_WORDS = 16
MAX_HEADLINE_CHARS = 200
HEADER_LINES = 6


def looks_like_headline(line: str) -> bool:
    """A short line of mostly words, not ending like a sentence in mid-paragraph."""
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > MAX_HEADLINE_CHARS or line[:1].islower():
        return False
    if line.rstrip().endswith((".", ",", ";", ":")) and not line.rstrip().endswith("..."):
        return False
    wordy = sum(1 for word in words if _LETTER_WORD.match(word))
    return wordy >= 2 and wordy / len(words) >= 0.6


def first_sentence(paragraph: str) -> str:
    """The opening sentence of a paragraph, not fooled by abbreviations such as 'U.S.'."""
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip("\"”’)")
        if not _ABBREVIATION.search(before):
            return paragraph[: match.start()].strip()
    return paragraph.strip()


def _acronyms_for_names(sentence: str) -> str:
    """'Shaheed Zulfikar Ali Bhutto Institute of Science and Technology (SZABIST)' -> 'SZABIST'."""
    for match in reversed(list(_ACRONYM.finditer(sentence))):
        acronym = match.group(1)
        words = sentence[: match.start()].rstrip().split(" ")
        initials = ""
        for index in range(len(words) - 1, max(len(words) - 16, -1), -1):
            if words[index][:1].isupper():
                initials = words[index][0] + initials
            if initials == acronym:
                head = " ".join(words[:index])
                sentence = f"{head} {acronym}".strip() + sentence[match.end() :]
                break
            if len(initials) >= len(acronym):
                break
    return sentence


def headline_from_sentence(sentence: str) -> str:
    """A headline-like title from a sentence: dateline, asides and trailing clauses left out."""
    sentence = _DATELINE.sub("", sentence.strip(), count=1)
    sentence = _PARENTHETICAL.sub("", _acronyms_for_names(sentence)).rstrip(" .!?;:,")
    clauses = sentence.split(", ")
    if len(clauses) > 1 and _INTRO.match(clauses[0]) and len(clauses[0].split()) <= 5:
        clauses = clauses[1:]
    kept = clauses[0]
    skipped = False
    for clause in clauses[1:]:
        if len(kept.split()) >= MAX_TITLE_WORDS or _TRAILING.match(clause):
            break
        if _APPOSITIVE.match(clause):
            skipped = True
            continue
        kept += (" " if skipped else ", ") + clause
        skipped = False
    if len(kept.split()) > 3:
        kept = re.sub(r"^(?:The|A|An)\s+", "", kept)  # headlines go without a leading article
    kept = re.sub(r"\s(?:a|an)\s", " ", kept)  # headlines go without indefinite articles
    return kept[:1].upper() + kept[1:]


def generate_title(text: str) -> str:
    """A short title made from the opening sentence of the text."""
    first_paragraph = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    sentence = first_sentence(first_paragraph)
    title = headline_from_sentence(sentence)
    if len(title.split()) < 3:
        title = _PARENTHETICAL.sub("", sentence).rstrip(" .!?;:,")
    words = title.split()
    if len(words) <= MAX_TITLE_WORDS:
        return " ".join(words)
    return " ".join(words[:MAX_TITLE_WORDS]).rstrip(",;:") + "…"


def split_title(text: str) -> tuple[str, str, str]:
    """(title, title_source, body): a headline on the first line is taken out of the body."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = _MARKDOWN_HEADING.sub("", first).strip()
    continues_paragraph = rest[:1].islower()  # a hard-wrapped first line, not a headline
    if rest.strip() and not continues_paragraph and looks_like_headline(first):
        return first, "extracted", rest.strip()
    return generate_title(stripped), "generated", stripped


def find_published(chrome: list[str], body: str, language: str | None) -> str | None:
    """The publication date: from dropped date lines, short header lines, the dateline, or the
    last short lines, in that order; dates in the body of the story are never taken."""
    for line in chrome:
        found = parse_date_line(line, language=language)
        if found:
            return found
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    for line in lines[:HEADER_LINES]:
        if len(line.split()) >= PARAGRAPH_WORDS:
            dateline = _DATELINE_END.search(line[:100])  # "BAKU, 23.02.2023 (Reuters) -"
            return find_date(line[: dateline.start()], language=language) if dateline else None
        if len(line.split()) <= 8:
            found = parse_date_line(line, language=language)
            if found:
                return found
    for line in lines[-3:]:
        if len(line.split()) <= 8:
            found = find_date(line, language=language)
            if found:
                return found
    return None


def draft_from_text(text: str, *, title: str | None = None, hints: Hints | None = None) -> Draft:
    """A draft from pasted text; whatever the user gave (hints, title) wins over detection.
    Its provenance says how each field was found."""
    hints = hints or Hints()
    given_title = hints.given(title) or hints.given(hints.title)
    normalized = clean_text(text)
    cleaned = remove_chrome(normalized)
    body = cleaned.text or normalized  # all chrome: keep what was given rather than nothing
    if given_title:
        found_title, title_source = given_title, "given"
    else:
        found_title, title_source, body = split_title(body)
    found = Found()
    found.title = found_title or "Untitled"
    found.origins["title"] = {"extracted": "headline"}.get(title_source, title_source)
    given_url = hints.given(hints.url)
    url = canonical_url(given_url) if given_url else None
    found.pick("language", [(hints.given(hints.language), "given"),
                            (lambda: detect_language(body), "detected")])  # fmt: skip
    found.pick("source", [(hints.given(hints.source), "given"), (lambda: find_outlet(body), ""),
                          (lambda: outlet_from_url(url), "url")])  # fmt: skip
    found.pick("published", [
        (hints.given(hints.published), "given"),
        (lambda: find_published(cleaned.dropped, body, found.values.get("language")), "dateline"),
    ])  # fmt: skip
    authors = list(hints.authors) or person_names(cleaned.authors)
    if authors:
        found.origins["authors"] = "given" if hints.authors else "byline"
    return Draft(
        text=body,
        title=found.title,
        title_source=title_source,
        url=url,
        source=found.values.get("source"),
        authors=authors,
        published=found.values.get("published"),
        language=found.values.get("language"),
        provenance=found.origins,
    )
