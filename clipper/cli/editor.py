"""Opening the user's editor on a temporary file, as `git commit` does."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from clipper.errors import ClipperError


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else a sensible default for the platform."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return shlex.split(chosen)
    return ["notepad"] if os.name == "nt" else ["vi"]


def edit_text(initial: str, *, suffix: str = ".md") -> tuple[str, Path]:
    """Let the user edit `initial`; returns the edited text and the file it lives in."""
    handle, name = tempfile.mkstemp(prefix="clip-", suffix=suffix)
    path = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(initial)
    command = [*editor_command(), str(path)]
    try:
        completed = subprocess.run(command, check=False)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise ClipperError(
            f"cannot start the editor {command[0]!r}: {error.strerror or error}. "
            "Set $EDITOR, or give the text as an argument."
        ) from None
    if completed.returncode != 0:
        path.unlink(missing_ok=True)
        raise ClipperError(
            f"the editor {command[0]!r} exited with code {completed.returncode}; nothing was saved."
        )
    return path.read_text(encoding="utf-8", errors="replace"), path
