"""A captured clipping entering the library: duplicates refused, near duplicates linked both
ways, tags suggested (or applied), and the original page kept in snapshots/.

Runs inside the store transaction of `Library.add_captured`, so the checks and the write see
the same state of the library. What it asks about the clippings kept goes through `Known`:
the index, brought up to the store's state under the store's lock, or the store itself when
the index cannot be used; only the recent records it learns from are read. The near duplicates
are linked back without reading or rewriting their segments (`Transaction.link`: the links
wait in the manifest, storage/pending), their titles and tags told by `Known`.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from clipper.capture.dedup import band_keys, near_duplicates
from clipper.capture.suggest import LibraryTerms, suggest_tags
from clipper.errors import UsageError
from clipper.library.duplicates import refuse_known
from clipper.library.near_links import MAX_NEAR_DUPLICATES, Candidate
from clipper.library.near_links import candidate as candidate_of
from clipper.model import Clipping, Draft, normalize_tag
from clipper.storage.atomic import write_atomically
from clipper.storage.store import CLIPPINGS, TRASH, Record, Transaction

BACKGROUND_TEXTS = 120  # the most recent clippings stand for the library when judging rarity


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """An earlier clipping telling the same story, and how much of the text they share."""

    id: int
    title: str
    overlap: float


@dataclass(slots=True)
class Added:
    """What adding a captured clipping did, for the CLI to report."""

    clipping: Clipping
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    suggested_tags: list[str] = field(default_factory=list)


def save_snapshot(folder: Path, page: bytes) -> str:
    """Keep a page gzipped under the sha256 of its bytes; the same page is stored once."""
    name = hashlib.sha256(page).hexdigest() + ".html.gz"
    path = folder / name
    if not path.exists():
        write_atomically(path, gzip.compress(page, mtime=0))
    return name


def valid_tags(candidates: list[str]) -> list[str]:
    """The candidates that make valid tags, normalized."""
    tags = []
    for candidate in candidates:
        try:
            tags.append(normalize_tag(candidate))
        except UsageError:
            continue
    return list(dict.fromkeys(tags))


def tag_suggestions(
    clean: Draft, terms: LibraryTerms, auto_tag: bool
) -> tuple[list[str], list[str]]:
    """The tags suggested for a draft, and the tags it is stored with."""
    suggested = valid_tags(suggest_tags(clean.text, clean.title, clean.language, clean.tags, terms))
    tags = list(dict.fromkeys([*clean.tags, *suggested])) if auto_tag else clean.tags
    return suggested, tags


class Known(Protocol):
    """What intake asks about the clippings kept (not the trash), over one interface that
    the index (search.kept.IndexedLibrary) and the store (`StoreKnown`) both answer."""

    def same_keys(
        self, url: str | None, content_hash: str, uuid: str
    ) -> Iterable[tuple[int, Record]]: ...

    def near_candidates(self, signature: str) -> Iterable[Candidate]: ...

    def tag_counts(self) -> Counter[str]: ...

    def recent_ids(self, count: int) -> list[int]: ...

    def titles_and_tags(self, ids: Iterable[int]) -> dict[int, tuple[str, list[str]]]: ...


class StoreKnown:
    """`Known` answered by a store transaction's clippings (every one is read): for a library
    whose index cannot be used."""

    def __init__(self, tx: Transaction) -> None:
        self.kept = dict(tx.records(CLIPPINGS))

    def same_keys(
        self, url: str | None, content_hash: str, uuid: str
    ) -> Iterator[tuple[int, Record]]:
        for record_id, record in sorted(self.kept.items()):
            if (
                record.get("content_hash") == content_hash
                or record.get("uuid") == uuid
                or (url is not None and record.get("url") == url)
            ):
                yield record_id, record

    def near_candidates(self, signature: str) -> Iterator[Candidate]:
        """Those sharing one of its LSH buckets, as the index finds them: one rule."""
        wanted = set(band_keys(signature))
        for record_id, record in self.kept.items():
            found = candidate_of(record_id, record)
            if wanted.intersection(band_keys(found[1])):
                yield found

    def tag_counts(self) -> Counter[str]:
        return Counter(tag for record in self.kept.values() for tag in record.get("tags") or [])

    def recent_ids(self, count: int) -> list[int]:
        return sorted(heapq.nlargest(count, self.kept))

    def titles_and_tags(self, ids: Iterable[int]) -> dict[int, tuple[str, list[str]]]:
        found = {i: self.kept[i] for i in ids if i in self.kept}
        return {i: (str(r.get("title") or ""), list(r.get("tags") or [])) for i, r in found.items()}


@dataclass(slots=True)
class KnownRecords:
    """The records a duplicate check of `probe` needs (duplicates.Records): those kept that
    share one of its keys, as `known` finds them, and the trash of the transaction."""

    known: Known
    tx: Transaction
    probe: Clipping

    def records(self, table: str) -> Iterator[tuple[int, Record]]:
        if table == TRASH:
            yield from self.tx.records(TRASH)
        else:
            probe = self.probe
            yield from self.known.same_keys(probe.url, probe.content_hash, probe.uuid)


def admit(
    tx: Transaction,
    known: Known,
    clean: Draft,
    *,
    refuse_duplicates: bool,
    auto_tag: bool,
    page: bytes | None,
    snapshots: Path,
) -> Added:
    """Store a validated draft in the transaction; see the module's docstring. `known` is
    asked everything before anything is written, so that a failing index leaves the
    transaction untouched (the caller may then ask the store instead)."""
    probe = Clipping.create(0, clean)
    if refuse_duplicates:
        refuse_known(KnownRecords(known, tx, probe), probe)
    candidates = known.near_candidates(probe.signature)
    found = near_duplicates(probe.signature, probe.word_count, candidates)[:MAX_NEAR_DUPLICATES]
    recent = known.recent_ids(BACKGROUND_TEXTS)
    tag_counts = known.tag_counts()
    summaries = known.titles_and_tags(i for i, _ in found)
    # Only the recent texts are read (the newest segments, which the add writes anyway).
    kept = tx.get_many(CLIPPINGS, recent)
    near = [(i, score) for i, score in found if i in summaries]
    related = [i for i, _ in near]
    terms = LibraryTerms(
        tag_counts=tag_counts,
        texts=[str(kept[i].get("text") or "") for i in recent if i in kept],
        related_tags=list(dict.fromkeys(tag for i in related for tag in summaries[i][1])),
    )
    suggested, tags = tag_suggestions(clean, terms, auto_tag)
    clipping = probe.with_changes(id=tx.allocate_id(), tags=tags, near_duplicates=related)
    if page is not None:
        clipping.snapshot = save_snapshot(snapshots, page)
    tx.put(CLIPPINGS, clipping.id, clipping.to_dict())
    for other in related:  # linked back where they are: their segments are not rewritten
        tx.link(other, [clipping.id])
    return Added(
        clipping=clipping,
        near_duplicates=[NearDuplicate(i, summaries[i][0], s) for i, s in near],
        suggested_tags=[] if auto_tag else suggested,
    )
