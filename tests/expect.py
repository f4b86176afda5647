"""Assertions shared by the CLI tests: how a failed command must look."""

from __future__ import annotations

from typer.testing import Result

from clipper.errors import ExitCode


def error_message(result: Result, exit_code: ExitCode | int) -> str:
    """The message of a failed command, checking it is one `Error:` line on stderr alone."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert lines[0].startswith("Error: "), lines[0]
    assert result.stdout == "", f"a failed command printed data: {result.stdout!r}"
    return lines[0].removeprefix("Error: ")
