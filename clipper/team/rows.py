"""A clipping as a row of the team library: the record clip stores, and the columns derived
from it for filters, sorting and full-text search (tsvectors built by PostgreSQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clipper.model import Clipping, date_key, site_of
from clipper.search.folding import fold

if TYPE_CHECKING:
    import psycopg

# PostgreSQL's text search configurations by clip's language code (the part before any '-');
# a language without one is indexed with `simple`: words folded, not stemmed.
CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
SIMPLE = "simple"
_DOMAIN_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")
# The weight of each field in the tsvectors: title A, authors B, outlet C, text D (ranked with
# clip's field weights, see team/compiler.py).
_FIELDS = (("title", "A"), ("authors", "B"), ("source", "C"), ("text", "D"))


@dataclass(slots=True)
class TeamClipping(Clipping):
    """A clipping of a team library: who added it, in `show` and `--json` (a library
    folder's clippings have no such field, and their JSON stays as it was)."""

    added_by: str | None = None


def config_of(language: str | None) -> str:
    """The text search configuration of a clipping's language."""
    return CONFIGS.get((language or "").lower().split("-")[0], SIMPLE)


def _vector(config: str) -> str:
    parts = [f"setweight(to_tsvector({config}, %({name})s), '{w}')" for name, w in _FIELDS]
    return " || ".join(parts)


COLUMNS = (
    "id", "uuid", "url", "content_hash", "duplicate_ok", "trashed", "record", "day", "day_end",
    "captured", "starred", "has_note", "has_author", "lang", "site", "url_key", "source_key",
    "tags", "near", "signature", "word_count", "added_by", "config",
)  # fmt: skip
_VALUES = ", ".join(f"%({name})s" for name in COLUMNS[:-1])
# Upserted whole: a changed clipping replaces its row; who added it stays as it was.
PUT = (
    f"INSERT INTO clippings ({', '.join(COLUMNS)}, tsv, words, bands) VALUES ({_VALUES}, "
    f"%(config)s::regconfig, {_vector('%(config)s::regconfig')}, {_vector(repr(SIMPLE))}, "
    "clip_bands(%(signature)s)) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(
        f"{name} = excluded.{name}"
        for name in (*COLUMNS, "tsv", "words", "bands")
        if name not in ("id", "added_by", "duplicate_ok")
    )
)


def row(clipping: Clipping, *, trashed: bool = False, added_by: str | None = None,
        duplicate_ok: bool = False) -> dict[str, Any]:  # fmt: skip
    """The row's values for PUT (the tsvectors are built from the folded fields)."""
    from psycopg.types.json import Json

    record = clipping.to_dict()
    if added_by is not None:
        record["added_by"] = added_by  # kept in the record as in its column: loaded with it
    source = clipping.source or ""
    site = site_of(clipping.url) if clipping.url else outlet_site(source)
    day = date_key(clipping.published or "") or date_key(clipping.captured)
    return {
        "id": clipping.id, "uuid": clipping.uuid, "url": clipping.url,
        "content_hash": clipping.content_hash, "duplicate_ok": duplicate_ok,
        "trashed": trashed, "record": Json(record), "day": day, "day_end": period_end(day),
        "captured": date_key(clipping.captured), "starred": bool(clipping.starred),
        "has_note": bool((clipping.note or "").strip()), "has_author": bool(clipping.authors),
        "lang": (clipping.language or "").lower() or None, "site": site,
        "url_key": clipping.url.lower() if clipping.url else None,
        "source_key": source.casefold() or None, "tags": list(clipping.tags),
        "near": list(clipping.near_duplicates), "signature": clipping.signature or "",
        "word_count": clipping.word_count, "added_by": added_by,
        "config": config_of(clipping.language),
        "title": fold(clipping.title), "authors": fold(" ; ".join(clipping.authors)),
        "source": fold(f"{source} {site or ''}"), "text": fold(clipping.text),
    }  # fmt: skip


def put(conn: psycopg.Connection[Any], rows: list[dict[str, Any]]) -> None:
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(PUT, rows)


def period_end(day: str) -> str:
    """A YYYY or YYYY-MM date as text that compares like its last day (2023 -> 2023-99-99)."""
    return day + "-99-99"[len(day) - 4 :] if len(day) in (4, 7) else day


def outlet_site(source: str) -> str | None:
    """The site an outlet's name spells out (News.Az is news.az), as the local index reads it."""
    name = source.strip().casefold().removeprefix("www.")
    return name if _DOMAIN_NAME.fullmatch(name) else None


def load(record: dict[str, Any]) -> Clipping:
    """A stored record as a clipping (a TeamClipping: it says who added it)."""
    return TeamClipping.from_dict(record)
