"""Pocket exports: the old ril_export.html (lists of links) and the newer pocket.csv."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from clipper.errors import ClipperError, UsageError
from clipper.formats.records import link_draft, unix_time
from clipper.model import Draft

Entry = tuple[str, Draft | ClipperError]


class _PocketHtmlParser(HTMLParser):
    """Every <a href time_added tags> of the export, with its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = {name.lower(): value or "" for name, value in attrs}
            if values.get("href"):
                self.links.append(values)
                self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.text is not None:
            self.links[-1]["title"] = " ".join("".join(self.text).split())
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def read_pocket_html(text: str, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each link of ril_export.html."""
    parser = _PocketHtmlParser()
    parser.feed(text)
    parser.close()
    if not parser.links:
        raise UsageError(f"{name} holds no Pocket link (<a href=...>); nothing was imported.")
    return [
        (f"link {number}", _draft(link.get("href"), link.get("title"), link.get("time_added"),
                                  link.get("tags", "").split(",")))
        for number, link in enumerate(parser.links, start=1)
    ]  # fmt: skip


def read_pocket_csv(text: str, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each row of pocket.csv (title,url,time_added,tags,status);
    tags are separated by '|'."""
    try:
        return _read_pocket_csv(text, name)
    except csv.Error as error:
        raise UsageError(f"{name} is not valid CSV ({error}); nothing was imported.") from None


def _read_pocket_csv(text: str, name: str) -> list[Entry]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {(column or "").strip().lower() for column in reader.fieldnames or []}
    if "url" not in columns:
        raise UsageError(f"{name} has no url column; not a Pocket CSV export.")
    entries: list[Entry] = []
    for number, raw in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "") for key, value in raw.items()}
        tags = [t for t in row.get("tags", "").split("|") if t.strip()]
        entries.append(
            (
                f"line {number}",
                _draft(row.get("url"), row.get("title"), row.get("time_added"), tags),
            )
        )
    if not entries:
        raise UsageError(f"{name} has a header but no rows; nothing was imported.")
    return entries


def _draft(
    url: str | None, title: str | None, added: str | None, tags: list[str]
) -> Draft | ClipperError:
    draft = link_draft(url=url, title=title, tags=tags, captured=unix_time(added or ""))
    if draft.url is None:
        return UsageError(f"{(url or '(empty)')[:80]!r} is not a web address.")
    return draft
