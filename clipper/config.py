"""Settings: flags, then environment, then config.toml, then defaults; each knows its origin."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from math import isfinite
from pathlib import Path
from typing import Any

from clipper.errors import UsageError


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting's description: its default, its environment variables, how to check it.

    `env` are clip's own variables, which override the config file; `fallback` are variables
    every program reads ($VISUAL, $EDITOR, $PAGER), which the config file overrides: as with
    git's core.editor, a setting written for clip beats one made for every program.
    """

    name: str
    default: Any
    env: tuple[str, ...]
    help: str
    kind: str  # "str", "int", "float", "bool", "tags", "choice", "export-format"
    choices: tuple[str, ...] = ()
    fallback: tuple[str, ...] = ()


SETTINGS = (
    Setting("library", None, ("CLIPPER_HOME",),
            "the library folder, or a team library's postgresql:// URL", "str"),
    Setting("user", None, ("CLIPPER_USER",),
            "who a team library records as adding a clipping (default: the database user)",
            "str"),
    Setting("editor", None, ("CLIPPER_EDITOR",), "editor for add, edit", "str",
            fallback=("VISUAL", "EDITOR")),
    Setting("pager", "less -FRX", ("CLIPPER_PAGER",), "pager for long text", "str",
            fallback=("PAGER",)),
    Setting("color", "auto", ("CLIPPER_COLOR",), "colour: auto, always or never", "choice",
            ("auto", "always", "never")),
    Setting("default_tags", (), ("CLIPPER_DEFAULT_TAGS",), "tags given to every new clipping",
            "tags"),
    Setting("export_format", "md", ("CLIPPER_EXPORT_FORMAT",), "format of `clip export`",
            "export-format"),
    Setting("group_by", "date", ("CLIPPER_GROUP_BY",), "sections of md and html reviews",
            "choice", ("date", "tag", "source", "none")),
    Setting("review_subtitle", None, ("CLIPPER_REVIEW_SUBTITLE",),
            "the audience line under a review's title (--subtitle)", "str"),
    Setting("share_safe", False, ("CLIPPER_SHARE_SAFE",),
            "reviews without full texts: excerpts or passages and attribution (--share-safe)",
            "bool"),
    Setting("backups", 10, ("CLIPPER_BACKUPS",), "newest backups kept (0: no automatic ones)",
            "int"),
    Setting("backups_max_mb", 2000, ("CLIPPER_BACKUPS_MAX_MB",),
            "megabytes backups may take (0: no limit)", "int"),
    Setting("lock_timeout", 10.0, ("CLIPPER_LOCK_TIMEOUT",), "seconds to wait for another clip",
            "float"),
    Setting("date_order", None, ("CLIPPER_DATE_ORDER",),
            "how numeric dates such as 03/04/2023 read: day-first or month-first (default: from "
            "the locale)", "choice", ("day-first", "month-first")),
    Setting("search_expand", False, ("CLIPPER_SEARCH_EXPAND",),
            "`clip search` adds the best terms of its first hits to the query, as --expand does",
            "bool"),
    Setting("exact_count", 10_000, ("CLIPPER_EXACT_COUNT",),
            "a team library counts the matches of a search or list exactly up to this many and "
            "estimates above (0: always exact, however long it takes)", "int"),
)  # fmt: skip
BY_NAME = {setting.name: setting for setting in SETTINGS}
CONFIG_NAME = "config.toml"


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's effective value and where it came from."""

    name: str
    value: Any
    origin: str  # "default", "$VAR", "config.toml line N", "--flag"

    @property
    def from_file(self) -> bool:
        return self.origin.startswith(CONFIG_NAME)


class Config:
    """The effective settings of one run of clip."""

    def __init__(self, values: dict[str, Value], path: Path) -> None:
        self.values = values
        self.path = path

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value

    def with_flag(self, name: str, value: Any, flag: str) -> Config:
        """A copy where a command-line flag, when given, overrides the setting."""
        if value is None:
            return self
        return Config({**self.values, name: Value(name, value, flag)}, self.path)


def load(path: Path, environ: Mapping[str, str]) -> Config:
    """Defaults, overridden by the config file, overridden by the environment."""
    from_file = _read_file(path)
    values: dict[str, Value] = {}
    for setting in SETTINGS:
        value = Value(setting.name, setting.default, "default")
        for variable in setting.fallback:
            raw_env = environ.get(variable, "").strip()
            if raw_env:
                value = Value(setting.name, raw_env, f"${variable}")
                break
        if setting.name in from_file:
            raw, line = from_file[setting.name]
            value = Value(
                setting.name,
                _check(setting, raw, f"{path}, line {line}"),
                f"{path.name} line {line}",
            )
        for variable in setting.env:
            raw_env = environ.get(variable, "").strip()
            if raw_env:
                where = f"${variable}"
                checked = _check(setting, _from_text(setting, raw_env, where), where)
                value = Value(setting.name, checked, f"${variable}")
                break
        values[setting.name] = value
    if environ.get("NO_COLOR") and values["color"].origin in ("default",):
        values["color"] = Value("color", "never", "$NO_COLOR")
    if values["date_order"].origin == "default":
        values["date_order"] = locale_date_order(environ)
    return Config(values, path)


