"""What an export tells the person: the refresh of an md-files folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clipper.render.console import message

if TYPE_CHECKING:
    from clipper.formats.markdown_folder import Refresh


def print_refresh(refresh: Refresh, folder: Path, *, quiet: bool = False) -> None:
    """On stderr: how many files are new, updated, unchanged, and those kept because edited,
    by name. The kept ones are listed even when `quiet`: they were not written."""
    if not quiet:
        counts = [
            (len(refresh.new), "new"),
            (len(refresh.updated), "updated"),
            (len(refresh.overwritten), "overwritten although edited"),
            (len(refresh.unchanged), "unchanged"),
            (len(refresh.kept), "kept because edited"),
        ]
        total = sum(count for count, _ in counts)
        noun = "file" if total == 1 else "files"
        parts = ", ".join(f"{count} {what}" for count, what in counts if count or what == "new")
        message(f"{total} {noun} in {folder}: {parts}.")
    if refresh.kept:
        them = "it" if len(refresh.kept) == 1 else "them"
        message(f"Kept, edited since clip wrote {them} (--force overwrites {them}):")
        for path in refresh.kept:
            message(f"  {path.name}")
