"""`clip import` detects the language of the clippings that do not give one."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from clipper.capture import language
from clipper.capture.language import detect_language
from clipper.library.core import Library
from tests.conftest import Clip

GERMAN = (
    "Der Stadtrat hat am Donnerstag beschlossen, eine neue Straßenbahnlinie zu bauen, die bis "
    "zum Ende des Jahrzehnts fertig sein soll. Die Arbeiten beginnen im Frühjahr."
)
SPANISH = (
    "El ayuntamiento votó el jueves la construcción de una nueva línea de tranvía que estará "
    "terminada antes del final de la década, dijo el alcalde."
)
ENGLISH = (
    "The city council voted on Thursday to build a new tram line, and the mayor said it would "
    "be finished by the end of the decade."
)


def languages(library: Library) -> dict[str, str | None]:
    return {c.title: c.language for c in library.clippings()}


def imported(clip: Clip, path: Path, *args: str) -> None:
    result = clip("import", str(path), "-q", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)


def test_jsonl_records_without_a_language_get_the_detected_one(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    records = [
        {"title": "Tram", "text": GERMAN},
        {"title": "Given", "text": ENGLISH, "language": "fr"},  # the record's word wins
        {"title": "Empty", "text": SPANISH, "language": ""},
        # clipper's own exports write null for "none": a backup reads back as it was
        {"title": "Backup", "text": ENGLISH + " Again.", "language": None},
    ]
    path = tmp_path / "items.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(record) for record in records) + b"\n")
    imported(clip, path)
    assert languages(library) == {"Tram": "de", "Given": "fr", "Empty": "es", "Backup": None}


def test_csv_and_markdown_records_get_a_language(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    table = tmp_path / "table.csv"
    table.write_text(
        f'title,url,text,language\nTram,https://t.example/1,"{SPANISH}",\n'
        f'Given,https://t.example/2,"{GERMAN}",nl\n',
        encoding="utf-8",
    )
    imported(clip, table)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "note.md").write_text(
        f"---\ntitle: Note\n---\n\n{GERMAN} Noch einmal.\n", encoding="utf-8"
    )
    imported(clip, vault)
    assert languages(library) == {"Tram": "es", "Given": "nl", "Note": "de"}


def test_a_link_without_text_gets_no_guessed_language(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    bookmarks = tmp_path / "bookmarks.html"
    bookmarks.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://b.example/1">The council and the mayor of the city</A>\n</DL>\n',
        encoding="utf-8",
    )
    imported(clip, bookmarks)
    assert languages(library) == {"The council and the mayor of the city": None}


def test_the_fetched_article_is_read_rather_than_the_feed_summary(
    clip: Clip, library: Library, tmp_path: Path, httpserver: HTTPServer
) -> None:
    page = (
        f"<html><body><article><h1>Tram</h1><p>{GERMAN}</p><p>{GERMAN}</p></article></body></html>"
    )
    httpserver.expect_request("/tram").respond_with_data(page, content_type="text/html")
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
        f"<item><title>Tram</title><link>{httpserver.url_for('/tram')}</link>"
        f"<description>{ENGLISH}</description></item></channel></rss>",
        encoding="utf-8",
    )
    imported(clip, feed, "--fetch")
    assert languages(library) == {"Tram": "de"}


def test_a_long_text_is_told_from_its_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bulk imports detect thousands of texts: reading 20,000 characters of each was most of
    # the cost. The opening settles a text the common words place.
    samples: list[int] = []
    guess = language.guess_by_words

    def spy(text: str, candidates: tuple[str, ...]) -> str | None:
        samples.append(len(text))
        return guess(text, candidates)

    monkeypatch.setattr(language, "guess_by_words", spy)
    assert detect_language((GERMAN + "\n\n") * 100) == "de"
    assert samples and max(samples) <= 2000


def test_an_opening_that_cannot_tell_reads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_model_language", lambda sample: None)
    opening = "2023-02-23 | 14:05 | +++ | 16 px | " * 12  # page chrome, no words
    assert detect_language(opening + GERMAN * 3) == "de"
