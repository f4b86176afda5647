"""Pocket (HTML, CSV), wallabag (v1, v2) and CSV with a header, as drafts."""

from __future__ import annotations

import orjson
import pytest

from clipper.errors import ClipperError, UsageError
from clipper.formats.csv_import import column_map, read_table
from clipper.formats.html_text import html_to_text
from clipper.formats.pocket import read_pocket_csv, read_pocket_html
from clipper.formats.wallabag import read_wallabag
from clipper.model import Draft
from tests.import_samples import POCKET_CSV, POCKET_HTML, TABLE, WALLABAG_V1, WALLABAG_V2


def test_pocket_html_links_with_time_added_and_tags() -> None:
    first, second, bad = (item for _, item in read_pocket_html(POCKET_HTML))
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert (first.title, first.url, first.tags) == (
        "First saved", "https://pocket.example/one", ["ifttt", "news"],
    )  # fmt: skip
    assert first.captured == "2023-07-06T07:31:35Z"
    assert first.text == "First saved"
    assert isinstance(bad, ClipperError) and "not a web address" in bad.message


def test_pocket_csv_rows_with_pipe_separated_tags() -> None:
    entries = read_pocket_csv(POCKET_CSV)
    labels = [label for label, _ in entries]
    assert labels == ["line 2", "line 3", "line 4"]
    first, second, bad = (item for _, item in entries)
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert first.tags == ["news", "press"]
    assert second.title == "Title, with comma"
    assert isinstance(bad, ClipperError)


def test_wallabag_v2_articles_keep_text_star_tags_language_and_annotations() -> None:
    first, second, empty = (item for _, item in read_wallabag(orjson.loads(WALLABAG_V2)))
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert first.text == "Heading\n\nFirst paragraph with a link.\n\nSecond & last."
    assert first.starred is True and second.starred is False
    assert first.tags == ["media", "blog"]
    assert first.language == "fr"
    assert first.captured == "2016-09-08T09:55:58Z"
    assert first.note == "“First paragraph” Key point"
    # An article with nothing at all still makes a draft; validation refuses it later.
    assert isinstance(empty, Draft) and empty.text == ""


def test_wallabag_v1() -> None:
    ((_, article),) = read_wallabag(orjson.loads(WALLABAG_V1))
    assert isinstance(article, Draft)
    assert (article.starred, article.tags, article.text) == (
        True, ["one", "two"], "Version one content.",
    )  # fmt: skip


def test_csv_maps_common_column_names() -> None:
    assert column_map(["Headline", "Link", "Body"]) == {
        "title": "Headline", "url": "Link", "text": "Body",
    }  # fmt: skip
    first, second, third = (item for _, item in read_table(TABLE))
    assert isinstance(first, Draft)
    assert (first.title, first.url, first.text, first.source) == (
        "Harbour news", "https://table.example/1", "The harbour text.", "Portmere Courier",
    )  # fmt: skip
    assert first.tags == ["transport", "local"]
    assert (first.published, first.authors, first.note) == (
        "2023-02-23",
        ["Ann Reporter"],
        "my note",
    )
    # A date that cannot be read is kept, so that validation reports it for this row only.
    assert isinstance(second, Draft) and second.published == "23/02/2023 nonsense"
    assert isinstance(third, Draft) and third.text == "https://table.example/3"


def test_csv_without_a_useful_column_is_refused() -> None:
    with pytest.raises(UsageError, match="no url or text column"):
        read_table("a,b\n1,2\n")


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<h1>T</h1><p>One\ntwo &amp; <b>three</b></p><script>x()</script><p>A<br>B</p>"
    assert html_to_text(html) == "T\n\nOne two & three\n\nA\nB"
    assert html_to_text("plain\n\ntext") == "plain\n\ntext"


def test_json_link_lists_of_other_tools() -> None:
    from clipper.formats.link_lists import read_link_list

    pinboard = [{"href": "https://pin.example/a", "description": "Pinned", "extended": "Why.",
                 "time": "2016-10-31T15:57:56Z", "tags": "dom performance"}]  # fmt: skip
    ((_, pin),) = read_link_list(pinboard)
    assert isinstance(pin, Draft)
    assert (pin.title, pin.text, pin.tags) == ("Pinned", "Why.", ["dom", "performance"])
    assert pin.captured == "2016-10-31T15:57:56Z"
    chrome = {"roots": {"bookmark_bar": {"children": [
        {"type": "url", "name": "Chrome link", "url": "https://c.example/",
         "date_added": "13118850929335823"},
        {"type": "folder", "name": "empty", "children": []},
    ]}}}  # fmt: skip
    ((_, link),) = read_link_list(chrome)
    assert isinstance(link, Draft) and link.captured == "2016-09-20T13:15:29Z"
    with pytest.raises(UsageError, match="no web address"):
        read_link_list({"roots": {}})
