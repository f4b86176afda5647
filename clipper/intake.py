"""A captured clipping entering the library: duplicates refused, near duplicates linked both
ways, tags suggested (or applied), and the original page kept in snapshots/.

Runs inside the store transaction of `Library.add_captured`, so the checks and the write see
the same state of the library.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.capture.dedup import near_duplicates
from clipper.capture.suggest import LibraryTerms, suggest_tags
from clipper.errors import UsageError
from clipper.model import Clipping, Draft, normalize_tag
from clipper.near_links import MAX_NEAR_DUPLICATES
from clipper.storage.atomic import write_atomically
from clipper.storage.store import CLIPPINGS, Record, Transaction

if TYPE_CHECKING:
    pass

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


def library_terms(kept: dict[int, Record], related: list[int]) -> LibraryTerms:
    """The tags in use, recent texts, and the tags of the clippings telling the same story."""
    tag_counts: Counter[str] = Counter(
        tag for record in kept.values() for tag in record.get("tags") or []
    )
    recent = sorted(heapq.nlargest(BACKGROUND_TEXTS, kept))
    related_tags = [tag for i in related for tag in kept[i].get("tags") or []]
    return LibraryTerms(
        tag_counts=tag_counts,
        texts=[str(kept[i].get("text") or "") for i in recent],
        related_tags=list(dict.fromkeys(related_tags)),
    )


def valid_tags(candidates: list[str]) -> list[str]:
    """The candidates that make valid tags, normalized."""
    tags = []
    for candidate in candidates:
        try:
            tags.append(normalize_tag(candidate))
        except UsageError:
            continue
    return list(dict.fromkeys(tags))


def _suggested(clean: Draft, terms: LibraryTerms, auto_tag: bool) -> tuple[list[str], list[str]]:
    """The tags suggested for a draft, and the tags it is stored with."""
    suggested = valid_tags(
        suggest_tags(clean.text, clean.title, clean.language, clean.tags, terms)
    )
    tags = list(dict.fromkeys([*clean.tags, *suggested])) if auto_tag else clean.tags
    return suggested, tags


def admit(
    tx: Transaction,
    clean: Draft,
    *,
    refuse_duplicate: Callable[[Clipping], None] | None,
    auto_tag: bool,
    page: bytes | None,
    snapshots: Path,
) -> Added:
    """Store a validated draft in the transaction; see the module's docstring."""
    probe = Clipping.create(0, clean)
    if refuse_duplicate is not None:
        refuse_duplicate(probe)
    kept = dict(tx.records(CLIPPINGS))
    candidates = (
        (i, str(r.get("signature") or ""), int(r.get("word_count") or 0)) for i, r in kept.items()
    )
    near = near_duplicates(probe.signature, probe.word_count, candidates)[:MAX_NEAR_DUPLICATES]
    related = [i for i, _ in near]
    suggested, tags = _suggested(clean, library_terms(kept, related), auto_tag)
    clipping = probe.with_changes(id=tx.allocate_id(), tags=tags, near_duplicates=related)
    if page is not None:
        clipping.snapshot = save_snapshot(snapshots, page)
    tx.put(CLIPPINGS, clipping.id, clipping.to_dict())
    for other in related:
        record = dict(kept[other])
        linked = [int(i) for i in record.get("near_duplicates") or [] if isinstance(i, int)]
        record["near_duplicates"] = sorted({*linked, clipping.id})
        tx.put(CLIPPINGS, other, record)
    return Added(
        clipping=clipping,
        near_duplicates=[NearDuplicate(i, str(kept[i].get("title") or ""), s) for i, s in near],
        suggested_tags=[] if auto_tag else suggested,
    )

