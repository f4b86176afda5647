"""Clippings moved between libraries (`clip push`, `clip pull`): a selection copied with its
tags, notes, passages and links, what the other library keeps already skipped by the
duplicate rules (uuid, URL, text hash), and every clipping reported as an import reports it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clipper.errors import ClipperError
from clipper.formats.records import Batch, draft_from_clipping
from clipper.library.importing import ImportReport, run_import

if TYPE_CHECKING:
    from clipper.library.core import Library
    from clipper.team.library import TeamLibrary

    AnyLibrary = Library | TeamLibrary


def copy_clippings(source: AnyLibrary, target: AnyLibrary, query: str | None, *,
                   label: str, dry_run: bool = False) -> ImportReport:  # fmt: skip
    """Copy the clippings of `source` a query selects (all without one), oldest first, into
    `target` in one write; `label` names the source in the report."""
    selected = source.select(query=query, sort="oldest")
    batch = Batch(source=label, format="library")
    for clipping in selected:
        try:
            # As an export read back: uuid, capture time, origins and links kept.
            batch.add(f"clipping {clipping.id}", draft_from_clipping(clipping.to_dict()))
        except ClipperError as error:
            batch.add(f"clipping {clipping.id}", error)
    return run_import(target, batch, dry_run=dry_run)
