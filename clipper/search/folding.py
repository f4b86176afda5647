"""Text as the index sees it: folded for case and accents, CJK split into overlapping bigrams.

FTS5's unicode61 tokenizer lower-cases and (with remove_diacritics 2) strips Latin accents, but
it leaves letters that are not "a letter plus an accent" alone (Turkish and Azerbaijani ı,
Danish ø, Polish ł, German ß), keeps Greek accents, treats Arabic and Hebrew vowel marks as
word breaks, and makes one token of a whole Chinese or Japanese sentence. So both the indexed
text and every query term go through `fold()` first, and the tokenizer only sees plain letters.

Any change to what `fold()` produces must bump FOLD_VERSION: the index deletes rows by
re-folding their stored text, so an index built with another folding is rebuilt.
"""  # noqa: RUF002 (the letters named are the point)

from __future__ import annotations

import functools
import re
import unicodedata

FOLD_VERSION = 1

# Letters that are distinct code points rather than a base letter plus a combining accent, and
# that readers still expect to find with a plain Latin letter. Applied after casefold().
_LETTERS = str.maketrans(
    {
        "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
        "ħ": "h", "ŧ": "t", "ŀ": "l", "ſ": "s", "ĸ": "k", "ə": "e", "ƒ": "f",
        "ـ": "",  # Arabic tatweel only stretches a word
        "ى": "ي", "ة": "ه",  # alef maqsura and ta marbuta, usual in Arabic search
    }
)  # fmt: skip

# Combining marks that are accents or optional vowel points (Latin, Greek, Cyrillic, Hebrew,
# Arabic). Not the kana voicing marks (NFC puts those back) nor Indic vowel signs, which spell.
MARK_CHARS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# The patterns over large Unicode ranges are compiled on first use (2-3 ms each, in pure
# Python): a command whose texts are all ASCII, or that folds none, compiles none of them.


@functools.cache
def _marks() -> re.Pattern[str]:
    return re.compile(f"[{MARK_CHARS}]")


@functools.cache
def word_pattern() -> re.Pattern[str]:
    """A word of the original text, for highlighting: letters and digits with their marks,
    Indic vowel signs included (Brahmic blocks minus the danda punctuation)."""
    return re.compile(f"(?:[^\\W_]|[{MARK_CHARS}\u0900-\u0963\u0966-\u0dff\u3099\u309a])+")


# Scripts written without spaces between words: Han, kana, Hangul (whose particles stick to
# the word). Each run of them is indexed as overlapping bigrams, so a word inside a sentence
# is found as the phrase of its bigrams.
CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)


@functools.cache
def _cjk_run() -> re.Pattern[str]:
    return re.compile(f"[{CJK_CHARS}]+")


_TOKEN = re.compile(r"[^\W_]+")


def fold_letters(text: str) -> str:
    """Case- and accent-folded text, without the CJK split."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    plain = _marks().sub("", decomposed).translate(_LETTERS)
    return unicodedata.normalize("NFC", plain)


def fold(text: str) -> str:
    """Text as it is indexed: folded letters, CJK runs as bigrams plus the run's last char."""
    folded = fold_letters(text)
    if folded.isascii():
        return folded
    return _cjk_run().sub(_bigrams, folded)


def fold_term(text: str) -> tuple[str, bool]:
    """A query term folded like indexed text; True when its last token must match as a prefix.

    A CJK run at the end of a term may go on in the document ("手机" inside "手机壳"), so its
    last single character, which the index only has at the end of a run, is left out; a term
    that ends in one lone CJK character matches any bigram it starts.
    """
    folded = fold_letters(text)
    if folded.isascii():
        return folded, False
    prefix = False
    pieces: list[str] = []
    last = 0
    for match in _cjk_run().finditer(folded):
        pieces.append(folded[last : match.start()])
        run = match.group()
        at_end = not _TOKEN.search(folded, match.end())
        if at_end and len(run) == 1:
            pieces.append(f" {run} ")
            prefix = True
        elif at_end:
            pieces.append(" " + " ".join(_pairs(run)) + " ")
        else:
            pieces.append(_bigrams(match))
        last = match.end()
    pieces.append(folded[last:])
    return "".join(pieces), prefix


def tokens(folded: str) -> list[str]:
    """The tokens unicode61 makes of already folded text (letters and digits)."""
    return _TOKEN.findall(folded)


def has_token(text: str) -> bool:
    """Whether a text has anything to search for: a letter or a digit."""
    return _TOKEN.search(fold_letters(text)) is not None


def is_cjk(char: str) -> bool:
    return not char.isascii() and _cjk_run().match(char) is not None


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _bigrams(match: re.Match[str]) -> str:
    run = match.group()
    return " " + " ".join([*_pairs(run), run[-1]]) + " "
