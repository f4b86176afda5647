"""What a write asks of a team library's server: near-duplicate candidates by LSH band and tag
counts from their aggregate (every query `clip add` sends can be answered from an index, not
by reading the whole table), ids in one round trip, and a version 1 library migrated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from clipper.capture.dedup import SignatureBuckets
from clipper.errors import DuplicateError
from clipper.model import Draft
from clipper.team.library import TeamLibrary

STORY = (
    "The harbour council voted on Tuesday to rebuild the northern pier, after a decade of "
    "storms left its timber frame unsafe for the ferries that call there twice a day. The "
    "works will take two years and close the ferry terminal for the first winter, the "
    "council's engineer told the meeting, while a temporary landing is built beside the "
    "fish market. Local traders asked for the landing to open before the summer season."
)


@pytest.fixture
def team(team_url: str) -> Iterator[TeamLibrary]:
    library = TeamLibrary.connect(team_url)
    try:
        yield library
    finally:
        library.close()


def _filled(team: TeamLibrary) -> None:
    team.add_many([
        Draft(text=f"Item {n} of the desk: the {word} report, filed with its own words "
              f"about {word} and nothing else at all, number {n}.", title=f"Item {n}",
              tags=["desk", f"topic/{word}"])
        for n, word in enumerate(["budget", "schools", "roads", "weather", "courts"] * 4)
    ])  # fmt: skip
    team.add(Draft(text=STORY, title="The pier", tags=["harbour"]))


def _whole_reads(plan: dict[str, Any], rows: int, under_limit: bool = False) -> list[str]:
    """The scans of `clippings` in an analysed plan that read `rows` rows or more (the whole
    table), but for those a LIMIT stops."""
    found = []
    kind = plan.get("Node Type", "")
    limited = under_limit or kind == "Limit"
    read = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
    if plan.get("Relation Name") == "clippings" and read >= rows and not limited:
        found.append(f"{kind} of {read} rows")
    for child in plan.get("Plans", []):
        found += _whole_reads(child, rows, limited)
    return found


def test_no_query_of_an_add_reads_the_whole_table(team: TeamLibrary,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _filled(team)
    sent: list[tuple[str, Any]] = []
    execute = team.conn.execute

    def recording(query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append((str(query), params))
        return execute(query, params, **kwargs)

    monkeypatch.setattr(team.conn, "execute", recording)
    added = team.add_captured(
        Draft(text=STORY + " The ferry operator welcomed the plan.", title="Pier again",
              tags=["harbour"])
    )  # fmt: skip
    monkeypatch.undo()
    assert [n.id for n in added.near_duplicates] == [21]
    reads = [(q, p) for q, p in sent if q.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) >= 4
    # A table this small is read whole by choice; with sequential scans priced out, a query
    # still reading every row has no better way. The indexes led by `trashed` are set aside
    # (in this transaction only): in a library, NOT trashed narrows nothing.
    team.conn.execute("SET enable_seqscan = off")
    team.conn.execute("DROP INDEX clippings_day, clippings_captured")
    whole = {}
    for query, params in reads:
        [(plan,)] = team.conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}",
                                      params).fetchall()  # fmt: skip
        if scans := _whole_reads(plan[0]["Plan"], rows=21):
            whole[query] = scans
    team.conn.rollback()
    assert whole == {}


def test_an_added_near_duplicate_is_found_as_the_bulk_buckets_find_it(team: TeamLibrary) -> None:
    _filled(team)
    copy = STORY.replace("Tuesday", "Wednesday") + " Ferries resume in spring."
    added = team.add_captured(Draft(text=copy, title="Pier copy"))
    buckets = SignatureBuckets()
    for clipping in team.clippings():
        if clipping.id != added.clipping.id:
            buckets.add(clipping.id, clipping.signature, clipping.word_count)
    expected = buckets.matches(added.clipping.signature, added.clipping.word_count)
    assert expected and [n.id for n in added.near_duplicates] == [i for i, _ in expected]
    assert team.get(expected[0][0]).near_duplicates == [added.clipping.id]


def _recounted(team: TeamLibrary) -> dict[str, int]:
    found = {
        str(t): int(n) for t, n in team.conn.execute(
            "SELECT t, count(*) FROM clippings c, unnest(c.tags) t WHERE NOT c.trashed "
            "GROUP BY t"
        ).fetchall()
    }  # fmt: skip
    team.conn.rollback()
    return found


def _kept_counts(team: TeamLibrary) -> dict[str, int]:
    found = dict(team.conn.execute("SELECT tag, n FROM clip_tag_counts").fetchall())
    team.conn.rollback()
    return found


def test_the_tag_counts_follow_every_write(team: TeamLibrary) -> None:
    _filled(team)
    assert _kept_counts(team) == _recounted(team) == {
        "desk": 20, "harbour": 1, "topic/budget": 4, "topic/courts": 4, "topic/roads": 4,
        "topic/schools": 4, "topic/weather": 4,
    }  # fmt: skip
    team.tag([1, 2, 21], ["desk", "review"])
    team.untag([3], ["topic/roads"])
    team.remove([4, 5])
    team.restore([5])
    team.rename_tag("topic", "subject")
    team.edit(6, {"tags": ["other"]})
    assert _kept_counts(team) == _recounted(team)
    assert _kept_counts(team)["review"] == 3 and "topic/budget" not in _kept_counts(team)
    team.empty_trash()
    team.remove([21])
    assert _kept_counts(team) == _recounted(team)
    assert "harbour" not in _kept_counts(team)
    assert team.tag_counts() == _recounted(team)


def test_a_duplicate_in_an_import_names_the_id_of_the_earlier_clipping(team: TeamLibrary) -> None:
    team.add(Draft(text="Already kept before the import, word for word.", title="Kept"))
    result = team.add_many([
        Draft(text="First of the batch, with words of its own.", title="One"),
        Draft(text="Already kept before the import, word for word.", title="Again"),
        Draft(text="", title="Empty"),
        Draft(text="First of the batch, with words of its own.", title="One again"),
        Draft(text="Last of the batch, also its own.", title="Two"),
    ])  # fmt: skip
    assert [c.id for c in result.added] == [2, 3]
    assert [n for n, _ in result.failed] == [1, 2, 3]
    again = result.failed[2][1]
    assert isinstance(again, DuplicateError) and again.existing_id == 2
    assert "already kept as clipping 2;" in str(again)


def test_a_version_1_library_is_migrated_with_its_bands_and_counts(team_url: str) -> None:
    import psycopg

    from clipper.team import schema

    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute(schema.MIGRATIONS[0])
        conn.execute("CREATE TABLE clip_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        conn.execute("INSERT INTO clip_meta VALUES ('schema_version', '1')")
    # Rows as clip 1 wrote them: no band keys, no counts (written here with today's columns,
    # then stripped of what versions 2 and 3 add).
    library = TeamLibrary.connect(team_url)
    try:
        _filled(library)
        library.conn.execute("DROP TABLE clip_watches, clip_watch_feeds")
        library.conn.execute("DROP INDEX IF EXISTS clippings_rank")
        library.conn.execute("DROP TRIGGER clippings_tag_counts ON clippings")
        library.conn.execute("DROP TABLE clip_tag_counts")
        library.conn.execute("DROP INDEX clippings_bands, clippings_config, clippings_url_all, "
                             "clippings_text_all")  # fmt: skip
        library.conn.execute("ALTER TABLE clippings DROP COLUMN bands")
        library.conn.execute("DROP FUNCTION clip_bands, clip_count_tags")
        library.conn.execute("UPDATE clippings SET record = (record::jsonb - 'added_by')::json")
        library.conn.execute("UPDATE clip_meta SET value = '1' WHERE key = 'schema_version'")
        library.conn.execute("DROP ROLE IF EXISTS reader_v1")
        library.conn.execute("CREATE ROLE reader_v1")  # a member granted what version 1 had
        library.conn.execute("GRANT SELECT ON clippings TO reader_v1")
        library.conn.commit()
    finally:
        library.close()
    migrated = TeamLibrary.connect(team_url)
    try:
        assert _kept_counts(migrated) == _recounted(migrated)
        assert getattr(migrated.get(1), "added_by", None) == migrated.user == "clip_test"
        added = migrated.add_captured(Draft(text=STORY + " More to follow.", title="Pier 2"))
        assert [n.id for n in added.near_duplicates] == [21]
        assert migrated.conn.execute(
            "SELECT has_table_privilege('reader_v1', 'clip_tag_counts', 'SELECT')"
        ).fetchone() == (True,)
        migrated.conn.execute("DROP OWNED BY reader_v1")
        migrated.conn.execute("DROP ROLE reader_v1")
        migrated.conn.commit()
    finally:
        migrated.close()


def test_the_band_lookup_of_an_add_is_planned_on_the_band_index(
    team: TeamLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL's estimate for `bands && <32 keys>` is far too high, and would make it read
    # the whole table at any size; the plan is taken as the add sends the query, with the
    # settings of its transaction.
    _filled(team)
    # The indexes led by `trashed` would beat both on a table this small (NOT trashed narrows
    # nothing in a library): this throwaway database goes without them.
    team.conn.execute("DROP INDEX clippings_day, clippings_captured")
    team.conn.execute("ANALYZE clippings")
    team.conn.commit()
    plans = []
    execute = team.conn.execute

    def explaining(query: Any, params: Any = None, **kwargs: Any) -> Any:
        if "bands &&" in str(query):
            [(plan,)] = execute(f"EXPLAIN (FORMAT JSON) {query}", params).fetchall()
            plans.append(json.dumps(plan))
        return execute(query, params, **kwargs)

    monkeypatch.setattr(team.conn, "execute", explaining)
    team.add_captured(Draft(text=STORY + " Ferries resume in spring.", title="Pier again"))
    team.add_many([Draft(text=STORY + " A second copy, later.", title="Pier, later")])
    monkeypatch.undo()
    assert len(plans) == 2
    assert all('"Index Name": "clippings_bands"' in plan and "Seq Scan" not in plan
               for plan in plans)
