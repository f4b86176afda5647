"""Import formats are recognized by content, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.errors import UsageError
from clipper.formats.detect import check_import_format, detect
from tests.import_samples import (
    ATOM,
    JSON_FEED,
    NETSCAPE,
    POCKET_CSV,
    POCKET_HTML,
    RSS,
    TABLE,
    WALLABAG_V1,
    WALLABAG_V2,
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (RSS, "feed"),
        (ATOM, "feed"),
        ("\ufeff" + JSON_FEED, "feed"),
        (NETSCAPE, "netscape"),
        (POCKET_HTML, "pocket-html"),
        (POCKET_CSV, "pocket-csv"),
        (WALLABAG_V2, "wallabag"),
        (WALLABAG_V1, "wallabag"),
        (TABLE, "csv"),
        ('{"format": "clipper", "clippings": []}', "clipper-json"),
        ('[{"title": "t", "text": "x"}]', "clipper-json"),
        ('{"title": "a", "text": "x"}\n{"title": "b", "text": "y"}\n', "jsonl"),
        ("---\ntitle: x\n---\n\ntext\n", "md-folder"),
        ('<DL><p><DT><A HREF="https://a.example">A</A></DL>', "netscape"),
    ],
)
def test_detect_by_content(content: str, expected: str) -> None:
    assert detect(content.encode("utf-8")) == expected


def test_a_folder_is_markdown_files(tmp_path: Path) -> None:
    assert detect(tmp_path) == "md-folder"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"<!DOCTYPE html><html><body><p>An article</p></body></html>", "web page"),
        (b"<catalog/>", "not an RSS or Atom feed"),
        (b'{"some": "json"}', "not a clipper export"),
        (b"just some words", "cannot tell"),
    ],
)
def test_unknown_content_is_one_clear_error(content: bytes, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        detect(content, name="x")


def test_format_names_and_aliases() -> None:
    assert check_import_format("RSS") == "feed"
    assert check_import_format("json") == "clipper-json"
    with pytest.raises(UsageError, match="unknown import format"):
        check_import_format("docx")
