"""`clip import`: read a file, folder or URL, recognize its format, turn its records into
drafts, and add them all in atomic writes of a batch each (Library.add_many), with a report per
record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.errors import DuplicateError, NotFoundError, UsageError
from clipper.formats.records import Batch, detect_languages
from clipper.library.importing_files import read_files
from clipper.model import Clipping, Draft, normalize_tags

if TYPE_CHECKING:
    from clipper.library.core import AddedClipping, Library
    from clipper.team.library import TeamLibrary

MAX_IMPORT_BYTES = 1024 * 1024 * 1024  # a 100k-clipping JSON backup is a few hundred MB
Advance = Callable[[], None]


@dataclass(slots=True)
class Outcome:
    """What happened to one record: added, duplicate or failed, and why."""

    label: str
    status: str
    title: str = ""
    reason: str = ""
    clipping: Clipping | AddedClipping | None = None
    warning: str = ""


@dataclass(slots=True)
class ImportReport:
    """The result of an import, record by record, in file order."""

    source: str
    format: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def linked(self) -> int:
        """How many clippings added were linked with near duplicates (kept or imported)."""
        return sum(1 for o in self.outcomes if o.clipping and o.clipping.near_duplicates)


def read_source(location: str, fmt: str = "auto") -> Batch:
    """Every record of a file, a folder or an http(s) URL (`https://` may be left out), parsed."""
    from clipper.formats.detect import check_import_format, detect

    wanted = check_import_format(fmt)
    location = _web_address(location)
    if location.lower().startswith(("http://", "https://")):
        from clipper.library.importing_fetch import fetch_bytes

        data, final_url = fetch_bytes(location)
        name = location
        kind = detect(data, name=name) if wanted == "auto" else wanted
        if kind == "md-folder":
            raise UsageError(f"{location} is not a file clip can import from the web.")
        return _parse(data, kind, name=name, base_url=final_url)
    path = Path(location).expanduser()
    if not path.exists():
        raise NotFoundError(f"no file or folder {path}.")
    if path.is_dir():
        if wanted not in ("auto", "md-folder"):
            raise UsageError(f"{path} is a folder; only md-folder imports a folder.")
        return _read_folder(path)
    data = _read_file(path)
    kind = detect(data, name=str(path)) if wanted == "auto" else wanted
    return _parse(data, kind, name=str(path), base_url=None)


def _web_address(location: str) -> str:
    """`www.news.az/rss` means https://www.news.az/rss, as with `clip add`, unless a file or
    folder of that name exists."""
    from clipper.capture.files import is_existing_path
    from clipper.capture.urls import bare_web_address

    address = bare_web_address(location)
    return address if address and not is_existing_path(location) else location


def _read_file(path: Path) -> bytes:
    from clipper.capture.files import read_bytes_checked

    return read_bytes_checked(path, max_bytes=MAX_IMPORT_BYTES)


def _read_folder(folder: Path) -> Batch:
    from clipper.library.importing_files import read_folder

    return read_folder(folder)


def _parse(data: bytes, kind: str, *, name: str, base_url: str | None) -> Batch:
    """The records of one document in the format `kind`, read by that format's reader."""
    from clipper.formats import named, read_document
    from clipper.library.core import collector_paused

    batch = Batch(name, kind)
    with collector_paused():
        for label, item in read_document(named(kind), data, name=name, base_url=base_url):
            batch.add(label, item)
    if not batch.records:
        raise UsageError(f"{name} holds no record to import; nothing was imported.")
    return batch


def run_import(
    library: Library | TeamLibrary,
    batch: Batch,
    *,
    tags: list[str] | None = None,
    dry_run: bool = False,
    fetch_articles: bool = False,
    allow_duplicate: bool = False,
    advance: Advance | None = None,
) -> ImportReport:
    """Add the drafts of a batch (one write per IMPORT_BATCH of them, none with `dry_run`);
    every record reported."""
    from clipper.library.core import Library

    extra = normalize_tags(tags or [])
    report = ImportReport(batch.source, batch.format, dry_run)
    warnings: dict[int, str] = {}
    read_now = read_files(batch, advance=None if fetch_articles else advance)
    if fetch_articles:
        from clipper.library.importing_fetch import fetch_articles as fetch_all

        warnings = fetch_all(batch, advance=advance)
    detect_languages(batch)
    drafts: list[Draft] = []
    positions: list[int] = []
    for index, record in enumerate(batch.records):
        if record.draft is not None:
            draft = record.draft
            if extra:
                draft = replace(draft, tags=[*draft.tags, *extra])
            drafts.append(draft)
            positions.append(index)
    counted = _counted(drafts, None if fetch_articles or read_now else advance)
    backup = None if dry_run else "import"
    if isinstance(library, Library):  # the report keeps no text: a batch's memory at a time
        result = library.add_many(
            counted, dry_run=dry_run, allow_duplicate=allow_duplicate, backup=backup,
            keep_added=False,
        )  # fmt: skip
        added: Iterator[Clipping | AddedClipping] = iter(result.summaries)
    else:
        result = library.add_many(
            counted, dry_run=dry_run, allow_duplicate=allow_duplicate, backup=backup
        )
        added = iter(result.added)
    problems = {positions[position]: error for position, error in result.failed}
    for index, record in enumerate(batch.records):
        title = record.draft.title if record.draft is not None else ""
        if record.error is not None:
            outcome = Outcome(record.label, "failed", title, record.error.message)
        elif index in problems:
            error = problems[index]
            if isinstance(error, DuplicateError):  # its hint is for `clip add`, not imports
                outcome = Outcome(record.label, "duplicate", title, error.reason)
            else:
                outcome = Outcome(record.label, "failed", title, error.message)
        else:
            clipping = next(added)
            outcome = Outcome(record.label, "added", clipping.title, clipping=clipping)
        outcome.warning = warnings.get(index, "")
        report.outcomes.append(outcome)
    report.outcomes += [Outcome(label, "skipped", reason=why) for label, why in batch.skipped]
    return report


def _counted(drafts: list[Draft], advance: Advance | None) -> Iterator[Draft]:
    for draft in drafts:
        yield draft
        if advance is not None:
            advance()
