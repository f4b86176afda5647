"""Round trips: a json export or an md-files folder imported into an empty library gives back
the same clippings, field for field (hypothesis)."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.formats import markdown_folder, render_document
from clipper.library.core import Library
from clipper.library.importing import read_source, run_import
from clipper.model import Clipping, Draft, normalize_text
from clipper.paths import LibraryPaths
from clipper.provenance import FIELDS, ORIGINS
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, STORY, UNRELATED

HALF = "\n\n".join(STORY[:2])

# YAML and Markdown specials, Unicode from several scripts, and ordinary letters.
SPECIAL = ":#-'\"{}[]|>&*!%@`,?\\\n\t ---"
chars = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from(SPECIAL)
words = st.text(alphabet=chars, max_size=40)



def text_export(name: str, clippings: Sequence[Clipping]) -> str:
    """A text format's export: render_document returns bytes only for pdf and docx."""
    return cast(str, render_document(name, clippings))

def visible(text: str) -> bool:
    """Shows something: a text of spaces and invisible characters is no text (model._visible)."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs") for c in text)


some_words = words.filter(visible)
long_text = st.integers(min_value=500, max_value=3000).map(lambda n: "Lorem ipsum dolor " * n)
bodies = st.one_of(st.text(alphabet=chars, min_size=1, max_size=400), long_text).filter(visible)
tags = st.lists(st.from_regex(r"[a-zà-ÿа-я0-9]{1,8}(/[a-z0-9]{1,6})?", fullmatch=True), max_size=4)
dates = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2023", "2023-02", "2023-02-23T10:15:00Z", "2023-02-23T10:15:00+04:00"]),
)
urls = st.one_of(st.none(), st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9_~%-]{0,20}",
                                          fullmatch=True))  # fmt: skip
def with_passages(draft: Draft) -> st.SearchStrategy[Draft]:
    """The draft with up to two passages of its own text, as a user would quote them."""
    words = draft.text.split()
    spans = st.lists(st.tuples(st.integers(0, len(words) - 1), st.integers(1, 8)), max_size=2)
    return spans.map(
        lambda chosen: replace(draft, passages=[" ".join(words[i : i + n]) for i, n in chosen])
    )


drafts = st.builds(
    Draft,
    text=bodies,
    title=some_words,
    title_source=st.sampled_from(["given", "extracted", "generated"]),
    url=urls,
    source=st.one_of(st.none(), words),
    authors=st.lists(some_words, max_size=3),
    published=dates,
    language=st.one_of(st.none(), st.sampled_from(["en", "de", "az", "pt-BR", "zh-Hant"])),
    tags=tags,
    note=st.one_of(st.none(), words, bodies),
    starred=st.booleans(),
    description=st.one_of(st.none(), words),
    provenance=st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(ORIGINS)),
).flatmap(with_passages)


# Libraries kept without --allow-duplicate: no two clippings share a text or a URL.
batches = st.lists(
    drafts,
    min_size=1,
    max_size=5,
    unique_by=(lambda d: normalize_text(d.text), lambda d: d.url or str(id(d))),
)


def library_in(folder: str) -> Library:
    return Library(LibraryPaths(Path(folder)))


def fill(library: Library, items: list[Draft]) -> list[Clipping]:
    result = library.add_many(items)
    assert result.failed == [], result.failed
    return library.clippings()


def without(clippings: list[Clipping], *names: str) -> list[dict[str, Any]]:
    """The clippings' fields but `names`, sorted by uuid, near duplicates named by uuid."""
    uuids = {c.id: c.uuid for c in clippings}
    rows = []
    for clipping in clippings:
        row = {k: v for k, v in clipping.to_dict().items() if k not in names}
        row["near_duplicates"] = sorted(uuids[i] for i in clipping.near_duplicates)
        rows.append(row)
    return sorted(rows, key=lambda row: str(row["uuid"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=batches)
def test_json_export_imported_into_an_empty_library_is_identical(items: list[Draft]) -> None:
    with tempfile.TemporaryDirectory() as work:
        original = fill(library_in(f"{work}/a"), items)
        export = Path(work, "backup.json")
        export.write_text(text_export("json", original[::-1]), encoding="utf-8")
        target = library_in(f"{work}/b")
        report = run_import(target, read_source(str(export)))
        assert report.count("added") == len(original)
        # ids too: an empty library takes the ids of the export
        assert [c.to_dict() for c in target.clippings()] == [c.to_dict() for c in original]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=batches)
def test_jsonl_export_round_trip(items: list[Draft]) -> None:
    with tempfile.TemporaryDirectory() as work:
        original = fill(library_in(f"{work}/a"), items)
        export = Path(work, "backup.jsonl")
        export.write_text(text_export("jsonl", original), encoding="utf-8")
        target = library_in(f"{work}/b")
        run_import(target, read_source(str(export)))
        assert [c.to_dict() for c in target.clippings()] == [c.to_dict() for c in original]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=batches)
