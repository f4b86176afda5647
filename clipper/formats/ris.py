"""RIS: clippings as newspaper-article records (`TY  - NEWS`) for EndNote, Zotero, Mendeley,
Citavi and JabRef, which all import it.

A record is lines of a two-character tag, two spaces, a hyphen, a space and a value, from
`TY` to `ER`. RIS has no escaping, so every value is put on one line (a line break in a title
could otherwise start a forged `ER` and a new record); escape sequences and control characters
are removed as in the other text exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from clipper.formats.citations import split_name
from clipper.model import Clipping
from clipper.sanitize import inert

# The date forms clip keeps (2023, 2023-02, 2023-02-24, 2023-02-24T10:00:00Z); a hand-edited
# value in any other form is left out rather than guessed at.
_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?(?![\d-])")


def one_line(text: str | None) -> str:
    """A value as RIS holds it: no escape or control character, every run of white space
    (line breaks included) one space."""
    return " ".join(inert(text).split())


def ris_date(value: str | None) -> str | None:
    """An ISO date in RIS form, YYYY/MM/DD/ with the unknown parts empty ('2023/02//')."""
    found = _ISO.match(value or "")
    if found is None:
        return None
    return "/".join(found.group(part) or "" for part in ("year", "month", "day")) + "/"


def ris_author(name: str) -> str:
    """'Family, Given' for a person, as reference managers read it; an outlet or a one-word
    name as it is."""
    parts = split_name(one_line(name))
    if "literal" in parts:
        return parts["literal"]
    return f"{parts['family']}, {parts['given']}"


def _fields(clipping: Clipping) -> Iterator[tuple[str, str | None]]:
    yield "TY", "NEWS"
    yield "TI", clipping.title
    for author in clipping.authors:
        yield "AU", ris_author(author)
    yield "T2", clipping.source or clipping.site  # the newspaper
    yield "PY", (clipping.published or "")[:4] if ris_date(clipping.published) else None
    yield "DA", ris_date(clipping.published)
    yield "Y2", ris_date(clipping.captured)  # the access date
    yield "UR", clipping.url
    yield "LA", clipping.language
    for tag in clipping.tags:
        yield "KW", tag
    yield "AB", clipping.description
    yield "N1", clipping.note
    for passage in clipping.passages:
        yield "N1", f"Quoted: \u201c{one_line(passage)}\u201d"


def record(clipping: Clipping) -> str:
    """One RIS record, its empty fields left out."""
    lines = [f"{tag}  - {value}" for tag, raw in _fields(clipping) if (value := one_line(raw))]
    return "\n".join([*lines, "ER  - "]) + "\n"


def dumps_ris(clippings: Sequence[Clipping]) -> str:
    """The clippings as RIS records, a blank line between them."""
    return "\n".join(record(clipping) for clipping in clippings)
