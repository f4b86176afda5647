"""The language of a text: by script and common words first, py3langid when that is unsure.

py3langid loads a 4.5 MB model (about 0.7 s on the development machine) before its first
answer, more than `clip add` may spend in total. News text in the common languages is told apart
in microseconds by its script and its most frequent words, so the model is only loaded for the
texts those cannot place.

The first 400 characters are read first and settle nearly every news text; the first 20,000
only when they cannot tell. Imports detect every clipping this way, so it must stay cheap:
about 0.025 ms a text (0.24 s of CPU for 10,000 BBC articles, where reading 20,000 characters
one by one took 5.4 s). `clip import` detects after `--fetch`, so that the article is read
rather than the entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

SAMPLE_CHARS = 20_000
MAX_TOKENS = 3000
QUICK_CHARS = 400
MIN_LETTERS = 20

_WORDS = {
    "en": "the and of to in a is that for on with as was by it at from his he are be this have "
    "has an were which said not or their its had been will who but they also after",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch "
    "es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen "
    "so zum war haben nur oder aber vor zur",
    "fr": "le la les de des et en un une du est que qui dans pour pas au sur par plus il ne se "
    "ce avec sont ont été elle aux ses leur mais ou comme cette",
    "es": "el la de que y en los del se las por un para con no una su al lo como más pero sus "
    "le ha sin sobre este ya entre cuando también fue han dijo desde está",
    "it": "il di che e la in un per del della non una è sono con si da le dei al lo gli nel "
    "alla più ha come anche ma delle nella questo sua suo stato",
    "pt": "de que o a do da em um para é com não uma os no se na por mais as dos como mas ao "
    "ele das à seu sua ou foi pelo pela também são está disse após",
    "nl": "de het een van en in is dat op te zijn voor met die niet aan er om ook als bij maar "
    "door naar heeft worden wordt werd nog uit over tot dit",
    "sv": "och i att det som en på är av för med till den har de inte om ett men var sig från "
    "vi så kan man när år också efter eller",
    "da": "og i at det en den til er som på de med han af for ikke der var et har fra vil "
    "efter også blev kan om men",
    "nb": "og i det som en på er til å av for med har de ikke den et var om fra men vil kan "
    "etter også ble seg sier",
    "pl": "i w na z do że się nie to jest o od jak po za dla oraz przez ale jego tym co już "
    "był może być które która który roku",
    "cs": "a v se na je že s z do o to k i jako pro by ve ale jsou které který která tak jeho "
    "po byl až od za však bylo",
    "tr": "ve bir bu da de için ile olarak çok daha en gibi ama olan her kadar sonra ne o mı "
    "değil tarafından yılında ise dedi ilk şekilde olduğunu yaptığı açıklamada ilgili bugün "
    "yeni",
    "az": "və bu bir ilə üçün də da olan olaraq edib bildirib həm isə ki daha sonra qədər "
    "görə tərəfindən il ildə oldu deyib edilib",
    "ro": "și de la în a pe cu că nu o un din care pentru mai este fost ce sunt să au se al "
    "ale după dar sau lui",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh karena "
    "telah bahwa mereka sebagai atau kata saat",
    "fi": "ja on ei että se oli hän mutta kun joka myös ovat ole tai sen jo niin vain mukaan "
    "kuin hänen jotka vuoden",
    "hu": "a az és hogy nem is egy meg ez de csak már volt még van mint ki el azt ha vagy kell "
    "után pedig lesz szerint",
    "ru": "и в не на что с по это как к из а но о за от он для же его так был также было при "
    "их который которые которая которой будет только после более этого сообщает заявил года "
    "году",
    "uk": "і в у не на що з та до як це за від по його але а й для про також було який які "
    "року після вже яка буде має цього щодо повідомляє заявив",
    "bg": "и на да в за се с от е че не по са това като до си ще които която който но след "
    "при година която които ще",
    "ar": "في من على أن إلى التي الذي عن ما مع هذا كان لا قال بعد هذه وقد أو",
    "fa": "و در به از که این را با است برای آن یک می شده ها های بود کرد شد خود",
    "ur": "کے کی ہے میں اور سے کو کا نے پر یہ ہیں تھا کہ گیا بھی ایک",
}
STOPWORDS: dict[str, frozenset[str]] = {code: frozenset(w.split()) for code, w in _WORDS.items()}

_LATIN = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "cs", "tr", "az",
          "ro", "id", "fi", "hu")  # fmt: skip
_BY_SCRIPT_GROUP = {"latin": _LATIN, "cyrillic": ("ru", "uk", "bg"), "arabic": ("ar", "fa", "ur")}
# Scripts written by essentially one language in news text.
_SINGLE = {"greek": "el", "hebrew": "he", "georgian": "ka", "armenian": "hy", "thai": "th",
           "hangul": "ko", "devanagari": "hi", "bengali": "bn", "tamil": "ta"}  # fmt: skip
_RANGES = (
    (0x0370, 0x03FF, "greek"), (0x0400, 0x052F, "cyrillic"), (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"), (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0x0980, 0x09FF, "bengali"), (0x0B80, 0x0BFF, "tamil"),
    (0x0E00, 0x0E7F, "thai"), (0x10A0, 0x10FF, "georgian"), (0x1100, 0x11FF, "hangul"),
    (0x3040, 0x30FF, "kana"), (0x4E00, 0x9FFF, "han"), (0xAC00, 0xD7AF, "hangul"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
)  # fmt: skip
_TOKEN = re.compile(r"\w+")
_OTHER_SCRIPT = re.compile(
    "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high, _ in _RANGES) + "]"
)
# What `_script` counts as a Latin letter: alphabetic below U+0250, or Latin Extended Additional.
_LATIN_LETTER = r"A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_ENOUGH_LATIN = re.compile(f"(?:[^{_LATIN_LETTER}]*[{_LATIN_LETTER}]){{{MIN_LETTERS}}}")


def _script(char: str) -> str | None:
    code = ord(char)
    if code < 0x0250:
        return "latin" if char.isalpha() else None
    if 0x1E00 <= code <= 0x1EFF:
        return "latin"
    for low, high, name in _RANGES:
        if low <= code <= high:
            return name
    return None


def dominant_script(text: str) -> tuple[str | None, dict[str, int]]:
    """The script most letters of the text are written in, and the count per script."""
    # Counting the distinct characters first (Counter's loop runs in C) leaves a few hundred
    # to classify instead of every character: bulk imports detect thousands of texts.
    counts: dict[str, int] = {}
    for char, number in Counter(text).items():
        if char.isalpha():
            name = _script(char)
            if name:
                counts[name] = counts.get(name, 0) + number
    if not counts:
        return None, counts
    return max(counts, key=lambda name: counts[name]), counts


def guess_by_words(text: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate whose common words make up clearly most of the text, else None.

    A word shared by several lists ("la", "de") counts for each of them by 1/n of a hit, so
    the words that tell languages apart ("le", "el", "il") decide."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", text).lower())[:MAX_TOKENS]
    if len(tokens) < 4:
        return None
    scores = dict.fromkeys(candidates, 0.0)
    hits = 0
    owners_of = _owners(candidates)
    for token, number in Counter(tokens).items():
        owners = owners_of.get(token)
        if owners:
            hits += number
            for code in owners:
                scores[code] += number / len(owners)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if hits < 2 or hits / len(tokens) < 0.12:
        return None
    return best if best_score >= 2 and best_score >= 1.5 * second_score + 0.5 else None


@cache
def _owners(candidates: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each common word of the candidates, with the candidates whose list holds it."""
    owners: dict[str, tuple[str, ...]] = {}
    for code in candidates:
        for word in STOPWORDS[code]:
            owners[word] = (*owners.get(word, ()), code)
    return owners


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code for the text's language, or None when it is too short to tell."""
    if len(text) > QUICK_CHARS:
        # The opening paragraph settles almost every news text; reading 20,000 characters of
        # each would make detection the slowest step of a bulk import.
        found = _by_script_and_words(text[:QUICK_CHARS])
        if found:
            return found
    sample = text[:SAMPLE_CHARS]
    found = _by_script_and_words(sample)
    if found or found is None:
        return found
    return _model_language(sample)


def _by_script_and_words(sample: str) -> str | None:
    """The language the script or the common words name; None when there is too little text
    to tell, "" when only the model can."""
    script = "latin"
    if _OTHER_SCRIPT.search(sample) is None:
        # Latin letters only, the usual case: told by two regular expressions rather than by
        # looking at every character.
        if not _ENOUGH_LATIN.match(sample):
            return None
    else:
        dominant, counts = dominant_script(sample)
        if dominant is None or sum(counts.values()) < MIN_LETTERS:
            return None
        script = dominant
        if script in ("han", "kana"):
            return "ja" if counts.get("kana", 0) >= 0.05 * sum(counts.values()) else "zh"
        if script in _SINGLE:
            return _SINGLE[script]
    return guess_by_words(sample, _BY_SCRIPT_GROUP[script]) or ""


def _model_language(sample: str) -> str | None:
    """py3langid's answer, loaded only for the texts the word lists could not place."""
    import py3langid

    code, _score = py3langid.classify(sample[:5000])
    return str(code) if code and code != "und" else None
