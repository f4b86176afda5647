"""The query language of search, list and export: a tokenizer and a parser with positions.

    climate change          both words          "climate change"     the phrase
    climate OR weather      either              -sport, NOT sport    exclude
    clim*                   prefix              ( ... )              grouping
    tag:politics tag:region/* source:"News.Az" site:news.az author:smith lang:de title:word url:x
    after:2023-01-01 before:2023-03 on:2023-02-23 since:7d captured:7d is:starred has:note
    by:jane (who added it, in a team library)

Words side by side must all match; OR binds tighter than that (`a b OR c` is a AND (b OR c)),
as in web search engines; NOT and '-' bind tightest. OR, AND and NOT are operators only in
capitals. Every malformed query is a UsageError naming the position (1-based) of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clipper.dates import AmbiguousDate
from clipper.errors import UsageError
from clipper.model import normalize_tag
from clipper.search.folding import has_token
from clipper.search.periods import is_span, period
from clipper.search.periods import today as current_day

TEXT_FIELDS = ("title", "author", "source")
FILTER_FIELDS = (
    "tag", "site", "url", "lang", "after", "before", "on", "since", "captured", "is", "has",
    "by",
)  # fmt: skip
FIELDS = TEXT_FIELDS + FILTER_FIELDS
IS_VALUES = ("starred",)
HAS_VALUES = ("note", "url", "author", "tags", "duplicates")
# Bounds that keep every query within what the parser (recursive), the compiler and SQLite
# (a parser stack of 100, an expression tree 1,000 deep) can take: nested NOTs of a field
# overflow SQLite's stack from 15 levels, so 12; no real query comes near either bound.
MAX_DEPTH = 12
MAX_TOKENS = 300


# The syntax tree ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A word or a phrase to find in the text, or in one field (title, author, source)."""

    text: str
    prefix: bool = False
    field: str | None = None
    exact: bool = False  # in quotes: the words as written (folded), not their stems


@dataclass(frozen=True, slots=True)
class Condition:
    """A filter on the clipping's metadata. `value` is already validated and normalized.

    tag: the tag, `prefix` for tag:reg*; site/url: lower-case text; lang: a lower-case code;
    by: the lower-case name of the user who added it (a team library), `prefix` for by:jan*;
    day: (first, last) days of publication (of capture for an undated clipping), either None
    for an open end; captured: (first, last) days of capture; is/has: the flag's name.
    """

    kind: str  # tag, site, url, lang, day, captured, is, has
    value: str | tuple[str | None, str | None]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Text | Condition | Not | And | Or


# Tokens --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, phrase, field, lparen, rparen, or, and, not
    pos: int  # 1-based position of its first character
    text: str = ""
    prefix: bool = False
    field: str = ""
    quoted: bool = False


_SPECIAL = set('()"')


class _Problem(Exception):
    """A query error before it is worded with the query itself."""

    def __init__(self, what: str, pos: int, hint: str) -> None:
        super().__init__(what)
        self.what, self.pos, self.hint = what, pos, hint


def tokenize(query: str) -> list[Token]:
    """The tokens of a query; raises UsageError on an unbalanced quote or an unknown field."""
    try:
        return _tokenize(query)
    except _Problem as problem:
        raise _usage(problem, query) from None


def _tokenize(query: str) -> list[Token]:
    found: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            found.append(Token("lparen" if char == "(" else "rparen", i + 1))
            i += 1
        elif char == '"':
            text, prefix, after = _quoted(query, i)
            found.append(Token("phrase", i + 1, text, prefix))
            i = after
        elif char == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")":
            found.append(Token("not", i + 1, "-"))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            token, i = _bare(query, start, i)
            found.append(token)
    return found


def _quoted(query: str, start: int) -> tuple[str, bool, int]:
    """The text between a quote at `start` and the next one; the index after it (and its *)."""
    end = query.find('"', start + 1)
    if end < 0:
        raise _Problem("unbalanced quote", start + 1, 'close it with "')
    after = end + 1
    prefix = after < len(query) and query[after] == "*"
    return query[start + 1 : end], prefix, after + (1 if prefix else 0)


