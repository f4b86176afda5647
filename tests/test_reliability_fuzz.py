"""Arbitrary input to capture and to every importer: success or a ClipperError, never a crash.

The query parser has its own property tests in test_query.py.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.capture.files import decode_text
from clipper.capture.html_page import Page, draft_from_html
from clipper.capture.text import draft_from_text
from clipper.errors import ClipperError
from clipper.formats import import_names
from clipper.formats.detect import detect
from clipper.library.importing import read_source
from clipper.model import Draft

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what people paste: lines of words, dates, chrome, markup, scripts.
fragments = st.sampled_from([
    "date 2023-02-23 + ↺ − 16 px", "Advertisement", "Read more", "(Reuters) -", "— AP",
    "February 23, 2023", "23.02.2023", "Source: News.Az", "told News.Az", "# Heading",
    "Xocalı", "北京新闻", "مرحبا", "Привет", "<script>", "[bold]x[/]", "\x1b[31m", "\u200f",
    "http://example.org/a?utm_source=x", "", "\n", "\n\n", "  ", ".", "…", "“quoted”",
])  # fmt: skip
pasted = st.lists(st.one_of(fragments, st.text(max_size=60)), max_size=25).map(" ".join)


def outcome_of(action: object) -> None:
    """Run `action`; anything but success or a ClipperError fails the test."""
    assert callable(action)
    try:
        action()
    except ClipperError as error:
        assert error.message.strip(), "a ClipperError needs a message"


@FUZZ
@given(text=st.one_of(pasted, st.text()))
def test_plain_text_capture_takes_any_text(text: str) -> None:
    def capture() -> None:
        draft = draft_from_text(text)
        assert isinstance(draft, Draft)
        draft.validated()

    outcome_of(capture)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_decoding_any_bytes_gives_text_or_a_clear_refusal(data: bytes) -> None:
    outcome_of(lambda: decode_text(data, name="fuzz.txt"))


markup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<html>",
                "<body>",
                "<p>",
                "</p>",
                "<article>",
                "<meta charset=x>",
                "<title>",
                "</title>",
                "<script>",
                "<h1>",
                "<!--",
                "]]>",
                "&amp;",
                "<time datetime='2023-02-30'>",
                "<meta property='og:title' content='",
                "<link rel=canonical href='javascript:x'>",
            ]
        ),
        st.text(max_size=80),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=markup)
def test_html_capture_takes_any_page(html: str) -> None:
    outcome_of(lambda: draft_from_html(Page(html=html, url=None)).validated())


KEYS = [
    "title", "url", "text", "content", "tags", "published", "id", "uuid", "items", "entries",
    "clippings", "format", "starred", "authors", "created_at", "is_archived", "given_url", "href",
]  # fmt: skip


def structured(kind: str) -> st.SearchStrategy[bytes]:
    """Documents shaped like the format, with arbitrary values inside."""
    values = st.recursive(
        st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
    keys = st.sampled_from(KEYS)
    records = st.dictionaries(keys, values, max_size=8)
    if kind in ("clipper-json", "wallabag", "links-json"):
        document = st.one_of(
            st.lists(records, max_size=4),
            st.fixed_dictionaries({"format": st.just("clipper"), "clippings": st.lists(records)}),
            st.fixed_dictionaries({"items": st.lists(records)}),
        )
        return document.map(orjson.dumps)
    if kind == "jsonl":
        big = st.just(b'{"id": 123456789012345678901234567890, "text": "x", "title": "t"}')
        rows = st.lists(records, max_size=4).map(
            lambda rows: b"\n".join(orjson.dumps(row) for row in rows)
        )
        return rows | big
    if kind in ("csv", "pocket-csv"):
        # Surrogates cannot be encoded; mypy reads the category as str, not its Literal.
        cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)  # type: ignore[arg-type]
        header = b"title,url,time_added,tags,status\n"
        lines = st.lists(st.lists(cells, min_size=1, max_size=6).map(",".join), max_size=5)
        return lines.map(lambda rows: header + "\n".join(rows).encode("utf-8", "replace"))
    if kind == "feed":
        items = st.lists(st.tuples(st.text(max_size=30), st.text(max_size=40)), max_size=4)
        return items.map(lambda pairs: (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
            + "".join(f"<item><title>{a}</title><link>{b}</link><pubDate>{a}</pubDate></item>"
                      for a, b in pairs)
            + "</channel></rss>"
        ).encode("utf-8", "replace"))  # fmt: skip
    links = st.lists(st.tuples(st.text(max_size=30), st.text(max_size=40)), max_size=4)
    return links.map(lambda pairs: (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>"
        + "".join(f'<DT><A HREF="{b}" ADD_DATE="{len(a)}" TAGS="{a}">{a}</A>' for a, b in pairs)
        + "</DL>"
    ).encode("utf-8", "replace"))  # fmt: skip


FILE_FORMATS = [kind for kind in import_names() if kind != "md-folder"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_importer_takes_any_document(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as work:
        for kind in FILE_FORMATS:
            content = data.draw(st.one_of(st.binary(max_size=400), structured(kind)), label=kind)
            path = Path(work) / f"input-{kind}"
            path.write_bytes(content)

            def read(path: Path = path, kind: str = kind) -> None:
                batch = read_source(str(path), kind)
                for record in batch.records:
                    if record.draft is not None:
                        with contextlib.suppress(ClipperError):
                            record.draft.validated()

            outcome_of(read)
            outcome_of(lambda path=path: detect(path.read_bytes(), name=str(path)))
            outcome_of(lambda path=path: read_source(str(path), "auto"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(st.text(max_size=200), min_size=1, max_size=3))
def test_the_markdown_folder_importer_takes_any_files(documents: list[str]) -> None:
    with tempfile.TemporaryDirectory() as work:
        for number, text in enumerate(documents):
            (Path(work) / f"note-{number}.md").write_text("---\n" + text, encoding="utf-8")
        outcome_of(lambda: read_source(work, "md-folder"))


def test_a_csv_with_a_bare_carriage_return_is_a_clear_error(tmp_path: Path) -> None:
    # Found by the fuzzer above: the csv module raised its own error on a lone \r.
    for kind in ("csv", "pocket-csv", "auto"):
        path = tmp_path / f"export-{kind}.csv"
        path.write_bytes(b"title,url,time_added\r x,\r,1\n")
        outcome_of(lambda path=path, kind=kind: read_source(str(path), kind))
