"""Every importer against values chosen to hurt: infinite, huge and negative numbers, deep
nesting, the wrong type where text or a list is expected, broken URLs and impossible dates.

The only outcomes allowed are clippings or a ClipperError, per record: a bad record is
reported, the others kept, and what is kept can be stored and found again.
(tests/test_reliability_fuzz.py throws arbitrary bytes and text at the same importers.)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.errors import ClipperError
from clipper.library.core import Library
from clipper.library.importing import read_source
from clipper.paths import LibraryPaths

HOSTILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NUMBERS = st.one_of(
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 5e-324, 0, -1,
                     2**63 - 1, 2**63, 2**64, -(2**63), 10**30, 10**400]),
    st.integers(), st.floats(),
)  # fmt: skip
NUMBER_TEXTS = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "1e400", "9" * 401, "1" * 5000, "-5", "0", "²",
                     "1677110400", "1677110400000", "1677110400000000000000", "١٢٣", "1.5e9"]),
    NUMBERS.map(str),
)  # fmt: skip
URLS = st.sampled_from([
    "http://[oops/", "https://[::1]x/", "javascript:alert(1)", "file:///etc/passwd", "http://",
    "http://x.example:99999/", "https://exa mple.example/", "http://\u2100.example/", "//host/a",
    "https://ok.example/a?utm_source=x", "HTTPS://OK.EXAMPLE:443/", "http://a\x00b.example/",
    "https://xn--.example/", "http://" + "a" * 300 + ".example/", "", " ",
])  # fmt: skip
DATES = st.sampled_from([
    "2023-02-30", "notadate", "0000-00-00", "9999-99-99", "2023-13-01", "1e400", "", "   ",
    "2023-02-23", "2023-02-23T10:00:00+03:00", "Thu, 23 Feb 2023 10:00:00 +0000", "-2023-01-01",
    "99999-01-01", "2023-02-23T25:61:61Z", "mer, 16 nov 2022 00:38:15 +0100",
    "10/Oct/2000:13:55:36 +0300", "01/Jan/0001:00:00:00 +0300", "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00-05:00", "Fri, 31 Dec 9999 23:00:00 -0500",
])  # fmt: skip
TEXTS = st.one_of(st.text(max_size=20), URLS, DATES, NUMBER_TEXTS)


def nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf] if depth % 2 else {"a": leaf}
    return leaf


SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXTS)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.sampled_from(["name", "term", "value", "href", "url"]), SCALARS, max_size=3),
    st.builds(nested, st.integers(1, 900), SCALARS),  # orjson reads 1,024 levels
)
KEYS = st.sampled_from([
    "title", "url", "href", "text", "content", "tags", "published", "captured", "id", "uuid",
    "authors", "author", "starred", "language", "note", "time", "time_added", "date_added",
    "created_at", "is_archived", "is_starred", "given_url", "resolved_url", "date_published",
    "content_text", "content_html", "description", "extended", "source", "title_source",
])  # fmt: skip
RECORDS = st.dictionaries(KEYS, VALUES, max_size=10)


def json_text(document: Any) -> str:
    # The standard json module writes what orjson refuses (NaN, Infinity, 400-digit integers):
    # such a file is a whole-file error, the rest is read record by record.
    return json.dumps(document, allow_nan=True, default=str)


def attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, content) of one import document of some format, hostile inside."""
    kind = draw(st.sampled_from([
        "clipper-json", "jsonl", "wallabag", "links", "chrome", "json-feed", "rss", "netscape",
        "pocket-html", "pocket-csv", "csv",
    ]))  # fmt: skip
    records = draw(st.lists(RECORDS, min_size=1, max_size=4))
    if kind == "clipper-json":
        return "export.json", json_text({"format": "clipper", "clippings": records})
    if kind == "jsonl":
        return "export.jsonl", "\n".join(json_text(record) for record in records)
    if kind == "wallabag":
        return "wallabag.json", json_text(records)
    if kind == "links":
        return "links.json", json_text([{"href": draw(URLS), **r} for r in records])
    if kind == "chrome":
        children = [{"type": "url", "url": draw(URLS), **r} for r in records]
        return "Bookmarks", json_text({"roots": {"bookmark_bar": {"children": children}}})
    if kind == "json-feed":
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": draw(VALUES),
                "authors": draw(VALUES), "items": records}  # fmt: skip
        return "feed.json", json_text(feed)
    texts = draw(st.lists(st.tuples(TEXTS, URLS, DATES, NUMBER_TEXTS), min_size=1, max_size=4))
    if kind == "rss":
        items = "".join(
            f"<item><title>{attribute(t)}</title><link>{attribute(u)}</link>"
            f"<pubDate>{attribute(d)}</pubDate><category>{attribute(n)}</category></item>"
            for t, u, d, n in texts
        )
        channel = f"<channel>{items}</channel>"
        return "feed.rss", f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    if kind == "netscape":
        links = "".join(
            f'<DT><A HREF="{attribute(u)}" ADD_DATE="{attribute(n)}" TAGS="{attribute(t)}">'
            f"{attribute(t)}</A><DD>{attribute(d)}"
            for t, u, d, n in texts
        )
        return "bookmarks.html", f"<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>{links}</DL>"
    if kind == "pocket-html":
        links = "".join(
            f'<li><a href="{attribute(u)}" time_added="{attribute(n)}" tags="{attribute(t)}">'
            f"{attribute(t)}</a></li>"
            for t, u, _, n in texts
        )
        return "ril_export.html", f"<!DOCTYPE html><title>Pocket Export</title><ul>{links}</ul>"
    if kind == "pocket-csv":
        rows = "".join(
            ",".join(csv_cell(c) for c in (t, u, n, t, "unread")) + "\n" for t, u, _, n in texts
        )
        return "part_000000.csv", "title,url,time_added,tags,status\n" + rows
    rows = "".join(
        ",".join(csv_cell(c) for c in (n, t, u, d, n, t, t)) + "\n" for t, u, d, n in texts
    )
    return "table.csv", "id,title,url,published,captured,tags,text\n" + rows


