"""The same clipping twice: a kept or trashed clipping with the same URL, text or uuid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from clipper.errors import DuplicateError
from clipper.model import Clipping
from clipper.storage.store import CLIPPINGS, TRASH, Record


class Records(Protocol):
    """What lists the records of a table: a store transaction, or what intake knows."""

    def records(self, table: str) -> Iterator[tuple[int, Record]]: ...


def refuse_known(
    tx: Records, clipping: Clipping, *, ignore: int | None = None, hint: str | None = None
) -> None:
    """Raise DuplicateError when a kept or trashed clipping has the same URL, text or uuid."""
    known = KnownClippings(tx, ignore=ignore, only=clipping)
    if hint is None:
        known.refuse_duplicate(clipping)
    else:
        known.refuse_duplicate(clipping, hint=hint)


class KnownClippings:
    """URLs, text hashes and uuids of the clippings kept and trashed, for duplicate checks.

    With `only`, just the records sharing one of that clipping's keys are remembered: for a
    single check (`clip add`, `clip edit`) one pass of comparisons, instead of three maps of
    the whole library (at 100,000 clippings, about a third of a second).
    """

    def __init__(
        self, tx: Records, *, ignore: int | None = None, only: Clipping | None = None
    ) -> None:
        self.by_url: dict[str, tuple[int, bool]] = {}
        self.by_hash: dict[str, tuple[int, bool]] = {}
        self.by_uuid: dict[str, tuple[int, bool]] = {}
        url, digest, uid = (only.url, only.content_hash, only.uuid) if only else (None, "", "")
        for table in (TRASH, CLIPPINGS):  # kept clippings win when both match
            in_trash = table == TRASH
            for record_id, record in tx.records(table):
                if record_id == ignore:
                    continue
                if only is not None and not (
                    record.get("content_hash") == digest
                    or record.get("uuid") == uid
                    or (url is not None and record.get("url") == url)
                ):
                    continue
                if record.get("url"):
                    self.by_url[str(record["url"])] = (record_id, in_trash)
                if record.get("content_hash"):
                    self.by_hash[str(record["content_hash"])] = (record_id, in_trash)
                if record.get("uuid"):
                    self.by_uuid[str(record["uuid"])] = (record_id, in_trash)

    def remember(self, clipping: Clipping) -> None:
        if clipping.url:
            self.by_url[clipping.url] = (clipping.id, False)
        self.by_hash[clipping.content_hash] = (clipping.id, False)
        self.by_uuid[clipping.uuid] = (clipping.id, False)

    def refuse_duplicate(
        self,
        clipping: Clipping,
        *,
        hint: str = "nothing was saved. Use --allow-duplicate to keep it twice.",
    ) -> None:
        """Raise DuplicateError when a kept or trashed clipping has the same URL, text or uuid."""
        for what, table, key in (
            ("URL", self.by_url, clipping.url),
            ("text", self.by_hash, clipping.content_hash),
            ("identity (uuid)", self.by_uuid, clipping.uuid),
        ):
            if key is None or key not in table:
                continue
            record_id, in_trash = table[key]
            where = f"clipping {record_id}"
            if in_trash:
                where += f" in the trash (`clip trash restore {record_id}`)"
            elif record_id < 0:
                where = "an earlier record of the same batch"
            reason = f"the same {what} is already kept as {where}"
            raise DuplicateError(reason, record_id, hint=hint)
