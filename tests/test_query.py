"""The query language: tokens, the syntax tree, and one-line errors that point at the problem."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.errors import ExitCode, UsageError
from clipper.search.compiler import compile_query
from clipper.search.query import And, Condition, Not, Or, Text, parse, tokenize

TODAY = date(2026, 11, 29)


def q(query: str) -> object:
    return parse(query, today=TODAY)


def error(query: str) -> str:
    with pytest.raises(UsageError) as raised:
        parse(query, today=TODAY)
    assert raised.value.exit_code == ExitCode.USAGE
    assert "\n" not in raised.value.message
    return raised.value.message


# Words, phrases and operators -----------------------------------------------------------------


def test_words_side_by_side_must_all_match() -> None:
    assert q("climate change") == And((Text("climate"), Text("change")))


def test_a_single_word_is_a_text_node() -> None:
    assert q("khojaly") == Text("khojaly")


def test_a_quoted_phrase_is_one_text() -> None:
    assert q('"climate change" policy') == And(
        (Text("climate change", exact=True), Text("policy"))
    )


def test_or_binds_tighter_than_the_implicit_and() -> None:
    assert q("vote election OR referendum") == And(
        (Text("vote"), Or((Text("election"), Text("referendum"))))
    )


def test_lowercase_or_and_not_are_plain_words() -> None:
    assert q("or not and") == And((Text("or"), Text("not"), Text("and")))


def test_explicit_and_is_accepted() -> None:
    assert q("a AND b") == And((Text("a"), Text("b")))


@pytest.mark.parametrize("query", ["-sport", "NOT sport"])
def test_minus_and_not_exclude(query: str) -> None:
    assert q(f"football {query}") == And((Text("football"), Not(Text("sport"))))


def test_a_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    assert q("well-known") == Text("well-known")


def test_a_trailing_star_is_a_prefix() -> None:
    assert q("clim*") == Text("clim", prefix=True)
    assert q('"climate ch"*') == Text("climate ch", prefix=True, exact=True)


def test_parentheses_group() -> None:
    assert q("(a OR b) c") == And((Or((Text("a"), Text("b"))), Text("c")))
    assert q("-(a b)") == Not(And((Text("a"), Text("b"))))


def test_words_without_letters_or_digits_are_ignored() -> None:
    assert q("climate & change") == And((Text("climate"), Text("change")))


def test_every_script_is_a_word() -> None:
    assert q("Xocalı Москва Αθήνα الكتاب 東京大学") == And(
        tuple(Text(w) for w in ["Xocalı", "Москва", "Αθήνα", "الكتاب", "東京大学"])
    )


def test_tokens_carry_positions() -> None:
    tokens = tokenize('a "b c" -(d)')
    assert [(t.kind, t.pos) for t in tokens] == [
        ("word", 1), ("phrase", 3), ("not", 9), ("lparen", 10), ("word", 11), ("rparen", 12),
    ]  # fmt: skip


# Fields ---------------------------------------------------------------------------------------


def test_text_fields() -> None:
    assert q("title:budget") == Text("budget", field="title")
    assert q('source:"News.Az"') == Text("News.Az", field="source", exact=True)
    assert q("author:smi*") == Text("smi", prefix=True, field="author")


def test_field_names_are_case_insensitive() -> None:
    assert q("TAG:Politics") == Condition("tag", "politics")


def test_tags_cover_the_tags_below_them() -> None:
    assert q("tag:region/*") == Condition("tag", "region")
    assert q("tag:region") == Condition("tag", "region")
    assert q("tag:reg*") == Condition("tag", "reg", prefix=True)


def test_metadata_fields() -> None:
    assert q("site:News.AZ") == Condition("site", "news.az")
    assert q("url:Khojaly") == Condition("url", "khojaly")
    assert q("lang:pt_BR") == Condition("lang", "pt-br")
    assert q("is:starred") == Condition("is", "starred")
    assert q("has:note") == Condition("has", "note")


@pytest.mark.parametrize(
    ("query", "days"),
    [
        ("after:2023-01-01", ("2023-01-02", None)),
        ("after:2023", ("2024-01-01", None)),
        ("before:2023-03", (None, "2023-02-28")),
        ("on:2023-02-23", ("2023-02-23", "2023-02-23")),
        ("on:2024-02", ("2024-02-01", "2024-02-29")),
        ("since:7d", ("2026-11-22", None)),
        ("since:2w", ("2026-11-15", None)),
        ("since:3m", ("2026-08-29", None)),
        ("since:1y", ("2025-11-29", None)),
        ("since:2023-05-01", ("2023-05-01", None)),
        ("after:9999-12-31", ("9999-12-32", None)),
        ("before:0001-01-01", (None, "0000-12-31")),
    ],
)
def test_date_fields(query: str, days: tuple[str | None, str | None]) -> None:
    assert q(query) == Condition("day", days)


# Errors ---------------------------------------------------------------------------------------


def test_the_unbalanced_quote_of_the_examples() -> None:
    assert error('"climate (change') == (
        'unbalanced quote at position 1 in "climate (change; close it with ".'
    )


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("climate (change", "unbalanced parenthesis at position 9"),
        ("climate change)", "unbalanced parenthesis at position 15"),
        ("a ()", "empty parentheses at position 3"),
        ("foo:bar", "unknown field foo: at position 1"),
        ("climate https://example.org", "unknown field https: at position 9"),
        ("after:2023-13-01", "after:2023-13-01 is not a date at position 1"),
        ("since:7x", "since:7x is not a date at position 1"),
        ("tag:", "tag: needs a value at position 1"),
        ('source:""', "source: needs a value at position 1"),
        ("is:happy", "unknown is:happy at position 1"),
        ("has:everything", "unknown has:everything at position 1"),
        ("lang:d$", "d$ is not a language code at position 1"),
        ("OR climate", "OR needs a term on each side at position 1"),
        ("climate OR", "OR needs a term on each side at position 9"),
        ("a OR OR b", "OR needs a term on each side at position 3"),
        ("climate NOT", "NOT needs a term after it at position 9"),
        ("AND a", "AND needs a term on each side at position 1"),
        ("title:...", "title: needs letters or digits at position 1"),
    ],
)
def test_malformed_queries_point_at_the_problem(query: str, start: str) -> None:
    message = error(query)
    assert message.startswith(start), message
    assert f" in {query};" in message


@pytest.mark.parametrize("query", ["", "   ", "& ... !"])
def test_a_query_with_nothing_to_look_for_is_an_error(query: str) -> None:
    assert "query" in error(query)


# Properties -----------------------------------------------------------------------------------

QUERY_PIECES = st.sampled_from(
    ['"', "(", ")", "-", "*", ":", "OR", "AND", "NOT", " ", "tag:", "after:", "since:7d",
     "is:starred", "title:", "a", "Xocalı", "東京", "\x00", "'", "\\", "{", "}", "^", "NEAR"]
)  # fmt: skip


@settings(max_examples=400)
@given(st.one_of(st.text(), st.lists(QUERY_PIECES | st.text(max_size=3)).map("".join)))
def test_any_text_either_parses_or_is_a_one_line_usage_error(query: str) -> None:
    try:
        node = parse(query, today=TODAY)
    except UsageError as raised:
        assert "\n" not in raised.message.replace(query, "")
        return
    compile_query(node)  # and whatever parses compiles
