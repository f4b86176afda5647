"""What the team library does the database's way: concurrent writers, constraints, the schema,
per-language text search, push and pull. (The shared library tests run on it too: see the
`backend` fixture.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clipper.errors import ClipperError, DuplicateError, ExitCode
from clipper.model import Draft
from clipper.team.schema import SCHEMA_VERSION
from tests.conftest import Clip
from tests.expect import error_message

WRITERS = 8
ADDS_PER_WRITER = 3

# Each writer runs `python -m clipper` several times in a row, as a shell loop would.
WRITER = """
import subprocess, sys
writer, adds = sys.argv[1], int(sys.argv[2])
for n in range(adds):
    text = f"Writer {writer} filed item {n} of its batch, with words of its own."
    done = subprocess.run(
        [sys.executable, "-m", "clipper", "add", text, "--title", f"w{writer}-{n}"],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        sys.exit(f"writer {writer} item {n}: exit {done.returncode}: {done.stderr}")
done = subprocess.run([sys.executable, "-m", "clipper", "tag", "1", "-t", f"desk/{writer}"],
                      capture_output=True, text=True)
if done.returncode != 0:
    sys.exit(f"writer {writer} tag: exit {done.returncode}: {done.stderr}")
"""


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _run_all(commands: list[list[str]], url: str) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once against the team library; wait for each to end."""
    environment = {**os.environ, "CLIPPER_HOME": url}
    started = [
        subprocess.Popen(command, env=environment, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for command in commands
    ]  # fmt: skip
    results = []
    for process, command in zip(started, commands, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def test_eight_writers_at_once_lose_nothing(team_url: str, tmp_path: Path, clip: Clip) -> None:
    assert clip("add", "The first clipping, which every writer tags.", "--title", "first",
                "-L", team_url).exit_code == 0  # fmt: skip
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    results = _run_all(
        [[sys.executable, str(script), str(w), str(ADDS_PER_WRITER)] for w in range(WRITERS)],
        team_url,
    )
    assert [r.stderr for r in results if r.returncode != 0] == []
    total = 1 + WRITERS * ADDS_PER_WRITER
    with _connect(team_url) as conn:
        rows = conn.execute("SELECT id, record FROM clippings ORDER BY id").fetchall()
    ids = [i for i, _ in rows]
    # Ids come from the sequence: each used once; a write retried after losing a race with
    # another may leave a number unused, as PostgreSQL sequences do.
    assert len(ids) == total and len(set(ids)) == total and ids[0] == 1
    titles = {record["title"] for _, record in rows}
    assert titles == {"first"} | {f"w{w}-{n}" for w in range(WRITERS)
                                  for n in range(ADDS_PER_WRITER)}  # fmt: skip
    assert len({record["uuid"] for _, record in rows}) == total
    # Eight read-modify-writes of the same clipping at once: no tag lost.
    assert sorted(rows[0][1]["tags"]) == sorted(f"desk/{w}" for w in range(WRITERS))


def test_the_same_text_added_at_once_is_kept_once(team_url: str, clip: Clip) -> None:
    assert clip("list", "-L", team_url).exit_code == 0  # the tables exist before the race
    text = "Everyone pasted the very same article at the very same moment."
    results = _run_all(
        [[sys.executable, "-m", "clipper", "add", text, "--title", f"racer {n}"]
         for n in range(4)], team_url,
    )  # fmt: skip
    assert sorted(r.returncode for r in results) == [0, 4, 4, 4], [r.stderr for r in results]
    with _connect(team_url) as conn:
        kept = conn.execute("SELECT id FROM clippings").fetchall()
    assert len(kept) == 1
    # Ids come from a sequence: a racer that lost after taking one leaves a gap, so the kept
    # clipping's id depends on the order the racers ran in. Every refusal names that clipping.
    for refused in (r for r in results if r.returncode == 4):
        assert refused.stderr.startswith(
            f"Error: the same text is already kept as clipping {kept[0][0]};"
        )


def test_the_database_itself_refuses_a_second_url_text_or_uuid(team_url: str) -> None:
    import psycopg

    from clipper.team.library import TeamLibrary

    library = TeamLibrary.connect(team_url)
    library.add(Draft(text="Kept once.", title="A", url="https://example.org/a"))
    with _connect(team_url) as conn:
        for column, value in (("url", "'https://example.org/a'"), ("uuid", "uuid"),
                              ("content_hash", "content_hash")):  # fmt: skip
            with pytest.raises(psycopg.errors.UniqueViolation):
                conn.execute(
                    f"INSERT INTO clippings SELECT 99, "
                    f"{'uuid' if column == 'uuid' else 'gen_random_uuid()::text'}, "
                    f"{value if column == 'url' else 'NULL'}, "
                    f"{'content_hash' if column == 'content_hash' else 'md5(random()::text)'}"
                    ", false, false, record, day, day_end, captured, starred, has_note, "
                    "has_author, lang, site, url_key, source_key, tags, near, signature, "
                    "word_count, added_by, config, tsv, words FROM clippings WHERE id = 1"
                )
    allowed = library.add(Draft(text="Kept once.", title="B", url="https://example.org/a"),
                          allow_duplicate=True)  # fmt: skip
    assert allowed.id == 2  # kept twice on purpose: the constraints leave it alone
    with pytest.raises(DuplicateError):
        library.add(Draft(text="Kept once.", title="C"))
    library.close()


def test_ids_are_never_handed_out_again(team_url: str, clip: Clip) -> None:
    for n in range(3):
        assert clip("add", f"Item number {n} with its own words.", "-L", team_url).exit_code == 0
    assert clip("rm", "3", "-L", team_url).exit_code == 0
    assert clip("trash", "empty", "--yes", "-L", team_url).exit_code == 0
    added = clip("add", "A later item, after the trash was emptied.", "--json", "-L", team_url)
    assert json.loads(added.stdout)["id"] == 4


def test_the_schema_is_versioned_and_a_newer_one_is_refused(team_url: str, clip: Clip) -> None:
    assert clip("add", "Something kept.", "-L", team_url).exit_code == 0
    with _connect(team_url) as conn:
        assert conn.execute(
            "SELECT value FROM clip_meta WHERE key = 'schema_version'"
        ).fetchone() == (SCHEMA_VERSION,)
        conn.execute("UPDATE clip_meta SET value = '7' WHERE key = 'schema_version'")
    message = error_message(clip("list", "-L", team_url), ExitCode.ERROR)
    assert message.startswith("this team library has schema version 7, newer than this clip")
    with _connect(team_url) as conn:
        assert conn.execute("SELECT count(*) FROM clippings").fetchone() == (1,)


def test_each_clipping_is_analysed_in_its_language(team_url: str, clip: Clip) -> None:
    for text, language in (
        ("Les élections municipales ont eu lieu dimanche dans toute la région.", "fr"),
        ("Die Wahlen fanden am Sonntag in der ganzen Region statt.", "de"),
        ("The voters went to the polls across the whole region.", "en"),
        ("Seçkilər bazar günü bütün bölgədə keçirildi.", "az"),
    ):
        assert clip("add", text, "--lang", language, "-L", team_url).exit_code == 0
    with _connect(team_url) as conn:
        configs = [r[0] for r in conn.execute("SELECT config::text FROM clippings ORDER BY id")]
    assert configs == ["french", "german", "english", "simple"]

    def found(query: str) -> list[int]:
        result = clip("search", query, "--json", "-L", team_url)
        assert result.exit_code == 0, result.stderr
        return [hit["id"] for hit in json.loads(result.stdout)]

    assert found("election") == [1]  # élections, stemmed in French, accents aside
    assert found("wahl") == [2]  # Wahlen, in German
    assert found("voter") == [3]
    assert found("bolgede") == [4]  # no stemmer: the word as written, folded
    assert found('"the voters"') == [3]  # a phrase: the words as written
    assert found("lang:de region") == [2]


def test_a_dry_run_import_writes_nothing(team_url: str, clip: Clip, tmp_path: Path) -> None:
    source = tmp_path / "items.jsonl"
    source.write_text("".join(json.dumps({"text": f"Imported item {n}.", "title": f"t{n}"}) + "\n"
                              for n in range(3)))  # fmt: skip
    result = clip("import", str(source), "--dry-run", "-L", team_url)
    assert result.exit_code == 0, result.stderr
    assert "Would add 3" in result.stderr
    with _connect(team_url) as conn:
        assert conn.execute("SELECT count(*) FROM clippings").fetchone() == (0,)
        assert conn.execute("SELECT last_value, is_called FROM clip_ids").fetchone() == (1, False)


def test_an_import_of_a_broken_file_writes_nothing(team_url: str, clip: Clip,
                                                   tmp_path: Path) -> None:  # fmt: skip
    source = tmp_path / "broken.json"
    source.write_text("[1, 2")
    error_message(clip("import", str(source), "-L", team_url), ExitCode.USAGE)
    with _connect(team_url) as conn:
        assert conn.execute("SELECT count(*) FROM clippings").fetchone() == (0,)


def test_who_added_a_clipping_is_recorded(team_url: str, clip: Clip,
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert clip("add", "Added as the database user.", "-L", team_url).exit_code == 0
    monkeypatch.setenv("CLIPPER_USER", "jane.doe")
    assert clip("add", "Added by Jane, as her config says.", "-L", team_url).exit_code == 0
    with _connect(team_url) as conn:
        users = [r[0] for r in conn.execute("SELECT added_by FROM clippings ORDER BY id")]
    assert users == ["clip_test", "jane.doe"]


def test_a_team_library_takes_no_page_snapshot(team_url: str, clip: Clip) -> None:
    from clipper.team.library import TeamLibrary

    library = TeamLibrary.connect(team_url)
    try:
        with pytest.raises(ClipperError) as raised:
            library.add_captured(Draft(text="A page.", title="Page"), page=b"<html></html>")
        assert "keeps no page snapshots" in str(raised.value)
        assert library.clippings() == []
    finally:
        library.close()


def _seed_local(clip: Clip, library_home: Path) -> None:
    folder = str(library_home)
    for text, tag in (("Port workers strike over pay in the harbour.", "labour"),
                      ("The council votes on the new tram line.", "transport"),
                      ("Dockers and the port authority reach a deal.", "labour")):  # fmt: skip
        assert clip("add", text, "-t", tag, "-L", folder).exit_code == 0
    assert clip("note", "3", "Settled at last.", "-L", folder).exit_code == 0
    assert clip("quote", "3", "reach a deal", "-L", folder).exit_code == 0
    assert clip("star", "3", "-L", folder).exit_code == 0


def test_push_copies_a_selection_with_its_marks_and_skips_what_is_there(
    clip: Clip, library_home: Path, team_url: str
) -> None:
    _seed_local(clip, library_home)
    pushed = clip("push", team_url, "tag:labour", "--json", "-L", str(library_home))
    assert pushed.exit_code == 0, pushed.stderr
    assert [o["status"] for o in json.loads(pushed.stdout)["records"]] == ["added", "added"]
    listed = json.loads(clip("list", "--json", "-L", team_url).stdout)
    assert sorted(c["title"] for c in listed) == sorted(
        c["title"] for c in json.loads(clip("list", "tag:labour", "--json",
                                            "-L", str(library_home)).stdout)
    )  # fmt: skip
    deal = next(c for c in listed if c["note"])
    assert (deal["note"], deal["passages"], deal["starred"], deal["tags"]) == (
        "Settled at last.", ["reach a deal"], True, ["labour"]
    )  # fmt: skip
    local = json.loads(clip("show", "3", "--json", "-L", str(library_home)).stdout)
    assert deal["uuid"] == local[0]["uuid"] if isinstance(local, list) else local["uuid"]
    again = clip("push", team_url, "-L", str(library_home))
    assert again.exit_code == 0, again.stderr
    assert "Added 1 · skipped 2 duplicates · failed 0" in again.stderr  # the tram line is new


def test_pull_takes_a_selection_offline(clip: Clip, library_home: Path, team_url: str) -> None:
    for text in ("Harbour cranes are replaced.", "A tram depot opens.", "Cranes again."):
        assert clip("add", text, "-t", "port" if "ranes" in text else "tram",
                    "-L", team_url).exit_code == 0  # fmt: skip
    dry = clip("pull", team_url, "cranes", "--dry-run", "-L", str(library_home))
    assert dry.exit_code == 0, dry.stderr
    assert "Would add 2 · skipped 0 duplicates · failed 0" in dry.stderr
    assert not (library_home / "clippings.json").exists()
    pulled = clip("pull", team_url, "cranes", "-L", str(library_home))
    assert "Added 2 · skipped 0 duplicates · failed 0" in pulled.stderr
    local = json.loads(clip("list", "--json", "-L", str(library_home)).stdout)
    assert sorted(c["text"] for c in local) == ["Cranes again.", "Harbour cranes are replaced."]
    assert {tuple(c["tags"]) for c in local} == {("port",)}
    assert "skipped 2 duplicates" in clip("pull", team_url, "-L", str(library_home)).stderr


def test_push_needs_a_team_library_url(clip: Clip, library_home: Path) -> None:
    message = error_message(clip("push", str(library_home)), ExitCode.USAGE)
    assert "is not a team library; give its postgresql:// URL" in message


def test_by_finds_what_a_user_added(team_url: str, clip: Clip,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert clip("add", "Filed by the database user.", "-L", team_url).exit_code == 0
    monkeypatch.setenv("CLIPPER_USER", "Jane.Doe")
    assert clip("add", "Filed by Jane about the harbour.", "-L", team_url).exit_code == 0

    def listed(query: str) -> list[int]:
        result = clip("list", "--json", "-L", team_url, "--", query)
        assert result.exit_code == 0, result.stderr
        return sorted(c["id"] for c in json.loads(result.stdout))

    assert listed("by:jane.doe") == [2]  # case aside
    assert listed("by:jan*") == [2]
    assert listed("-by:jane.doe") == [1]
    assert listed("by:clip_test OR harbour") == [1, 2]
    assert listed("by:nobody") == []


def test_by_on_a_library_folder_says_only_a_team_library_knows(clip: Clip) -> None:
    assert clip("add", "Mine, as everything here.").exit_code == 0
    message = error_message(clip("list", "by:jane"), ExitCode.USAGE)
    assert message.startswith("by: asks who added a clipping, which only a team library records")


def test_a_member_with_the_documented_grants_can_work(
    team_url: str, postgres: object, clip: Clip, tmp_path: Path
) -> None:
    from tests.postgres_server import Server

    assert isinstance(postgres, Server)
    assert clip("list", "-L", team_url).exit_code == 0  # the owner's first run makes the tables
    database = team_url.rsplit("/", 1)[1]
    with _connect(team_url) as conn:  # as docs/team-library.md says
        for statement in (
            "DROP ROLE IF EXISTS member", "DROP ROLE IF EXISTS press_team",
            "CREATE ROLE press_team",
            f'GRANT CONNECT ON DATABASE "{database}" TO press_team',
            "GRANT USAGE ON SCHEMA public TO press_team",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON clippings TO press_team",
            "GRANT SELECT ON clip_meta, clip_tag_counts TO press_team",
            "GRANT USAGE, SELECT, UPDATE ON SEQUENCE clip_ids TO press_team",
            "CREATE ROLE member LOGIN PASSWORD 'pw' IN ROLE press_team",
        ):  # fmt: skip
            conn.execute(statement)
    member = f"postgresql://member:pw@127.0.0.1:{postgres.port}/{database}"
    items = tmp_path / "items.jsonl"
    items.write_text('{"text": "Imported by a member.", "title": "x"}\n')
    for args in (("add", "A member files the port strike story.", "-t", "labour"),
                 ("tag", "1", "-t", "port"), ("note", "1", "Checked."), ("star", "1"),
                 ("rm", "1", "--yes"), ("trash", "restore", "1"),
                 ("import", str(items))):  # fmt: skip
        done = clip(*args, "-L", member)
        assert done.exit_code == 0, (args, done.stderr)
    hits = json.loads(clip("search", "strike by:member", "--json", "-L", member).stdout)
    assert [(h["id"], h["tags"], h["starred"]) for h in hits] == [(1, ["labour", "port"], True)]
    with _connect(team_url) as conn:
        for statement in ("DROP OWNED BY member", "DROP ROLE member", "DROP OWNED BY press_team",
                          "DROP ROLE press_team"):  # fmt: skip
            conn.execute(statement)
