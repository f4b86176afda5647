"""One Markdown file per clipping, with YAML front matter (Obsidian, Hugo and Jekyll read it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from clipper.errors import ClipperError, DuplicateError, UsageError
from clipper.formats import frontmatter
from clipper.model import Clipping

# Front matter fields, in the order written. `id`, `content_hash` and `word_count` are left out:
# ids belong to one library, the other two are derived from the text.
FIELDS = (
    "title", "source", "published", "captured", "url", "authors", "tags", "language",
    "starred", "note", "description", "uuid", "title_source", "provenance",
)  # fmt: skip
SLUG_WORDS_MAX = 60


def file_name(clipping: Clipping) -> str:
    """`2023-02-23-khojaly-genocide-seminar.md`: the date, then the title as a slug."""
    from slugify import slugify

    slug = slugify(clipping.title, max_length=SLUG_WORDS_MAX, word_boundary=True)
    stem = "-".join(part for part in (clipping.date, slug) if part) or f"clipping-{clipping.id}"
    return f"{stem}.md"


def plan(
    clippings: Sequence[Clipping], folder: Path, *, force: bool
) -> list[tuple[Path, Clipping]]:
    """Where each clipping goes: unique names inside `folder`; existing files need `force`."""
    taken: set[str] = set()
    placed = []
    for clipping in clippings:
        name = file_name(clipping)
        stem, number = name[:-3], 2
        while name.lower() in taken:
            name, number = f"{stem}-{number}.md", number + 1
        taken.add(name.lower())
        path = folder / name
        if path.parent != folder or path.name != name:  # slugs cannot do this; kept as a guard
            raise ClipperError(f"refusing to write {path}: outside {folder}.")
        placed.append((path, clipping))
    if not force:
        existing = [path for path, _ in placed if path.exists()]
        if existing:
            more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
            raise DuplicateError(
                f"{existing[0]}{more} already exist; nothing was written. "
                "Use --force to overwrite, or export to an empty folder.",
                existing_id=0,
            )
    return placed


def document(clipping: Clipping) -> str:
    """The file's content: front matter, then the text."""
    header: dict[str, Any] = {name: getattr(clipping, name) for name in FIELDS}
    return frontmatter.render(header, clipping.text)


def write(
    clippings: Sequence[Clipping], folder: Path, *, force: bool = False,
    advance: Callable[[], None] | None = None,
) -> list[Path]:  # fmt: skip
    """Write one file per clipping into `folder` (created if needed); returns the paths."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; md-files exports into a folder.")
    placed = plan(clippings, folder, force=force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, clipping in placed:
            path.write_text(document(clipping), encoding="utf-8")
            if advance is not None:
                advance()
    except OSError as error:
        raise ClipperError(f"cannot write in {folder}: {error.strerror or error}.") from None
    return [path for path, _ in placed]


def read_document(text: str) -> dict[str, Any]:
    """The clipping fields of one Markdown file (front matter and text)."""
    header, body = frontmatter.split(text)
    allowed = (*FIELDS, "id", "date")
    known = {key: value for key, value in header.items() if key in allowed}
    fields = frontmatter.fields_of(known, allowed)
    if "date" in fields and "published" not in fields:
        fields["published"] = fields.pop("date")
    fields.pop("date", None)
    fields.pop("id", None)
    fields["text"] = body
    return fields


def read_folder(folder: Path) -> Iterator[tuple[Path, dict[str, Any] | ClipperError]]:
    """Each .md file of a folder (not its subfolders' hidden ones), parsed or the error."""
    for path in sorted(folder.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            yield path, read_document(path.read_text(encoding="utf-8"))
        except (ClipperError, OSError, UnicodeDecodeError) as error:
            yield path, error if isinstance(error, ClipperError) else ClipperError(str(error))
