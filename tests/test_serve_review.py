"""`clip serve`'s press review (the export's review, its downloads) and the original pages kept
(sandboxed, or downloaded), over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.serve_fixtures import SNAPSHOT_PAGE, Served, add_wire, serving
from tests.test_serve_http import get


@pytest.fixture
def view(library_home: Path) -> Iterator[Served]:
    with serving(library_home, page_size=2) as served:
        yield served


def test_the_review_page_is_the_export_review_with_downloads(
    view: Served, library: Library, clip: Clip, tmp_path: Path
) -> None:
    add_wire(library)
    page = get(view, "/review?q=tag:transport&group=source")
    assert page.status_code == 200
    assert '<h1 class="title">Press review: transport</h1>' in page.text
    assert "2 clippings · 1 story" in page.text  # copies folded, as clip export folds them
    assert '<link rel="stylesheet" href="/static/review.css">' in page.text
    for name in ("md", "html", "pdf", "docx"):
        assert f'href="/review.{name}?q=tag%3Atransport&amp;group=source"' in page.text
    markdown = get(view, "/review.md?q=tag:transport&group=source")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.headers["content-disposition"] == (
        'attachment; filename="press-review-transport.md"'
    )
    exported = clip("export", "tag:transport", "--group-by", "source").stdout
    assert _undated(markdown.text) == _undated(exported)
    pdf = get(view, "/review.pdf?q=tag:transport")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = get(view, "/review.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    html = get(view, "/review.html?share_safe=1")
    assert "Excerpts only" in html.text and "attachment" in html.headers["content-disposition"]


def test_the_pdf_without_weasyprint_is_a_501_naming_the_extra(
    view: Served, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_wire(library)
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails
    page = get(view, "/review.pdf")
    assert page.status_code == 501
    assert "clipper[pdf]" in page.text
    assert get(view, "/review.docx").status_code == 200


def test_share_safe_and_excerpts_shape_the_review(view: Served, library: Library) -> None:
    add_wire(library)
    safe = get(view, "/review?share_safe=1").text
    assert "Excerpts only, each with its source" in safe
    assert "Opponents argued" not in safe
    full = get(view, "/review?share_safe=0").text
    assert "Opponents argued" in full
    short = get(view, "/review?excerpt=5").text
    assert "Opponents argued" not in short and "Continue reading" in short


def test_the_snapshot_is_sandboxed_or_a_download(view: Served, library: Library) -> None:
    library.add(Draft(text="No page kept for this one.", title="Plain"))
    added = library.add_captured(
        Draft(text="The page kept.", title="Kept", url="https://kept.example/a"),
        page=SNAPSHOT_PAGE,
    ).clipping
    page = get(view, f"/clipping/{added.id}")
    assert f'href="/clipping/{added.id}/snapshot"' in page.text
    kept = get(view, f"/clipping/{added.id}/snapshot")
    assert kept.status_code == 200
    policy = kept.headers["content-security-policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy  # default-src 'none'
    assert "default-src 'none'" in policy
    assert b"Original page" in kept.content
    assert "content-disposition" not in kept.headers
    download = get(view, f"/clipping/{added.id}/snapshot?download=1")
    assert download.headers["content-disposition"] == (
        f'attachment; filename="clipping-{added.id}.html"'
    )
    assert get(view, "/clipping/1/snapshot").status_code == 404  # #1 kept no page


def _undated(review: str) -> str:
    return re.sub(r"exported \d+ \w+ \d{4}", "exported", review)


def test_the_review_of_the_library_page_s_facets(view: Served, library: Library) -> None:
    add_wire(library)
    listed = get(view, "/?tag=sport").text
    assert 'href="/review?tag=sport">press review of these clippings</a>' in listed
    page = get(view, "/review?tag=sport&group=none")
    assert '<h1 class="title">Press review: sport</h1>' in page.text
    assert "Football derby won" in page.text and "Tram line" not in page.text
    assert '<input type="hidden" name="tag" value="sport">' in page.text  # kept by the form
    assert 'href="/review.md?tag=sport&amp;group=none"' in page.text
    markdown = get(view, "/review.md?tag=sport&group=none")
    assert "Football derby won" in markdown.text and "Tram line" not in markdown.text
    assert 'filename="press-review-sport.md"' in markdown.headers["content-disposition"]
