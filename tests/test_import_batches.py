"""An import committed a batch at a time stores what one commit of it all stores, byte for byte;
stopped in the middle, it keeps the batches committed and says how many clippings they hold.
And the model's faster ways (a batch's signatures in arrays, `to_dict`, dates without
`strptime`) give what the plain ways give."""

from __future__ import annotations

import dataclasses
import errno
import os
import random
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper import signature
from clipper.errors import ClipperError, ExitCode, UsageError
from clipper.formats import records
from clipper.formats.json_formats import read_jsonl
from clipper.library import core
from clipper.library.core import Library
from clipper.model import (
    Clipping,
    Draft,
    content_hash,
    count_words,
    iso_date,
    normalize_text,
    texts_keys,
    validate_url,
)
from clipper.paths import LibraryPaths
from clipper.signature import VECTORIZED_FROM, text_signature
from tests import stored
from tests.test_near_links_scale import copies


def exported(count: int, seed: int) -> list[Draft]:
    """An export of a library of many near copies, as `clip import` reads it back: ids, uuids,
    capture times and links carried, in a shuffled order; some records without their links
    (another tool's export), some with part of them, some ids repeated or missing."""
    rng = random.Random(seed)
    texts = copies(stories=6, per_story=max(1, count // 6), seed=seed)[:count]
    drafts = []
    for n, text in enumerate(texts):
        # Links to earlier and later records, some to ids no record of the file has.
        listed = sorted(rng.sample(range(1, count + 8), k=3))
        roll = rng.random()
        near = None if roll < 0.25 else listed[:1] if roll < 0.4 else listed
        drafts.append(
            Draft(
                text=text,
                title=f"Story {n}",
                id=n + 1 if rng.random() < 0.9 else rng.choice([None, 1, 5]),
                uuid=f"00000000-0000-4000-8000-{n:012d}",
                captured=f"2026-11-{1 + n % 28:02d}T10:00:00Z",
                near_duplicates=near,
            )
        )
    rng.shuffle(drafts)
    return drafts


def imported(home: Path, drafts: list[Draft], batch: int, kept: list[Draft]) -> tuple[Any, ...]:
    library = Library(LibraryPaths(home))
    if kept:
        library.add_many(kept)
    result = library.add_many(drafts, batch=batch)
    report = [(c.id, c.near_duplicates) for c in result.added]
    failed = [(position, error.message) for position, error in result.failed]
    tables = stored.tables(home / "clippings.json")
    tables["meta"]["1"].pop("generation")  # the commits counted: one a batch
    return tables, report, failed, result.count


@pytest.mark.parametrize("kept_count", [0, 12])
@pytest.mark.parametrize("seed", [1, 2])
def test_batches_store_what_one_commit_stores(tmp_path: Path, seed: int, kept_count: int) -> None:
    drafts = exported(90, seed)
    # Into a library that holds clippings already: a few of the same (refused as duplicates)
    # and copies of the same stories (linked with those kept).
    kept = [
        dataclasses.replace(
            d, id=None, uuid=f"11111111-0000-4000-8000-{n:012d}", near_duplicates=None
        )
        for n, d in enumerate(drafts[:kept_count])
    ]
    whole = imported(tmp_path / "whole", drafts, 10_000, kept)
    assert whole[1] and any(links for _, links in whole[1])  # the fixture links clippings
    for batch in (1, 4, 17):
        assert imported(tmp_path / f"by-{batch}", drafts, batch, kept) == whole, batch


def test_a_dry_run_in_batches_reports_what_one_batch_reports(tmp_path: Path) -> None:
    drafts = exported(40, 3)
    library = Library(LibraryPaths(tmp_path / "lib"))
    whole = library.add_many(drafts, dry_run=True)
    by_five = library.add_many(drafts, dry_run=True, batch=5)
    assert [c.to_dict() for c in by_five.added] == [c.to_dict() for c in whole.added]
    assert not (tmp_path / "lib" / "clippings.json").exists() or not library.clippings()


def test_an_interrupted_import_keeps_its_committed_batches_and_says_so(tmp_path: Path) -> None:
    library = Library(LibraryPaths(tmp_path / "lib"))

    def drafts() -> Iterator[Draft]:
        for n in range(250):
            if n == 230:
                raise KeyboardInterrupt
            yield Draft(
                text=f"Article number {n} about the harbour and its ferries.", title=f"A{n}"
            )

    with pytest.raises(ClipperError) as caught:
        library.add_many(drafts(), batch=100)
    assert caught.value.exit_code == ExitCode.INTERRUPTED
    assert "200 clippings were added before it stopped" in caught.value.message
    assert [c.title for c in library.clippings()] == [f"A{n}" for n in range(200)]
    # Run again: those added are refused as duplicates, the rest added.
    again = library.add_many(
        Draft(text=f"Article number {n} about the harbour and its ferries.", title=f"A{n}")
        for n in range(250)
    )
    assert (again.count, len(again.failed)) == (50, 200)
    assert len(library.clippings()) == 250


def test_a_bulk_add_holds_no_clipping_when_told_not_to(tmp_path: Path) -> None:
    library = Library(LibraryPaths(tmp_path / "lib"))
    result = library.add_many(
        (Draft(text=f"Text {n} of the council.", title=f"T{n}") for n in range(30)),
        batch=7,
        keep_added=False,
    )
    assert (result.count, result.added) == (30, [])
    assert [c.id for c in library.clippings()] == list(range(1, 31))


# Characters whose normalization joins or splits words ('e' and a combining accent, '½',
# 'İ' folding into 'i' and a combining dot, ideographs counted one a word) beside plain ones.
ALPHABET = "ab cé\u00a0ÅﬁΣς1_\n\t-İß½\u0301東ｶ’\u200b"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=80), max_size=8))
def test_a_batch_is_signed_and_counted_as_each_text_alone(extra: list[str]) -> None:
    base = copies(stories=3, per_story=VECTORIZED_FROM // 3 + 1, seed=5)
    texts = [*base, *extra, "one two", "", "a a a a a a a a a a a a", "x y " * 6]
    assert len(texts) >= VECTORIZED_FROM  # the arrays' way
    expected = [(content_hash(t), text_signature(t), count_words(t)) for t in texts]
    assert texts_keys(texts) == expected
    assert texts_keys(texts[-20:]) == expected[-20:]  # the plain way


@pytest.mark.parametrize(
    ("text", "words"),
    [("Cafe\u0301 noir", 2), ("½ cup", 2), ("İstanbul news", 2), ("東京 news", 3),
     ("Straße und Fluß", 3), ("ﬁne ﬁsh", 2), ("“Quoted,” she said", 3)],
)  # fmt: skip
def test_a_word_count_is_the_texts_own_where_normalizing_moves_words(
    text: str, words: int
) -> None:
    assert count_words(text) == words
    assert texts_keys([text])[0][2] == words


def test_to_dict_is_what_asdict_gives() -> None:
    clipping = Clipping.create(7, Draft(text="A text of a few words here.", title="T").validated())
    clipping.near_duplicates, clipping.passages = [3, 1], ["few words"]
    clipping.provenance = {"title": "given"}
    assert list(clipping.to_dict().items()) == list(dataclasses.asdict(clipping).items())


@pytest.mark.parametrize(
    "text",
    ["2023", "0000", "9999", "2023-00", "2023-12", "2023-13", "2024-02-29", "2023-02-29",
     "2023-04-31", "2023-04-30", "2023-01-00", "\u0662\u0660\u0662\u0663-01-05", "1900-02-29"],
)  # fmt: skip
def test_dates_are_checked_as_strptime_checks_them(text: str) -> None:
    form = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(text)]
    try:
        datetime.strptime(text, form)
    except ValueError:
        expected = None
    else:
        expected = text
    assert iso_date(text) == expected


