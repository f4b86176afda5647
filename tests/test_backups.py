"""Backups are kept by kind and age under a size cap; `clip backup --list` says why."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clipper.errors import UsageError
from clipper.storage.backups import Backups
from tests import stored
from tests.conftest import Clip
from tests.expect import error_message

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def reasons(backups: Backups) -> list[str]:
    return [b.reason for b in backups.all()]


def test_a_run_of_imports_keeps_the_backup_taken_before_an_rm_and_a_tag_rename(
    tmp_path: Path,
) -> None:
    backups = Backups(tmp_path, keep=10, max_bytes=0)
    backups.take(b"before rm", "rm", now=T0)
    backups.take(b"before rename", "tags-rename", now=T0 + timedelta(minutes=1))
    for n in range(25):
        backups.take(b"before import %d" % n, "import", now=T0 + timedelta(minutes=2 + n))
    kept = reasons(backups)
    assert kept.count("import") == 10  # the newest ten
    assert "rm" in kept and "tags-rename" in kept
    assert {b.path.read_bytes() for b in backups.all() if b.reason != "import"} == {
        b"before rm",
        b"before rename",
    }


def test_a_backup_before_a_destructive_command_or_by_hand_is_kept_30_days(tmp_path: Path) -> None:
    backups = Backups(tmp_path, keep=2, max_bytes=0)
    backups.take(b"rm", "rm", now=T0)
    backups.take(b"hand", "manual", now=T0 + timedelta(hours=1))
    later = T0 + timedelta(days=29, hours=23)
    for n in range(3):
        backups.take(b"import", "import", now=later + timedelta(minutes=n))
    assert sorted(reasons(backups)) == ["import", "import", "manual", "rm"]
    backups.take(b"import", "import", now=T0 + timedelta(days=30, minutes=30))
    assert sorted(reasons(backups)) == ["import", "import", "manual"]  # the rm's 30 days are over
    backups.rotate(now=T0 + timedelta(days=30, hours=2))
    assert reasons(backups) == ["import", "import"]


def test_the_newest_backup_of_each_of_the_last_seven_days_is_kept(tmp_path: Path) -> None:
    backups = Backups(tmp_path, keep=1, max_bytes=0)
    for day in range(10):
        for hour in (8, 12, 18):
            moment = T0.replace(hour=hour) + timedelta(days=day)
            backups.take(f"{day} {hour}".encode(), "import", now=moment)
    kept = [b.path.read_bytes().decode() for b in backups.all()]
    assert kept == [f"{day} 18" for day in range(9, 2, -1)]  # days 9 to 3, the newest of each
    verdicts = backups.verdicts(now=T0.replace(hour=19) + timedelta(days=9))
    assert verdicts[0][1].why == ("the newest", "one of the last 1",
                                  "the newest of 2026-11-11 (one a day for 7 days)")  # fmt: skip


def test_the_size_cap_never_removes_the_newest_backup(tmp_path: Path) -> None:
    backups = Backups(tmp_path, keep=10, max_bytes=100)
    backups.take(b"x" * 60, "rm", now=T0)
    backups.take(b"y" * 500, "import", now=T0 + timedelta(minutes=1))  # alone over the cap
    assert [b.path.read_bytes() for b in backups.all()] == [b"y" * 500]


def test_over_the_size_cap_imports_go_before_backups_of_destructive_commands(
    tmp_path: Path,
) -> None:
    backups = Backups(tmp_path, keep=10, max_bytes=400)
    backups.take(b"r" * 100, "rm", now=T0)
    for n in range(5):
        backups.take(b"i" * 100, "import", now=T0 + timedelta(minutes=1 + n))
    assert reasons(backups) == ["import", "import", "import", "rm"]  # 400 bytes, rm kept
    assert sum(b.size for b in backups.all()) <= 400


def test_backups_named_before_microseconds_and_kinds_keep_working(tmp_path: Path) -> None:
    (tmp_path / "clippings-20261101T101500Z-rm.json").write_text("{}")
    (tmp_path / "clippings-20261101T101600Z.json").write_text("{}")
    (tmp_path / "clippings-20261101T101700Z-import.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not a backup")
    backups = Backups(tmp_path, keep=1, max_bytes=0)
    found = backups.all()
    assert [(b.reason, b.kind, b.taken) for b in found] == [
        ("import", "before import", "2026-11-01T10:17:00Z"),
        ("manual", "by hand", "2026-11-01T10:16:00Z"),
        ("rm", "before rm", "2026-11-01T10:15:00Z"),
    ]
    backups.rotate(now=datetime(2026, 11, 20, tzinfo=UTC))
    assert reasons(backups) == ["import", "manual", "rm"]  # the newest, and two protected
    backups.take(b"{}", "import", now=datetime(2026, 11, 20, tzinfo=UTC))
    assert reasons(backups) == ["import", "manual", "rm"]  # the old import is no longer kept
    assert found[0].path not in [b.path for b in backups.all()]
    assert (tmp_path / "notes.txt").exists()


def test_names_clashing_in_the_same_microsecond_get_the_next_one(tmp_path: Path) -> None:
    backups = Backups(tmp_path, keep=10, max_bytes=0)
    first = backups.take(b"a", "import", now=T0)
    second = backups.take(b"b", "import", now=T0)
    assert first != second
    assert [b.path.read_bytes() for b in backups.all()] == [b"b", b"a"]


def test_a_negative_size_cap_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Backups(tmp_path, max_bytes=-1)


def test_imports_do_not_push_out_the_backup_before_rm(
    clip: Clip, library_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_BACKUPS", "3")
    assert clip("add", "The article to remove later.", "--title", "Gone").exit_code == 0
    assert clip("rm", "1", "--yes").exit_code == 0
    before_rm = stored.state_bytes(next((library_home / "backups").iterdir()) / "clippings.json")
    for n in range(6):
        source = tmp_path / f"feed{n}.jsonl"
        source.write_text(json.dumps({"text": f"Imported article {n}.", "title": f"I{n}"}) + "\n")
        assert clip("import", str(source)).exit_code == 0
    listed = json.loads(clip("backup", "--list", "--json").stdout)
    assert [b["reason"] for b in listed] == ["import", "import", "import", "rm"]
    rm_backup = listed[-1]
    assert stored.state_bytes(Path(rm_backup["path"]) / "clippings.json") == before_rm
    assert rm_backup["kept"] is True and rm_backup["kind"] == "before rm"
    assert rm_backup["why"][0].startswith("taken before rm, kept until ")
    plain = clip("backup", "--list").stdout.splitlines()
    assert plain[0].split("\t")[4] == "kept: the newest; one of the last 3; the newest of " + (
        listed[0]["taken"][:10] + " (one a day for 7 days)"
    )


def test_backup_list_says_which_backups_the_rules_no_longer_keep(
    clip: Clip, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = library_home / "backups"
    folder.mkdir(parents=True)
    for day in (1, 2):
        (folder / f"clippings-2020010{day}T120000Z-import.json").write_text("{}")
    monkeypatch.setenv("CLIPPER_BACKUPS", "1")
    listed = json.loads(clip("backup", "--list", "--json").stdout)
    assert [(b["kept"], b["why"]) for b in listed] == [
        (True, ["the newest", "one of the last 1"]),
        (False, ["kept by no rule"]),
    ]
    plain = clip("backup", "--list").stdout.splitlines()
    assert plain[1].endswith("\tremoved at the next backup: kept by no rule")
    assert len(list(folder.iterdir())) == 2  # listing removes nothing


def test_a_bad_size_cap_setting_is_a_one_line_error(
    clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_BACKUPS_MAX_MB", "lots")
    message = error_message(clip("backup", "--list"), 2)
    assert "CLIPPER_BACKUPS_MAX_MB" in message


def test_the_size_cap_setting_applies_to_the_library(
    clip: Clip, library_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = library_home / "backups"
    folder.mkdir(parents=True)
    now = datetime.now(UTC)
    for hours in (1, 2):
        name = f"clippings-{now - timedelta(hours=hours):%Y%m%dT%H%M%S%f}Z-rm.json"
        (folder / name).write_bytes(b" " * 600_000)
    monkeypatch.setenv("CLIPPER_BACKUPS_MAX_MB", "1")
    listed = json.loads(clip("backup", "--list", "--json").stdout)
    assert [(b["kept"], b["why"][0]) for b in listed] == [
        (True, "the newest"),
        (False, "over the 1 MB that backups may take"),
    ]


def test_with_automatic_backups_off_only_a_backup_by_hand_is_taken_and_kept(
    tmp_path: Path,
) -> None:
    backups = Backups(tmp_path, keep=0, max_bytes=0)
    assert backups.take(b"import", "import", now=T0) is None
    assert backups.take(b"rm", "rm", now=T0) is None
    backups.take(b"hand", "manual", now=T0, force=True)
    backups.take(b"hand 2", "manual", now=T0 + timedelta(days=1), force=True)
    assert [b.path.read_bytes() for b in backups.all()] == [b"hand 2", b"hand"]
