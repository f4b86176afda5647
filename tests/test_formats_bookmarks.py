"""Netscape bookmark files: links, folders as tags, TAGS, ADD_DATE, descriptions."""

from __future__ import annotations

import pytest

from clipper.errors import ClipperError, UsageError
from clipper.formats.bookmarks import parse_bookmarks, read_bookmarks
from clipper.model import Draft
from tests.import_samples import NETSCAPE


def test_links_with_folders_tags_dates_and_descriptions() -> None:
    entries = read_bookmarks(NETSCAPE)
    assert [label for label, _ in entries] == [f"bookmark {n}" for n in range(1, 5)]
    a, b, place, c = (item for _, item in entries)
    assert isinstance(a, Draft) and isinstance(b, Draft) and isinstance(c, Draft)
    assert a.title == "Story A & more"
    assert a.url == "https://news.example/a"
    assert a.text == "A description of story A."
    assert a.captured == "2023-02-23T09:00:00Z"
    # The browser's own toolbar folder is not a tag; the user's folders are, as a path.
    assert a.tags == ["press", "azerbaijan"]
    assert b.tags == ["press-reviews"]
    assert b.captured == "2023-02-24T09:00:00Z"  # milliseconds read as such
    assert b.text == "Story B"  # no description: the title is the text
    assert isinstance(place, ClipperError) and "not a web address" in place.message
    assert c.tags == [] and c.captured is None


def test_space_separated_tags_and_multiline_descriptions() -> None:
    html = (
        '<DL><DT><A HREF="http://a.example" ADD_DATE="10/Oct/2000:13:55:36 +0300" '
        'TAGS="private secret">A</A>\n<DD>Line one\n- item\n\nParagraph two\n</DL>'
    )
    (bookmark,) = parse_bookmarks(html)
    assert bookmark.tags == ["private", "secret"]
    assert bookmark.description == "Line one\n- item\n\nParagraph two"
    ((_, draft),) = read_bookmarks(html)
    assert isinstance(draft, Draft) and draft.captured == "2000-10-10T10:55:36Z"


def test_a_link_inside_a_description_is_not_a_bookmark() -> None:
    html = (
        '<DL><DT><A HREF="https://a.example/">A</A>\n<DD>See <a href="https://thumb.example">'
        "<img src=x></a> too\n</DL>"
    )
    assert [b.href for b in parse_bookmarks(html)] == ["https://a.example/"]


def test_a_file_without_links_is_refused() -> None:
    with pytest.raises(UsageError, match="holds no bookmark"):
        read_bookmarks("<html><body><p>nothing</p></body></html>")
