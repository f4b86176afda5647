"""What `clip add` asks about the clippings kept, answered by an index that reflects the store:
the clippings with the same URL, text or uuid, the near-duplicate candidates, the tags in use
and the most recent texts. At 100,000 clippings this spares reading a 300 MB store."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator

import orjson

from clipper.search.rows import Record


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
            (content_hash, uuid, url),
        )
        for record_id, kept_url, kept_hash, kept_uuid in rows:
            yield int(str(record_id)), {"url": kept_url, "content_hash": kept_hash,
                                        "uuid": kept_uuid}  # fmt: skip

    def candidates(self) -> list[tuple[int, str, int]]:
        """(id, signature, word count) of every clipping with a signature."""
        rows = self._rows("SELECT id, signature, words FROM keys WHERE signature IS NOT NULL")
        return [(int(str(i)), str(signature), int(str(words))) for i, signature, words in rows]

    def tag_counts(self) -> Counter[str]:
        rows = self._rows("SELECT tag, count(*) FROM tags GROUP BY tag")
        return Counter({str(tag): int(str(count)) for tag, count in rows})

    def recent_texts(self, count: int) -> list[str]:
        """The texts of the `count` clippings with the highest ids, oldest first."""
        rows = self._rows("SELECT record FROM docs ORDER BY id DESC LIMIT ?", (count,))
        texts = []
        for (blob,) in reversed(rows):
            text = orjson.loads(blob if isinstance(blob, bytes) else str(blob)).get("text")
            texts.append(text if isinstance(text, str) else "")
        return texts

    def highest_id(self) -> int:
        rows = self._rows("SELECT max(id) FROM docs")
        return int(str(rows[0][0] or 0))
