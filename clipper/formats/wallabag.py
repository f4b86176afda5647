"""wallabag exports: v1 (id, title, url, content, is_fav, tags as text) and v2 (whole articles
with is_starred, created_at, language, tags as a list, annotations). Content is HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.formats.html_text import html_to_text
from clipper.formats.records import link_draft, loose_language
from clipper.model import Draft

Entry = tuple[str, Draft | ClipperError]


def is_wallabag(records: Any) -> bool:
    """Whether parsed JSON looks like a wallabag export: a list of articles with url and
    content and wallabag's own flags."""
    if not isinstance(records, list) or not records or not isinstance(records[0], dict):
        return False
    first = records[0]
    flags = {"is_archived", "is_starred", "is_read", "is_fav"}
    return "url" in first and "content" in first and bool(flags & set(first))


def read_wallabag(records: Any, *, name: str = "the file") -> list[Entry]:
    """(label, draft or error) for each article of a parsed wallabag export."""
    if not is_wallabag(records):
        raise UsageError(f"{name} is not a wallabag export; nothing was imported.")
    entries: list[Entry] = []
    for number, article in enumerate(records, start=1):
        try:
            entries.append((f"article {number}", _draft(article)))
        except ClipperError as error:
            entries.append((f"article {number}", error))
    return entries


def _draft(article: Any) -> Draft:
    if not isinstance(article, dict):
        raise UsageError(f"an article must be an object, not {type(article).__name__}.")
    content = article.get("content")
    text = html_to_text(content) if isinstance(content, str) else ""
    tags = article.get("tags")
    if isinstance(tags, str):  # v1: "a,b"
        tag_list = [t for t in tags.split(",") if t.strip()]
    elif isinstance(tags, list):  # v2: ["a", "b"] (or objects with a label)
        tag_list = [t if isinstance(t, str) else str(t.get("label", "")) for t in tags
                    if isinstance(t, str | dict)]  # fmt: skip
    else:
        tag_list = []
    authors = article.get("published_by")
    return link_draft(
        url=_text(article.get("url")),
        title=_text(article.get("title")),
        text=text,
        tags=tag_list,
        captured=_utc(article.get("created_at")),
        published=_utc(article.get("published_at"), keep_offset=True),
        language=loose_language(article.get("language")),
        starred=_flag(article.get("is_starred", article.get("is_fav"))),
        authors=[a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
        note=_annotations(article.get("annotations")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: Any) -> bool:
    """wallabag writes true, 1, "1" or "True" depending on the version."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _utc(value: Any, *, keep_offset: bool = False) -> str | None:
    """A wallabag time (2016-09-08T11:55:58+0200) in ISO 8601; capture times in UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None or keep_offset:
        return moment.isoformat()
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first year in UTC
        return None


def _annotations(value: Any) -> str | None:
    """The reader's highlights and comments, one paragraph each, as the clipping's note."""
    if not isinstance(value, list):
        return None
    notes = []
    for annotation in value:
        if not isinstance(annotation, dict):
            continue
        quote, comment = annotation.get("quote"), annotation.get("text")
        parts = [f"“{quote.strip()}”" if isinstance(quote, str) and quote.strip() else "",
                 comment.strip() if isinstance(comment, str) else ""]  # fmt: skip
        line = " ".join(part for part in parts if part)
        if line:
            notes.append(line)
    return "\n\n".join(notes) or None
