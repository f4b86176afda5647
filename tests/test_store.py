"""The store: clippings.json is written atomically, under a lock, and never damaged."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.errors import ExitCode, NotFoundError, StoreError
from clipper.library.core import Library
from clipper.model import Clipping, Draft
from clipper.paths import LibraryPaths
from clipper.storage.store import CLIPPINGS, SCHEMA_VERSION, Store
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message
from tests.test_model import clippings


def draft(text: str, **fields: object) -> Draft:
    return Draft(text=text, title=fields.pop("title", "A title"), **fields)  # type: ignore[arg-type]


def files_in(folder: Path) -> set[str]:
    """The names in a library folder; clippings.d/ only when it holds more than the segment
    files the manifest names (then each stray file, as clippings.d/NAME)."""
    names = {path.name for path in folder.iterdir()}
    segments = folder / "clippings.d"
    if segments.is_dir():
        named = {path.name for path in stored.segment_files(folder / "clippings.json")}
        names.discard("clippings.d")
        names |= {f"clippings.d/{p.name}" for p in segments.iterdir() if p.name not in named}
    return names


# The file on disk ------------------------------------------------------------------------


def test_reading_an_empty_library_creates_nothing(library: Library, library_home: Path) -> None:
    assert library.clippings() == []
    assert library.trash() == []
    assert not library_home.exists()


def test_the_store_is_a_manifest_and_segment_files_of_one_record_a_line(
    library: Library, library_home: Path
) -> None:
    kept = library.add(draft("First article."))
    gone = library.add(draft("Second article."))
    library.remove([gone.id])
    raw = (library_home / "clippings.json").read_bytes()
    data = json.loads(raw)
    assert list(data) == ["meta", "segments", "pending"]
    assert data["pending"] == {}  # no links waiting for their segments
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    entry = data["segments"]["1"]
    assert entry["clippings"] == 1 and entry["trash"] == 1
    segment = library_home / "clippings.d" / entry["file"]
    assert entry["bytes"] == segment.stat().st_size
    tables = json.loads(segment.read_bytes())
    assert list(tables) == ["clippings", "trash"]
    assert tables["clippings"][str(kept.id)] == kept.to_dict()
    assert tables["trash"][str(gone.id)]["text"] == "Second article."
    # One record a line, for people and grep: each line past a table's key is `"id": {...}`.
    lines = segment.read_text(encoding="utf-8").splitlines()
    records = [line.strip().rstrip(",") for line in lines if line.startswith('    "')]
    assert len(records) == 2
    by_id = {int(k): v for k, v in (json.loads("{" + r + "}").popitem() for r in records)}
    assert by_id == {kept.id: kept.to_dict(), gone.id: tables["trash"][str(gone.id)]}
    meta_line = next(line for line in raw.decode().splitlines() if line.startswith('    "1"'))
    assert json.loads("{" + meta_line.strip().rstrip(",") + "}")["1"]["next_id"] == 3


def test_tinydb_opens_the_manifest_and_the_segments(library: Library, library_home: Path) -> None:
    from tinydb import TinyDB

    kept = library.add(draft("First article."))
    with TinyDB(library_home / "clippings.json", access_mode="r") as db:
        assert db.table("meta").get(doc_id=1)["next_id"] == 2
        name = db.table("segments").get(doc_id=1)["file"]
    with TinyDB(library_home / "clippings.d" / name, access_mode="r") as db:
        assert db.table("clippings").get(doc_id=kept.id) == kept.to_dict()


def test_writes_leave_no_temporary_files(library: Library, library_home: Path) -> None:
    for n in range(5):
        library.add(draft(f"Article number {n}."))
    library.tag([1, 2], ["x"])
    library.remove([3])
    library.empty_trash()
    assert files_in(library_home) == {"clippings.json", "clippings.json.lock", "backups"}
    backups = files_in(library_home / "backups")
    assert len(backups) == 2  # taken before rm and before trash empty
    assert not [name for name in backups if name.endswith(".tmp") or name.startswith(".")]


def test_a_write_keeps_the_file_permissions(library: Library, library_home: Path) -> None:
    library.add(draft("First article."))
    store = library_home / "clippings.json"
    store.chmod(0o640)
    library.add(draft("Second article."))
    assert store.stat().st_mode & 0o777 == 0o640


def test_a_hand_edit_is_seen(library: Library, library_home: Path) -> None:
    library.add(draft("First article."))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["1"]["title"] = "Fixed by hand"
    stored.save(store, data)
    assert library.get(1).title == "Fixed by hand"


@settings(max_examples=30, deadline=None)
@given(st.lists(clippings, max_size=4))
def test_any_clippings_survive_the_file(items: list[Clipping]) -> None:
    numbered = [replace(clipping, id=n) for n, clipping in enumerate(items, 1)]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "clippings.json")
        with store.transaction() as tx:
            for clipping in numbered:
                tx.put(CLIPPINGS, clipping.id, clipping.to_dict())
        records = store.snapshot().clippings
        assert [Clipping.from_dict(records[c.id]) for c in numbered] == numbered


def test_a_hand_edit_saved_with_a_byte_order_mark_is_read(
    library: Library, library_home: Path
) -> None:
    library.add(draft("First article."))
    store = library_home / "clippings.json"
    store.write_bytes(b"\xef\xbb\xbf" + store.read_bytes())
    assert [c.text for c in library.clippings()] == ["First article."]
    library.add(draft("Second article."))
    assert stored.tables(store)["clippings"]["2"]["text"] == "Second article."


# Ids -------------------------------------------------------------------------------------


def test_ids_count_up_from_one(library: Library) -> None:
    assert [library.add(draft(f"Article {n}.")).id for n in range(3)] == [1, 2, 3]


def test_ids_are_never_reused_after_the_trash_is_emptied(library: Library) -> None:
    for n in range(3):
        library.add(draft(f"Article {n}."))
    library.remove([2])
    library.empty_trash()
    assert library.add(draft("Another.")).id == 4


def test_the_highest_id_is_not_reused_after_deletion(library: Library) -> None:
    for n in range(3):
        library.add(draft(f"Article {n}."))
    library.remove([3])
    library.empty_trash()
    assert library.add(draft("Another.")).id == 4
    library.remove([1, 2, 4])
    library.empty_trash()
    assert library.add(draft("And another.")).id == 5


def test_ids_are_not_reused_when_a_record_was_deleted_by_hand(
    library: Library, library_home: Path
) -> None:
    library.add(draft("First."))
    library.add(draft("Second."))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    del data["clippings"]["2"]
    stored.save(store, data)
    assert library.add(draft("Third.")).id == 3


def test_ids_continue_above_a_record_added_by_hand(library: Library, library_home: Path) -> None:
    first = library.add(draft("First."))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["9"] = {**first.to_dict(), "id": 9, "text": "Nine.", "content_hash": "9"}
    stored.save(store, data)
    assert library.add(draft("Next.")).id == 10


def test_every_clipping_has_its_own_uuid(library: Library) -> None:
    uuids = {library.add(draft(f"Article {n}.")).uuid for n in range(3)}
    assert len(uuids) == 3


# Transactions ----------------------------------------------------------------------------


def test_a_failing_transaction_writes_nothing(library: Library, library_home: Path) -> None:
    library.add(draft("First."))
    store = library_home / "clippings.json"
    before = store.read_bytes()
    with pytest.raises(RuntimeError, match="boom"), library.store.transaction() as tx:
        tx.put(CLIPPINGS, 2, {"id": 2})
        tx.set_meta(next_id=99)
        raise RuntimeError("boom")
    assert store.read_bytes() == before
    assert files_in(library_home) == {"clippings.json", "clippings.json.lock"}


def test_a_failing_first_transaction_creates_no_file(library_home: Path) -> None:
    store = Store(library_home / "clippings.json")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put(CLIPPINGS, 1, {"id": 1})
        raise RuntimeError("boom")
    assert not (library_home / "clippings.json").exists()


def test_a_change_to_several_clippings_is_all_or_nothing(
    library: Library, library_home: Path
) -> None:
    library.add(draft("First."))
    before = (library_home / "clippings.json").read_bytes()
    with pytest.raises(NotFoundError, match="no clipping 7"):
        library.tag([1, 7], ["politics"])
    assert (library_home / "clippings.json").read_bytes() == before
    assert library.get(1).tags == []


def test_a_transaction_that_changes_nothing_does_not_rewrite(
    library: Library, library_home: Path
) -> None:
    library.add(draft("First.", tags=["x"]))
    store = library_home / "clippings.json"
    before = store.read_bytes()
    os.utime(store, ns=(0, 0))
    library.tag([1], ["x"])
    assert store.read_bytes() == before
    assert store.stat().st_mtime_ns == 0


# Files clip must not touch ---------------------------------------------------------------

VALID = orjson.dumps(
    {"meta": {"1": {"schema_version": 1, "next_id": 2}},
     "clippings": {"1": {"id": 1, "uuid": "u", "title": "t", "text": "x",
                         "captured": "2024-01-01T00:00:00Z"}}},
    option=orjson.OPT_INDENT_2,
)  # fmt: skip

DAMAGED = {
    "zero bytes": b"",
    "blank": b"  \n\n",
    "truncated": VALID[: len(VALID) // 2],
    "garbage": b"\x00\xff\xfe binary \x89PNG\r\n",
    "not utf-8": b'{"clippings": {"1": {"title": "\xe9"}}}',
    "a list": b"[1, 2, 3]",
    "a string": b'"clippings"',
    "a table that is a list": b'{"clippings": [{"id": 1}]}',
    "a malformed schema version": b'{"meta": {"1": {"schema_version": "one"}}}',
}


@pytest.fixture
def store_file(library_home: Path) -> Path:
    library_home.mkdir(parents=True)
    return library_home / "clippings.json"


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_refused_and_left_untouched(
    store_file: Path, library: Library, content: bytes
) -> None:
    store_file.write_bytes(content)
    with pytest.raises(StoreError) as reading:
        library.clippings()
    assert str(store_file) in reading.value.message
    with pytest.raises(StoreError) as writing:
        library.add(draft("A new article."))
    assert str(store_file) in writing.value.message
    assert "not changed" in writing.value.message
    assert store_file.read_bytes() == content
    assert files_in(store_file.parent) <= {"clippings.json", "clippings.json.lock"}


def test_a_clipping_with_missing_fields_is_skipped(store_file: Path, library: Library) -> None:
    store_file.write_bytes(b'{"clippings": {"1": {"id": 1}}}')
    assert library.clippings() == []
    skipped, _ = library.damage_seen()
    assert [(d.key, d.reason) for d in skipped] == [("1", "lacks the field 'uuid'")]


def test_showing_a_damaged_clipping_says_so_in_one_line(clip: Clip, store_file: Path) -> None:
    content = b'{"clippings": {"1": {"id": 1, "title": "no text"}}}'
    store_file.write_bytes(content)
    message = error_message(clip("show", "1"), ExitCode.ERROR)
    assert "clipping 1 is damaged" in message
    assert "lacks the field" in message
    assert store_file.read_bytes() == content


def test_a_foreign_tinydb_file_is_not_rewritten(store_file: Path, library: Library) -> None:
    content = b'{"_default": {"1": {"name": "not a clipping", "value": 42}}}'
    store_file.write_bytes(content)
    with pytest.raises(StoreError):
        library.add(draft("A new article."))
    assert store_file.read_bytes() == content


def test_a_folder_where_the_file_should_be_is_refused(store_file: Path, library: Library) -> None:
    store_file.mkdir()
    with pytest.raises(StoreError, match="folder"):
        library.clippings()
    with pytest.raises(StoreError):
        library.add(draft("A new article."))
    assert store_file.is_dir()


NEWER = orjson.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1, "next_id": 5}},
                      "clippings": {}, "future_table": {"1": {"x": 1}}})  # fmt: skip


def test_a_library_from_a_newer_clip_is_refused_and_left_untouched(
    store_file: Path, library: Library
) -> None:
    store_file.write_bytes(NEWER)
    for operation in (library.clippings, lambda: library.add(draft("A new article."))):
        with pytest.raises(StoreError) as caught:
            operation()
        assert "newer clip" in caught.value.message
        assert str(store_file) in caught.value.message
        assert caught.value.exit_code == ExitCode.ERROR
    assert store_file.read_bytes() == NEWER


COMMANDS_THAT_WRITE = [
    ["add", "A brand new article."],
    ["add", "-", "--title", "From stdin"],
    ["tag", "1", "-t", "x"],
    ["untag", "1", "-t", "x"],
    ["edit", "1", "--title", "New"],
    ["note", "1", "a note"],
    ["star", "1"],
    ["rm", "1", "--yes"],
    ["trash", "restore", "1"],
    ["trash", "empty", "--yes"],
    ["tags", "rename", "a", "b"],
]


@pytest.mark.parametrize("args", COMMANDS_THAT_WRITE, ids=" ".join)
@pytest.mark.parametrize("content", [*DAMAGED.values(), NEWER], ids=[*DAMAGED, "newer"])
def test_no_command_overwrites_a_damaged_or_newer_library(
    clip: Clip, store_file: Path, args: list[str], content: bytes
) -> None:
    store_file.write_bytes(content)
    result = clip(*args, input="Text on standard input.")
    message = error_message(result, ExitCode.ERROR)
    assert str(store_file) in message
    assert store_file.read_bytes() == content


@pytest.mark.parametrize("args", [["list"], ["show", "1"], ["tags"], ["trash"]], ids=" ".join)
def test_read_commands_report_a_damaged_library_in_one_line(
    clip: Clip, store_file: Path, args: list[str]
) -> None:
    store_file.write_bytes(DAMAGED["truncated"])
    message = error_message(clip(*args), ExitCode.ERROR)
    assert str(store_file) in message
    assert "not valid JSON" in message


# The lock --------------------------------------------------------------------------------


def test_a_held_lock_times_out_with_a_clear_error(library: Library, library_home: Path) -> None:
    library.add(draft("First."))
    before = (library_home / "clippings.json").read_bytes()
    busy = Library(LibraryPaths(library_home), lock_timeout=0.05)
    with FileLock(library_home / "clippings.json.lock"):
        with pytest.raises(StoreError) as caught:
            busy.add(draft("Second."))
        assert "another clip process" in caught.value.message
        assert "clippings.json.lock" in caught.value.message
        assert [c.id for c in busy.clippings()] == [1]  # reading needs no lock
    assert (library_home / "clippings.json").read_bytes() == before


def test_a_held_lock_makes_clip_add_fail_in_one_line(
    clip: Clip, library: Library, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(draft("First."))
    monkeypatch.setenv("CLIPPER_LOCK_TIMEOUT", "0.05")
    with FileLock(library_home / "clippings.json.lock"):
        message = error_message(clip("add", "Second article."), ExitCode.ERROR)
        listed = clip("list", "--json")
    assert "lock" in message
    assert [c["id"] for c in json.loads(listed.stdout)] == [1]
    assert clip("add", "Second article.").exit_code == 0


@pytest.mark.parametrize("timeout", ["ten seconds", "-1", "nan", "inf"])
def test_a_malformed_lock_timeout_is_a_usage_error(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, timeout: str
) -> None:
    monkeypatch.setenv("CLIPPER_LOCK_TIMEOUT", timeout)
    message = error_message(clip("add", "Some text."), ExitCode.USAGE)
    assert "CLIPPER_LOCK_TIMEOUT" in message


# A full disk, a read-only folder ---------------------------------------------------------
# The tests run as root, who may write anywhere, so failures are simulated where they happen.


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _denied(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, "Permission denied")


FAILURES = {
    "disk full at fsync": ("os.fsync", _no_space),
    "disk full at rename": ("os.replace", _no_space),
    "read-only folder": ("tempfile.mkstemp", _denied),
    "rename refused": ("os.replace", _denied),
}


@pytest.mark.parametrize(("target", "failure"), FAILURES.values(), ids=FAILURES.keys())
def test_a_failed_write_is_a_clear_error_and_the_library_is_intact(
    library: Library,
    library_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    failure: object,
) -> None:
    library.add(draft("First."))
    store = library_home / "clippings.json"
    before = store.read_bytes()
    monkeypatch.setattr(target, failure)
    with pytest.raises(StoreError) as caught:
        library.add(draft("Second."))
    assert caught.value.exit_code == ExitCode.ERROR
    assert str(library_home) in caught.value.message
    monkeypatch.undo()
    assert store.read_bytes() == before
    assert files_in(library_home) == {"clippings.json", "clippings.json.lock"}
    assert [c.text for c in library.clippings()] == ["First."]


def test_a_full_disk_makes_clip_add_fail_in_one_line(
    clip: Clip, library: Library, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(draft("First."))
    before = (library_home / "clippings.json").read_bytes()
    monkeypatch.setattr(os, "fsync", _no_space)
    message = error_message(clip("add", "Second article."), ExitCode.ERROR)
    assert "No space left on device" in message
    assert "unchanged" in message
    monkeypatch.undo()
    assert (library_home / "clippings.json").read_bytes() == before


def test_a_folder_that_cannot_be_created_is_a_clear_error(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    message = error_message(
        clip("--library", str(blocker / "library"), "add", "Some text."), ExitCode.ERROR
    )
    assert str(blocker) in message
    assert blocker.read_text() == "a file, not a folder"


def test_write_errors_do_not_leak_temporary_files_on_interrupt(
    library: Library, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(draft("First."))
    before = (library_home / "clippings.json").read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        library.add(draft("Second."))
    monkeypatch.undo()
    assert (library_home / "clippings.json").read_bytes() == before
    assert files_in(library_home) == {"clippings.json", "clippings.json.lock"}
