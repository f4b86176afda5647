"""Settings: defaults, config.toml, the environment, and where each value comes from."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from clipper import config
from clipper.errors import UsageError


@pytest.fixture
def toml(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def test_without_a_file_every_setting_is_its_default(toml: Path) -> None:
    loaded = config.load(toml, {})
    assert {name: v.origin for name, v in loaded.values.items()} == dict.fromkeys(
        config.BY_NAME, "default"
    )
    assert loaded["pager"] == "less -FRX"
    assert loaded["default_tags"] == ()
    assert loaded["lock_timeout"] == 10.0
    assert loaded.path == toml


def test_the_file_gives_values_with_their_line(toml: Path) -> None:
    toml.write_text(
        '# my settings\neditor = "nano"\n\ndefault_tags = ["Inbox", "Press Review"]\n'
        'backups = 3\nlock_timeout = 2\ngroup_by = "source"\n',
        encoding="utf-8",
    )
    loaded = config.load(toml, {})
    assert loaded["editor"] == "nano"
    assert loaded.values["editor"].origin == "config.toml line 2"
    assert loaded["default_tags"] == ("inbox", "press-review")  # normalized like any tag
    assert loaded.values["default_tags"].origin == "config.toml line 4"
    assert (loaded["backups"], loaded["lock_timeout"], loaded["group_by"]) == (3, 2.0, "source")
    assert loaded.values["group_by"].from_file


def test_clips_own_variables_override_the_file(toml: Path) -> None:
    toml.write_text('editor = "nano"\nexport_format = "html"\nbackups = 3\n', encoding="utf-8")
    environ = {"CLIPPER_EDITOR": "code -w", "CLIPPER_EXPORT_FORMAT": "json",
               "CLIPPER_BACKUPS": "0", "CLIPPER_DEFAULT_TAGS": "a, b/c"}  # fmt: skip
    loaded = config.load(toml, environ)
    assert (loaded["editor"], loaded.values["editor"].origin) == ("code -w", "$CLIPPER_EDITOR")
    assert loaded["export_format"] == "json"
    assert loaded["backups"] == 0
    assert loaded["default_tags"] == ("a", "b/c")


def test_the_file_overrides_variables_every_program_reads(toml: Path) -> None:
    environ = {"VISUAL": "vim", "EDITOR": "ed", "PAGER": "more", "NO_COLOR": "1"}
    loaded = config.load(toml, environ)
    assert (loaded["editor"], loaded.values["editor"].origin) == ("vim", "$VISUAL")
    assert (loaded["pager"], loaded.values["pager"].origin) == ("more", "$PAGER")
    assert (loaded["color"], loaded.values["color"].origin) == ("never", "$NO_COLOR")

    toml.write_text('editor = "nano"\npager = "less -R"\ncolor = "always"\n', encoding="utf-8")
    loaded = config.load(toml, environ)
    assert (loaded["editor"], loaded["pager"], loaded["color"]) == ("nano", "less -R", "always")
    assert config.load(toml, {**environ, "CLIPPER_COLOR": "auto"})["color"] == "auto"


def test_a_flag_overrides_everything(toml: Path) -> None:
    loaded = config.load(toml, {"CLIPPER_HOME": "/elsewhere"})
    flagged = loaded.with_flag("library", "/mine", "--library")
    assert (flagged["library"], flagged.values["library"].origin) == ("/mine", "--library")
    assert loaded.with_flag("library", None, "--library") is loaded


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('editor = "nano"\ncolour = "never"\n', 2, "unknown setting 'colour'"),
        ('editor = "nano"\n\ncolor = "sometimes"\n', 3, "one of auto, always, never"),
        ("backups = -1\n", 1, "a whole number"),
        ('backups = "ten"\n', 1, "a whole number"),
        ('lock_timeout = inf\n', 1, "a number of seconds"),
        ('default_tags = "inbox"\n', 1, "a list of tags"),
        ('default_tags = ["-x"]\n', 1, "cannot start with '-'"),
        ("editor = \n", 1, "line 1"),
        ('pager = "less"\neditor = "nano\n', 2, "line 2"),
    ],
)
def test_a_bad_file_is_a_usage_error_naming_the_line(
    toml: Path, content: str, line: int, words: str
) -> None:
    toml.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        config.load(toml, {})
    message = caught.value.message
    assert str(toml) in message
    assert f"line {line}" in message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CLIPPER_LOCK_TIMEOUT", "soon"), ("CLIPPER_LOCK_TIMEOUT", "-1"),
     ("CLIPPER_LOCK_TIMEOUT", "inf"), ("CLIPPER_LOCK_TIMEOUT", "nan"),
     ("CLIPPER_BACKUPS", "1.5"), ("CLIPPER_BACKUPS", "-2"), ("CLIPPER_COLOR", "purple")],
)  # fmt: skip
def test_a_bad_variable_is_a_usage_error_naming_it(toml: Path, variable: str, value: str) -> None:
    with pytest.raises(UsageError) as caught:
        config.load(toml, {variable: value})
    assert f"${variable}" in caught.value.message


def test_blank_variables_are_ignored(toml: Path) -> None:
    loaded = config.load(toml, {"CLIPPER_LOCK_TIMEOUT": "  ", "CLIPPER_BACKUPS": "", "EDITOR": ""})
    assert loaded.values["lock_timeout"].origin == "default"
    assert loaded["editor"] is None


def test_a_config_dir_that_is_a_file_reads_as_no_file(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("not a folder")
    assert config.load(tmp_path / "config" / "config.toml", {})["backups"] == 10


def test_the_template_lists_every_setting_and_parses_once_uncommented() -> None:
    template = config.template()
    assert tomllib.loads(template) == {}  # all commented out: changes nothing
    uncommented = "\n".join(
        line.removeprefix("# ") for line in template.splitlines() if " = " in line
    )
    assert set(tomllib.loads(uncommented)) == set(config.BY_NAME)


def test_the_template_is_a_valid_config_once_uncommented(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "\n".join(line.removeprefix("# ") if " = " in line else line
                  for line in config.template().splitlines()),
        encoding="utf-8",
    )  # fmt: skip
    loaded = config.load(path, {})
    assert loaded["library"] == "~/clippings"
    assert all(value.from_file for value in loaded.values.values())


@pytest.mark.parametrize(
    ("environ", "order", "origin"),
    [
        ({"LANG": "en_US.UTF-8"}, "month-first", "$LANG"),
        ({"LANG": "en_GB.UTF-8"}, "day-first", "$LANG"),
        ({"LANG": "de_DE.UTF-8"}, "day-first", "$LANG"),
        ({"LANG": "en_GB.UTF-8", "LC_TIME": "en_US.UTF-8"}, "month-first", "$LC_TIME"),
        ({"LC_TIME": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "day-first", "$LC_ALL"),
        ({"LANG": "ja_JP.UTF-8"}, None, "$LANG"),  # year first: 03/04/2023 has no usual reading
        ({"LANG": "C.UTF-8"}, None, "$LANG"),
        ({}, None, "default"),
    ],
)
def test_the_order_of_numeric_dates_comes_from_the_locale(
    toml: Path, environ: dict[str, str], order: str | None, origin: str
) -> None:
    loaded = config.load(toml, environ)
    assert (loaded["date_order"], loaded.values["date_order"].origin) == (order, origin)


def test_the_date_order_setting_wins_over_the_locale(toml: Path) -> None:
    toml.write_text('date_order = "day-first"\n', encoding="utf-8")
    assert config.load(toml, {"LANG": "en_US.UTF-8"})["date_order"] == "day-first"
    environ = {"LANG": "en_GB.UTF-8", "CLIPPER_DATE_ORDER": "month-first"}
    assert config.load(toml, environ)["date_order"] == "month-first"
    with pytest.raises(UsageError, match="date_order must be one of day-first, month-first"):
        config.load(toml, {"CLIPPER_DATE_ORDER": "dmy"})
