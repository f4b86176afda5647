"""`clip export -f pdf|docx`, read back by independent readers (pypdf, python-docx): the cover,
counts, contents, stories once with "also in", share-safe reviews under the word cap."""

from __future__ import annotations

import string
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.expect import error_message
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, UNRELATED


@pytest.fixture
def wire(library: Library) -> Library:
    """A wire story in two outlets (linked as near duplicates) and an unrelated story."""
    library.add_many(
        [
            Draft(text=ORIGINAL, title="Portmere approves its tram line", source="Portmere Courier",
                  published="2026-03-14", url="https://courier.example/tram", tags=["transport"]),
            Draft(text=REPUBLISHED, title="Tram line for Portmere", source="Harbour Wire",
                  published="2026-03-15", url="https://wire.example/tram", tags=["transport"]),
            Draft(text=UNRELATED, title="Late goals send the team to the finals",
                  source="Sports Daily", published="2026-03-15", tags=["sport"]),
        ]
    )  # fmt: skip
    assert library.get(2).near_duplicates == [1]
    return library


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_review_has_cover_counts_contents_and_each_story_once(
    clip: Clip, wire: Library, tmp_path: Path
) -> None:
    target = tmp_path / "review.pdf"
    result = clip("export", "-f", "pdf", "-o", str(target), "--subtitle", "For the mayor's office")
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(target)
    assert len(reader.pages) >= 3  # a cover, the contents, the stories
    cover = flat(reader.pages[0].extract_text())
    assert "Press review" in cover and "For the mayor's office" in cover
    assert "3 clippings · 2 stories · 14 Mar 2026 – 15 Mar 2026" in cover
    assert "By outlet" in cover and "Harbour Wire 1" in cover and "By tag" in cover
    assert "transport 2" in cover
    assert "Contents" in flat(reader.pages[1].extract_text())
    text = flat(pdf_text(target))
    assert text.count("Portmere approves its tram line") == 1
    assert "Tram line for Portmere" not in text  # the later copy is not shown again
    assert "Also in: Harbour Wire · Harbour Wire, 15 Mar 2026 (link)" in text
    assert "Late goals send the team to the finals" in text
    # The contents point at the pages: one outline entry per section and story.
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["15 Mar 2026", "14 Mar 2026"]


def test_the_docx_review_uses_word_styles_and_a_contents_field(
    clip: Clip, wire: Library, tmp_path: Path
) -> None:
    target = tmp_path / "review.docx"
    assert clip("export", "-f", "docx", "-o", str(target), "--group-by", "source").exit_code == 0
    document = docx.Document(str(target))
    # python-docx gives every paragraph a style (Normal at least).
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]  # type: ignore[union-attr]
    assert styled[0] == ("Title", "Press review")
    assert ("Heading 1", "Portmere Courier") in styled
    assert ("Heading 2", "Portmere approves its tram line") in styled
    assert ("Heading 2", "Late goals send the team to the finals") in styled
    assert all(text != "Tram line for Portmere" for _, text in styled)
    also = "Also in: Harbour Wire · Harbour Wire, 15 Mar 2026 (link)"
    assert ("Normal", also) in styled
    counts = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Harbour Wire", "1"] in counts and ["transport", "2"] in counts
    with zipfile.ZipFile(target) as package:
        body = package.read("word/document.xml").decode()
        settings = package.read("word/settings.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in body and 'w:fldCharType="begin"' in body
    assert '<w:updateFields w:val="true"/>' in settings  # Word fills the contents on opening
    assert "https://courier.example/tram" in rels and "https://wire.example/tram" in rels


def test_no_group_shows_every_copy(clip: Clip, wire: Library, tmp_path: Path) -> None:
    target = tmp_path / "all.docx"
    assert clip("export", "-f", "docx", "-o", str(target), "--no-group").exit_code == 0
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "Tram line for Portmere" in texts and "Portmere approves its tram line" in texts
    assert not any(text.startswith("Also in") for text in texts)
    markdown = clip("export", "--no-group").stdout
    assert "Also in" not in markdown and "3 clippings · 14 Mar" in markdown


def tokens(text: str) -> list[str]:
    stripped = (word.strip(string.punctuation + "…“”‘’«»") for word in text.lower().split())
    return [word for word in stripped if word]


def longest_shared_run(text: str, document: str) -> int:
    """The longest run of consecutive words of `text` (as the cap counts them: runs of
    non-spaces, punctuation around them aside) that `document` holds."""
    words = tokens(text)
    held = " " + " ".join(tokens(document)) + " "
    best = 0
    for start in range(len(words)):
        length = best + 1
        while start + length <= len(words) and f" {' '.join(words[start:start + length])} " in held:
            best, length = length, length + 1
    return best


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_a_share_safe_review_quotes_no_more_than_the_cap(
    clip: Clip, wire: Library, tmp_path: Path, fmt: str
) -> None:
    clip("quote", "3", "with two late goals from the captain sealing a place")
    target = tmp_path / f"safe.{fmt}"
    result = clip("export", "-f", fmt, "-o", str(target), "--share-safe", "--excerpt", "25")
    assert result.exit_code == 0, result.stderr
    if fmt == "pdf":
        document = pdf_text(target)
    elif fmt == "docx":
        document = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    else:
        document = target.read_text(encoding="utf-8")
    for clipping in wire.clippings():
        assert longest_shared_run(clipping.text, document) <= 25, clipping.title
    assert "with two late goals from the captain sealing a place" in flat(document)
    assert "© Portmere Courier, quoted for press review; full text at" in flat(document)
    assert "Excerpts only" in document


def test_share_safe_is_the_default_when_the_config_says_so(
    clip: Clip, wire: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_SHARE_SAFE", "true")
    review = clip("export").stdout
    assert longest_shared_run(ORIGINAL, review) <= 60 and "© Sports Daily" in review
    assert ORIGINAL.split("\n\n")[-1] in clip("export", "--full-text").stdout
    # Backups are no review: data formats keep the whole texts.
    assert clip("export", "-f", "jsonl").stdout.count('"text"') == 3
    message = error_message(clip("export", "-f", "csv", "--share-safe"), ExitCode.USAGE)
    assert message == (
        "--share-safe makes a press review (md, html, pdf, docx); -f csv holds full texts."
    )


def test_pdf_without_weasyprint_is_a_one_line_error_naming_the_extra(
    clip: Clip, wire: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now fails
    target = tmp_path / "review.pdf"
    message = error_message(clip("export", "-f", "pdf", "-o", str(target)), ExitCode.ERROR)
    assert "clipper[pdf]" in message and "pip install" in message
    assert not target.exists()


def test_binary_reviews_need_a_file(clip: Clip, wire: Library) -> None:
    message = error_message(clip("export", "-f", "docx"), ExitCode.USAGE)
    assert "-o review.docx" in message


def test_a_hostile_title_is_inert_in_the_pdf_and_docx(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="Body \x07 text.", title="<script>alert(1)</script> \x1b[31mT",
                      url="https://example.org/a"))  # fmt: skip
    assert clip("export", "-f", "pdf", "-o", str(tmp_path / "a.pdf")).exit_code == 0
    assert "<script>alert(1)</script>" in pdf_text(tmp_path / "a.pdf")
    assert clip("export", "-f", "docx", "-o", str(tmp_path / "a.docx")).exit_code == 0
    # Escape sequences and control characters cannot go into Word's XML: dropped, words kept.
    headings = [p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs]
    assert "<script>alert(1)</script> T" in headings