# Whitespace of every kind str.isspace knows (separators, NEL, no-break), and some it does not.
SPACES_AND_NOT = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000\u200bab\ufb01"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPACES_AND_NOT), max_size=30))
def test_text_is_normalized_as_a_whitespace_regex_normalizes_it(text: str) -> None:
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert normalize_text(text) == re.sub(r"\s+", " ", folded).strip()


@pytest.mark.parametrize("batch", [10_000, 9])
def test_the_index_answers_what_the_store_answers(
    tmp_path: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a library with an index, the duplicate keys and the kept signatures come from it
    (no record read): the import stores what it stores when only the store can answer."""
    drafts = exported(60, 4)
    kept = [
        dataclasses.replace(
            d, id=None, uuid=f"22222222-0000-4000-8000-{n:012d}", near_duplicates=None
        )
        for n, d in enumerate(drafts[:20])
    ]
    answered: list[bool] = []
    asked = core._indexed_keys

    def indexed_keys(*args: Any) -> Any:
        found = asked(*args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(core, "_indexed_keys", indexed_keys)
    results = []
    for name in ("indexed", "store"):
        library = Library(LibraryPaths(tmp_path / name))
        library.add_many(kept)
        library.remove([3])  # a duplicate of the trash is refused too
        if name == "indexed":
            assert library.select(limit=1)  # a read builds the index
            assert library.paths.index.exists()
        result = library.add_many(drafts, batch=batch)
        tables = stored.tables(library.paths.store)
        tables["meta"]["1"].pop("generation")
        failed = [(position, error.message) for position, error in result.failed]
        results.append((tables, failed, [(c.id, c.near_duplicates) for c in result.added]))
    assert results[0] == results[1]
    assert any("in the trash" in message for _, message in results[0][1])
    assert answered == [False, True, False, False]  # the index answered the indexed import


def test_a_url_is_refused_for_the_characters_it_was_refused_for() -> None:
    """Every character of the first planes, in a URL: refused exactly when it is whitespace
    or a control character (Unicode's Cc), as the character by character test refused it."""
    for code in range(0x3100):
        char = chr(code)
        refused = char.isspace() or unicodedata.category(char) == "Cc"
        try:
            validate_url(f"https://news.example/a{char}b")
        except UsageError as error:
            assert refused == ("spaces or control characters" in error.message), hex(code)
        else:
            assert not refused, hex(code)


def _read(data: bytes | str) -> list[tuple[int, object]]:
    return [
        (number, ("error", str(found)) if isinstance(found, Exception) else found)
        for number, found in read_jsonl(data)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b'{"a": 1}', b'{"t": "\xc3\xa9\xe2\x80\xa8"}', b'{"a": \xff}', b'{"t": "\xff"}',
             b"\xe3\x80\x80", b"  ", b"\r", b'{"a": 1', b"[1, 2]", b"\xef\xbb\xbf{}", b"nul"]
        ),
        max_size=6,
    )
)  # fmt: skip
def test_jsonl_bytes_are_read_as_their_decoded_text(lines: list[bytes]) -> None:
    """Read a line at a time as bytes, a file gives what its text, decoded whole with
    replacement characters and split at each newline, gives: records, blank lines, errors."""
    data = b"\n".join(lines)
    assert _read(data) == _read(data.decode("utf-8", errors="replace"))


