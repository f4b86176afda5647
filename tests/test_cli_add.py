"""`clip add`: from an argument, a file, standard input or $EDITOR, with every option."""

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

ARTICLE = (
    "The city council of Portmere voted on Thursday to build a tram line to the old docks.\n\n"
    "Thirty-one councillors voted in favour and eighteen against."
)


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    result = clip("show", str(clipping_id), "--json")
    assert result.exit_code == 0, result.stderr
    [clipping] = json.loads(result.stdout)
    return clipping  # type: ignore[no-any-return]


def count(clip: Clip) -> int:
    return len(json.loads(clip("list", "--json").stdout))


# Where the text comes from ---------------------------------------------------------------


def test_add_text_given_as_argument_prints_the_new_id(clip: Clip) -> None:
    result = clip("add", ARTICLE, "--title", "Tram vote")
    assert result.exit_code == 0
    assert result.stdout == "1\n"
    assert result.stderr == ""
    clipping = stored(clip)
    assert clipping["title"] == "Tram vote"
    assert clipping["title_source"] == "given"
    assert "Thirty-one councillors voted in favour" in clipping["text"]
    assert clip("add", "Another article entirely.", "--title", "Two").stdout == "2\n"


@pytest.mark.parametrize("name", ["article.txt", "article.md", "ARTICLE.TXT"])
def test_add_a_text_or_markdown_file(clip: Clip, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    result = clip("add", str(path), "--title", "From a file")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    assert "Thirty-one councillors" in stored(clip)["text"]
    assert str(path) not in stored(clip)["text"]


def test_add_dash_reads_standard_input(clip: Clip) -> None:
    result = clip("add", "-", "--title", "From stdin", input=ARTICLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    assert "Thirty-one councillors" in stored(clip)["text"]


def test_add_without_argument_reads_piped_standard_input(clip: Clip) -> None:
    result = clip("add", "--title", "Piped", input=ARTICLE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert "Thirty-one councillors" in stored(clip)["text"]


def test_add_without_argument_on_a_terminal_opens_the_editor(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None
) -> None:
    shown = editor(replace=[("add nothing.\n\n", "add nothing.\n\n" + ARTICLE + "\n")])
    result = clip("add", "--title", "Written in the editor", "-t", "transport")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    template = shown.read_text(encoding="utf-8").splitlines()
    # The fields, as comments, filled with what the command line gave.
    assert template[:4] == [
        "# title: Written in the editor", "# source: ", "# date: ", "# tags: transport"
    ]  # fmt: skip
    assert all(line.startswith("#") or not line for line in template)
    clipping = stored(clip)
    assert clipping["text"] == ARTICLE  # the header is left out
    assert clipping["title"] == "Written in the editor"
    assert clipping["tags"] == ["transport"]


def test_the_fields_written_in_the_editor_are_the_clippings(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None
) -> None:
    editor(write=(
        "# title: Tram line approved\n# source: Portmere Courier\n# date: 2026-03-14\n"
        "# tags: transport, region/portmere\n#\n\n# The vote\n\n" + ARTICLE + "\n"
    ))  # fmt: skip
    result = clip("add", "-t", "replaced-in-the-editor")
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert (clipping["title"], clipping["source"], clipping["published"]) == (
        "Tram line approved", "Portmere Courier", "2026-03-14"
    )  # fmt: skip
    assert clipping["tags"] == ["transport", "region/portmere"]
    assert clipping["text"].startswith("# The vote\n\nThe city council")  # a headline is text


def test_a_template_saved_unchanged_adds_nothing(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None
) -> None:
    editor()  # saves what it was shown
    message = error_message(clip("add", "--title", "Nothing", "-t", "x"), ExitCode.ERROR)
    assert message == "the text is empty; nothing was saved."
    assert count(clip) == 0


def test_a_bad_field_in_the_editor_keeps_the_text_and_says_where(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None
) -> None:
    editor(write="# date: 2023-02-30\n\n" + ARTICLE + "\n")
    message = error_message(clip("add"), ExitCode.USAGE)
    kept = Path(message.rsplit("Your text is kept in ", 1)[1].removesuffix("."))
    assert ARTICLE in kept.read_text(encoding="utf-8")
    assert "2023-02-30" in message
    assert count(clip) == 0


@pytest.mark.parametrize("content", ["", "\n\n   \n"])
def test_an_empty_text_from_the_editor_aborts(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None, content: str
) -> None:
    editor(write=content)
    message = error_message(clip("add", "--title", "Nothing"), ExitCode.ERROR)
    assert "empty" in message
    assert "nothing was saved" in message
    assert count(clip) == 0


def test_an_editor_that_fails_saves_nothing(
    clip: Clip, editor: Callable[..., Path], terminal_stdin: None
) -> None:
    editor(write=ARTICLE, exit=3)
    message = error_message(clip("add", "--title", "Nothing"), ExitCode.ERROR)
    assert "exited with code 3" in message
    assert count(clip) == 0


def test_an_editor_that_cannot_start_is_one_line(
    clip: Clip, terminal_stdin: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    message = error_message(clip("add"), ExitCode.ERROR)
    assert "cannot start the editor" in message
    assert "$EDITOR" in message


# Options ---------------------------------------------------------------------------------


def test_every_option_is_stored(clip: Clip) -> None:
    result = clip(
        "add", ARTICLE,
        "--title", "Tram line approved",
        "--url", "https://www.portmere-courier.example/tram",
        "--source", "Portmere Courier",
        "--author", "Ann Smith", "--author", "Bo Lee",
        "--date", "2026-03-14",
        "-t", "Transport", "--tag", "Region/Portmere,council",
        "--note", "Vote 31-18.",
        "--lang", "en",
        "--star",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == stored(clip)
    assert printed["id"] == 1
    assert printed["title"] == "Tram line approved"
    assert printed["url"] == "https://www.portmere-courier.example/tram"
    assert printed["source"] == "Portmere Courier"
    assert printed["authors"] == ["Ann Smith", "Bo Lee"]
    assert printed["published"] == "2026-03-14"
    assert printed["tags"] == ["transport", "region/portmere", "council"]
    assert printed["note"] == "Vote 31-18."
    assert printed["language"] == "en"
    assert printed["starred"] is True
    assert printed["word_count"] > 20
    assert len(printed["content_hash"]) == 64


def test_a_title_option_always_wins(clip: Clip) -> None:
    clip("add", "# A markdown heading\n\n" + ARTICLE, "--title", "Mine")
    assert stored(clip)["title"] == "Mine"
    assert stored(clip)["title_source"] == "given"


def test_without_a_title_one_is_found_or_made_and_marked(clip: Clip) -> None:
    assert clip("add", ARTICLE).exit_code == 0
    clipping = stored(clip)
    assert clipping["title"].strip()
    assert clipping["title_source"] in ("extracted", "generated")


# Duplicates ------------------------------------------------------------------------------


def test_the_same_text_again_exits_4_naming_the_existing_id(clip: Clip) -> None:
    clip("add", "Another article.", "--title", "Other")
    clip("add", ARTICLE, "--title", "First")
    again = ARTICLE.upper().replace("\n\n", "   ")
    message = error_message(clip("add", again, "--title", "Again"), ExitCode.CONFLICT)
    assert "clipping 2" in message
    assert "--allow-duplicate" in message
    assert count(clip) == 2


def test_the_same_url_again_exits_4(clip: Clip) -> None:
    clip("add", "One text.", "--url", "https://example.org/a", "--title", "One")
    message = error_message(
        clip("add", "A different text.", "--url", "https://example.org/a", "--title", "Two"),
        ExitCode.CONFLICT,
    )
    assert "same URL" in message
    assert "clipping 1" in message


def test_a_duplicate_in_the_trash_suggests_restoring_it(clip: Clip) -> None:
    clip("add", ARTICLE, "--title", "First")
    clip("rm", "1", "--yes")
    message = error_message(clip("add", ARTICLE, "--title", "Again"), ExitCode.CONFLICT)
    assert "clip trash restore 1" in message


def test_allow_duplicate_keeps_it_twice(clip: Clip) -> None:
    clip("add", ARTICLE, "--title", "First")
    result = clip("add", ARTICLE, "--title", "Again", "--allow-duplicate")
    assert result.exit_code == 0
    assert result.stdout == "2\n"


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "complaint"),
    [
        ("--date", "2023-02-30", "not a valid date"),
        ("--date", "last Tuesday", "not a valid date"),
        ("--url", "ftp://example.org/a", "not a web address"),
        ("--url", "javascript:alert(1)", "not a web address"),
        ("--lang", "english", "not a language tag"),
        ("--tag", "-draft", "not a tag"),
        ("--tag", "/", "not a tag"),
    ],
)
def test_a_bad_option_value_exits_2_in_one_line_and_saves_nothing(
    clip: Clip, option: str, value: str, complaint: str
) -> None:
    message = error_message(clip("add", ARTICLE, option, value), ExitCode.USAGE)
    assert complaint in message
    assert count(clip) == 0


def test_a_missing_file_exits_3(clip: Clip, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-article.txt"
    message = error_message(clip("add", str(missing)), ExitCode.NOT_FOUND)
    assert str(missing) in message
    assert count(clip) == 0


def test_a_folder_is_refused(clip: Clip, tmp_path: Path) -> None:
    message = error_message(clip("add", str(tmp_path)), ExitCode.USAGE)
    assert "folder" in message


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\n\t ", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"text\x00with NUL"],
    ids=["empty", "blank", "png", "nul"],
)
def test_empty_and_binary_files_are_refused(clip: Clip, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    message = error_message(clip("add", str(path)), ExitCode.USAGE)
    assert str(path) in message
    assert count(clip) == 0


def test_a_file_over_20_mb_is_refused(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written
    message = error_message(clip("add", str(path)), ExitCode.USAGE)
    assert "20 MB" in message
    assert count(clip) == 0


def test_standard_input_over_20_mb_is_refused(clip: Clip) -> None:
    message = error_message(clip("add", "-", input=b"a " * (10 * 1024 * 1024 + 1)), ExitCode.USAGE)
    assert "20 MB" in message
    assert count(clip) == 0


@pytest.mark.parametrize("content", [b"", b" \n \n"])
def test_empty_standard_input_is_refused(clip: Clip, content: bytes) -> None:
    message = error_message(clip("add", "-", input=content), ExitCode.USAGE)
    assert "empty" in message


def test_binary_standard_input_is_refused(clip: Clip) -> None:
    message = error_message(clip("add", "-", input=b"\x00\x01\x02binary"), ExitCode.USAGE)
    assert "binary" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Café naïve “quoted” – résumé".encode("cp1252"), "Café naïve “quoted” – résumé"),
        ("\ufeffCafé with a BOM".encode(), "Café with a BOM"),
        ("Xocalı in UTF-16".encode("utf-16"), "Xocalı in UTF-16"),
    ],
    ids=["cp1252", "utf-8-bom", "utf-16"],
)
def test_encodings_are_decoded_sensibly(
    clip: Clip, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(content)
    assert clip("add", str(path), "--title", "Legacy").exit_code == 0
    assert stored(clip)["text"] == expected


def test_invalid_utf8_on_standard_input_is_decoded_too(clip: Clip) -> None:
    result = clip("add", "-", "--title", "Legacy", input="Zürich Straße".encode("cp1252"))
    assert result.exit_code == 0, result.stderr
    assert stored(clip)["text"] == "Zürich Straße"


def test_an_empty_text_argument_says_the_text_is_empty(clip: Clip) -> None:
    message = error_message(clip("add", ""), ExitCode.USAGE)
    assert "no text" in message or "empty" in message
