"""Arbitrary hand edits of clippings.json: every path that reads the store gives data, a
ClipperError or a skipped-record warning, never another exception; doctor lists every damaged
record; a write keeps each damaged record as it was."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.errors import ClipperError
from clipper.library import doctor
from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.storage.check import problem
from tests import stored

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD = {
    "id": 1, "uuid": "0c4cbc37-f0b2-430a-b8d5-a1cf9cad9590", "title": "Harbour",
    "text": "The harbour reopened.", "captured": "2026-03-14T09:00:00Z", "title_source": "given",
    "url": "https://example.org/a", "source": "News.Az", "authors": ["A. Smith"],
    "published": "2026-03-14", "language": "en", "tags": ["port"], "note": None,
    "starred": False, "content_hash": "", "word_count": 3, "description": None,
    "snapshot": None, "signature": "", "near_duplicates": [],
}  # fmt: skip

hostile = st.one_of(
    st.none(), st.booleans(), st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.sampled_from([2**53 - 1, 2**53, 2**63 - 1, 2**63, 2**64 - 1, 0, -1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.one_of(st.integers(min_value=-5, max_value=2**64 - 1), st.text(max_size=5),
                       st.none()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(min_value=-5, max_value=5), max_size=2),
    st.sampled_from(["alien", "", "https://%zz/", "2023-02-30", "\u200b", "x" * 300]),
)  # fmt: skip
keys = st.one_of(
    st.integers(min_value=1, max_value=30).map(str),
    st.sampled_from(
        ["0", "-1", " 1", "", "abc", "١", "01", "001", str(2**53), str(2**64), str(2**70)]
    ),
)


@st.composite
def records(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(hostile)  # not even a dict
    record = dict(GOOD)
    for name in list(GOOD):
        choice = draw(st.integers(0, 7))
        if choice == 0:
            del record[name]
        elif choice == 1:
            record[name] = draw(hostile)
    if draw(st.booleans()):
        record[draw(st.text(max_size=6))] = draw(hostile)  # an unknown field
    return record


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for table in ("clippings", "trash"):
        if draw(st.integers(0, 5)):
            document[table] = draw(st.dictionaries(keys, records(), max_size=5))
    if draw(st.integers(0, 3)):
        meta: dict[str, Any] = {"schema_version": 1}
        for name in ("next_id", "generation"):
            if draw(st.booleans()):
                meta[name] = draw(hostile)
        document["meta"] = {"1": meta}
    return document


def outcome(action: Callable[[], object]) -> object:
    try:
        return action()
    except ClipperError as error:
        assert error.message.strip(), "a ClipperError needs a message"
        return error


@FUZZ
@given(document=documents())
def test_any_hand_edit_is_data_an_error_or_a_warning(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        store = home / "clippings.json"
        store.write_bytes(orjson.dumps(document))
        library = Library(LibraryPaths(home))
        damaged = {
            (table, key): record
            for table in ("clippings", "trash")
            for key, record in document.get(table, {}).items()
            if problem(key, record) is not None
        }

        listed = outcome(library.select)
        outcome(library.clippings)
        outcome(library.trash)
        outcome(lambda: library.search("harbour"))
        outcome(library.tag_counts)
        outcome(library.stats)
        ids = [int(k) for k in document.get("clippings", {}) if k.isdigit() and len(k) < 16]
        for clipping_id in ids:
            outcome(lambda i=clipping_id: library.get_many([i]))  # type: ignore[misc]
        if isinstance(listed, list):
            skipped, _ = library.damage_seen()
            assert {(d.table, d.key) for d in skipped} >= {
                (t, k) for t, k in damaged if t == "clippings"
            }

        findings = outcome(lambda: doctor.examine(library))
        if isinstance(findings, list):
            messages = " | ".join(f.message for f in findings)
            for _, key in damaged:
                assert f"clipping {key}" in messages or repr(key)[:20] in messages, key

        outcome(lambda: library.add(Draft(text="A new article, on the ferry.", title="Ferry")))
        outcome(lambda: doctor.repair(library))
        after = outcome(lambda: stored.tables(store))
        if isinstance(after, dict) and not isinstance(findings, ClipperError):
            for (table, key), record in damaged.items():
                assert after[table][key] == record, (table, key)


EXPORTS = ["md", "json", "jsonl", "csv", "html", "bibtex", "csl-json"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_any_hand_edit_goes_through_the_commands(document: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from clipper.cli.app import app

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "clippings.json").write_bytes(orjson.dumps(document))
        ids = [k for k in document.get("clippings", {}) if k.isdigit() and len(k) < 16][:2]
        commands = [["list"], ["search", "harbour"], ["stats"], ["tags"], ["trash"],
                    ["doctor"], *(["export", "-f", f] for f in EXPORTS),
                    *(["show", i] for i in ids), *(["related", i] for i in ids[:1]),
                    ["tag", *ids[:1], "-t", "x"], ["doctor", "--repair"]]  # fmt: skip
        for args in commands:
            if args == ["tag", "-t", "x"]:
                continue
            result = runner.invoke(app, ["--library", folder, *args], catch_exceptions=False)
            assert "Traceback" not in result.stderr, args
            if result.exit_code not in (0, 3):
                assert result.stderr.startswith(("Error: ", "Problem: ", "Repaired: ")), (
                    args,
                    result.stderr,
                )
