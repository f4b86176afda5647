"""Near duplicates (the same story told twice) linked both ways, for many clippings at once:
the clippings of an import, among themselves and with those kept, and the whole library
(`clip reindex`). Each clipping is linked as `clip add` would have linked it, had the clippings
come one by one: with the (at most ten) most similar of those before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from clipper.capture.dedup import SignatureBuckets, near_duplicates
from clipper.model import Clipping, Draft
from clipper.storage.store import CLIPPINGS, Record, Transaction

MAX_NEAR_DUPLICATES = 10
# A batch this small compares each of its clippings with every kept one (one XOR each, about
# 0.7 us); a bigger one asks its buckets about each kept clipping instead (about 4 us each).
SCAN_BELOW = 6

Candidate = tuple[int, str, int]  # id, signature, word count


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
