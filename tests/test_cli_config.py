"""`clip config` and the settings at work: flags, then environment, then config.toml, then
defaults, for the library, editor, pager, colour, default tags and export defaults."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.expect import error_message


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The config.toml this test's clip reads ($CLIPPER_CONFIG_DIR/config.toml)."""
    folder = tmp_path / "config"
    folder.mkdir()
    return folder / "config.toml"


def settings_of(clip: Clip, *args: str) -> dict[str, dict[str, Any]]:
    result = clip(*args, "config", "--json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout)["settings"])


def test_config_shows_each_value_and_where_it_comes_from(
    clip: Clip, config_file: Path, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('editor = "nano"\ngroup_by = "source"\n', encoding="utf-8")
    monkeypatch.setenv("CLIPPER_BACKUPS", "4")
    rows = {r.split("\t")[0]: r.split("\t")[1:] for r in clip("config").stdout.splitlines()}
    assert rows["library"] == [str(library_home), "$CLIPPER_HOME"]
    assert rows["editor"] == ["nano", "config.toml line 1"]
    assert rows["group_by"] == ["source", "config.toml line 2"]
    assert rows["backups"] == ["4", "$CLIPPER_BACKUPS"]
    assert rows["pager"] == ["less -FRX", "default"]
    assert rows["default_tags"] == ["", "default"]
    assert not library_home.exists()


def test_config_json_and_the_library_flag(clip: Clip, tmp_path: Path, config_file: Path) -> None:
    result = json.loads(clip("--library", str(tmp_path / "other"), "config", "--json").stdout)
    assert result["file"] == str(config_file)
    assert result["file_exists"] is False
    assert result["settings"]["library"] == {"value": str(tmp_path / "other"),
                                             "origin": "--library"}  # fmt: skip
    assert result["settings"]["lock_timeout"] == {"value": 10.0, "origin": "default"}
    assert result["settings"]["default_tags"] == {"value": [], "origin": "default"}


def test_config_path_prints_the_file(clip: Clip, config_file: Path) -> None:
    assert clip("config", "path").stdout == f"{config_file}\n"


def test_a_bad_config_file_stops_commands_with_its_line_but_not_help(
    clip: Clip, config_file: Path
) -> None:
    config_file.write_text('pager = "less"\nbackups = "many"\n', encoding="utf-8")
    for args in (["list"], ["add", "Some text.", "--title", "T"], [], ["config"]):
        message = error_message(clip(*args), ExitCode.USAGE)
        assert f"{config_file}, line 2" in message
        assert "backups must be a whole number" in message
    assert clip("list", "-h").exit_code == 0
    assert clip("config", "path").stdout == f"{config_file}\n"


def test_a_broken_toml_file_names_its_line(clip: Clip, config_file: Path) -> None:
    config_file.write_text('editor = "nano"\ncolor = never\n', encoding="utf-8")
    assert "line 2" in error_message(clip("list"), ExitCode.USAGE)


def test_the_library_can_come_from_the_file_relative_to_it(
    clip: Clip, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLIPPER_HOME")
    config_file.write_text('library = "clippings"\n', encoding="utf-8")
    assert clip("add", "Some text.", "--title", "T").exit_code == 0
    assert (config_file.parent / "clippings" / "clippings.json").is_file()
    assert clip("where").stdout.startswith(f"library\t{config_file.parent / 'clippings'}\n")


def test_clipper_home_beats_the_file_and_the_flag_beats_both(
    clip: Clip, config_file: Path, library_home: Path, tmp_path: Path
) -> None:
    config_file.write_text(f'library = "{tmp_path / "from-file"}"\n', encoding="utf-8")
    assert settings_of(clip)["library"]["value"] == str(library_home)
    assert clip("-L", str(tmp_path / "flag"), "add", "Text.", "--title", "T").exit_code == 0
    assert (tmp_path / "flag" / "clippings.json").is_file()
    assert not (tmp_path / "from-file").exists()


def test_default_tags_go_on_every_new_clipping(
    clip: Clip, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('default_tags = ["inbox"]\n', encoding="utf-8")
    added = json.loads(clip("add", "First text.", "--title", "A", "-t", "x", "--json").stdout)
    assert added["tags"] == ["inbox", "x"]
    bare = clip("add", "Second text.", "--title", "B", "--no-default-tags", "--json")
    assert json.loads(bare.stdout)["tags"] == []
    monkeypatch.setenv("CLIPPER_DEFAULT_TAGS", "press,review")
    third = json.loads(clip("add", "Third text.", "--title", "C", "--json").stdout)
    assert third["tags"] == ["press", "review"]


def test_the_export_format_and_grouping_default_to_the_settings(
    clip: Clip, config_file: Path, library: Library
) -> None:
    library.add(Draft(text="Alpha text.", title="Alpha", source="News.Az", published="2023-02-23"))
    config_file.write_text('export_format = "json"\n', encoding="utf-8")
    assert json.loads(clip("export").stdout)["clippings"][0]["title"] == "Alpha"
    assert clip("export", "-f", "md").stdout.startswith("# Press review")
    config_file.write_text('group_by = "source"\n', encoding="utf-8")
    assert "## News.Az" in clip("export").stdout
    assert "## News.Az" not in clip("export", "--group-by", "date").stdout


def test_the_lock_timeout_can_come_from_the_file(
    clip: Clip, config_file: Path, library: Library, library_home: Path
) -> None:
    library.add(Draft(text="Some text.", title="T"))
    config_file.write_text("lock_timeout = 0.2\n", encoding="utf-8")
    with FileLock(str(library_home / "clippings.json.lock")):
        message = error_message(clip("tag", "1", "-t", "x"), ExitCode.ERROR)
    assert "0.2 s" in message


def test_the_editor_setting_beats_editor_in_the_environment(
    clip: Clip, config_file: Path, editor: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch, terminal_stdin: None,
) -> None:  # fmt: skip
    editor(write="Written in the configured editor.\n")
    script = __import__("os").environ["EDITOR"]
    config_file.write_text(f"editor = {json.dumps(script)}\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", "false")  # would fail: the file must win
    result = clip("add", "--title", "From the editor", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"] == "Written in the configured editor."


def test_config_edit_starts_from_a_template_and_checks_the_result(
    clip: Clip, config_file: Path, editor: Callable[..., Path]
) -> None:
    shown = editor(replace=[("# group_by = ", "group_by = ")])
    result = clip("config", "edit")
    assert result.exit_code == 0, result.stderr
    assert "# Sections of md and html reviews" in shown.read_text(encoding="utf-8")
    assert settings_of(clip)["group_by"]["origin"].startswith("config.toml line ")

    editor(write='backups = "lots"\n')
    message = error_message(clip("config", "edit"), ExitCode.USAGE)
    assert "line 1" in message and "clip config edit" in message
    assert config_file.read_text(encoding="utf-8") == 'backups = "lots"\n'  # kept to fix


@pytest.fixture
def pager_log(tmp_path: Path, config_file: Path) -> Path:
    """A pager (set in config.toml) that keeps what it was given in a file."""
    log, script = tmp_path / "paged.txt", tmp_path / "pager.py"
    script.write_text(
        "import pathlib, sys\n"
        f"pathlib.Path({str(log)!r}).write_bytes(sys.stdin.buffer.read())\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    config_file.write_text(f"pager = {json.dumps(command)}\n", encoding="utf-8")
    return log


def test_long_text_goes_through_the_configured_pager(
    clip: Clip, library: Library, terminal: None, pager_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("LINES", "10")
    library.add(Draft(text="\n\n".join(f"Paragraph {n}." for n in range(30)), title="Long"))
    result = clip("show", "1")
    assert result.exit_code == 0, result.stderr
    assert "Paragraph 29." in pager_log.read_text(encoding="utf-8")
    assert "Paragraph 29." not in result.stdout
    pager_log.unlink()
    assert "Paragraph 29." in clip("show", "1", "--no-pager").stdout
    assert not pager_log.exists()


def test_a_list_taller_than_the_terminal_goes_through_the_pager(
    clip: Clip, library: Library, terminal: None, pager_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("LINES", "10")
    library.add_many([Draft(text=f"Article {n}.", title=f"Title {n}") for n in range(1, 31)])
    result = clip("list")
    assert result.exit_code == 0, result.stderr
    paged = pager_log.read_text(encoding="utf-8")
    assert "Title 1 " in paged and "Title 30" in paged
    assert "Title" not in result.stdout
    assert "30 clippings" in result.stderr
    pager_log.unlink()
    assert "Title 30" in clip("list", "--no-pager").stdout
    assert "Title 28" in clip("list", "-n", "3").stdout  # it fits on the screen
    assert not pager_log.exists()


def test_a_piped_list_never_goes_through_the_pager(
    clip: Clip, library: Library, pager_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "10")
    library.add_many([Draft(text=f"Article {n}.", title=f"Title {n}") for n in range(1, 31)])
    assert len(clip("list").stdout.splitlines()) == 30
    assert not pager_log.exists()


def test_short_text_and_pipes_skip_the_pager(
    clip: Clip, library: Library, pager_log: Path, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text="A short text.", title="Short"))
    assert "A short text." in clip("show", "1").stdout
    assert not pager_log.exists()


def test_a_missing_pager_still_shows_the_text(
    clip: Clip, library: Library, config_file: Path, terminal: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("LINES", "10")
    monkeypatch.setenv("CLIPPER_PAGER", "no-such-pager-anywhere")
    library.add(Draft(text="\n\n".join(f"Paragraph {n}." for n in range(30)), title="Long"))
    result = clip("show", "1")
    assert result.exit_code == 0
    assert "Paragraph 29." in result.stdout


def test_color_never_and_always(
    clip: Clip, library: Library, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text="Some text.", title="Coloured", tags=["x"]))
    monkeypatch.delenv("NO_COLOR")
    config_file.write_text('color = "always"\n', encoding="utf-8")
    piped = clip("list").stdout
    assert "\x1b[36m" in piped  # a table with colours, even in a pipe (for `less -R`)
    assert "Coloured" in piped
    monkeypatch.setenv("CLIPPER_COLOR", "never")
    plain = clip("list").stdout
    assert plain.startswith("1\t")  # a pipe again: tab-separated lines
    assert "\x1b" not in plain


def test_color_never_keeps_tables_on_a_terminal(
    clip: Clip, library: Library, config_file: Path, terminal: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    library.add(Draft(text="Some text.", title="Plain", tags=["x"]))
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    config_file.write_text('color = "never"\n', encoding="utf-8")
    shown = clip("list").stdout
    assert "─" in shown and "Plain" in shown
    assert "\x1b[36m" not in shown
