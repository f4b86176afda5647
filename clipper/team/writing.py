"""Writing a team library: the local duplicate rules and near-duplicate links, asked of
PostgreSQL inside the transaction that writes (see connection.retried)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from clipper.capture.dedup import near_duplicates
from clipper.capture.suggest import LibraryTerms
from clipper.errors import NotFoundError
from clipper.intake import BACKGROUND_TEXTS, NearDuplicate
from clipper.model import Clipping
from clipper.near_links import MAX_NEAR_DUPLICATES
from clipper.storage.layout import TRASH, Record
from clipper.team import rows

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[Any]


class SameKeys:
    """The kept and trashed records sharing the URL, text hash or uuid of `probe`, for
    clip's duplicate rules (duplicates.refuse_known); all of them without a probe."""

    def __init__(self, conn: Conn, probe: Clipping | None = None) -> None:
        self.conn, self.probe = conn, probe

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        trashed = table == TRASH
        if self.probe is None:
            found = self.conn.execute(
                "SELECT id, url, content_hash, uuid FROM clippings WHERE trashed = %s",
                [trashed],
            ).fetchall()
        else:
            probe = self.probe
            found = self.conn.execute(
                "SELECT id, url, content_hash, uuid FROM clippings WHERE trashed = %s AND "
                "(uuid = %s OR content_hash = %s OR (url IS NOT NULL AND url = %s))",
                [trashed, probe.uuid, probe.content_hash, probe.url],
            ).fetchall()
        for record_id, url, digest, uid in found:
            yield int(record_id), {"url": url, "content_hash": digest, "uuid": uid}


class Kept:
    """What near-duplicate linking reads of the kept clippings (links_batch's `tx`): their
    signatures, word counts and links only, not their texts."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        for record_id, signature, words, near in self.conn.execute(
            "SELECT id, signature, word_count, near FROM clippings WHERE NOT trashed"
        ):
            yield int(record_id), {"signature": signature, "word_count": words,
                                   "near_duplicates": list(near)}  # fmt: skip


def near_of(conn: Conn, probe: Clipping) -> list[tuple[int, float]]:
    """The kept clippings telling the same story as `probe`, most similar first."""
    candidates = conn.execute(
        "SELECT id, signature, word_count FROM clippings WHERE NOT trashed AND signature <> ''"
    ).fetchall()
    found = near_duplicates(probe.signature, probe.word_count,
                            ((int(i), str(s), int(w)) for i, s, w in candidates))  # fmt: skip
    return found[:MAX_NEAR_DUPLICATES]


def terms(conn: Conn, related: list[int]) -> LibraryTerms:
    """The tags in use, recent texts and the tags of related clippings (tag suggestions)."""
    counts = Counter({
        str(t): int(n) for t, n in conn.execute(
            "SELECT t, count(*) FROM clippings c, unnest(c.tags) t WHERE NOT c.trashed "
            "GROUP BY t"
        ).fetchall()
    })  # fmt: skip
    texts = [str(r[0]) for r in conn.execute(
        "SELECT record->>'text' FROM clippings WHERE NOT trashed ORDER BY id DESC LIMIT %s",
        [BACKGROUND_TEXTS],
    ).fetchall()][::-1]  # fmt: skip
    related_tags = [str(r[0]) for r in conn.execute(
        "SELECT t FROM clippings c, unnest(c.tags) WITH ORDINALITY AS u(t, n) "
        "WHERE c.id = ANY(%s) ORDER BY array_position(%s, c.id), n",
        [related, related],
    ).fetchall()]  # fmt: skip
    return LibraryTerms(tag_counts=counts, texts=texts,
                        related_tags=list(dict.fromkeys(related_tags)))  # fmt: skip


def link_back(conn: Conn, new_id: int, others: list[int]) -> list[NearDuplicate]:
    """Add `new_id` to the links of each of `others`; their ids and titles."""
    linked = []
    for other in others:
        found = conn.execute(
            "SELECT record FROM clippings WHERE id = %s FOR UPDATE", [other]
        ).fetchone()
        if found is None:
            continue
        clipping = rows.load(found[0])
        near = sorted({*clipping.near_duplicates, new_id})
        update(conn, clipping.with_changes(near_duplicates=near))
        linked.append(NearDuplicate(other, clipping.title, 0.0))
    return linked


def next_id(conn: Conn) -> int:
    row = conn.execute("SELECT nextval('clip_ids')").fetchone()
    assert row is not None
    return int(row[0])


def claim_id(conn: Conn, wanted: int) -> int:
    """`wanted` (an exported clipping's id, into an empty library), the sequence moved past
    it so that later ids follow it."""
    conn.execute(
        "SELECT setval('clip_ids', greatest(%s, (SELECT last_value FROM clip_ids)))", [wanted]
    )
    return wanted


def locked(conn: Conn, ids: list[int], *, trashed: bool = False) -> dict[int, Clipping]:
    """The clippings asked for, locked for this transaction; a missing one is NotFoundError."""
    found = {
        int(i): rows.load(r) for i, r, in_trash in conn.execute(
            "SELECT id, record, trashed FROM clippings WHERE id = ANY(%s) FOR UPDATE", [ids]
        ).fetchall() if bool(in_trash) == trashed
    }  # fmt: skip
    for clipping_id in ids:
        if clipping_id not in found:
            raise missing(conn, clipping_id, trashed=trashed)
    return found


def missing(conn: Conn, clipping_id: int, *, trashed: bool = False) -> NotFoundError:
    if trashed:
        return NotFoundError(f"no clipping {clipping_id} in the trash. See `clip trash`.")
    row = conn.execute("SELECT trashed FROM clippings WHERE id = %s", [clipping_id]).fetchone()
    if row is not None and row[0]:
        return NotFoundError(
            f"clipping {clipping_id} is in the trash; bring it back with "
            f"`clip trash restore {clipping_id}`."
        )
    return NotFoundError(f"no clipping {clipping_id}. Try `clip list` or `clip trash`.")


def update(conn: Conn, clipping: Clipping, *, trashed: bool = False) -> None:
    rows.put(conn, [rows.row(clipping, trashed=trashed)])