def imported(library: Library, location: str) -> None:
    """Read and store one source; every failure must be a ClipperError, record by record."""
    try:
        batch = read_source(location)
    except ClipperError as error:
        assert error.message.strip()
        return
    drafts = [record.draft for record in batch.records if record.draft is not None]
    for record in batch.records:
        assert (record.draft is None) != (record.error is None)
    result = library.add_many(drafts, allow_duplicate=True)
    assert len(result.added) + len(result.failed) == len(drafts)
    for clipping in result.added:
        assert 0 < clipping.id < 2**31
    library.search("x OR y")
    library.stats()


@HOSTILE
@given(document=documents())
def test_every_importer_keeps_or_reports_each_hostile_record(document: tuple[str, str]) -> None:
    name, content = document
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / name
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        imported(Library(LibraryPaths(Path(work) / "library")), str(path))


YAML_VALUES = st.sampled_from([
    ".inf", "-.inf", ".nan", "1e400", "9" * 401, "-1", "0x1F", "2023-02-30", "2023-02-23",
    "2023-02-23 10:00:00+03:00", "0000-01-01", "notadate", "[a, [b, [c]]]", "{a: 1}", "[1, 2.5]",
    "yes", "no", "null", "~", "'quoted'", "&a [x, y]", "*a", "!!binary aGk=", "!!python/tuple [1]",
    "[" * 500 + "]" * 500, "- - - x", '"\\ud800"', "<<: {a: 1}", "?", "|\n  block", "@x",
])  # fmt: skip
FRONT_FIELDS = st.sampled_from([
    "title", "source", "published", "date", "captured", "url", "authors", "tags", "language",
    "starred", "note", "description", "uuid", "title_source", "id", "a", "<<",
])  # fmt: skip


@HOSTILE
@given(
    files=st.lists(
        st.dictionaries(FRONT_FIELDS, YAML_VALUES, max_size=6), min_size=1, max_size=3
    )
)
def test_the_markdown_folder_importer_keeps_or_reports_each_hostile_file(
    files: list[dict[str, str]],
) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "notes"
        folder.mkdir()
        for number, header in enumerate(files):
            lines = "".join(f"{field}: {value}\n" for field, value in header.items())
            text = f"---\n{lines}---\n\nThe body of note {number}.\n"
            (folder / f"note-{number}.md").write_text(text, encoding="utf-8")
        imported(Library(LibraryPaths(Path(work) / "library")), str(folder))
