"""What intake asks about the clippings kept (see intake.Known), answered by the index: the
clippings with the same URL, text or uuid, the near-duplicate candidates, the tags in use, the
most recent ids, and the titles and tags of the near duplicates (from their cards). At scale
this spares reading every clipping of the store, and the segments of the near duplicates."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.capture.dedup import band_keys
from clipper.search.index import SearchIndex
from clipper.search.rows import (
    Record,
    bucket_ids,
    packed_hex,
    packed_uuid,
    unpacked_hex,
    unpacked_uuid,
)

if TYPE_CHECKING:
    from clipper.search.index import Source


class IndexUnusable(Exception):
    """The index failed while answering (damaged, locked too long): ask the store instead."""


class IndexedLibrary:
    """The clippings (not the trash) as the index knows them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise IndexUnusable(str(error)) from None

    def same_keys(
        self, url: str | None, content_hash: str, uuid: str
    ) -> Iterator[tuple[int, Record]]:
        """(id, {url, content_hash, uuid}) of the clippings sharing one of these keys."""
        rows = self._rows(
            "SELECT id, url, content_hash, uuid FROM keys "
            "WHERE content_hash = ? OR uuid = ? OR url = ? ORDER BY id",
            (packed_hex(content_hash), packed_uuid(uuid), url),
        )
        for record_id, kept_url, kept_hash, kept_uuid in rows:
            yield int(str(record_id)), {"url": kept_url, "content_hash": unpacked_hex(kept_hash),
                                        "uuid": unpacked_uuid(kept_uuid)}  # fmt: skip

    def near_candidates(self, signature: str) -> list[tuple[int, str, int]]:
        """(id, signature, word count) of the clippings that may tell the same story: those
        sharing one of its LSH buckets (as an import's batch finds them, see
        capture.dedup.SignatureBuckets), looked up in the index; no record is read."""
        buckets = band_keys(signature)
        if not buckets:
            return []
        marks = ", ".join("?" * len(buckets))
        found = self._rows(f"SELECT ids FROM bands WHERE key IN ({marks})", tuple(buckets))
        try:
            ids = sorted({i for (blob,) in found for i in bucket_ids(blob)})
        except sqlite3.DatabaseError as error:
            raise IndexUnusable(str(error)) from None
        rows = []
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            rows += self._rows(
                "SELECT id, signature, words FROM keys WHERE id IN "
                f"({', '.join('?' * len(chunk))}) AND signature IS NOT NULL ORDER BY id",
                chunk,
            )
        return [(int(str(i)), unpacked_hex(sig) or "", int(str(words))) for i, sig, words in rows]

    def every_key(self) -> Iterator[tuple[int, Record]]:
        """`same_keys` of every clipping: a bulk add's duplicate checks, without a record."""
        rows = self._rows("SELECT id, url, content_hash, uuid FROM keys ORDER BY id")
        for record_id, kept_url, kept_hash, kept_uuid in rows:
            yield int(str(record_id)), {"url": kept_url, "content_hash": unpacked_hex(kept_hash),
                                        "uuid": unpacked_uuid(kept_uuid)}  # fmt: skip

    def every_signature(self) -> list[tuple[int, str, int]]:
        """(id, signature, word count) of every clipping that has a signature: the candidates
        a bulk add buckets once (library/near_links.Linker), without a record."""
        rows = self._rows(
            "SELECT id, signature, words FROM keys WHERE signature IS NOT NULL ORDER BY id"
        )
        return [(int(str(i)), unpacked_hex(sig) or "", int(str(words))) for i, sig, words in rows]

    def tag_counts(self) -> Counter[str]:
        rows = self._rows("SELECT tag, n FROM tag_totals")
        return Counter({str(tag): int(str(count)) for tag, count in rows})

    def recent_ids(self, count: int) -> list[int]:
        """The `count` highest ids kept, oldest first."""
        rows = self._rows("SELECT id FROM docs ORDER BY id DESC LIMIT ?", (count,))
        return [int(str(row[0])) for row in reversed(rows)]

    def titles_and_tags(self, ids: Iterable[int]) -> dict[int, tuple[str, list[str]]]:
        """The title and tags of each of these clippings the index holds, from its card."""
        from clipper.search.lookup import fetch

        try:
            cards = fetch(self.conn, list(ids))
        except sqlite3.Error as error:
            raise IndexUnusable(str(error)) from None
        return {i: (card.title, list(card.tags)) for i, card in cards.items()}


def opened(path: Path, store: Source, *, timeout: float) -> tuple[SearchIndex, IndexedLibrary]:
    """The index of `store`, brought up to its current state (read from the store where it
    was behind); IndexUnusable when it cannot be (the caller asks the store instead)."""
    index = SearchIndex(path, timeout=timeout)
    try:
        index.ensure_current(store)
        return index, IndexedLibrary(index.conn)
    except sqlite3.Error as error:
        index.close()
        raise IndexUnusable(str(error)) from None
