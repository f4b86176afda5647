"""The clipping model: normalization and validation of every field, and its dict round trip."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipper.errors import ExitCode, UsageError
from clipper.model import (
    Clipping,
    Draft,
    clean_text,
    content_hash,
    count_words,
    normalize_tag,
    normalize_tags,
    parse_date,
    parse_day,
    site_of,
    validate_language,
    validate_url,
)
from clipper.provenance import FIELDS, ORIGINS

# Tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_tag", "stored"),
    [
        ("Politics", "politics"),
        ("  economy  ", "economy"),
        ("Press Review", "press-review"),
        ("press   review", "press-review"),
        ("Region/Azerbaijan", "region/azerbaijan"),
        (" Region / South  Caucasus ", "region/south-caucasus"),
        ("region//az", "region/az"),
        ("/region/az/", "region/az"),
        ("#brexit", "brexit"),
        ("ÉCONOMIE", "économie"),
        ("Xocalı", "xocalı"),
    ],
)
def test_tags_are_lowercase_trimmed_dashed_and_hierarchical(given_tag: str, stored: str) -> None:
    assert normalize_tag(given_tag) == stored


@pytest.mark.parametrize("bad", ["", "   ", "/", " / / ", "#", "-draft", "region/-x"])
def test_a_tag_without_letters_or_starting_with_a_dash_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        normalize_tag(bad)
    assert caught.value.exit_code == ExitCode.USAGE
    assert "not a tag" in caught.value.message


def test_normalize_tags_drops_duplicates_after_normalizing_and_keeps_order() -> None:
    assert normalize_tags(["B", "a", "b ", "A", "c/d"]) == ["b", "a", "c/d"]


# Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2023", "2023"),
        ("2023-02", "2023-02"),
        ("2023-02-23", "2023-02-23"),
        (" 2023-02-23 ", "2023-02-23"),
        ("2024-02-29", "2024-02-29"),
        ("2023-02-23T10:30", "2023-02-23T10:30:00"),
        ("2023-02-23T10:30:00Z", "2023-02-23T10:30:00Z"),
        ("2023-02-23T10:30:00+00:00", "2023-02-23T10:30:00Z"),
        ("2023-02-23T10:30:00+04:00", "2023-02-23T10:30:00+04:00"),
    ],
)
def test_dates_in_iso_forms_are_accepted(value: str, stored: str) -> None:
    assert parse_date(value) == stored


@pytest.mark.parametrize(
    "bad",
    ["2023-02-30", "2023-02-29", "2023-13", "2023-00-10", "0000", "23-02-2023", "2023-2-3",
     "2023-02-23T25:00", "yesterday", "", "23 February 2023"],
)  # fmt: skip
def test_impossible_or_malformed_dates_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(bad)
    assert caught.value.exit_code == ExitCode.USAGE
    assert repr(bad) in caught.value.message
    assert "YYYY-MM-DD" in caught.value.message


def test_the_date_error_names_what_was_being_parsed() -> None:
    with pytest.raises(UsageError, match="not a valid --since date"):
        parse_day("soon", what="--since date")


# Days for --since / --until --------------------------------------------------------------

NOW = date(2024, 3, 31)


@pytest.mark.parametrize(
    ("span", "day"),
    [
        ("0d", "2024-03-31"),
        ("7d", "2024-03-24"),
        ("7D", "2024-03-24"),
        ("2w", "2024-03-17"),
        ("1m", "2024-02-29"),  # the 31st of a short month is its last day
        ("3m", "2023-12-31"),
        ("1y", "2023-03-31"),
        ("13m", "2023-02-28"),
    ],
)
def test_relative_spans_count_back_from_now(span: str, day: str) -> None:
    assert parse_day(span, now=NOW) == day


def test_a_span_reaching_before_year_one_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="before year 1"):
        parse_day("3000y", now=NOW)


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02-23", "2023-02-23", "2023-02-23"),
        ("2023-02-23T22:15:00", "2023-02-23", "2023-02-23"),
    ],
)
def test_a_year_or_month_stands_for_its_first_day_or_with_end_its_last(
    value: str, start: str, end: str
) -> None:
    assert parse_day(value) == start
    assert parse_day(value, end=True) == end


@pytest.mark.parametrize("bad", ["2023-02-30", "7x", "d7", "-7d", "last week"])
def test_bad_days_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_day(bad, now=NOW)


# URLs, languages, text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://news.az/news/1", "http://example.org", "HTTPS://Example.org/a?b=c"]
)
def test_http_and_https_urls_are_kept(url: str) -> None:
    assert validate_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "bad",
    ["ftp://example.org/file", "javascript:alert(1)", "file:///etc/passwd", "example.org",
     "http://", "mailto:a@example.org", "news.az/news/1"],
)  # fmt: skip
def test_anything_but_a_web_address_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="not a web address"):
        validate_url(bad)


def test_site_is_the_host_without_www() -> None:
    assert site_of("https://www.News.az/news/1") == "news.az"
    assert site_of(None) is None


@pytest.mark.parametrize(
    ("tag", "stored"),
    [("en", "en"), ("EN", "en"), ("pt-br", "pt-BR"), ("pt_BR", "pt-BR"), ("zh-Hant", "zh-Hant"),
     ("sr-Latn-RS", "sr-Latn-RS"), (" de ", "de")],
)  # fmt: skip
def test_language_tags_follow_bcp47_case(tag: str, stored: str) -> None:
    assert validate_language(tag) == stored


@pytest.mark.parametrize("bad", ["english", "e", "en-", "12", "en us", "de-a"])
def test_malformed_language_tags_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError, match="not a language tag"):
        validate_language(bad)


def draft(**fields: object) -> Draft:
    values: dict[str, object] = {"text": "Some article text.", "title": "A title"}
    values.update(fields)
    return Draft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\ufeff"])
def test_a_draft_without_text_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="no text"):
        draft(text=text).validated()


def test_a_draft_without_title_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no title"):
        draft(title="  \n ").validated()


def test_validation_normalizes_every_field() -> None:
    clean = draft(
        text="\ufeffFirst line.  \r\n\r\n\r\n\r\nSecond line.\r\n",
        title="  A   headline\n over two lines ",
        url=" https://example.org/a ",
        source="  ",
        authors=["  Ann Smith ", "", "  "],
        published="2023-02-23",
        language="pt_br",
        tags=["Politics", "politics", "Region/AZ"],
        note="   ",
    ).validated()
    assert clean.text == "First line.\n\nSecond line."
    assert clean.title == "A headline over two lines"
    assert clean.url == "https://example.org/a"
    assert clean.source is None
    assert clean.authors == ["Ann Smith"]
    assert clean.published == "2023-02-23"
    assert clean.language == "pt-BR"
    assert clean.tags == ["politics", "region/az"]
    assert clean.note is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("url", "ftp://x.org"), ("published", "2023-02-30"), ("language", "klingon"),
     ("tags", ["ok", "  "])],
)  # fmt: skip
def test_a_draft_with_one_bad_field_is_refused(field: str, value: object) -> None:
    with pytest.raises(UsageError):
        draft(**{field: value}).validated()


def test_clean_text_keeps_paragraphs_and_drops_trailing_space() -> None:
    assert clean_text("  a \n\n\n\nb\t\n") == "a\n\nb"


# Duplicates: the content hash ------------------------------------------------------------


def test_content_hash_ignores_case_and_spacing() -> None:
    original = "Harbour city council approves tram line.\n\nThirty-one voted in favour."
    pasted_again = "  HARBOUR city   council approves tram line. Thirty-one voted in FAVOUR.\n"
    assert content_hash(original) == content_hash(pasted_again)


def test_content_hash_differs_when_the_words_differ() -> None:
    assert content_hash("the council approved") != content_hash("the council rejected")


def test_content_hash_folds_unicode_compatibility_forms_and_case() -> None:
    assert content_hash("ﬁnance STRASSE") == content_hash("finance straße")


def test_words_are_counted_in_every_script() -> None:
    assert count_words("Xocalı faciəsi, 26 февраля — 東京") == 6  # 東京: two characters


def test_a_created_clipping_derives_hash_and_word_count() -> None:
    clean = draft(text="One two three.").validated()
    clipping = Clipping.create(7, clean, captured="2024-01-01T00:00:00Z")
    assert clipping.id == 7
    assert clipping.captured == "2024-01-01T00:00:00Z"
    assert clipping.content_hash == content_hash("one two three.")
    assert clipping.word_count == 3
    assert len(clipping.uuid) == 36


def test_changing_the_text_updates_hash_and_word_count() -> None:
    clipping = Clipping.create(1, draft(text="One two.").validated())
    changed = clipping.with_changes(text="One two three four.")
    assert changed.word_count == 4
    assert changed.content_hash == content_hash("One two three four.")
    assert clipping.word_count == 2  # the original is untouched


def test_the_date_is_publication_else_capture() -> None:
    clipping = Clipping.create(1, draft().validated(), captured="2024-05-06T07:08:09Z")
    assert clipping.date == "2024-05-06"
    assert clipping.with_changes(published="2023-02-23T10:00:00").date == "2023-02-23"


def test_from_dict_drops_unknown_keys_and_defaults_missing_optional_ones() -> None:
    data = {"id": 3, "uuid": "u", "title": "t", "text": "x", "captured": "2024-01-01T00:00:00Z",
            "from_the_future": 1}  # fmt: skip
    clipping = Clipping.from_dict(data)
    assert clipping.tags == []
    assert clipping.starred is False
    assert clipping.url is None


@pytest.mark.parametrize(
    "data", [{"id": 1}, {"id": "1", "uuid": "u", "title": "t", "text": "x", "captured": "c"}]
)
def test_from_dict_refuses_records_missing_required_fields(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="clipping"):
        Clipping.from_dict(data)


# Round trips -----------------------------------------------------------------------------

optional_text = st.none() | st.text()
FIELD_STRATEGIES: dict[str, st.SearchStrategy[object]] = {
    "id": st.integers(min_value=1, max_value=2**53),
    "uuid": st.uuids().map(str),
    "title": st.text(),
    "text": st.text(min_size=1),
    "captured": st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    "title_source": st.sampled_from(["given", "extracted", "generated"]),
    "url": st.none() | st.text().map(lambda path: "https://example.org/" + path),
    "source": optional_text,
    "authors": st.lists(st.text()),
    "published": st.none() | st.dates().map(date.isoformat),
    "language": st.none() | st.sampled_from(["en", "de", "az", "pt-BR"]),
    "tags": st.lists(st.text()),
    "note": optional_text,
    "starred": st.booleans(),
    "content_hash": st.text(),
    "word_count": st.integers(min_value=0, max_value=10**9),
    "description": optional_text,
    "snapshot": optional_text,
    "signature": st.text(),
    "near_duplicates": st.lists(st.integers(min_value=1, max_value=2**53)),
    "provenance": st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(ORIGINS)),
}
clippings = st.builds(Clipping, **FIELD_STRATEGIES)


def test_the_round_trips_cover_every_field() -> None:
    assert set(FIELD_STRATEGIES) == {f.name for f in fields(Clipping)}


@given(clippings)
def test_a_clipping_survives_its_dict(clipping: Clipping) -> None:
    assert Clipping.from_dict(clipping.to_dict()) == clipping


@given(clippings)
def test_a_clipping_survives_json_as_the_store_writes_it(clipping: Clipping) -> None:
    encoded = orjson.dumps(clipping.to_dict(), option=orjson.OPT_INDENT_2)
    assert Clipping.from_dict(orjson.loads(encoded)) == clipping


@given(clippings)
def test_to_dict_holds_only_json_types(clipping: Clipping) -> None:
    data = clipping.to_dict()
    assert orjson.loads(orjson.dumps(data)) == data


def test_chinese_and_japanese_words_are_counted_by_character() -> None:
    from clipper.model import count_words

    assert count_words("東京都は新しい規則を発表した。") == 14
    assert count_words("Hello world, 北京新闻 today") == 7
    assert count_words("한국어 문장 입니다") == 3  # Korean separates words with spaces