# Where numeric dates put the month first (the United States and places that follow its usage);
# in most other countries a day/month/year date is day first. Year-first countries (China,
# Japan, Korea, Hungary ...) write 2023/04/03, and Canada writes both orders: there 03/04/2023
# has no usual reading and stays ambiguous.
_MONTH_FIRST = {"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI", "BZ"}
_NO_ORDER = {"CN", "JP", "KR", "KP", "TW", "HU", "LT", "MN", "IR", "CA"}


def locale_date_order(environ: Mapping[str, str]) -> Value:
    """The order of numeric dates the locale implies ($LC_ALL, else $LC_TIME, else $LANG, as
    the C library reads them); unknown (None) for C, POSIX, no territory or a mixed one."""
    for variable in ("LC_ALL", "LC_TIME", "LANG"):
        raw = environ.get(variable, "").strip()
        if not raw:
            continue
        match = re.match(r"^[a-zA-Z]{2,3}_([A-Za-z]{2})\b", raw)
        territory = match.group(1).upper() if match else ""
        if not territory or territory in _NO_ORDER:
            return Value("date_order", None, f"${variable}")
        order = "month-first" if territory in _MONTH_FIRST else "day-first"
        return Value("date_order", order, f"${variable}")
    return Value("date_order", None, "default")


def _read_file(path: Path) -> dict[str, tuple[Any, int]]:
    """The settings in config.toml with the line each is on; missing file: none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the config file {path}: {error}.") from None
    import tomllib  # only when there is a file: most runs have none, and startup counts

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"the config file {path} does not parse: {error}.") from None
    found = {}
    for key, raw in data.items():
        line = _line_of(text, key)
        if key not in BY_NAME:
            known = ", ".join(BY_NAME)
            raise UsageError(f"{path}, line {line}: unknown setting {key!r}; settings are {known}.")
        found[key] = (raw, line)
    return found


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _from_text(setting: Setting, raw: str, where: str) -> Any:
    """An environment variable's text as the setting's type."""
    if setting.kind == "tags":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if setting.kind == "bool":
        word = raw.strip().lower()
        if word not in _BOOLEANS:
            raise UsageError(f"{where}={raw!r} is not {_EXPECTED['bool']}.")
        return _BOOLEANS[word]
    if setting.kind in ("int", "float"):
        try:
            return int(raw) if setting.kind == "int" else float(raw)
        except ValueError:
            raise UsageError(f"{where}={raw!r} is not {_EXPECTED[setting.kind]}.") from None
    return raw


_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False}  # fmt: skip
_EXPECTED = {
    "str": "a non-empty string",
    "int": "a whole number, 0 or more (for example 10)",
    "float": "a number of seconds, 0 or more (for example 10)",
    "tags": 'a list of tags, e.g. ["inbox"]',
    "bool": "true or false (in the environment also 1 or 0, yes or no)",
}


def _check(setting: Setting, raw: Any, where: str) -> Any:
    """A value checked against the setting's kind; a bad one names where it came from."""
    checks: dict[str, Callable[[Any], bool]] = {
        "str": lambda v: isinstance(v, str) and bool(v.strip()),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        # An infinite timeout would wait forever on a stuck lock: refused like a negative one.
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool)
        and isfinite(v) and v >= 0,
        "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
        "bool": lambda v: isinstance(v, bool),
        "choice": lambda v: v in setting.choices,
        "export-format": lambda v: v in _export_names(),
    }
    if not checks[setting.kind](raw):
        names = _export_names() if setting.kind == "export-format" else setting.choices
        expected = _EXPECTED.get(setting.kind) or "one of " + ", ".join(names)
        raise UsageError(f"{where}: {setting.name} must be {expected}, not {raw!r}.")
    if setting.kind == "tags":
        from clipper.model import normalize_tags

        try:
            return tuple(normalize_tags(raw))
        except UsageError as error:
            raise UsageError(f"{where}: {error.message}") from None
    if setting.kind == "float":
        return float(raw)
    return raw


_EXAMPLES = {
    "library": "~/clippings", "editor": "nano", "default_tags": ["inbox"],
    "date_order": "day-first", "review_subtitle": "For the press office; not for publication",
    "share_safe": True, "user": "jane.doe",
}  # fmt: skip
_NOTES = {"library": "a relative path starts beside this file", "color": "it overrides $NO_COLOR"}


def _export_names() -> tuple[str, ...]:
    # The formats table's export names, so that a new format is a setting's value too.
    from clipper.formats import export_names

    return tuple(export_names())


def template() -> str:
    """A config.toml with every setting commented out, for `clip config edit`."""
    import json

    lines = [
        "# clip settings: remove the # before a line to change it; `clip config` shows what",
        "# is in effect. clip's own environment variables ($CLIPPER_...) override this file,",
        "# and options override both.",
        "",
    ]
    for setting in SETTINGS:
        example = _EXAMPLES.get(setting.name, setting.default)
        if isinstance(example, tuple):
            example = list(example)
        above = " and ".join(f"${name}" for name in setting.env)
        line = f"# {setting.help[:1].upper()}{setting.help[1:]}; {above} overrides it"
        if setting.fallback:
            line += ", and it overrides " + " and ".join(f"${n}" for n in setting.fallback)
        if setting.name in _NOTES:
            line += f"; {_NOTES[setting.name]}"
        lines += [line + ".", f"# {setting.name} = {json.dumps(example)}", ""]
    return "\n".join(lines)
