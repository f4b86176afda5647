"""The clipping model: normalization and validation of every field, and its dict round trip."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.errors import ExitCode, UsageError
from clipper.model import (
    MAX_ID,
    Clipping,
    Draft,
    clean_text,
    content_hash,
    count_words,
    normalize_tag,
    normalize_tags,
    parse_date,
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
    ["2023-02-30", "2023-02-29", "2023-13", "2023-00-10", "0000",
     "2023-02-23T25:00", "", "30 February 2023", "31.04.2023", "24 Feb 2023 25:00", "soon",
     "February 23"],
)  # fmt: skip
def test_impossible_or_malformed_dates_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(bad)
    assert caught.value.exit_code == ExitCode.USAGE
    assert repr(bad) in caught.value.message
    assert "YYYY-MM-DD" in caught.value.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("24 February 2023", "2023-02-24"),
        ("February 24, 2023", "2023-02-24"),
        ("26 fevral 2023", "2023-02-26"),
        ("24. Februar 2023", "2023-02-24"),
        ("24 de febrero de 2023", "2023-02-24"),
        ("Friday, 24 February 2023", "2023-02-24"),
        ("24.02.2023", "2023-02-24"),
        ("23-02-2023", "2023-02-23"),
        ("02/23/2023", "2023-02-23"),
        ("2023/02/23", "2023-02-23"),
        ("2023-2-3", "2023-02-03"),
        ("2023年2月23日", "2023-02-23"),
        ("February 2023", "2023-02"),
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01"),
        ("24 Feb 2023 10:15 pm", "2023-02-24T22:15:00"),
        ("Wed, 16 Nov 2022 00:38:15 +0100", "2022-11-15T23:38:15Z"),
        ("24.02.2023 14:05 UTC", "2023-02-24T14:05:00Z"),
        ("le 3 mars 2023", "2023-03-03"),  # dateparser, for what the patterns cannot read
    ],
)
def test_everyday_dates_are_read_as_capture_reads_them(value: str, stored: str) -> None:
    assert parse_date(value) == stored


def test_a_numeric_date_follows_the_order_given() -> None:
    assert parse_date("03/04/2023", order="day-first") == "2023-04-03"
    assert parse_date("03/04/2023", order="month-first") == "2023-03-04"
    assert parse_date("13/04/2023", order="month-first") == "2023-04-13"  # 13 is no month
    assert parse_date("04/04/2023") == "2023-04-04"  # reads the same both ways


def test_a_numeric_date_that_reads_two_ways_is_refused_with_the_way_out() -> None:
    with pytest.raises(UsageError) as caught:
        parse_date("03/04/2023")
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == (
        "'03/04/2023' is ambiguous: it reads as 3 April 2023 or as 4 March 2023: write "
        "2023-04-03 or 2023-03-04, or set date_order to day-first or month-first (clip config)."
    )


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



def test_a_linked_record_is_checked_by_the_quick_test_with_the_same_verdict() -> None:
    # Every record of a segment is checked when a write reads it; in a library of wire
    # stories most records have near-duplicate links, which must not send them to the slow,
    # field-by-field checks.
    from clipper import model

    record = Clipping.create(7, draft().validated()).to_dict()
    record["near_duplicates"] = [3, 9, MAX_ID]
    assert model._sound(record)
    assert model.record_problem(record) is None
    for bad in ([0.5], [True], [-1], [MAX_ID + 1], ["3"], [3, None]):
        linked = {**record, "near_duplicates": bad}
        assert not model._sound(linked)
        assert model.record_problem(linked) == (
            f"has a near_duplicates that is {bad!r}, not a list of ids"
        )

# Round trips -----------------------------------------------------------------------------

optional_text = st.none() | st.text()
FIELD_STRATEGIES: dict[str, st.SearchStrategy[object]] = {
    "id": st.integers(min_value=1, max_value=MAX_ID),
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
    "near_duplicates": st.lists(st.integers(min_value=1, max_value=MAX_ID)),
    "passages": st.lists(st.text(min_size=1)),
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


# What every way in refuses (add, import, feeds, edit all validate a Draft) -----------------


@pytest.mark.parametrize(
    "url",
    ["https://%zz/", "https://xn--/", "https://xn--zz.example/", "https://a..b/",
     "https://-bad.example/", "https://example.org:99999/", "https://[::zz]/"],
)  # fmt: skip
def test_urls_whose_host_cannot_exist_are_usage_errors(url: str) -> None:
    with pytest.raises(UsageError, match="not a web address"):
        validate_url(url)


@pytest.mark.parametrize("url", ["https://user:secret@example.org/a", "https://me@example.org/"])
def test_urls_with_credentials_are_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(UsageError, match="user name or password") as caught:
        validate_url(url)
    assert "secret" not in caught.value.message
    assert "me@" not in caught.value.message


@pytest.mark.parametrize(
    "url",
    ["https://münchen.de/", "https://xn--mnchen-3ya.de/", "http://[::1]:8080/x",
     "http://192.0.2.1/a", "https://_dmarc.example.com/", "http://localhost/"],
)  # fmt: skip
def test_real_hosts_are_kept(url: str) -> None:
    assert validate_url(url) == url


@pytest.mark.parametrize("blank", [" \u200b \n\u200b", "\u200d\ufeff\u00ad", "\u2060\u3000"])
def test_a_text_or_title_of_invisible_characters_is_empty(blank: str) -> None:
    with pytest.raises(UsageError, match="no text"):
        Draft(text=blank, title="A title").validated()
    with pytest.raises(UsageError, match="no title"):
        Draft(text="Some text.", title=blank).validated()


def test_a_text_over_20_mb_is_refused_whatever_brought_it() -> None:
    big = "é" * (10 * 1024 * 1024 + 1)  # 10 M characters, 20 MB and 2 bytes in UTF-8
    with pytest.raises(UsageError, match="over 20 MB"):
        Draft(text=big, title="Big").validated()
    assert Draft(text=big[:-1], title="Big").validated().text == big[:-1]


def test_other_spaces_are_every_other_whitespace_character() -> None:
    import sys

    from clipper.model import OTHER_SPACES

    every = [chr(n) for n in range(sys.maxunicode + 1) if chr(n).isspace()]
    assert sorted(OTHER_SPACES) == [c for c in every if c not in " \t\n\r"]


def _plain_clean(text: str) -> str:
    """clean_text as it was before its shortcut for texts with nothing to change inside."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n").strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\n\r\ufeff\u00a0\u2028\x0b\x85.é"), max_size=60))
def test_clean_text_is_the_plain_cleaning(text: str) -> None:
    assert clean_text(text) == _plain_clean(text)
