"""`clip quote`: passages of the text kept as highlights, shown by `clip show`, kept by edits
of other fields, refused when the text does not hold them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

TEXT = (
    "The council voted on Thursday\nto build a tram line.\n\n"
    "Thirty-one councillors voted in favour.\n\nThe line opens in 2030."
)


@pytest.fixture
def story(library: Library) -> Library:
    library.add(Draft(text=TEXT, title="Tram vote", source="Portmere Courier"))
    return library


def test_a_passage_is_found_whatever_its_case_and_line_breaks(clip: Clip, story: Library) -> None:
    result = clip("quote", "1", "voted ON thursday   to BUILD")
    assert result.exit_code == 0, result.stderr
    assert "Quoted passage 1 of 1." in result.stderr
    # Kept as the text writes it, line break and all.
    assert story.get(1).passages == ["voted on Thursday\nto build"]
    again = clip("quote", "1", "voted on Thursday to build")
    assert "already quoted" in again.stderr and story.get(1).passages == [
        "voted on Thursday\nto build"
    ]


@pytest.mark.local_only  # the files of a library folder
def test_a_passage_not_in_the_text_is_refused_and_nothing_written(
    clip: Clip, story: Library
) -> None:
    before = story.paths.store.read_bytes()
    message = error_message(clip("quote", "1", "voted against the tram"), ExitCode.USAGE)
    assert "does not occur in the text" in message
    assert story.paths.store.read_bytes() == before


def test_lines_are_quoted_by_number_and_passages_removed(clip: Clip, story: Library) -> None:
    assert clip("quote", "1", "--from-line", "4").exit_code == 0
    assert clip("quote", "1", "--from-line", "1", "--to-line", "2").exit_code == 0
    assert story.get(1).passages == [
        "Thirty-one councillors voted in favour.",
        "The council voted on Thursday\nto build a tram line.",
    ]
    assert clip("quote", "1", "--remove", "1").exit_code == 0
    assert story.get(1).passages == ["The council voted on Thursday\nto build a tram line."]
    assert "no passage 3" in error_message(clip("quote", "1", "--remove", "3"), ExitCode.USAGE)
    assert "beyond" in error_message(clip("quote", "1", "--from-line", "40"), ExitCode.USAGE)
    assert "blank" in error_message(clip("quote", "1", "--from-line", "3"), ExitCode.USAGE)
    assert "one of them" in error_message(clip("quote", "1"), ExitCode.USAGE)
    error_message(clip("quote", "9", "tram"), ExitCode.NOT_FOUND)


def test_show_lists_and_highlights_the_passages(
    clip: Clip, story: Library, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip("quote", "1", "voted in favour")
    monkeypatch.setenv("CLIPPER_COLOR", "always")
    shown = clip("show", "1", "--no-pager").stdout
    assert "passages" in shown
    # Styled (bold, and black on yellow where the terminal has colours), the passage alone.
    assert re.search(r"\x1b\[[0-9;]+mvoted in favour\x1b\[0m", shown), shown
    assert "\x1b[1mThirty-one" not in shown


def test_piped_show_and_json_carry_the_passages(clip: Clip, story: Library) -> None:
    clip("quote", "1", "The line opens in 2030.")
    assert "passage 1: The line opens in 2030." in clip("show", "1").stdout
    assert json.loads(clip("show", "1", "--json").stdout)[0]["passages"] == [
        "The line opens in 2030."
    ]


def test_passages_survive_edits_of_other_fields(
    clip: Clip, story: Library, editor: Callable[..., Path]
) -> None:
    clip("quote", "1", "voted in favour")
    assert clip("edit", "1", "--title", "Tram line approved").exit_code == 0
    clip("tag", "1", "-t", "transport")
    clip("note", "1", "Key vote.")
    shown = editor(replace=[("Key vote.", "Key vote!")])
    assert clip("edit", "1").exit_code == 0
    assert "voted in favour" in shown.read_text(encoding="utf-8")  # the editor shows them
    assert story.get(1).note == "Key vote!"
    assert story.get(1).passages == ["voted in favour"]


def test_an_edit_of_the_text_that_drops_a_passage_is_refused(clip: Clip, story: Library) -> None:
    clip("quote", "1", "voted in favour")
    message = error_message(clip("edit", "1", "--text", "A new text."), ExitCode.USAGE)
    assert "passage 1 'voted in favour' does not occur" in message
    assert story.get(1).text == TEXT
