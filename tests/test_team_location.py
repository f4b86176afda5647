"""A team library's URL: recognized before any path handling, never made into a folder, and
every way of failing to open it one line (exit 1) with nothing local touched."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message


def _nothing_written(where: Path, library_home: Path) -> None:
    """No folder was made from the URL (in the working folder), and no local library."""
    assert list(where.iterdir()) == [], sorted(p.name for p in where.iterdir())
    assert not library_home.exists()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder: a URL taken as a relative path would become a folder here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def no_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg cannot be imported, as on an install without the team extra."""
    monkeypatch.setitem(sys.modules, "psycopg", None)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "PostgreSQL"])
def test_a_url_given_as_library_is_never_a_folder(
    clip: Clip, workdir: Path, library_home: Path, no_psycopg: None, scheme: str
) -> None:
    result = clip("add", "Some text to keep.", "--library", f"{scheme}://me@db.example/news")
    message = error_message(result, ExitCode.ERROR)
    assert "team library" in message
    assert "pip install 'clipper[team]'" in message
    _nothing_written(workdir, library_home)


def test_clipper_home_holding_a_url_opens_no_folder(
    clip: Clip, workdir: Path, library_home: Path, no_psycopg: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("CLIPPER_HOME", "postgresql://me@db.example/news")
    message = error_message(clip("add", "Some text to keep."), ExitCode.ERROR)
    assert "pip install 'clipper[team]'" in message
    assert list(workdir.iterdir()) == []


def test_config_library_holding_a_url_is_not_joined_to_the_config_folder(
    clip: Clip, tmp_path: Path, workdir: Path, no_psycopg: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("CLIPPER_HOME")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('library = "postgres://me@db.example/news"\n')
    message = error_message(clip("add", "Some text to keep."), ExitCode.ERROR)
    assert "postgres://me@db.example/news is a team library" in message
    assert sorted(p.name for p in config.iterdir()) == ["config.toml"]
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("url", ["http://example.org/library", "sqlite:///tmp/x.db"])
def test_another_scheme_is_a_usage_error(
    clip: Clip, workdir: Path, library_home: Path, url: str
) -> None:
    message = error_message(clip("list", "--library", url), ExitCode.USAGE)
    assert "is not a library clip can open" in message
    _nothing_written(workdir, library_home)


def test_a_password_in_the_url_is_never_shown(
    clip: Clip, workdir: Path, no_psycopg: None
) -> None:
    result = clip("list", "--library", "postgresql://me:s3cret@db.example/news")
    message = error_message(result, ExitCode.ERROR)
    assert "s3cret" not in message
    assert "postgresql://me:***@db.example/news" in message


def test_local_only_commands_refuse_a_team_library(
    clip: Clip, workdir: Path, library_home: Path
) -> None:
    message = error_message(clip("backup", "-L", "postgresql://me@db.example/news"),
                            ExitCode.USAGE)  # fmt: skip
    assert "is a team library (a URL), not a folder" in message
    _nothing_written(workdir, library_home)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


def test_an_unreachable_server_is_one_line(
    clip: Clip, workdir: Path, library_home: Path
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://me@127.0.0.1:{_closed_port()}/news"
    message = error_message(clip("list", "-L", url), ExitCode.ERROR)
    assert message.startswith(f"cannot open the team library {url}: the server cannot be reached")
    _nothing_written(workdir, library_home)


def test_a_missing_database_is_one_line(
    clip: Clip, postgres: object, workdir: Path, library_home: Path
) -> None:
    from tests.postgres_server import Server

    assert isinstance(postgres, Server)
    message = error_message(clip("list", "-L", postgres.url("no_such_db")), ExitCode.ERROR)
    assert "that database does not exist" in message
    _nothing_written(workdir, library_home)


def test_a_wrong_password_is_one_line(
    clip: Clip, postgres: object, workdir: Path, library_home: Path
) -> None:
    import psycopg

    from tests.postgres_server import Server

    assert isinstance(postgres, Server)
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS keeper")
        conn.execute("CREATE ROLE keeper LOGIN PASSWORD 'right'")
    url = f"postgresql://keeper:wrong@127.0.0.1:{postgres.port}/postgres"
    message = error_message(clip("list", "-L", url), ExitCode.ERROR)
    assert "refused the user name or password" in message
    assert "wrong" not in message.replace("keeper:***", "")
    _nothing_written(workdir, library_home)


def test_a_user_who_may_not_create_the_tables_is_told_what_to_do(
    clip: Clip, postgres: object, team_url: str, workdir: Path, library_home: Path
) -> None:
    import psycopg

    from tests.postgres_server import Server

    assert isinstance(postgres, Server)
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS newcomer")
        conn.execute("CREATE ROLE newcomer LOGIN PASSWORD 'pw'")
    database = team_url.rsplit("/", 1)[1]
    url = f"postgresql://newcomer:pw@127.0.0.1:{postgres.port}/{database}"
    message = error_message(clip("list", "-L", url), ExitCode.ERROR)
    assert "this user may not create or change clip's tables" in message
    assert "pw@" not in message
    _nothing_written(workdir, library_home)
