"""The PDF review read back by pypdf: the contents' page numbers are the pages the sections
start on, the pages' geometry, and the streams deflated at zlib's default level (pydyf's
level 9 cost seconds on a long review for a few per cent of size)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from clipper.formats import pdf_review
from clipper.library.core import Library
from clipper.model import Draft

DATES = ("2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14")
MM = 72 / 25.4  # PDF points in a millimetre


def story_text(n: int, paragraphs: int) -> str:
    """A long text of distinct words, so that the sections run over several pages."""
    return "\n\n".join(
        " ".join(f"w{n}x{p}y{w}" for w in range(90)) + "." for p in range(paragraphs)
    )


@pytest.fixture
def review(library: Library) -> PdfReader:
    library.add_many(
        [
            Draft(text=story_text(n, 4 + 3 * n), title=f"Story number {n}",
                  source="Courier", published=DATES[n % len(DATES)], tags=["city"])
            for n in range(6)
        ]
    )  # fmt: skip
    return PdfReader(io.BytesIO(pdf_review.render(library.clippings())))


def test_the_contents_give_the_page_each_section_starts_on(review: PdfReader) -> None:
    pages = [page.extract_text() or "" for page in review.pages]
    assert "Contents" in pages[1]
    listed = re.findall(r"^(\d+ Mar 2026) \((\d+)\)[ .]*?(\d+)$", pages[1], re.MULTILINE)
    assert [name for name, _, _ in listed] == ["14 Mar 2026", "13 Mar 2026", "12 Mar 2026",
                                               "11 Mar 2026"]  # fmt: skip
    assert [int(count) for _, count, _ in listed] == [1, 1, 2, 2]
    for name, _, page in listed:
        # The first page after the contents where the section's heading is a line of its own.
        starts = next(
            number for number, text in enumerate(pages[2:], start=3) if name in text.splitlines()
        )
        assert int(page) == starts, name
    assert starts > 4, pages  # the sections did run over several pages
    # "page N / M" at the foot of every page but the cover, M the real count.
    assert f"3 / {len(pages)}" in pages[2] and f"{len(pages)} / {len(pages)}" in pages[-1]


def test_the_text_block_is_180_mm_wide(review: PdfReader) -> None:
    """15 mm side margins on A4: longer lines, so fewer lines for WeasyPrint to lay out."""
    page = review.pages[2]
    assert round(float(page.mediabox.width) / MM) == 210
    lefts: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            lefts.append(cm[0] * tm[4] + cm[4])

    page.extract_text(visitor_text=visit)
    assert min(lefts) == pytest.approx(15 * MM, abs=0.5)


def test_every_stream_is_deflated_at_zlibs_default_level(library: Library) -> None:
    library.add(Draft(text=story_text(1, 3), title="A long story", source="Courier"))
    document = pdf_review.render(library.clippings())
    # A zlib stream's second byte gives its level: 0x9c the default (6), 0xda level 9.
    headers = re.findall(rb"(?<!end)stream\r?\n(..)", document, re.DOTALL)
    assert len(headers) >= 3  # the page, a font, the object stream at least
    assert set(headers) == {b"\x78\x9c"}
    assert "A long story" in (PdfReader(io.BytesIO(document)).pages[2].extract_text() or "")
