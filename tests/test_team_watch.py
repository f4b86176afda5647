"""`clip watch` on a team library: the watches and their runs' memory in the team's tables (the
runs themselves are tested on both backends in test_watch_run.py and test_watch_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from clipper.errors import ExitCode
from clipper.team.library import TeamLibrary
from tests.conftest import Clip
from tests.expect import error_message
from tests.watch_feeds import HTML, RSS, TRAM, Item, page, rss


@pytest.fixture
def team(team_url: str, library_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CLIPPER_HOME", team_url)
    return team_url


def _feed(server: HTTPServer) -> str:
    items = [Item("Tram line approved", "Councillors voted.", server.url_for("/tram"))]
    server.expect_request("/feed.xml").respond_with_data(
        rss(items), content_type=RSS, headers={"ETag": '"v1"'}
    )
    server.expect_request("/tram").respond_with_data(page("Tram", TRAM), content_type=HTML)
    return server.url_for("/feed.xml")


def test_a_run_remembers_its_feeds_in_the_team_tables_and_nothing_on_disk(
    team: str, clip: Clip, httpserver: HTTPServer, library_home: Path
) -> None:
    import psycopg

    feed = _feed(httpserver)
    assert clip("watch", "add", "trams", "tram*", "--feed", feed).exit_code == 0
    done = clip("watch", "run")
    assert done.exit_code == 0, done.stderr
    with psycopg.connect(team) as conn:
        [(name, watch)] = conn.execute("SELECT name, watch FROM clip_watches").fetchall()
        [(url, state)] = conn.execute("SELECT url, state FROM clip_watch_feeds").fetchall()
    assert name == "trams" and watch["feeds"] == [feed]
    assert url == feed and state["etag"] == '"v1"' and state["seen"]["trams"]
    assert not library_home.exists() or not any(library_home.iterdir())
    [kept] = json.loads(clip("list", "--json").stdout)
    assert kept["tags"] == ["trams"]


def test_a_snapshot_run_is_refused_on_a_team_library_and_fetches_nothing(
    team: str, clip: Clip, httpserver: HTTPServer
) -> None:
    feed = _feed(httpserver)
    assert clip("watch", "add", "trams", "tram*", "--feed", feed).exit_code == 0
    refused = clip("watch", "run", "--snapshot")
    assert "keeps no page snapshots" in error_message(refused, ExitCode.USAGE)
    assert httpserver.log == []
    assert json.loads(clip("list", "--json").stdout) == []


def test_the_schedule_of_a_team_library_names_its_url(
    team: str, clip: Clip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    cron = clip("watch", "schedule", "--every", "30m").stdout.splitlines()[1]
    assert f"--library {team} watch run --quiet" in cron
    assert "watch.log" in cron and str(tmp_path / "state") in cron


def test_a_second_run_waits_for_the_first_and_an_impatient_one_gives_up(team: str) -> None:
    from clipper.errors import StoreError

    first, second = TeamLibrary.connect(team), TeamLibrary.connect(team)
    waited: list[str] = []
    try:
        with (
            first.watch_memory().lock(1.0),
            pytest.raises(StoreError, match="another `clip watch run` has been running"),
            second.watch_memory().lock(0.05, lambda: waited.append("waiting")),
        ):
            pass
        assert waited == ["waiting"]
        with second.watch_memory().lock(0.05, lambda: waited.append("again")):
            pass  # the first let go: no wait
        assert waited == ["waiting"]
    finally:
        first.close()
        second.close()


def test_a_version_2_library_is_migrated_and_its_writers_may_keep_watches(team_url: str) -> None:
    import psycopg

    from clipper.team import schema

    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute(schema.MIGRATIONS[0])
        conn.execute(schema.MIGRATIONS[1])
        conn.execute("CREATE TABLE clip_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        conn.execute("INSERT INTO clip_meta VALUES ('schema_version', '2')")
        conn.execute("DROP ROLE IF EXISTS writer_v2")
        conn.execute("CREATE ROLE writer_v2")  # a member granted what version 2 needs
        conn.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON clippings TO writer_v2")
    migrated = TeamLibrary.connect(team_url)
    try:
        assert migrated.watches() == {}
        assert migrated.conn.execute(
            "SELECT value FROM clip_meta WHERE key = 'schema_version'"
        ).fetchone() == (schema.SCHEMA_VERSION,)
        assert migrated.conn.execute(
            "SELECT has_table_privilege('writer_v2', 'clip_watches', 'INSERT'), "
            "has_table_privilege('writer_v2', 'clip_watch_feeds', 'UPDATE')"
        ).fetchone() == (True, True)
        migrated.conn.execute("DROP OWNED BY writer_v2")
        migrated.conn.execute("DROP ROLE writer_v2")
        migrated.conn.commit()
    finally:
        migrated.close()
