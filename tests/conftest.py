"""Shared fixtures: every test gets its own empty library, so no test touches real data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from clipper.cli.app import app
from clipper.library import Library
from clipper.paths import LibraryPaths

Clip = Callable[..., Result]


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
def library(library_home: Path) -> Library:
    """The test's library, used through the core API."""
    return Library(LibraryPaths(library_home))


@pytest.fixture
def clip() -> Clip:
    """Run `clip` in-process: clip("add", "text", input=None) returns the CliRunner result."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run
