"""HTML pages (files, gzipped files, pasted pages) to drafts: article text and metadata."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from clipper.capture.hints import Hints
from clipper.capture.html_page import Page, clean_page_title, decode_html, draft_from_html
from clipper.errors import ExitCode, UsageError
from tests.capture_pages import EMPTY_PAGE, PARAGRAPHS, article_page
from tests.conftest import Clip
from tests.expect import error_message


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    result = clip("show", str(clipping_id), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]  # type: ignore[no-any-return]


def test_article_text_and_metadata() -> None:
    draft = draft_from_html(Page(article_page(), None))
    assert draft.text == "\n\n".join(PARAGRAPHS)
    assert (draft.title, draft.title_source) == (
        "Portmere approves tram line to the old docks", "extracted")  # fmt: skip
    assert draft.authors == ["Ann Smith"]
    assert draft.published == "2024-03-14"
    assert draft.source == "Portmere Courier"
    assert draft.description == "Thirty-one votes to eighteen for nine stops."
    assert draft.language == "en"
    assert draft.url == "https://www.portmere-courier.example/tram"


def test_what_the_user_gives_wins() -> None:
    hints = Hints(title="Mine", url="https://example.org/t", source="Me", authors=["Bo Lee"],
                  published="2024-03-15", language="de")  # fmt: skip
    draft = draft_from_html(Page(article_page(), None), hints)
    assert (draft.title, draft.title_source) == ("Mine", "given")
    assert (draft.url, draft.source, draft.authors) == ("https://example.org/t", "Me", ["Bo Lee"])
    assert (draft.published, draft.language) == ("2024-03-15", "de")


def test_missing_metadata_is_filled_field_by_field() -> None:
    paragraphs = [
        "BAKU, 23.02.2023 (Reuters) - " + PARAGRAPHS[0],
        *PARAGRAPHS[1:],
    ]
    page = article_page(head="", title="", lang="", paragraphs=paragraphs)
    page = page.replace("<h1>Portmere approves tram line to the old docks</h1>", "")
    draft = draft_from_html(Page(page, "https://news.az/news/tram"))
    assert draft.title_source == "generated"
    assert draft.title.startswith("City council of Portmere voted on Thursday")
    assert draft.published == "2023-02-23"  # from the dateline
    assert draft.source == "News.Az"  # from the site of the URL
    assert draft.language == "en"  # detected
    assert draft.url == "https://news.az/news/tram"
    assert draft.authors == []


def test_a_page_without_article_text_is_refused() -> None:
    with pytest.raises(UsageError, match=r"no article text found in menu\.html"):
        draft_from_html(Page(EMPTY_PAGE, None), name="menu.html")


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Tram line approved - Portmere Courier", "Tram line approved"),
        ("Tram line approved | News | Portmere Courier", "Tram line approved"),
        ("Portmere Courier | Tram line approved after debate", "Tram line approved after debate"),
        ("Brexit - the final countdown", "Brexit - the final countdown"),
        ("Tram line approved", "Tram line approved"),
    ],
)  # fmt: skip
def test_site_names_around_titles_are_dropped(title: str, clean: str) -> None:
    assert clean_page_title(title, {"Portmere Courier", "portmere-courier.example"}) == clean


@pytest.mark.parametrize(
    ("data", "declared", "text"),
    [
        ("Xocalı – Zürich".encode(), "iso-8859-1", "Xocalı – Zürich"),  # mislabelled UTF-8
        ("Zürich – café".encode("cp1252"), "iso-8859-1", "Zürich – café"),
        ("Zürich".encode("cp1252"), None, "Zürich"),
        ("Ходжалы".encode("koi8-r"), "koi8-r", "Ходжалы"),
        ('<meta charset="windows-1251">Ходжалы'.encode("cp1251"), None,
         '<meta charset="windows-1251">Ходжалы'),
        ("\ufeffBOM".encode(), "iso-8859-1", "BOM"),
    ],
)  # fmt: skip
def test_page_encodings(data: bytes, declared: str | None, text: str) -> None:
    assert decode_html(data, declared) == text


def test_add_an_html_file(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "tram.html"
    path.write_text(article_page(), encoding="utf-8")
    result = clip("add", str(path), "-t", "transport")
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert clipping["title"] == "Portmere approves tram line to the old docks"
    assert clipping["source"] == "Portmere Courier"
    assert clipping["published"] == "2024-03-14"
    assert clipping["authors"] == ["Ann Smith"]
    assert clipping["url"] == "https://www.portmere-courier.example/tram"
    assert clipping["tags"] == ["transport"]
    assert clipping["snapshot"] is None


def test_add_a_gzipped_html_file_with_a_snapshot(
    clip: Clip, tmp_path: Path, library_home: Path
) -> None:
    page = article_page().encode("utf-8")
    path = tmp_path / "tram.html.gz"
    path.write_bytes(gzip.compress(page))
    assert clip("add", str(path), "--snapshot").exit_code == 0
    name = stored(clip)["snapshot"]
    assert name == hashlib.sha256(page).hexdigest() + ".html.gz"
    assert gzip.decompress((library_home / "snapshots" / name).read_bytes()) == page


def test_add_a_page_in_a_legacy_encoding(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "legacy.htm"
    page = article_page(charset="windows-1252", paragraphs=[p.replace("Canal", "Caf\u00e9")
                                                            for p in PARAGRAPHS])  # fmt: skip
    path.write_bytes(page.encode("cp1252"))
    assert clip("add", str(path)).exit_code == 0
    assert "Café Street" in stored(clip)["text"]


def test_a_page_piped_on_standard_input_is_read_as_html(clip: Clip) -> None:
    result = clip("add", "-", input=article_page().encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert clipping["source"] == "Portmere Courier"
    assert "<p>" not in clipping["text"]


def test_an_html_file_without_article_is_refused(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(EMPTY_PAGE, encoding="utf-8")
    message = error_message(clip("add", str(path)), ExitCode.USAGE)
    assert "no article text" in message


def test_snapshot_of_plain_text_is_refused(clip: Clip) -> None:
    message = error_message(clip("add", "Some text.", "--snapshot"), ExitCode.USAGE)
    assert "--snapshot" in message


def test_plain_text_capture_does_not_import_trafilatura_or_httpx(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from clipper.cli.app import main\n"
        "sys.argv = ['clip', 'add', 'The council voted on Thursday to build a tram line.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('trafilatura', 'httpx', 'dateparser', 'py3langid', 'lxml')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    env = {"CLIPPER_HOME": str(tmp_path / "lib"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"
