"""Shared fixtures: every test gets its own empty library, so no test touches real data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from clipper.cli.app import app
from clipper.library.core import Library
from clipper.paths import LibraryPaths

Clip = Callable[..., Result]

# No property test may fail because the machine is busy: hypothesis's per-example deadline and
# its "too slow" health check both measure the clock, so a loaded machine turned them into
# spurious failures. The properties themselves are unchanged.
settings.register_profile("clipper", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clipper")


@pytest.fixture(autouse=True)
def library_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CLIPPER_HOME points at a fresh folder; config and editor come from nowhere else."""
    home = tmp_path / "library"
    monkeypatch.setenv("CLIPPER_HOME", str(home))
    monkeypatch.setenv("CLIPPER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture
def library(library_home: Path, request: pytest.FixtureRequest) -> Library:
    """The test's library, used through the core API: in a module or test that runs on both
    backends (the `backend` fixture), the same library `clip` opens."""
    if "backend" in request.fixturenames:
        return request.getfixturevalue("any_library")  # type: ignore[no-any-return]
    return Library(LibraryPaths(library_home))


@pytest.fixture
def clip() -> Clip:
    """Run `clip` in-process: clip("add", "text", input=None) returns the CliRunner result."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """$EDITOR as a small script: editor(write=TEXT | replace=[(OLD, NEW)], run=[ARGS], exit=N).

    The script saves what it was shown in the returned file, runs `clip ARGS` for each of
    `run` (another clip at work while the editor is open), then edits as told. Temporary
    files of `clip edit` go to the test's own folder.
    """
    import json
    import shlex
    import sys
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    plan, shown, script = tmp_path / "plan.json", tmp_path / "shown.txt", tmp_path / "editor.py"
    script.write_text(
        "import json, pathlib, subprocess, sys\n"
        f"plan = json.loads(pathlib.Path({str(plan)!r}).read_text(encoding='utf-8'))\n"
        "target = pathlib.Path(sys.argv[1])\n"
        "text = target.read_text(encoding='utf-8')\n"
        f"pathlib.Path({str(shown)!r}).write_text(text, encoding='utf-8')\n"
        "for argv in plan.get('run', []):\n"
        "    subprocess.run([sys.executable, '-m', 'clipper', *argv], check=True)\n"
        "text = plan.get('write', text)\n"
        "for old, new in plan.get('replace', []):\n"
        "    text = text.replace(old, new)\n"
        "target.write_text(text, encoding='utf-8')\n"
        "sys.exit(plan.get('exit', 0))\n",
        encoding="utf-8",
    )

    def configure(**instructions: object) -> Path:
        plan.write_text(json.dumps(instructions), encoding="utf-8")
        monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
        return shown

    return configure


@pytest.fixture
def terminal_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands believe a person is typing (CliRunner's stdin is never a terminal)."""
    import importlib
    import pkgutil

    from clipper.cli import commands

    for module_info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        if hasattr(module, "stdin_is_terminal"):
            monkeypatch.setattr(module, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("clipper.cli.context.stdin_is_terminal", lambda: True)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Output as on a terminal (rich tables and panels), 100 columns wide."""
    from clipper.render import console

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("LESS", "-FRX")  # `clip show` sets it for its pager; keep it contained
    console.out.cache_clear()
    console.err.cache_clear()
    yield
    console.out.cache_clear()
    console.err.cache_clear()


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL server for the whole run (skipped without PostgreSQL binaries
    or psycopg); stopped and removed at the end."""
    from tests import postgres_server

    pytest.importorskip("psycopg", reason="the team library needs psycopg: pip install '.[team]'")
    if postgres_server.binaries() is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine: team library "
                    "tests skipped; install postgresql to run them")
    server = postgres_server.start_server()
    try:
        yield server
    finally:
        postgres_server.remove(server)


@pytest.fixture
def team_url(postgres: object, request: pytest.FixtureRequest) -> str:
    """A new, empty database on the test server for this test: its postgresql:// URL."""
    import re

    import psycopg

    from tests.postgres_server import Server

    assert isinstance(postgres, Server)
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    name += f"_{abs(hash(request.node.nodeid)) % 10**8}"
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres.url(name)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked local_only (about the files of a library folder: its index, its backups)
    runs on the local backend alone."""
    dropped = [
        item for item in items
        if item.get_closest_marker("local_only") is not None
        and getattr(getattr(item, "callspec", None), "params", {}).get("backend") == "team"
    ]  # fmt: skip
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(params=["local", "team"])
def backend(request: pytest.FixtureRequest, library_home: Path,
            monkeypatch: pytest.MonkeyPatch) -> str:  # fmt: skip
    """Where the test's library lives: run once with a library folder, once with a team
    library in PostgreSQL (CLIPPER_HOME holds its URL, so `clip` opens it too)."""
    if request.param == "local":
        return str(library_home)
    url = str(request.getfixturevalue("team_url"))
    monkeypatch.setenv("CLIPPER_HOME", url)
    return url


@pytest.fixture
def any_library(backend: str) -> Iterator[Library]:
    """The test's library on each backend, used through the core API: a TeamLibrary offers
    the public methods of Library (typed as one for the tests' sake)."""
    if not backend.startswith("postgresql://"):
        yield Library(LibraryPaths(Path(backend)))
        return
    from clipper.team.library import TeamLibrary

    team = TeamLibrary.connect(backend)
    try:
        yield team  # type: ignore[misc]
    finally:
        team.close()
