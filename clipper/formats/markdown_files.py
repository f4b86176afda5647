"""One Markdown file per clipping, with YAML front matter (Obsidian, Hugo and Jekyll read it):
names, content and reading back. Writing a folder is `markdown_folder`."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from clipper.formats import frontmatter
from clipper.model import Clipping, Draft
from clipper.sanitize import inert

# Front matter fields, in the order written. `id`, `content_hash` and `word_count` are left out:
# ids belong to one library, the other two are derived from the text.
FIELDS = (
    "title", "source", "published", "captured", "url", "authors", "tags", "language",
    "starred", "note", "description", "uuid", "title_source", "passages",
    "provenance",
)  # fmt: skip
SLUG_MAX = 60  # characters of the title's slug in a file name, cut between words
WORD_MAX = 120  # a "word" longer than this is cut anyway: file names have limits
# The front matter key holding the sha256 of the file as clip wrote it, without this line:
# a refresh tells a file nobody changed (updated) from one a person edited (kept).
HASH_KEY = "clip_hash"
_HASH_LINE = re.compile(rf"^{HASH_KEY}: ([0-9a-f]{{64}})\n", re.MULTILINE)
# Letters that the transliteration turns into punctuation (Azerbaijani ə becomes '@', the
# Uzbek turned comma a backquote), which the slug would make a separator: a word cut in two.
_LETTER_FIXES = {"ə": "e", "Ə": "E", "ǝ": "e", "ә": "a", "Ә": "A", "ɚ": "er"}


class _Transliterable(dict[int, str | int]):
    """A str.translate table filled as letters are met: a letter whose transliteration is not
    letters and digits becomes its fix, or the letters and digits it has (often none)."""

    def __missing__(self, code: int) -> str | int:
        char = chr(code)
        value: str | int = code
        if code > 127 and unicodedata.category(char)[0] in "LM":
            from text_unidecode import unidecode

            ascii_form = unidecode(char)
            if re.search(r"[^A-Za-z0-9']", ascii_form):
                value = _LETTER_FIXES.get(char) or re.sub(r"[^A-Za-z0-9]", "", ascii_form)
        self[code] = value
        return value


_LETTERS = _Transliterable()


def slug(title: str) -> str:
    """The title in lowercase ASCII words joined by '-', at most SLUG_MAX characters, cut only
    between words (python-slugify's own cut skips words that do not fit and keeps later ones)."""
    from slugify import slugify

    words = slugify(inert(title).translate(_LETTERS)).split("-")
    kept = words[0][:WORD_MAX] if words else ""
    for word in words[1:]:
        if len(kept) + 1 + len(word) > SLUG_MAX:
            break
        kept += "-" + word
    return kept


def file_name(clipping: Clipping) -> str:
    """`2023-02-23-khojaly-genocide-seminar.md`: the date, then the title as a slug. Both are
    made of letters, digits and '-' only (a hand-edited date could be `../../x`)."""
    stem = "-".join(part for part in (slug(clipping.date), slug(clipping.title)) if part)
    return f"{stem or f'clipping-{clipping.id}'}.md"


def document(clipping: Clipping) -> str:
    """The file's content: front matter, then the text, and the hash of both (HASH_KEY) as the
    front matter's last line. YAML escapes control characters in the header; the text loses
    escape sequences and control characters (`cat` shows it)."""
    header: dict[str, Any] = {name: getattr(clipping, name) for name in FIELDS}
    plain = frontmatter.render(header, inert(clipping.text))
    fence = plain.index("\n---\n", 3) + 1  # the front matter's closing line
    digest = hashlib.sha256(plain.encode("utf-8")).hexdigest()
    return f"{plain[:fence]}{HASH_KEY}: {digest}\n{plain[fence:]}"


def written_by_clip(content: str) -> bool:
    """Whether a file is byte for byte what clip wrote: its hash line matches the rest."""
    fence = content.find("\n---\n", 3)
    found = _HASH_LINE.search(content, 0, fence + 1) if content.startswith("---\n") else None
    if found is None:
        return False
    rest = content[: found.start()] + content[found.end() :]
    return hashlib.sha256(rest.encode("utf-8")).hexdigest() == found.group(1)


def read_file(text: str, *, name: str) -> list[tuple[str, Draft]]:
    """The one record of a Markdown file with front matter, imported on its own; a file that
    cannot be read is the import's error, not a record's."""
    from clipper.formats.records import draft_from_clipping

    return [(name, draft_from_clipping(read_document(text)))]


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
