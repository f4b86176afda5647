"""Where a library keeps its files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from clipper.errors import UsageError

APP_NAME = "clipper"
# A library given as `scheme://...` is a server, never a folder: without this check
# `postgresql://host/db` would become the relative folder `postgresql:/host/db`.
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
TEAM_SCHEMES = ("postgresql", "postgres")


def library_url(value: str | None) -> str | None:
    """`value` when it is a team library's URL (postgresql:// or postgres://), None when it is
    a folder; a UsageError for any other URL."""
    found = _URL.match(value or "")
    if found is None:
        return None
    scheme = found.group(1).lower()
    if scheme not in TEAM_SCHEMES:
        raise UsageError(
            f"{scheme}:// is not a library clip can open; a library is a folder or a team "
            "library's postgresql:// URL."
        )
    return value


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """The files of one library, all inside its home folder."""

    home: Path

    @property
    def store(self) -> Path:
        return self.home / "clippings.json"

    @property
    def index(self) -> Path:
        return self.home / "index.sqlite3"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    def refuse_inside(self, target: Path, what: str = "export") -> None:
        """A UsageError when `target` (after links) is the library folder or inside it: an
        output written there could replace clippings.json, its index or its backups."""
        home = self.home.resolve()
        resolved = target.expanduser().resolve()
        if resolved == home or home in resolved.parents:
            raise UsageError(
                f"{target} is inside the library folder {self.home}; an {what} never writes "
                "there (it could replace the library). Choose a path outside it."
            )


def resolve_home(option: str | None, environment: dict[str, str] | None = None) -> LibraryPaths:
    """The library folder: --library, else $CLIPPER_HOME, else the platform's user data dir."""
    env = environment or {}
    chosen = option or env.get("CLIPPER_HOME")
    if library_url(chosen) is not None:
        raise UsageError(
            f"{redacted(chosen or '')} is a team library (a URL), not a folder; this command "
            "works on a local library only."
        )
    if chosen:
        home = Path(chosen).expanduser()
    else:
        from platformdirs import user_data_path

        home = user_data_path(APP_NAME, appauthor=False)
    if home.is_file():
        raise UsageError(f"{home} is a file; the library is a folder (it holds clippings.json).")
    return LibraryPaths(home.absolute())


def user_config_file(environment: dict[str, str] | None = None) -> Path:
    """config.toml in $CLIPPER_CONFIG_DIR, else the platform's user config dir."""
    env = environment or {}
    if env.get("CLIPPER_CONFIG_DIR"):
        return Path(env["CLIPPER_CONFIG_DIR"]).expanduser() / "config.toml"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def redacted(url: str) -> str:
    """A URL as it may be shown: any password replaced by ***."""
    hidden = re.sub(r"^([^:/]+://[^:@/]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", hidden)
