"""`clip edit`: per-field options, or $EDITOR on YAML front matter above the text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

Editor = Callable[..., Path]


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    result = clip("show", str(clipping_id), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]  # type: ignore[no-any-return]


@pytest.fixture
def one(clip: Clip) -> dict[str, Any]:
    """Clipping 1, with most fields set."""
    result = clip(
        "add", "The council voted for the tram.\n\nIt opens in 2030.",
        "--title", "Tram vote", "--url", "https://example.org/tram", "--source", "Courier",
        "--author", "Ann Smith", "--date", "2026-03-14", "-t", "transport", "--note", "Mine",
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return stored(clip)


# With options ----------------------------------------------------------------------------


def test_edit_with_options_changes_those_fields_only(clip: Clip, one: dict[str, Any]) -> None:
    result = clip(
        "edit", "1", "--title", "Tram line approved", "--date", "2026-03-15",
        "--author", "Bo Lee", "--author", "Cy Diaz", "-t", "Council,region/portmere",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "Saved 1: Tram line approved\n"
    after = stored(clip)
    assert after["title"] == "Tram line approved"
    assert after["published"] == "2026-03-15"
    assert after["authors"] == ["Bo Lee", "Cy Diaz"]
    assert after["tags"] == ["council", "region/portmere"]
    unchanged = {"id", "uuid", "text", "url", "source", "note", "language", "captured",
                 "content_hash", "word_count", "starred"}  # fmt: skip
    assert {k: after[k] for k in unchanged} == {k: one[k] for k in unchanged}


def test_edit_json_prints_the_clipping(clip: Clip, one: dict[str, Any]) -> None:
    result = clip("edit", "1", "--note", "New note", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == stored(clip)
    assert json.loads(result.stdout)["note"] == "New note"


def test_an_empty_value_removes_an_optional_field(clip: Clip, one: dict[str, Any]) -> None:
    args = ["--url", "", "--source", "", "--date", "", "--note", "", "--lang", ""]
    assert clip("edit", "1", *args).exit_code == 0
    after = stored(clip)
    assert [after[k] for k in ("url", "source", "published", "note", "language")] == [None] * 5


def test_edit_text_updates_word_count_and_hash(clip: Clip, one: dict[str, Any]) -> None:
    assert clip("edit", "1", "--text", "Completely new text here.").exit_code == 0
    after = stored(clip)
    assert after["text"] == "Completely new text here."
    assert after["word_count"] == 4
    assert after["content_hash"] != one["content_hash"]


def test_a_new_title_is_marked_given(clip: Clip) -> None:
    clip("add", "The council voted for the tram line on Thursday, the mayor said today.")
    assert clip("edit", "1", "--title", "My headline").exit_code == 0
    assert stored(clip)["title_source"] == "given"


@pytest.mark.parametrize(
    ("args", "code", "complaint"),
    [
        (["--date", "2023-02-30"], ExitCode.USAGE, "not a valid date"),
        (["--url", "mailto:a@example.org"], ExitCode.USAGE, "not a web address"),
        (["--title", ""], ExitCode.USAGE, "no title"),
        (["--text", "  "], ExitCode.USAGE, "no text"),
        (["--lang", "xx-"], ExitCode.USAGE, "not a language tag"),
        (["--tag", "-x"], ExitCode.USAGE, "not a tag"),
    ],
)
def test_a_bad_edit_changes_nothing_and_says_why(
    clip: Clip, one: dict[str, Any], args: list[str], code: ExitCode, complaint: str
) -> None:
    assert complaint in error_message(clip("edit", "1", *args), code)
    assert stored(clip) == one


def test_an_edit_to_another_clippings_url_exits_4(clip: Clip, one: dict[str, Any]) -> None:
    clip("add", "Other text.", "--title", "Other", "--url", "https://example.org/other")
    message = error_message(clip("edit", "2", "--url", "https://example.org/tram"), 4)
    assert "clipping 1" in message
    assert stored(clip, 2)["url"] == "https://example.org/other"


def test_edit_of_a_missing_clipping_exits_3(clip: Clip) -> None:
    assert "no clipping 7" in error_message(clip("edit", "7", "--title", "x"), 3)


# In $EDITOR ------------------------------------------------------------------------------


def test_the_editor_shows_front_matter_then_the_text(
    clip: Clip, one: dict[str, Any], editor: Editor
) -> None:
    shown = editor()  # saves without changing anything
    result = clip("edit", "1")
    assert result.exit_code == 0
    assert "No changes" in result.stderr
    document = shown.read_text(encoding="utf-8")
    front, _, text = document.removeprefix("---\n").partition("\n---\n")
    fields = [line.split(":")[0] for line in front.splitlines() if not line.startswith(" ")]
    assert fields[:5] == ["title", "source", "published", "url", "authors"]
    assert {"tags", "language", "starred", "note"} <= set(fields)
    assert "Tram vote" in front
    assert text.strip() == one["text"]
    assert stored(clip) == one


def test_an_edit_in_the_editor_is_saved(clip: Clip, one: dict[str, Any], editor: Editor) -> None:
    editor(replace=[
        ("Tram vote", "Tram line approved"), ("opens in 2030", "opens in 2031"),
        ("starred: false", "starred: true"), ("tags: [transport]", "tags: [a, B/C]"),
    ])  # fmt: skip
    result = clip("edit", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Saved 1: Tram line approved\n"
    after = stored(clip)
    assert after["title"] == "Tram line approved"
    assert after["title_source"] == "given"
    assert after["text"] == "The council voted for the tram.\n\nIt opens in 2031."
    assert after["starred"] is True
    assert after["tags"] == ["a", "b/c"]
    assert after["uuid"] == one["uuid"]


def test_a_date_typed_without_quotes_is_understood(
    clip: Clip, one: dict[str, Any], editor: Editor
) -> None:
    editor(replace=[("published: '2026-03-14'", "published: 2026-03-20")])
    assert clip("edit", "1").exit_code == 0
    assert stored(clip)["published"] == "2026-03-20"


def test_editing_only_the_note_keeps_a_generated_title_generated(
    clip: Clip, editor: Editor
) -> None:
    clip("add", "The council voted for the tram line on Thursday, the mayor said today.")
    before = stored(clip)
    editor(replace=[("note: null", "note: checked")])
    assert clip("edit", "1").exit_code == 0
    after = stored(clip)
    assert after["note"] == "checked"
    assert after["title"] == before["title"]
    assert after["title_source"] == before["title_source"]


def test_a_change_made_while_the_editor_is_open_is_kept(
    clip: Clip, one: dict[str, Any], editor: Editor
) -> None:
    editor(run=[["tag", "1", "-t", "urgent"], ["star", "1"]],
           replace=[("note: Mine", "note: Checked")])  # fmt: skip
    result = clip("edit", "1")
    assert result.exit_code == 0, result.stderr
    after = stored(clip)
    assert after["note"] == "Checked"
    assert after["tags"] == ["transport", "urgent"]
    assert after["starred"] is True


@pytest.mark.parametrize(
    ("replace", "complaint"),
    [
        ([("title: Tram vote", "title: [unclosed")], "does not parse"),
        ([("title: Tram vote", "title: Tram vote\ncolour: red")], "unknown field 'colour'"),
        ([("published: '2026-03-14'", "published: '2026-02-30'")], "not a valid date"),
        ([("starred: false", "starred: maybe")], "starred must be true or false"),
        ([("url: https://example.org/tram", "url: ftp://example.org/tram")], "web address"),
        ([("---\ntitle:", "title:")], "must start with a '---'"),
    ],
    ids=["bad yaml", "unknown field", "bad date", "bad boolean", "bad url", "no front matter"],
)
def test_an_edit_that_does_not_parse_changes_nothing_and_keeps_the_edit(
    clip: Clip, one: dict[str, Any], editor: Editor, tmp_path: Path,
    replace: list[tuple[str, str]], complaint: str,
) -> None:  # fmt: skip
    editor(replace=replace)
    message = error_message(clip("edit", "1"), ExitCode.USAGE)
    assert complaint in message
    assert "Clipping 1 is unchanged" in message
    assert stored(clip) == one
    kept = Path(message.rsplit("your edit is in ", 1)[1].rstrip("."))
    assert kept.parent == tmp_path / "tmp"
    assert kept.read_text(encoding="utf-8") != ""


def test_a_failing_editor_changes_nothing(clip: Clip, one: dict[str, Any], editor: Editor) -> None:
    editor(replace=[("Tram vote", "Changed")], exit=1)
    assert "exited with code 1" in error_message(clip("edit", "1"), ExitCode.ERROR)
    assert stored(clip) == one


def test_editing_in_the_editor_a_missing_clipping_exits_3(clip: Clip, editor: Editor) -> None:
    editor(replace=[("a", "b")])
    assert "no clipping 3" in error_message(clip("edit", "3"), ExitCode.NOT_FOUND)
