"""What the index spends its bytes on: keys as bytes, a bulk build packed."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from clipper.capture.dedup import band_keys
from clipper.library import Library
from clipper.model import Draft
from clipper.search import index as index_module
from clipper.search import rows as rows_module
from clipper.search.kept import opened
from clipper.search.rows import bucket_ids
from tests import stored


def keys_of(library: Library, record_id: int) -> tuple[object, ...]:
    with sqlite3.connect(library.paths.index) as conn:
        row = conn.execute(
            "SELECT content_hash, uuid, signature FROM keys WHERE id = ?", (record_id,)
        ).fetchone()
    conn.close()
    return tuple(row)


TRAM = " ".join(f"The harbour tram line {n} was approved by the council." for n in range(30))


def test_keys_are_kept_as_bytes_and_found_as_written(library: Library) -> None:
    kept = library.add(Draft(text=TRAM, title="Tram line", url="https://example.org/tram"))
    other = library.add(Draft(text="Budget debate in parliament ran late.", title="Budget"))
    library.search("tram")  # the index is current
    hashed, uuid, signature = keys_of(library, kept.id)
    assert isinstance(hashed, bytes) and hashed.hex() == kept.content_hash
    assert isinstance(uuid, bytes) and len(uuid) == 16
    assert isinstance(signature, bytes) and signature.hex() == kept.signature
    # A hand edit that leaves a hash and a uuid in no form clip writes: kept as written.
    data = stored.tables(library.paths.store)
    data["clippings"][str(other.id)].update(content_hash="ABC-by-hand", uuid="not-a-uuid")
    stored.save(library.paths.store, data)
    library.search("budget")  # catches up with the edit
    assert keys_of(library, other.id)[:2] == ("ABC-by-hand", "not-a-uuid")
    index, known = opened(library.paths.index, library.store, timeout=1)
    try:
        assert [(i, r) for i, r in known.same_keys(None, kept.content_hash, "x")] == [
            (kept.id, {"url": kept.url, "content_hash": kept.content_hash, "uuid": kept.uuid})
        ]
        assert [i for i, _ in known.same_keys(None, "h", kept.uuid)] == [kept.id]
        assert [i for i, _ in known.same_keys(None, "ABC-by-hand", "u")] == [other.id]
        assert [i for i, _ in known.same_keys(None, "abc-by-hand", "not-a-uuid")] == [other.id]
        assert [(i, s) for i, s, _ in known.near_candidates(kept.signature)] == [
            (kept.id, kept.signature)
        ]
    finally:
        index.close()
    library.add(Draft(text=TRAM + " It opens in 2030.", title="Tram line again"))
    with sqlite3.connect(library.paths.index) as conn:
        before = {key: bucket_ids(ids) for key, ids in conn.execute("SELECT key, ids FROM bands")}
    conn.close()
    assert sorted(key for key, ids in before.items() if kept.id in ids) == sorted(
        band_keys(kept.signature)
    )
    with sqlite3.connect(library.paths.index) as conn:  # an add appends to shared buckets
        assert conn.execute("SELECT DISTINCT typeof(ids) FROM bands").fetchall() == [("blob",)]
    conn.close()
    library.remove([kept.id])  # its buckets are found from the packed signature
    with sqlite3.connect(library.paths.index) as conn:
        after = {key: bucket_ids(ids) for key, ids in conn.execute("SELECT key, ids FROM bands")}
    conn.close()
    # Out of every bucket; a bucket it was alone in is gone, the others keep their other ids
    # (a near duplicate added last shares most of its buckets).
    twin = library.find([kept.id + 2])[kept.id + 2]
    assert twin.near_duplicates == [kept.id]
    assert any(kept.id in ids and twin.id in ids for ids in before.values())
    assert after == {
        key: [i for i in ids if i != kept.id] for key, ids in before.items() if ids != [kept.id]
    }


def test_a_bucket_filled_by_several_writes_keeps_every_id_as_bytes(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bucket is appended to by each batch that meets it (here one clipping a batch)."""
    first = library.add(Draft(text=TRAM, title="Tram line"))
    second = library.add(Draft(text=TRAM + " It opens in 2030.", title="Tram line again"))
    monkeypatch.setattr(rows_module, "BATCH", 1)
    library.reindex()
    with sqlite3.connect(library.paths.index) as conn:
        kinds = conn.execute("SELECT DISTINCT typeof(ids) FROM bands").fetchall()
        buckets = [bucket_ids(ids) for (ids,) in conn.execute("SELECT ids FROM bands")]
    conn.close()
    assert kinds == [("blob",)]
    assert [first.id, second.id] in buckets  # appended in the order indexed
    index, known = opened(library.paths.index, library.store, timeout=1)
    try:
        assert [i for i, _, _ in known.near_candidates(first.signature)] == [first.id, second.id]
    finally:
        index.close()


def test_a_rebuilt_index_is_as_compact_as_vacuum_makes_it(library: Library, tmp_path: Path) -> None:
    rng = random.Random(7)
    words = [f"w{n}" for n in range(3000)]
    library.add_many([
        Draft(text=" ".join(rng.choice(words) for _ in range(120)) + ".", title=f"Item {n}")
        for n in range(400)
    ])  # fmt: skip
    library.reindex()
    built = library.paths.index.stat().st_size
    packed = tmp_path / "packed.sqlite3"
    with sqlite3.connect(library.paths.index) as conn:
        conn.execute("VACUUM INTO ?", (str(packed),))
        assert conn.execute("PRAGMA user_version").fetchone() == (
            sqlite3.connect(packed).execute("PRAGMA user_version").fetchone()
        )
    conn.close()
    with sqlite3.connect(packed, isolation_level=None) as again:
        again.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        again.execute("VACUUM")
    again.close()
    assert built == packed.stat().st_size
    assert library.search("w7").total > 0
    assert not [p.name for p in library.paths.index.parent.iterdir() if "packed" in p.name]


def test_an_index_that_cannot_be_packed_is_kept_as_built(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Draft(text=TRAM, title="Tram line"))

    def full_disk(conn: sqlite3.Connection, target: Path) -> None:
        target.write_bytes(b"partial copy")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index_module, "_pack_into", full_disk)
    assert library.reindex() == 1  # on disk, not in memory: no error
    assert [hit.clipping.id for hit in library.search("tram").hits] == [1]
    with sqlite3.connect(library.paths.index) as conn:
        assert conn.execute("SELECT count(*) FROM docs").fetchone() == (1,)
    conn.close()
    assert sorted(p.name for p in library.paths.index.parent.iterdir() if "index" in p.name) == [
        "index.sqlite3"
    ]
