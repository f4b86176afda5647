"""`clip import FOLDER`: every file of a folder read by what it is. A Markdown file with front
matter is a clipper record (what `clip export -f md-files` writes); any other text, Markdown or
HTML file (gzipped too) is read exactly as `clip add FILE` reads it; other files are skipped.

Subfolders are read too (a notes vault, an archive sorted by month), except hidden ones
(`.git`, `.obsidian`) and hidden files. Files are listed when the folder is read, but text and
pages are captured by `read_files`, inside `clip import`'s progress bar: extracting a few
hundred saved pages takes a while.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clipper.capture.files import HTML_SUFFIXES, TEXT_SUFFIXES
from clipper.errors import ClipperError, UsageError
from clipper.formats import named
from clipper.formats.records import Batch, Record
from clipper.model import Draft

MARKDOWN_SUFFIXES = named("md-folder").extensions  # a front matter there makes a record
_FRONT_MATTER = b"---"


def read_folder(folder: Path) -> Batch:
    """The files of a folder as records, in path order; Markdown with front matter parsed,
    text and pages left for `read_files`."""
    batch = Batch(str(folder), "folder")
    for path in _entries(folder):
        label = str(path.relative_to(folder))
        name = path.name.lower()
        if path.is_dir():
            continue
        if not path.exists():
            batch.skipped.append((label, "a link to nothing"))
        elif not path.is_file():  # a device or a pipe may never end: never read one
            batch.skipped.append((label, "not a regular file (a device or a pipe)"))
        elif not name.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
            batch.skipped.append((label, "not a text, Markdown or HTML file"))
        elif name.endswith(MARKDOWN_SUFFIXES) and _has_front_matter(path):
            batch.add(label, _clipping_file(path))
        else:
            batch.records.append(Record(label, path=path))
    if not batch.records:
        skipped = len(batch.skipped)
        others = f" ({skipped} other file{'s' if skipped != 1 else ''} skipped)" if skipped else ""
        raise UsageError(
            f"{folder} holds no text, Markdown or HTML file{others}; nothing was imported."
        )
    return batch


def read_files(batch: Batch, *, advance: Callable[[], None] | None = None) -> bool:
    """Capture the files still to read, as `clip add FILE` does; a file that cannot be read
    is that record's error and never stops the others. False when there were none."""
    if all(record.path is None for record in batch.records):
        return False
    from clipper.capture.hints import Hints
    from clipper.capture.sources import capture_file

    for record in batch.records:
        if record.path is not None and record.draft is None and record.error is None:
            try:
                record.draft = capture_file(record.path, Hints()).draft
            except ClipperError as error:
                record.error = error
        if advance is not None:
            advance()
    return True


def _entries(folder: Path) -> list[Path]:
    """Everything below the folder, in path order, without hidden files and folders."""
    return [
        path
        for path in sorted(folder.rglob("*"))
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]


def _has_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(64)
    except OSError:
        return False  # the capture reports why it cannot be read
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_FRONT_MATTER)


def _clipping_file(path: Path) -> Draft | ClipperError:
    from clipper.capture.files import decode_text, read_bytes_checked
    from clipper.formats.markdown_files import read_document
    from clipper.formats.records import draft_from_clipping

    try:
        data = read_bytes_checked(path)
        return draft_from_clipping(read_document(decode_text(data, name=str(path))))
    except ClipperError as error:
        return error
