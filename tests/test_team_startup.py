"""What every command on a team library pays before its own work: the modules it loads and
the queries that open the library (each `clip` is its own process)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from clipper.team import schema
from clipper.team.library import TeamLibrary

# Run a command in-process, then list the clipper modules it loaded.
_PROBE = """
import json, sys
from clipper.cli.app import main
sys.argv = ["clip", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("clipper"))), file=sys.stderr)
"""


def _loaded(team_url: str, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "--library", team_url, *args],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_a_list_a_search_and_a_tag_load_nothing_of_the_local_store_or_of_adding(
    team_url: str,
) -> None:
    added = _loaded(team_url, "add", "The council approved the tram line to the old docks on "
                    "Tuesday, by 31 votes to 18.", "--title", "Trams")  # fmt: skip
    assert "clipper.team.adding" in added  # the probe sees what a command loads
    local_store = {"clipper.library.core", "clipper.storage.store", "clipper.storage.transaction"}
    adding = {"clipper.library.intake", "clipper.capture.suggest", "clipper.library.near_links"}
    for command in (["list", "--limit", "20"], ["search", "tram"], ["tag", "1", "-t", "x"]):
        loaded = _loaded(team_url, *command)
        assert "clipper.team.library" in loaded
        assert not loaded & (local_store | adding), command
    assert "clipper.search.stats" not in added


def test_an_up_to_date_library_is_opened_with_one_query_for_its_schema(team_url: str) -> None:
    TeamLibrary.connect(team_url).close()  # creates the tables
    library = TeamLibrary.connect(team_url)
    sent: list[str] = []
    execute = library.conn.execute

    def counting(query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append(str(query))
        return execute(query, params, **kwargs)

    try:
        library.conn.execute = counting  # type: ignore[method-assign]
        schema.ensure(library.conn)
        assert sent == ["SELECT value FROM clip_meta WHERE key = 'schema_version'"]
    finally:
        library.close()
