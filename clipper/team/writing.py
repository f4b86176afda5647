"""Writing a team library: the local duplicate rules and near-duplicate links, asked of
PostgreSQL inside the transaction that writes (see connection.retried)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from clipper.errors import NotFoundError
from clipper.model import Clipping
from clipper.storage.layout import TRASH, Record
from clipper.team import rows

if TYPE_CHECKING:
    import psycopg

    from clipper.capture.suggest import LibraryTerms
    from clipper.library.intake import NearDuplicate

    Conn = psycopg.Connection[Any]


class SameKeys:
    """The kept and trashed records sharing the URL, text hash or uuid of one of `probes`, for
    clip's duplicate rules (duplicates.refuse_known); all of them without probes."""

    def __init__(self, conn: Conn, *probes: Clipping) -> None:
        self.conn, self.probes = conn, probes

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        trashed = table == TRASH
        if not self.probes:
            found = self.conn.execute(
                "SELECT id, url, content_hash, uuid FROM clippings WHERE trashed = %s",
                [trashed],
            ).fetchall()
        else:
            # Three index lookups per probe (uuid, text hash, URL), not a pass over the table.
            found = self.conn.execute(
                "SELECT id, url, content_hash, uuid FROM clippings WHERE trashed = %s AND "
                "(uuid = ANY(%s) OR content_hash = ANY(%s) OR url = ANY(%s))",
                [trashed, [p.uuid for p in self.probes],
                 [p.content_hash for p in self.probes],
                 [p.url for p in self.probes if p.url]],
            ).fetchall()  # fmt: skip
        for record_id, url, digest, uid in found:
            yield int(record_id), {"url": url, "content_hash": digest, "uuid": uid}


# Up to this many new clippings, only the kept clippings sharing a band with one of them are
# read (a GIN index probe per band); a bigger import reads every signature once.
BAND_LOOKUP_UP_TO = 1000
_CANDIDATES = "SELECT id, signature, word_count, near FROM clippings WHERE NOT trashed"


class Kept:
    """What near-duplicate linking reads of the kept clippings (links_batch's `tx`): their
    signatures, word counts and links only, not their texts; with `signatures` (of a small
    batch), only the clippings that may be near duplicates of one of them."""

    def __init__(self, conn: Conn, signatures: list[str] | None = None) -> None:
        self.conn, self.signatures = conn, signatures

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        if self.signatures is None or len(self.signatures) > BAND_LOOKUP_UP_TO:
            found = self.conn.execute(_CANDIDATES).fetchall()
        else:
            with _band_lookup(self.conn):
                found = self.conn.execute(
                    f"{_CANDIDATES} AND bands && (SELECT coalesce(array_agg(b), '{{}}') FROM "
                    "unnest(%s::text[]) s, unnest(clip_bands(s)) b)",
                    [self.signatures],
                ).fetchall()
        for record_id, signature, words, near in found:
            yield int(record_id), {"signature": signature, "word_count": words,
                                   "near_duplicates": list(near)}  # fmt: skip


@contextlib.contextmanager
def _band_lookup(conn: Conn) -> Iterator[None]:
    """Band lookups planned as index probes. PostgreSQL estimates `&&` on an array of 32 keys
    none of which its statistics know as about 15% of the rows (measured at 100,000: 14,821
    estimated, 27 found) and then reads the whole table (416 ms) rather than the GIN index
    (well under a millisecond); a band key is rare by construction, so the index is right."""
    conn.execute("SET LOCAL enable_seqscan = off")
    yield
    # Not in a `finally`: after an error the transaction is void, and so is the setting (a
    # statement here would hide the error, a conflict to retry among them).
    conn.execute("RESET enable_seqscan")


def near_of(conn: Conn, probe: Clipping) -> list[tuple[int, float]]:
    """The kept clippings telling the same story as `probe`, most similar first: those that
    share an LSH band with it (as SignatureBuckets finds them in bulk), compared in full."""
    from clipper.capture.dedup import near_duplicates  # an add's alone: not for a list or a tag
    from clipper.library.near_links import MAX_NEAR_DUPLICATES

    with _band_lookup(conn):
        candidates = conn.execute(
            "SELECT id, signature, word_count FROM clippings "
            "WHERE NOT trashed AND bands && clip_bands(%s)",
            [probe.signature or ""],
        ).fetchall()
    found = near_duplicates(probe.signature, probe.word_count,
                            ((int(i), str(s), int(w)) for i, s, w in candidates))  # fmt: skip
    return found[:MAX_NEAR_DUPLICATES]


def terms(conn: Conn, related: list[int]) -> LibraryTerms:
    """The tags in use, recent texts and the tags of related clippings (tag suggestions)."""
    from clipper.capture.suggest import LibraryTerms
    from clipper.library.intake import BACKGROUND_TEXTS

    counts = Counter({
        str(t): int(n) for t, n in conn.execute("SELECT tag, n FROM clip_tag_counts").fetchall()
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
    from clipper.library.intake import NearDuplicate

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
    return next_ids(conn, 1)[0]


def next_ids(conn: Conn, count: int) -> list[int]:
    """`count` new ids from the sequence, in one round trip, in increasing order."""
    if count <= 0:
        return []
    found = conn.execute(
        "SELECT nextval('clip_ids') FROM generate_series(1, %s)", [count]
    ).fetchall()
    return sorted(int(row[0]) for row in found)


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
