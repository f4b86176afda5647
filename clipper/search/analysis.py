"""Words as the ranking sees them: folded, stopwords left out, stemmed in their language.

A clipping is analysed in its own language (Snowball stemmers through PyStemmer, else the
pure-Python snowballstemmer); a language Snowball does not cover keeps its words whole. The
word is stemmed before it is folded, since stemmers know their alphabet (Turkish ı, Russian й)
and folding would hide endings from them. A query word is analysed the same way, once per
language of the library, so it finds the clippings of each language by their stems.

Any change to what `Analyzer.terms` produces must bump ANALYSIS_VERSION: the index deletes
rows by analysing their stored text again, so an index built otherwise is rebuilt.
"""  # noqa: RUF002 (the letters named are the point)

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from clipper.search.folding import MARK_CHARS, fold, fold_letters, tokens, word_pattern
from clipper.search.stopwords import STOPWORDS

ANALYSIS_VERSION = 1

# BCP 47 primary subtags of the languages Snowball stems. Azerbaijani is close to Turkish but
# not the same: Turkish rules would cut its words wrongly, so it stays unstemmed.
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
_CACHE_LIMIT = 200_000  # words remembered per language: a library's vocabulary, not more
_DOTTED = str.maketrans({"I": "ı", "İ": "i"})  # Turkish and Azerbaijani capital i's
# word_pattern(), the words of a text with their marks and Indic vowel signs, is slow; the
# plain pattern finds the same words in a text without such characters, twice as fast.
_PLAIN_WORD = re.compile(r"[^\W_]+")


@functools.cache
def _marked() -> re.Pattern[str]:  # compiled on first use, by a text that is not ASCII
    return re.compile(f"[{MARK_CHARS}\u0900-\u0dff\u3099\u309a]")


def language_key(language: str | None) -> str:
    """The part of a BCP 47 tag that analysis depends on ('en-GB' -> 'en'; '' for none)."""
    return (language or "").split("-")[0].split("_")[0].strip().lower()


def _stemmer(name: str) -> Callable[[str], str]:
    try:
        import Stemmer

        return Stemmer.Stemmer(name).stemWord  # type: ignore[no-any-return]
    except ImportError:  # the C binding is missing: the same algorithms in pure Python
        import snowballstemmer

        return snowballstemmer.stemmer(name).stemWord  # type: ignore[no-any-return]


class Analyzer:
    """The analysis of one language: its stemmer (if Snowball has one) and its stopwords."""

    def __init__(self, key: str) -> None:
        self.key = key
        name = SNOWBALL.get(key)
        self.stemmer = _stemmer(name) if name else None
        self.stopwords = frozenset(fold(word) for word in STOPWORDS.get(key, "").split())
        self._cache: dict[str, str] = {}

    def terms(self, text: str) -> list[str]:
        """The ranked terms of a text: stems of its words without stopwords, folded."""
        return self.text(text).split()

    def text(self, text: str) -> str:
        """The ranked terms of a text joined by spaces, as the index holds them.

        The words are looked up in a cache of their analyses, so that the loop over a text's
        words runs in C (`map`, `join`); only words not seen before are analysed in Python.
        """
        plain = text.isascii() or _marked().search(text) is None
        words = (_PLAIN_WORD if plain else word_pattern()).findall(text)
        cache = self._cache
        for word in set(words).difference(cache):
            analysed = " ".join(self._word(word))
            if len(cache) < _CACHE_LIMIT:
                cache[word] = analysed
            else:  # a huge vocabulary: analyse the rest without remembering it
                return " ".join(filter(None, (cache.get(w) or self._joined(w) for w in words)))
        return " ".join(filter(None, map(cache.__getitem__, words)))

    def _joined(self, word: str) -> str:
        return " ".join(self._word(word))

    def forms(self, text: str, stems: set[str]) -> set[str]:
        """The words of a text (folded) whose terms include one of `stems`: what a search
        for those stems found there, for highlighting."""
        found: set[str] = set()
        cache = self._cache
        for word in set(word_pattern().findall(text)):
            analysed = cache.get(word)
            if analysed is None:
                analysed = self._joined(word)
                if len(cache) < _CACHE_LIMIT:
                    cache[word] = analysed
            if analysed and not stems.isdisjoint(analysed.split()):
                found.update(tokens(fold_letters(word)))
        return found

    def _word(self, word: str) -> tuple[str, ...]:
        if self.key in ("tr", "az"):
            word = word.translate(_DOTTED)
        lower = unicodedata.normalize("NFC", word.casefold())
        if self.stopwords and fold(lower) in self.stopwords:
            return ()
        stem = self.stemmer(lower) if self.stemmer is not None else lower
        return tuple(tokens(fold(stem)))


@functools.cache
def analyzer(language: str | None) -> Analyzer:
    """The analyzer of a language tag (cached: stemmers and their word caches are shared)."""
    return Analyzer(language_key(language))
