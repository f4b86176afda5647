"""`clip add` in the editor: a template naming the fields, read back as hints and a text."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from clipper.capture.hints import Hints
from clipper.errors import ClipperError

FIELDS = ("title", "source", "date", "tags")
HELP = (
    "#",
    "# Paste or write the article below these lines. Fill in a field after its colon, or",
    "# leave it empty to have it found in the text; tags are separated by commas. The lines",
    "# of this header are left out. Save with no text below them to add nothing.",
)
_FIELD_LINE = re.compile(r"#\s*(title|source|date|tags)\s*:(.*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Written:
    """What the user saved: the article's text and the tags of the tags: line."""

    text: str
    tags: list[str]


def template(hints: Hints, tags: list[str]) -> str:
    """The file the editor opens on: the fields, filled with what the command line gave."""
    values = {
        "title": hints.title or "",
        "source": hints.source or "",
        "date": hints.published or "",
        "tags": ", ".join(tags),
    }
    fields = [f"# {name}: {values[name]}" for name in FIELDS]
    return "\n".join([*fields, *HELP]) + "\n\n"


def read(saved: str, hints: Hints) -> Written:
    """The text below the header, and the fields written in it: they replace the hints (the
    command line's values were in the template, so what is saved is the user's last word)."""
    lines = saved.splitlines()
    fields: dict[str, str] = {}
    start = 0
    # The header is the leading run of field lines, help lines and blank lines. A line of the
    # text that starts with '#' (a Markdown headline) ends it and is kept.
    while start < len(lines):
        stripped = lines[start].strip()
        found = _FIELD_LINE.fullmatch(stripped)
        if found:
            fields[found[1].lower()] = found[2].strip()
        elif stripped and stripped not in HELP:
            break
        start += 1
    if "title" in fields:
        hints.title = fields["title"] or None
    if "source" in fields:
        hints.source = fields["source"] or None
    if "date" in fields:
        hints.published = fields["date"] or None
    tags = [tag.strip() for tag in fields.get("tags", "").split(",") if tag.strip()]
    return Written("\n".join(lines[start:]).strip("\n"), tags)


@contextlib.contextmanager
def edit_draft(hints: Hints, tags: list[str], *, editor: str | None) -> Iterator[Written]:
    """Open the editor on the template; yield what was written. Saving no text adds nothing
    (an error: no id is printed, so a script never takes it for an added clipping). When the
    add fails, the file is kept and the message says where, so no typed text is lost."""
    from clipper.cli.editor import edit_text

    saved, path = edit_text(template(hints, tags), editor=editor)
    written = read(saved, hints)
    if not written.text.strip():
        path.unlink(missing_ok=True)
        raise ClipperError("the text is empty; nothing was saved.")
    try:
        yield written
    except ClipperError as error:
        error.message = f"{error.message.rstrip()} Your text is kept in {path}."
        raise
    path.unlink(missing_ok=True)