def _bare(query: str, start: int, end: int) -> tuple[Token, int]:
    word = query[start:end]
    if word in ("OR", "AND", "NOT"):
        return Token(word.lower(), start + 1, word), end
    name, colon, value = word.partition(":")
    if colon and name.isascii() and name.isalpha():
        field = name.lower()
        if field not in FIELDS:
            raise _Problem(
                f"unknown field {name}:",
                start + 1,
                f"use one of {', '.join(f + ':' for f in FIELDS)}, or put the words in quotes "
                "to search for them as text",
            )
        if not value and end < len(query) and query[end] == '"':
            text, prefix, after = _quoted(query, end)
            return Token("field", start + 1, text, prefix, field, quoted=True), after
        if not value:
            raise _Problem(f"{field}: needs a value", start + 1, f"for example {_EXAMPLE[field]}")
        prefix = value.endswith("*")
        return Token("field", start + 1, value.rstrip("*"), prefix, field), end
    prefix = word.endswith("*")
    return Token("word", start + 1, word.rstrip("*"), prefix), end


_EXAMPLE = {
    "title": "title:budget", "author": "author:smith", "source": 'source:"News.Az"',
    "tag": "tag:region/*", "site": "site:news.az", "url": "url:khojaly", "lang": "lang:de",
    "after": "after:2023-01-01", "before": "before:2023-03", "on": "on:2023-02-23",
    "since": "since:7d", "captured": "captured:7d", "is": "is:starred", "has": "has:note",
    "by": "by:jane",
}  # fmt: skip


# Parsing -------------------------------------------------------------------------------------


def parse(query: str, *, today: date | None = None, order: str | None = None) -> Node:
    """The syntax tree of a query; raises UsageError (pointing at the problem) when malformed.

    Words without a letter or digit (a lone '&', '...') are ignored; a query left with nothing
    to look for is an error. `order` (day-first, month-first) reads numeric dates.
    """
    try:
        tokens = _tokenize(query)
        if not tokens:
            raise UsageError("the query is empty: give words or fields to search for.")
        parser = _Parser(tokens, today, order)
        node = parser.parse()
        if len(tokens) > MAX_TOKENS:
            raise _Problem("the query is too long", tokens[MAX_TOKENS].pos,
                           f"use at most {MAX_TOKENS} words, fields and operators")  # fmt: skip
    except _Problem as problem:
        raise _usage(problem, query) from None
    if node is None:
        raise UsageError(f"the query {query.strip()} has no letters or digits to search for.")
    return node


class _Parser:
    def __init__(self, tokens: list[Token], today: date | None, order: str | None) -> None:
        self.tokens = tokens
        self.at = 0
        self.today = today
        self.order = order
        self.depth = 0  # parentheses and NOTs open around the current token

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.conjunction()
        token = self.peek()
        if token is not None:  # only a ')' stops a conjunction early
            raise _Problem(
                "unbalanced parenthesis", token.pos, "remove this ) or add a ( before it"
            )
        return node

    def conjunction(self) -> Node | None:
        parts: list[Node | None] = []
        while (token := self.peek()) is not None and token.kind != "rparen":
            if token.kind == "and":
                self.take()
                if not parts or self._operand_missing():
                    raise _Problem("AND needs a term on each side", token.pos, "remove it")
                continue
            if token.kind == "or":
                raise _Problem("OR needs a term on each side", token.pos, "for example a OR b")
            parts.append(self.disjunction())
        return _combine(And, parts)

    def disjunction(self) -> Node | None:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self._operand_missing():
                raise _Problem("OR needs a term on each side", token.pos, "for example a OR b")
            parts.append(self.unary())
        return _combine(Or, parts)

    def unary(self) -> Node | None:
        token = self.take()
        if token.kind in ("not", "lparen"):
            if self.depth == MAX_DEPTH:
                hint = f"use at most {MAX_DEPTH} levels of parentheses and NOT"
                raise _Problem("the query nests too deeply", token.pos, hint)
            self.depth += 1
            try:
                return self._nested(token)
            finally:
                self.depth -= 1
        if token.kind in ("word", "phrase"):
            if not has_token(token.text):
                return None
            return Text(token.text, token.prefix, exact=token.kind == "phrase")
        if token.kind == "field":
            return _field(token, self.today, self.order)
        raise _Problem(f"{token.text or token.kind} is out of place", token.pos, "remove it")

    def _nested(self, token: Token) -> Node | None:
        """What a NOT or an opening parenthesis applies to."""
        if token.kind == "not":
            if self._operand_missing():
                word = "NOT" if token.text == "NOT" else "-"
                raise _Problem(f"{word} needs a term after it", token.pos, "for example -sport")
            child = self.unary()
            return None if child is None else Not(child)
        if (closing := self.peek()) is not None and closing.kind == "rparen":
            raise _Problem("empty parentheses", token.pos, "put terms inside or remove them")
        inner = self.conjunction()
        if self.peek() is None:
            raise _Problem("unbalanced parenthesis", token.pos, "close it with )")
        self.take()
        return inner

    def _operand_missing(self) -> bool:
        token = self.peek()
        return token is None or token.kind in ("rparen", "or", "and")


