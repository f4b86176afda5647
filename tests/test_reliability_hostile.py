"""Text from the web is data: markup and escape sequences never reach the terminal as such."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from clipper.render import console
from tests import stored
from tests.conftest import Clip

# Blinking red background and a window-title change: sequences rich itself never emits.
BLINK = "\x1b[5;41m"
OSC_TITLE = "\x1b]0;pwned\x07"
HOSTILE_TITLE = f"[bold red]x[/] {BLINK}alarm{OSC_TITLE} \x07bell \x9bcsi"
HOSTILE_TEXT = f"Body with [link=https://evil.example]click[/link] and {BLINK}blink\x1b[0m.\r\nEnd."


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make rich believe it writes to a colour terminal, as a person would see it."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "500")
    console.out.cache_clear()
    console.err.cache_clear()
    yield
    console.out.cache_clear()
    console.err.cache_clear()


@pytest.fixture
def hostile(library: Library) -> int:
    clipping = library.add(
        Draft(
            text=HOSTILE_TEXT,
            title=HOSTILE_TITLE,
            source=f"Evil {BLINK}News",
            tags=["x"],
            note=f"note {OSC_TITLE}",
        )
    )
    return clipping.id


def assert_inert(output: str) -> None:
    assert BLINK not in output
    assert "\x1b]" not in output  # no operating-system command (window title, hyperlink)
    assert "\x07" not in output
    assert "\x9b" not in output
    assert "\r" not in output


@pytest.mark.parametrize(
    "command",
    [("list",), ("show", "{id}", "--no-pager"), ("trash",), ("tags",), ("export",)],
    ids=["list", "show", "trash", "tags", "export"],
)
def test_hostile_text_is_inert_on_a_terminal(
    clip: Clip, hostile: int, terminal: None, command: tuple[str, ...]
) -> None:
    args = [part.format(id=hostile) for part in command]
    if command[0] == "trash":
        clip("rm", str(hostile), "--yes")
    result = clip(*args)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout + result.stderr)
    if command[0] in ("list", "show"):
        assert "[bold red]x[/]" in result.stdout  # printed literally, not as markup
        assert "\x1b[" in result.stdout  # and this really was a colour terminal


@pytest.mark.parametrize("command", [("list",), ("show", "{id}"), ("show", "{id}", "--raw")])
def test_hostile_text_is_inert_in_a_pipe(
    clip: Clip, hostile: int, command: tuple[str, ...]
) -> None:
    result = clip(*[part.format(id=hostile) for part in command])
    assert result.exit_code == 0
    assert_inert(result.stdout)
    literal = "[link=https://evil.example]click[/link]" if "--raw" in command else "[bold red]x[/]"
    assert literal in result.stdout


def test_json_output_keeps_the_text_exactly_as_stored(clip: Clip, hostile: int) -> None:
    import json

    shown = json.loads(clip("show", str(hostile), "--json").stdout)[0]
    assert shown["title"] == " ".join(HOSTILE_TITLE.split())
    assert BLINK in shown["text"]  # data is kept; only the terminal is protected


def test_an_error_message_quoting_hostile_input_stays_one_clean_line(clip: Clip) -> None:
    result = clip("list", "--since", f"{BLINK}\nsecond line")
    assert result.exit_code == 2
    assert_inert(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1


def test_html_export_makes_a_script_title_inert(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="<script>alert('text')</script>", title="<script>alert(1)</script>"))
    out = tmp_path / "review.html"
    assert clip("export", "-f", "html", "-o", str(out)).exit_code == 0
    page = out.read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_md_files_from_hostile_titles_stay_inside_the_folder(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    for title in ("../../etc/passwd", "CON", "/absolute/path", "..", "a\\b\\..\\c", "\x00nul"):
        library.add(Draft(text=f"Text for {title!r}.", title=title))
    folder = tmp_path / "vault"
    result = clip("export", "-f", "md-files", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    written = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(written) == 6
    assert all(p.parent == folder and p.suffix == ".md" for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library", "vault"]


# What a hostile page can carry besides colours: OSC 52 sets the clipboard, OSC 0 the window
# title, CSI 2J clears the screen; the same as 8-bit C1 controls (U+009B CSI, U+009D OSC).
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
ESCAPES = f"{OSC_CLIPBOARD}{OSC_TITLE}\x1b[2J\x9b2J\x9d0;owned\x07"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


@pytest.fixture
def escapes(library: Library) -> Draft:
    draft = Draft(
        text=f"First paragraph {ESCAPES}here.\n\nSecond paragraph.",
        title=f"Title {ESCAPES}end",
        source=f"Outlet {ESCAPES}",
        authors=[f"Ann {ESCAPES}Smith"],
        note=f"note {ESCAPES}",
        url="https://example.org/a",
        published="2026-03-14",
    )
    library.add(draft)
    return draft


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "bibtex"])
def test_text_exports_to_standard_output_carry_no_escape(
    clip: Clip, escapes: Draft, fmt: str
) -> None:
    result = clip("export", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert RAW_CONTROL.search(result.stdout) is None
    for payload in ("52;c;", "pwned", "owned"):  # whole sequences go, 7-bit and 8-bit
        assert payload not in result.stdout
    assert "Title end" in result.stdout


@pytest.mark.parametrize(
    "command",
    [("export", "-f", "json"), ("export", "-f", "jsonl"), ("export", "-f", "csl-json"),
     ("list", "--json"), ("show", "1", "--json"), ("search", "paragraph", "--json")],
    ids=" ".join,
)  # fmt: skip
def test_json_escapes_every_control_and_keeps_the_data(
    clip: Clip, escapes: Draft, command: tuple[str, ...]
) -> None:
    result = clip(*command)
    assert result.exit_code == 0, result.stderr
    assert RAW_CONTROL.search(result.stdout) is None
    assert "\\u009b2J" in result.stdout and "\\u009d0;owned" in result.stdout
    document = json.loads(result.stdout) if command[-1] != "jsonl" else [
        json.loads(line) for line in result.stdout.splitlines()
    ]  # fmt: skip
    records = document["clippings"] if isinstance(document, dict) else document
    assert records[0]["title"] == escapes.title  # the same data, only written escaped


def test_md_files_bodies_carry_no_escape(clip: Clip, escapes: Draft, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert clip("export", "-f", "md-files", "-o", str(folder)).exit_code == 0
    [written] = folder.iterdir()
    content = written.read_text(encoding="utf-8")
    assert RAW_CONTROL.search(content) is None
    assert "First paragraph here.\n\nSecond paragraph." in content


def test_md_files_never_write_through_a_planted_symlink(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    library.add(Draft(text="Text of con.", title="CON", published="2026-12-01"))
    library.add(Draft(text="Text of the second.", title="Second", published="2026-12-02"))
    vault = tmp_path / "vault"
    assert clip("export", "-f", "md-files", "-o", str(vault)).exit_code == 0
    # A copy of clip's own file for clipping 2, outside, linked in under its name: it carries
    # the uuid and a valid hash, so a refresh following links would "update" it.
    outside = tmp_path / "outside.md"
    second = vault / "2026-12-02-second.md"
    outside.write_bytes(second.read_bytes())
    second.unlink()
    second.symlink_to(outside)
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    (vault / "2026-12-01-con.md").unlink()
    (vault / "2026-12-01-con.md").symlink_to(Path("..") / "victim")
    library.edit(2, {"note": "changed"})
    for options in ((), ("--force",)):
        result = clip("export", "-f", "md-files", "-o", str(vault), *options)
        assert result.exit_code == 0, result.stderr
        assert victim.read_text(encoding="utf-8") == "precious"
        assert "changed" not in outside.read_text(encoding="utf-8")
        assert (vault / "2026-12-01-con.md").readlink() == Path("..") / "victim"
        assert second.readlink() == outside
    assert sorted(p.name for p in vault.iterdir()) == [
        "2026-12-01-con-2.md", "2026-12-01-con.md",
        "2026-12-02-second-2.md", "2026-12-02-second.md",
    ]  # fmt: skip
    assert "note: changed" in (vault / "2026-12-02-second-2.md").read_text(encoding="utf-8")


def test_md_files_never_hang_on_a_pipe_or_follow_a_link_planted_late(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    from clipper.formats import markdown_folder

    library.add(Draft(text="Text.", title="Piped", published="2026-12-01"))
    vault = tmp_path / "vault"
    vault.mkdir()
    os.mkfifo(vault / "2026-12-01-piped.md")  # opened for reading, it would block forever
    (vault / "folder.md").mkdir()
    result = clip("export", "-f", "md-files", "-o", str(vault), "--force")
    assert result.exit_code == 0, result.stderr
    assert (vault / "2026-12-01-piped-2.md").is_file()
    # A link that appears between reading the folder and writing is replaced, not followed.
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    late = vault / "late.md"
    late.symlink_to(victim)
    markdown_folder._write(late, "new content")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not late.is_symlink() and late.read_text(encoding="utf-8") == "new content"


def test_md_files_of_a_clipping_whose_uuid_was_edited_away(
    clip: Clip, library: Library, library_home: Path, tmp_path: Path
) -> None:
    library.add(Draft(text="Some text.", title="Nameless", published="2026-12-01"))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["1"]["uuid"] = None
    stored.save(store, data)
    vault = tmp_path / "vault"
    # A record without its uuid is damaged (store_check): set aside with a warning, never a
    # file written under another clipping's identity, never a traceback.
    for _ in range(2):
        result = clip("export", "-f", "md-files", "-o", str(vault))
        assert result.exit_code == 0, result.stderr
        assert "Warning: 1 damaged clipping skipped (ids 1)" in result.stderr
        assert not list(vault.glob("*.md"))


def test_md_files_names_from_a_hand_edited_date_stay_in_the_folder(
    clip: Clip, library: Library, library_home: Path, tmp_path: Path
) -> None:
    library.add(Draft(text="Some text.", title="Escape", published="2026-12-01"))
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["1"]["published"] = "../../x"
    stored.save(store, data)
    vault = tmp_path / "deep" / "vault"
    result = clip("export", "-f", "md-files", "-o", str(vault))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in vault.iterdir()] == ["x-escape.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "library"]


def test_md_files_give_two_clippings_sharing_a_uuid_two_files(
    clip: Clip, library: Library, library_home: Path, tmp_path: Path
) -> None:
    library.add(Draft(text="First text.", title="First", published="2026-12-01"))
    library.add(Draft(text="Second text.", title="Second", published="2026-12-02"))
    vault = tmp_path / "vault"
    assert clip("export", "-f", "md-files", "-o", str(vault)).exit_code == 0
    store = library_home / "clippings.json"
    data = stored.tables(store)
    data["clippings"]["2"]["uuid"] = data["clippings"]["1"]["uuid"]  # a careless hand edit
    stored.save(store, data)
    result = clip("export", "-f", "md-files", "-o", str(vault))
    assert result.exit_code == 0, result.stderr
    bodies = {p.name: p.read_text(encoding="utf-8").split("---\n\n")[1] for p in vault.iterdir()}
    assert bodies == {  # which file was whose cannot be told: both left alone, new ones written
        "2026-12-01-first.md": "First text.\n",
        "2026-12-01-first-2.md": "First text.\n",
        "2026-12-02-second.md": "Second text.\n",
        "2026-12-02-second-2.md": "Second text.\n",
    }


def test_importing_a_folder_never_reads_a_pipe_or_a_device(clip: Clip, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "good.md").write_text("---\ntitle: Good\n---\n\nA good note.\n", encoding="utf-8")
    os.mkfifo(vault / "pipe.md")  # opened to read, it would block forever
    (vault / "zero.md").symlink_to("/dev/zero")  # read, it would never end
    result = clip("import", str(vault), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == 1
    # Listed as skipped with the reason, unread: the folder import passes over what is not a file.
    passed = {r["record"]: r["reason"] for r in report["records"] if r["status"] == "skipped"}
    assert sorted(passed) == ["pipe.md", "zero.md"]
    assert all("not a regular file" in reason for reason in passed.values())
