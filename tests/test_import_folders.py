"""`clip import FOLDER`: text, Markdown and HTML files, each read by what it is."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.library.importing import read_source, run_import
from tests.capture_pages import article_page
from tests.conftest import Clip

PASTED = """ date 2024-03-14 + ↺ − 16 px

The Portmere Harbour Authority and the city signed an agreement on Thursday to rebuild the old \
ferry terminal, the authority told Harbour.example.

The terminal, closed since 2019, will reopen in 2027 with room for two ferries.

Read more: Portmere ferry timetable changes in May
"""
NOTE = """---
title: Council budget approved
source: Portmere Courier
published: 2024-03-01
tags: [budget]
language: en
---

The council approved next year's budget on Friday after a four-hour debate.
"""
PLAIN_MARKDOWN = "# Ferry strike ends\n\nThe ferry crews went back to work on Monday morning.\n"


def other_article(headline: str, words: str) -> str:
    paragraphs = "".join(f"<p>{words} {sentence}</p>" for sentence in SENTENCES)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{headline}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{headline}</h1>{paragraphs}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    )


SENTENCES = [
    "was the word on the quays on Tuesday, when the first ships of the season came in.",
    "Harbour masters counted forty arrivals before noon, more than in any year since 2011.",
    "Dock workers said the new cranes had halved the time a ship spends at the berth.",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Everything a press officer's download folder holds."""
    root = tmp_path / "clippings"
    (root / "2024" / "march").mkdir(parents=True)
    (root / ".obsidian").mkdir()
    (root / "ferry.txt").write_text(PASTED, encoding="utf-8")
    (root / "budget.md").write_text(NOTE, encoding="utf-8")
    (root / "strike.md").write_text(PLAIN_MARKDOWN, encoding="utf-8")
    (root / "tram.html").write_text(article_page(), encoding="utf-8")
    cranes = other_article("Cranes speed up the docks", "Busy docks")
    (root / "2024" / "march" / "story.htm").write_text(cranes, encoding="utf-8")
    season = other_article("Season opens at the harbour", "Record arrivals")
    (root / "2024" / "story.html.gz").write_bytes(gzip.compress(season.encode("utf-8")))
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")
    (root / "summary.pdf").write_bytes(b"%PDF-1.7 not text")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    (root / ".obsidian" / "workspace.txt").write_text("Not a clipping at all, hidden.")
    (root / ".hidden.txt").write_text("Not a clipping either, hidden.")
    return root


def imported(clip: Clip, folder: Path, *args: str) -> dict[str, Any]:
    result = clip("import", str(folder), "--json", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = orjson.loads(result.stdout)
    return data


def test_each_file_is_read_by_what_it_is(clip: Clip, library: Library, folder: Path) -> None:
    data = imported(clip, folder)
    statuses = {record["record"]: record["status"] for record in data["records"]}
    assert statuses == {
        "2024/march/story.htm": "added",
        "2024/story.html.gz": "added",
        "broken.md": "failed",
        "budget.md": "added",
        "empty.txt": "failed",
        "ferry.txt": "added",
        "photo.jpg": "skipped",
        "strike.md": "added",
        "summary.pdf": "skipped",
        "tram.html": "added",
    }
    assert (data["format"], data["added"], data["failed"], data["skipped"]) == ("folder", 6, 2, 2)
    reasons = {r["record"]: r["reason"] for r in data["records"] if r["status"] != "added"}
    assert "empty" in reasons["empty.txt"] and "front matter" in reasons["broken.md"]
    assert reasons["photo.jpg"] == "not a text, Markdown or HTML file"
    by_title = {clipping.title: clipping for clipping in library.clippings()}
    budget = by_title["Council budget approved"]  # the front matter, as md-files writes it
    assert (budget.source, budget.published, budget.tags) == ("Portmere Courier", "2024-03-01",
                                                              ["budget"])  # fmt: skip
    assert by_title["Ferry strike ends"].text.endswith("back to work on Monday morning.")
    assert {"Cranes speed up the docks", "Season opens at the harbour"} <= set(by_title)


def test_a_file_is_imported_exactly_as_clip_add_reads_it(
    clip: Clip, library: Library, folder: Path, tmp_path: Path
) -> None:
    imported(clip, folder)
    kept = {c.title: c for c in library.clippings()}
    fields = ("title", "title_source", "text", "source", "published", "language", "url",
              "authors", "description")  # fmt: skip
    files = ("ferry.txt", "strike.md", "tram.html", "2024/story.html.gz", "2024/march/story.htm")
    for name in files:
        result = clip("--library", str(tmp_path / "alone"), "add", str(folder / name), "--json")
        assert result.exit_code == 0, result.stderr
        added = orjson.loads(result.stdout)
        twin = kept[added["title"]]
        assert {f: getattr(twin, f) for f in fields} == {f: added[f] for f in fields}, name


def test_the_report_names_the_skipped_files(clip: Clip, folder: Path) -> None:
    result = clip("import", str(folder))
    assert result.exit_code == 0
    assert "skipped\tphoto.jpg\t\t\tnot a text, Markdown or HTML file" in result.stdout
    assert "skipped 2 other files" in result.stderr and "failed 2" in result.stderr


def test_a_folder_with_nothing_to_import_is_an_error(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    result = clip("import", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "no text, Markdown or HTML file (2 other files skipped)" in result.stderr
    assert library.clippings() == []


def test_a_pipe_or_a_dangling_link_is_skipped_unread(clip: Clip, tmp_path: Path) -> None:
    (tmp_path / "item.txt").write_text("Harbour item about the ferries and the docks. " * 3)
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer forever
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    data = imported(clip, tmp_path)
    assert [(r["record"], r["status"], r["reason"]) for r in data["records"]] == [
        ("item.txt", "added", None),
        ("gone.txt", "skipped", "a link to nothing"),
        ("pipe.txt", "skipped", "not a regular file (a device or a pipe)"),
    ]


def test_a_dry_run_reads_every_file_and_writes_nothing(
    clip: Clip, library: Library, folder: Path
) -> None:
    data = imported(clip, folder, "--dry-run")
    assert data["added"] == 6 and library.clippings() == []


def test_files_are_read_inside_the_progress(library: Library, tmp_path: Path) -> None:
    for number in range(5):
        (tmp_path / f"item-{number}.txt").write_text(f"Harbour item number {number}. " * 5)
    batch = read_source(str(tmp_path))
    ticks: list[int] = []

    def advance() -> None:  # how many files had a draft when each tick came
        ticks.append(sum(record.draft is not None for record in batch.records))

    report = run_import(library, batch, advance=advance)
    assert report.count("added") == 5
    assert ticks == [1, 2, 3, 4, 5]  # one tick per file, as each is read


def test_a_terminal_shows_the_progress_of_a_folder(
    clip: Clip, tmp_path: Path, terminal: None
) -> None:
    for number in range(12):
        (tmp_path / f"item-{number}.txt").write_text(f"Harbour item number {number}. " * 5)
    result = clip("import", str(tmp_path))
    assert result.exit_code == 0 and "Importing" in result.stderr
