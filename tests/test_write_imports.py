"""What the everyday writes leave unloaded: a write's start-up is most of its cost.

Each command runs in a fresh interpreter on a small library, its messages going to a pipe (as
from a script), and reports the modules it loaded. None of them draws with rich, takes the lock
through filelock, searches, or loads what only web pages, dates in words or the language model
need.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HEAVY = (
    "rich", "filelock", "httpx", "trafilatura", "lxml", "dateparser", "py3langid",
    "clipper.search.searcher", "clipper.capture.web", "clipper.capture.html_page",
    # The query language: an add reads its near duplicates' cards by id, and compiles no query.
    "clipper.search.compiler", "clipper.search.query",
)  # fmt: skip

_PROBE = """
import gc, json, os, sys
sys.argv = ["clip", *sys.argv[1:]]
from clipper.cli.app import main
try:
    main()
except SystemExit as done:
    code = done.code
with open(os.environ["PROBE_REPORT"], "w") as report:
    found = {"code": code, "loaded": sorted(sys.modules), "frozen": gc.get_freeze_count()}
    if os.environ.get("PROBE_EVAL"):
        found["value"] = eval(os.environ["PROBE_EVAL"])
    json.dump(found, report)
"""

ARTICLE = (
    "The harbour authority of Portmere approved a new ferry terminal on Monday after two years "
    "of hearings. The council said building would start in the spring and cost about forty "
    "million. Residents of the old quay had asked for a noise study, which the authority "
    "promised to publish before any work begins."
)
OTHER = (
    "Dockers at the northern port walked out on Tuesday in a dispute over night shifts. The "
    "union said the strike would last three days unless the operator reopened talks, and "
    "ships were already waiting in the bay by the evening."
)


def probe(home: Path, tmp_path: Path, *argv: str, value: str = "") -> dict[str, Any]:
    """What `clip ARGV` left behind in its interpreter (it must succeed); `value` is a Python
    expression evaluated there once the command is done."""
    report = tmp_path / "report.json"
    env = {**os.environ, "CLIPPER_HOME": str(home), "CLIPPER_CONFIG_DIR": str(tmp_path / "cfg"),
           "PROBE_REPORT": str(report), "PROBE_EVAL": value}  # fmt: skip
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], env=env, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=120, check=False,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(report.read_text())
    assert found["code"] in (0, None), done.stderr
    return found


def loaded_by(home: Path, tmp_path: Path, *argv: str) -> list[str]:
    """The heavy modules `clip ARGV` loaded (it must succeed)."""
    loaded = probe(home, tmp_path, *argv)["loaded"]
    return [name for name in HEAVY if name in loaded]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    assert loaded_by(folder, tmp_path, "add", ARTICLE, "--title", "Ferry terminal") == []
    # A list builds the index (an add alone does not), as in any library that was searched or
    # listed once: the writes below then ask it, not the store, what the library keeps.
    probe(folder, tmp_path, "list")
    assert (folder / "index.sqlite3").is_file()
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ("add", OTHER, "--title", "Port strike", "-t", "labour"),
        # A near duplicate: linked, with a warning on stderr.
        ("add", ARTICLE.replace("Monday", "Tuesday"), "--title", "Ferry terminal approved"),
        ("tag", "1", "-t", "transport"),
        ("untag", "1", "-t", "transport"),
        ("edit", "1", "--note", "Follow the noise study."),
        ("star", "1"),
        ("rm", "1", "--yes"),
    ],
    ids=["add", "add a near duplicate", "tag", "untag", "edit --note", "star", "rm"],
)
def test_a_write_loads_no_heavy_module(home: Path, tmp_path: Path, argv: tuple[str, ...]) -> None:
    assert loaded_by(home, tmp_path, *argv) == []


def test_the_collector_leaves_what_lives_as_long_as_the_process(home: Path, tmp_path: Path) -> None:
    # The modules, and what is alive when the command ends, are frozen: neither the collector's
    # full collections during the command nor the interpreter's last one at exit walk them.
    assert probe(home, tmp_path, "tag", "1", "-t", "transport")["frozen"] > 10_000


# The patterns over large Unicode ranges, each compiled (2-3 ms of pure Python) on first use.
_UNICODE_PATTERNS = (
    "__import__('clipper.model').model._unspaced",
    "__import__('clipper.search.folding').search.folding._marks",
    "__import__('clipper.search.folding').search.folding.word_pattern",
    "__import__('clipper.search.folding').search.folding._cjk_run",
    "__import__('clipper.search.analysis').search.analysis._marked",
    "__import__('clipper.sanitize').sanitize._escape_sequence",
)


@pytest.mark.parametrize(
    ("argv", "used"),
    [
        (("tag", "1", "-t", "transport"), ()),
        (("list",), ()),
        (("show", "1"), ()),
        # The highlighting of a search finds the words of the text shown with marks and all.
        (("search", "ferry"), ("word_pattern",)),
    ],
    ids=["tag", "list", "show", "search"],
)
def test_ascii_texts_compile_no_pattern_of_unicode_ranges(
    home: Path, tmp_path: Path, argv: tuple[str, ...], used: tuple[str, ...]
) -> None:
    sizes = "[" + ", ".join(f"{p}.cache_info().currsize" for p in _UNICODE_PATTERNS) + "]"
    compiled = probe(home, tmp_path, *argv, value=sizes)["value"]
    assert compiled == [int(p.endswith(used)) if used else 0 for p in _UNICODE_PATTERNS]