def test_md_files_folder_imported_into_an_empty_library_is_identical(items: list[Draft]) -> None:
    with tempfile.TemporaryDirectory() as work:
        original = fill(library_in(f"{work}/a"), items)
        folder = Path(work, "vault")
        markdown_folder.write(original, folder)
        target = library_in(f"{work}/b")
        report = run_import(target, read_source(str(folder)))
        assert report.count("failed") == 0, [o.reason for o in report.outcomes]
        # md-files leaves out ids (they belong to one library); every other field comes back.
        assert without(target.clippings(), "id") == without(original, "id")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_export_gives_back_its_near_duplicate_links(tmp_path: Path, fmt: str) -> None:
    source = library_in(str(tmp_path / "a"))
    for text in (ORIGINAL, "A clipping soon deleted.", UNRELATED, REPUBLISHED, HALF):
        source.add_captured(Draft(text=text, title="Story"))
    source.remove([2])
    original = source.clippings()
    assert [c.near_duplicates for c in original] == [[4, 5], [], [1, 5], [4, 1]]  # as `clip add`
    export = tmp_path / f"backup.{fmt}"
    export.write_text(text_export(fmt, original), encoding="utf-8")
    target = library_in(str(tmp_path / "b"))
    run_import(target, read_source(str(export)))
    assert [c.to_dict() for c in target.clippings()] == [c.to_dict() for c in original]
    # Into a library with clippings of its own, the links follow the new ids.
    used = library_in(str(tmp_path / "c"))
    used.add(Draft(text="Already here, and another story.", title="Here"))
    run_import(used, read_source(str(export)))
    assert [c.near_duplicates for c in used.clippings()] == [[], [4, 5], [], [2, 5], [4, 2]]


def test_into_a_library_that_has_clippings_ids_are_new(tmp_path: Path) -> None:
    source = library_in(str(tmp_path / "a"))
    original = fill(source, [Draft(text=f"Text {n}.", title=f"T{n}") for n in range(3)])
    export = tmp_path / "backup.json"
    export.write_text(text_export("json", original), encoding="utf-8")
    target = library_in(str(tmp_path / "b"))
    target.add(Draft(text="Already here.", title="Here"))
    run_import(target, read_source(str(export)))
    kept = target.clippings()
    assert [c.id for c in kept] == [1, 2, 3, 4]
    assert [c.uuid for c in kept[1:]] == [c.uuid for c in original]
    # A second import of the same backup: every record is a duplicate (by uuid, URL or text).
    again = run_import(target, read_source(str(export)))
    assert again.count("duplicate") == 3 and len(target.clippings()) == 4


def test_jsonl_lines_end_at_newlines_only(tmp_path: Path) -> None:
    """U+2028, U+2029 and U+0085 stay inside a JSON string; str.splitlines() cuts at them."""
    original = fill(library_in(str(tmp_path / "a")), [
        Draft(text="One\u2028two\u2029three\x85four.", title="Line\u2028separator",
              authors=["Ann\u2028Smith"]),
    ])  # fmt: skip
    export = tmp_path / "backup.jsonl"
    export.write_text(text_export("jsonl", original), encoding="utf-8")
    target = library_in(str(tmp_path / "b"))
    report = run_import(target, read_source(str(export)))
    assert report.count("failed") == 0, [o.reason for o in report.outcomes]
    assert [c.to_dict() for c in target.clippings()] == [c.to_dict() for c in original]