def test_a_batch_whose_commit_fails_is_not_counted_as_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(LibraryPaths(tmp_path / "lib"))
    drafts = [Draft(text=f"Report {n} on the tram line.", title=f"R{n}") for n in range(25)]
    real_replace = os.replace
    replaced: list[object] = []

    def full_after_two_commits(source: object, target: object) -> None:
        if str(target).endswith("clippings.json"):
            replaced.append(target)
            if len(replaced) > 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr("os.replace", full_after_two_commits)
    with pytest.raises(ClipperError) as caught:
        library.add_many(drafts, batch=10)
    monkeypatch.undo()
    assert "20 clippings were added before it stopped" in caught.value.message
    assert "No space left on device" in caught.value.message
    assert len(library.clippings()) == 20


WIDER = f"{ALPHABET}𝔘😀q\u0663"  # four bytes of UTF-8, and an Arabic-Indic digit


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(WIDER), max_size=120), max_size=30))
def test_the_arrays_find_and_hash_the_words_the_regex_finds(extra: list[str]) -> None:
    long_words = ["a" * 100 + " b " + "c" * 48 + " " + "d" * 49 + " é" * 3, "東" * 40 + " x"]
    texts = [normalize_text(t) for t in [*extra, *long_words, "", "one"]]
    words, counts = signature._hashed_apart(texts)
    together = signature._hashed_together(texts)
    assert together is not None
    assert counts == together[1] == [len(re.findall(r"\w+", t)) for t in texts]
    assert words.tolist() == together[0].tolist()


def test_texts_with_a_newline_are_hashed_apart() -> None:
    assert signature._hashed_together(["one two three", "four\nfive six"]) is None
    texts = [f"line {n} of the harbour\nand its ferries {n % 7}" for n in range(VECTORIZED_FROM)]
    assert [s for s, _ in signature.normalized_signatures(texts)] == [
        signature.normalized_signature(t) for t in texts
    ]


@pytest.mark.parametrize(
    "links",
    [[], [1, 2, 3], [0], [5, 0], [True], [1, True], [-3, 5], [1, "2"], [1.0], ["7"],
     [records.MAX_KEPT_ID - 1, 1], [records.MAX_KEPT_ID], [2, records.MAX_KEPT_ID + 5]],
)  # fmt: skip
def test_an_exports_links_are_ids_as_each_is_checked_alone(links: list[Any]) -> None:
    assert records._all_ids(links) == all(records._is_id(value) for value in links)
