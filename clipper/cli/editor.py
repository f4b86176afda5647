"""Opening the user's editor on a temporary file, as `git commit` does."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from clipper.errors import ClipperError


def editor_command(configured: str | None = None) -> list[str]:
    """The `editor` setting ($CLIPPER_EDITOR, config.toml, $VISUAL, $EDITOR), else a sensible
    default for the platform."""
    if configured and configured.strip():
        return shlex.split(configured)
    return ["notepad"] if os.name == "nt" else ["vi"]


def run_editor(path: Path, editor: str | None, *, hint: str = "") -> int:
    """Run the editor on a file and return its exit code; one that cannot start is an error."""
    command = [*editor_command(editor), str(path)]
    try:
        return subprocess.run(command, check=False).returncode
    except OSError as error:
        raise ClipperError(
            f"cannot start the editor {command[0]!r}: {error.strerror or error}.{hint}"
        ) from None


def edit_text(
    initial: str, *, suffix: str = ".md", editor: str | None = None
) -> tuple[str, Path]:
    """Let the user edit `initial` in `editor` (a command line); returns the edited text and
    the file it lives in."""
    handle, name = tempfile.mkstemp(prefix="clip-", suffix=suffix)
    path = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(initial)
    try:
        code = run_editor(path, editor, hint=" Set $EDITOR, or give the text as an argument.")
    except ClipperError:
        path.unlink(missing_ok=True)
        raise
    if code != 0:
        path.unlink(missing_ok=True)
        raise ClipperError(
            f"the editor {editor_command(editor)[0]!r} exited with code {code}; nothing was saved."
        )
    return path.read_text(encoding="utf-8", errors="replace"), path