def _combine(kind: type[And] | type[Or], parts: list[Node | None]) -> Node | None:
    kept = tuple(part for part in parts if part is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(kept)


def _field(token: Token, today: date | None, order: str | None) -> Node:
    field, value = token.field, token.text.strip()
    if not value:
        raise _Problem(f"{field}: needs a value", token.pos, f"for example {_EXAMPLE[field]}")
    if field in TEXT_FIELDS:
        if not has_token(value):
            raise _Problem(f"{field}: needs letters or digits", token.pos, _EXAMPLE[field])
        return Text(value, token.prefix, field, exact=token.quoted)
    if field == "tag":
        return _tag(token, value)
    if field in ("site", "url"):
        return Condition(field, value.lower())
    if field == "by":  # the user who added the clipping, case aside; by:jan* a prefix
        return Condition("by", value.lower(), prefix=token.prefix)
    if field == "lang":
        code = value.lower().replace("_", "-")
        if not code.replace("-", "").isalnum() or not code.isascii():
            raise _Problem(f"{value} is not a language code", token.pos, "for example lang:de")
        return Condition("lang", code)
    if field in ("is", "has"):
        allowed = IS_VALUES if field == "is" else HAS_VALUES
        if value.lower() not in allowed:
            choices = ", ".join(f"{field}:{v}" for v in allowed)
            raise _Problem(f"unknown {field}:{value}", token.pos, f"use {choices}")
        return Condition(field, value.lower())
    if field == "captured":
        return Condition("captured", _days(token, value, today, order))
    return Condition("day", _days(token, value, today, order))


def _tag(token: Token, value: str) -> Node:
    subtree = value.endswith("/")
    raw = value.rstrip("/")
    try:
        tag = normalize_tag(raw)
    except UsageError:
        raise _Problem(f"{value} is not a tag", token.pos, "for example tag:region/*") from None
    # tag:x and tag:x/* both mean x and the tags below it; tag:reg* any tag starting with reg.
    return Condition("tag", tag, prefix=token.prefix and not subtree)


def _days(
    token: Token, value: str, today: date | None, order: str | None
) -> tuple[str | None, str | None]:
    field = token.field
    try:
        first, last = period(value, now=today, order=order)
    except AmbiguousDate as error:
        raise _Problem(f"{field}:{value} is ambiguous", token.pos, error.hint) from None
    except UsageError:
        raise _Problem(
            f"{field}:{value} is not a date",
            token.pos,
            "use YYYY-MM-DD, YYYY-MM, YYYY, a week such as 2019-W47, a date such as 24.02.2023, "
            "yesterday, last-week, this-month, or a span back from today such as 7d, 2w, 3m, 1y",
        ) from None
    if token.prefix:
        raise _Problem(f"{field}: takes a date, not a prefix", token.pos, "remove the *")
    if field == "after":  # strictly after: from the day after the last day meant
        return _shift(last, 1), None
    if field == "before":  # strictly before: up to the day before the first day meant
        return None, _shift(first, -1)
    if field == "on":
        return first, last
    if field == "captured":  # a span back from today runs to today: captured:7d, this week's
        return (first, (today or current_day()).isoformat()) if is_span(value) else (first, last)
    return first, None  # since: that day and after


def _shift(day: str, days: int) -> str:
    """The day `days` away; past the calendar's ends, a day that no date reaches."""
    from datetime import timedelta

    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
    except (OverflowError, ValueError):
        return "9999-12-32" if days > 0 else "0000-12-31"


def _usage(problem: _Problem, query: str) -> UsageError:
    return UsageError(f"{problem.what} at position {problem.pos} in {query}; {problem.hint}.")
