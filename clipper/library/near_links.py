"""Near duplicates (the same story told twice) linked both ways, for many clippings at once:
the clippings of an import, among themselves and with those kept, and the whole library
(`clip reindex`). Each clipping is linked as `clip add` would have linked it, had the clippings
come one by one: with the (at most ten) most similar of those before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from clipper.capture.dedup import SignatureBuckets, near_duplicates
from clipper.model import Clipping, Draft
from clipper.storage.store import CLIPPINGS, Record, Transaction

MAX_NEAR_DUPLICATES = 10
# A batch this small compares each of its clippings with every kept one (one XOR each, about
# 0.7 us); a bigger one asks its buckets about each kept clipping instead (about 4 us each).
SCAN_BELOW = 6

Candidate = tuple[int, str, int]  # id, signature, word count
Pair = tuple[int, float]  # id, overlap


def candidate(record_id: int, record: Record) -> Candidate:
    """What near-duplicate detection needs of a stored record."""
    words = record.get("word_count")
    signature = record.get("signature")
    return (
        record_id,
        signature if isinstance(signature, str) else "",
        words if isinstance(words, int) else 0,
    )


def linked(record: Record) -> set[int]:
    """The ids a stored record is linked with (malformed entries of a hand edit ignored)."""
    value = record.get("near_duplicates")
    if not isinstance(value, list):
        return set()
    return {i for i in value if isinstance(i, int) and not isinstance(i, bool)}


def detect(
    new: Sequence[Candidate],
    kept: Sequence[Candidate],
    *,
    settled: frozenset[int] = frozenset(),
) -> dict[int, list[tuple[int, float]]]:
    """For each new clipping, the near duplicates among the kept ones and the new ones before
    it, most similar first, at most MAX_NEAR_DUPLICATES. Two `settled` clippings are never
    compared: their links are known already (a clipper export carries them)."""
    found: dict[int, list[tuple[int, float]]] = {item[0]: [] for item in new}
    # The settled clippings in buckets of their own, never asked about each other: an export
    # of a story's K copies costs K bucket lookups, not the K * K / 2 comparisons whose
    # results would all be dropped (at 100,000 clippings, most of the import's time).
    open_, closed = SignatureBuckets(), SignatureBuckets()
    for item_id, signature, words in new:
        if item_id in settled:
            pairs = open_.matches(signature, words)
            closed.add(item_id, signature, words)
        else:
            pairs = closed.matches(signature, words) + open_.add_matching(item_id, signature, words)
        found[item_id].extend(pairs)
    if len(new) < SCAN_BELOW:
        for item_id, signature, words in new:
            found[item_id].extend(near_duplicates(signature, words, kept))
    else:
        for kept_id, signature, words in kept:
            for buckets in (open_, closed):
                for item_id, score in buckets.matches(signature, words):
                    found[item_id].append((kept_id, score))
    return {
        item_id: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))[:MAX_NEAR_DUPLICATES]
        for item_id, pairs in found.items()
        if pairs
    }


def both_ways(links: Mapping[int, Iterable[int]]) -> dict[int, set[int]]:
    """Links as given, each also from the other side."""
    result: dict[int, set[int]] = {}
    for item_id, others in links.items():
        for other in others:
            if other != item_id:
                result.setdefault(item_id, set()).add(other)
                result.setdefault(other, set()).add(item_id)
    return result


def link_batch(tx: Transaction, batch: Sequence[tuple[Clipping, Draft]]) -> dict[int, Record]:
    """Link the clippings of an import (each with the draft it came from; not yet stored) with
    their near duplicates, kept or in the batch: sets their `near_duplicates` and returns the
    kept records that gain a link, updated. The links a clipper export carries between its
    clippings are kept as they were (under the ids the clippings get here), so an export
    imported into an empty library comes back identical."""
    kept = dict(tx.records(CLIPPINGS))
    by_export_id: dict[int, int] = {}
    for clipping, draft in batch:
        if draft.id is not None:
            by_export_id.setdefault(draft.id, clipping.id)
    links: dict[int, list[int]] = {
        clipping.id: [by_export_id[i] for i in draft.near_duplicates if i in by_export_id]
        for clipping, draft in batch
        if draft.near_duplicates
    }
    settled = frozenset(c.id for c, draft in batch if draft.near_duplicates is not None)
    new = [(c.id, c.signature, c.word_count) for c, _ in batch]
    found = detect(new, [candidate(i, record) for i, record in kept.items()], settled=settled)
    for clipping_id, pairs in found.items():
        links.setdefault(clipping_id, []).extend(other for other, _ in pairs)
    wanted = both_ways(links)
    for clipping, _ in batch:
        # As `clip add` leaves them: its own links in order (most similar first), sorted once
        # a later clipping links back to it.
        own = [i for i in dict.fromkeys(links.get(clipping.id, ())) if i != clipping.id]
        later = wanted.get(clipping.id, set()) - set(own)
        clipping.near_duplicates = sorted({*own, *later}) if later else own
    updates: dict[int, Record] = {}
    for record_id, others in wanted.items():
        record = kept.get(record_id)
        if record is not None and not others <= linked(record):
            updated = dict(record)
            updated["near_duplicates"] = sorted(linked(record) | others)
            updates[record_id] = updated
    return updates


class Linker:
    """`link_batch` for an import committed batch by batch: each batch linked as it would have
    been in one batch of them all, with the same links in the same order.

    What carries over from batch to batch: the import's signatures in their buckets (open:
    those without known links; closed: those an export settles), the ids its clippings had in
    the export and have here, the clippings committed in an earlier batch whose export names
    a clipping not seen yet (with what their links are made of, to make them again once it
    comes), and the kept clippings' signatures, in buckets built once. Per clipping of the
    import, a few ints and a signature: no record, no text.
    """

    def __init__(self, kept: Sequence[Candidate], *, alone: bool = False) -> None:
        # A lone small batch compares each of its clippings with every kept one, as
        # `detect` does below SCAN_BELOW; any other asks the kept clippings' buckets.
        self.kept = kept
        self.alone = alone
        self._kept_buckets: SignatureBuckets | None = None
        self.open, self.closed = SignatureBuckets(), SignatureBuckets()
        self.by_export_id: dict[int, int] = {}
        # A committed clipping whose export links wait for a clipping not seen yet: its
        # export's list and the links it found, by id; and who waits for each export id.
        self.recipes: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.waiting: dict[int, list[int]] = {}

    def _kept_matches(self, signature: str, words: int) -> list[tuple[int, float]]:
        if self._kept_buckets is None:
            self._kept_buckets = SignatureBuckets()
            for kept_id, kept_signature, kept_words in self.kept:
                self._kept_buckets.add(kept_id, kept_signature, kept_words)
        # The overlap is symmetric: the same pairs and scores as asking each kept signature.
        return self._kept_buckets.matches(signature, words)

    def link(
        self,
        batch: Sequence[tuple[Clipping, Draft]],
        links_of: Callable[[int], list[int] | None],
    ) -> dict[int, list[int]]:
        """Set the `near_duplicates` of a batch's clippings; return the new lists of the
        clippings stored before it (kept, or of an earlier batch) that change, by id.
        `links_of(id)`: the links such a clipping has now (None when it is not stored)."""
        mapped = []  # the export ids first seen in this batch
        for clipping, draft in batch:
            if draft.id is not None and draft.id not in self.by_export_id:
                self.by_export_id[draft.id] = clipping.id
                mapped.append(draft.id)
        links, pending = self._exported(batch)
        found = self._detect(batch)
        for clipping_id, pairs in found.items():
            links.setdefault(clipping_id, []).extend(other for other, _ in pairs)
        # Earlier clippings whose export named one of this batch's: linked to it now.
        remade: set[int] = set()
        for export_id in mapped:
            for waiting_id in self.waiting.pop(export_id, ()):
                links.setdefault(waiting_id, []).append(self.by_export_id[export_id])
                remade.add(waiting_id)
        wanted = both_ways(links)
        for clipping, _ in batch:
            own = [i for i in dict.fromkeys(links.get(clipping.id, ())) if i != clipping.id]
            later = wanted.get(clipping.id, set()) - set(own)
            clipping.near_duplicates = sorted({*own, *later}) if later else own
        for clipping_id, export_links in pending:
            found_ids = tuple(other for other, _ in found.get(clipping_id, ()))
            self.recipes[clipping_id] = (export_links, found_ids)
            for i in export_links:
                if i not in self.by_export_id:
                    self.waiting.setdefault(i, []).append(clipping_id)
        return self._updates(wanted, {c.id for c, _ in batch}, remade, links_of)

    def _exported(
        self, batch: Sequence[tuple[Clipping, Draft]]
    ) -> tuple[dict[int, list[int]], list[tuple[int, tuple[int, ...]]]]:
        """The links a batch's export names, under the ids here; and the clippings naming
        one not seen yet, with their export's list."""
        links: dict[int, list[int]] = {}
        pending: list[tuple[int, tuple[int, ...]]] = []
        known = self.by_export_id
        for clipping, draft in batch:
            if draft.near_duplicates:
                links[clipping.id] = [known[i] for i in draft.near_duplicates if i in known]
                if any(i not in known for i in draft.near_duplicates):
                    pending.append((clipping.id, tuple(draft.near_duplicates)))
        return links, pending

    def _updates(
        self,
        wanted: dict[int, set[int]],
        in_batch: set[int],
        remade: set[int],
        links_of: Callable[[int], list[int] | None],
    ) -> dict[int, list[int]]:
        """The new lists of the clippings stored before the batch that gain links."""
        updates: dict[int, list[int]] = {}
        for record_id, others in wanted.items():
            if record_id in in_batch:
                continue
            listed = links_of(record_id)
            if listed is None:
                continue
            current = set(listed)
            if record_id in remade:
                updated = self._remade(record_id, current | others)
            elif others <= current:
                continue
            else:
                updated = sorted(current | others)
            if updated != listed:
                updates[record_id] = updated
        return updates

    def _remade(self, record_id: int, every: set[int]) -> list[int]:
        """The links of a clipping as one batch would have made them: its export's list (now
        that more of it is here) and those it found, in order, unless a later one links back."""
        export_links, found_ids = self.recipes[record_id]
        if all(i in self.by_export_id for i in export_links):
            del self.recipes[record_id]
        named = [self.by_export_id[i] for i in export_links if i in self.by_export_id]
        own = [i for i in dict.fromkeys([*named, *found_ids]) if i != record_id]
        every |= set(own)
        return own if every == set(own) else sorted(every)

    def _detect(self, batch: Sequence[tuple[Clipping, Draft]]) -> dict[int, list[Pair]]:
        """`detect` of the batch, with the import's earlier batches in the buckets as if
        they came first in the same batch."""
        found: dict[int, list[tuple[int, float]]] = {c.id: [] for c, _ in batch}
        for clipping, draft in batch:
            item_id, signature, words = clipping.id, clipping.signature, clipping.word_count
            if draft.near_duplicates is not None:
                pairs = self.open.matches(signature, words)
                self.closed.add(item_id, signature, words)
            else:
                pairs = self.closed.matches(signature, words) + self.open.add_matching(
                    item_id, signature, words
                )
            found[item_id].extend(pairs)
            if self.alone and len(batch) < SCAN_BELOW:
                found[item_id].extend(near_duplicates(signature, words, self.kept))
            elif self.kept:
                found[item_id].extend(self._kept_matches(signature, words))
        return {
            item_id: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))[:MAX_NEAR_DUPLICATES]
            for item_id, pairs in found.items()
            if pairs
        }


def missing_links(records: Mapping[int, Record]) -> dict[int, Record]:
    """The records of a library that gain a link when every clipping is linked with its near
    duplicates among those before it (in id order): the updated copies, by id."""
    ordered = [candidate(i, records[i]) for i in sorted(records)]
    found = detect(ordered, [])
    wanted = both_ways({i: [other for other, _ in pairs] for i, pairs in found.items()})
    updates: dict[int, Record] = {}
    for record_id, others in wanted.items():
        current = linked(records[record_id])
        if not others <= current:
            record = dict(records[record_id])
            record["near_duplicates"] = sorted(current | others)
            updates[record_id] = record
    return updates
