"""Files given to `clip add` that are not what they seem: each a one-line error, nothing saved."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from clipper.capture.files import binary_kind, decode_text, looks_like_path
from clipper.errors import ExitCode
from tests.conftest import Clip
from tests.expect import error_message

ARTICLE = "Harbour council approves tram line\n\nThe council voted on Thursday to build it."


def count(clip: Clip) -> int:
    return len(json.loads(clip("list", "--json").stdout))


@pytest.mark.parametrize(
    ("name", "content", "complaint"),
    [
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        ("page.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("archive.md", b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        ("noise.txt", bytes(range(1, 9)) * 200, "binary file"),
        ("empty.html", b"   \n", "empty"),
    ],
)
def test_binary_and_empty_files_are_refused(
    clip: Clip, tmp_path: Path, name: str, content: bytes, complaint: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = error_message(clip("add", str(path)), ExitCode.USAGE)
    assert complaint in message
    assert str(path) in message
    assert count(clip) == 0


def test_a_missing_html_file_exits_3(clip: Clip, tmp_path: Path) -> None:
    message = error_message(clip("add", str(tmp_path / "gone.html")), ExitCode.NOT_FOUND)
    assert "gone.html" in message


def test_a_folder_named_like_a_page_is_refused(clip: Clip, tmp_path: Path) -> None:
    folder = tmp_path / "saved.html"
    folder.mkdir()
    assert "folder" in error_message(clip("add", str(folder)), ExitCode.USAGE)


def test_an_unreadable_file_is_one_line(
    clip: Clip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make reading fail as it would for a user
        real = Path.open

        def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == path:
                raise PermissionError(13, "Permission denied")
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    message = error_message(clip("add", str(path)), ExitCode.ERROR)
    assert "Permission denied" in message
    assert count(clip) == 0


def test_a_page_over_20_mb_is_refused(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as stream:
        stream.truncate(20 * 1024 * 1024 + 1)
    assert "20 MB" in error_message(clip("add", str(path)), ExitCode.USAGE)


def test_a_gzipped_page_that_unpacks_to_over_20_mb_is_refused(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html>" + b" " * (21 * 1024 * 1024)))
    assert "20 MB" in error_message(clip("add", str(path)), ExitCode.USAGE)


def test_a_damaged_gzip_file_is_refused(clip: Clip, tmp_path: Path) -> None:
    path = tmp_path / "cut.html.gz"
    packed = gzip.compress(b"<html><body>" + b"<p>Words here.</p>" * 500)
    path.write_bytes(packed[: len(packed) // 2])
    assert "damaged gzip" in error_message(clip("add", str(path)), ExitCode.USAGE)


def test_invalid_utf8_keeps_the_good_characters(clip: Clip, tmp_path: Path) -> None:
    # UTF-8 text with one stray Windows-1252 byte (a pound sign), as some real files have.
    path = tmp_path / "mixed.txt"
    path.write_bytes("Xocalı: a \xa315m fund for Zürich".encode().replace(b"\xc2\xa3", b"\xa3"))
    assert clip("add", str(path), "--title", "Mixed").exit_code == 0
    [clipping] = json.loads(clip("list", "--json").stdout)
    assert clipping["text"] == "Xocalı: a £15m fund for Zürich"


def test_decoding() -> None:
    assert decode_text("Zürich".encode("cp1252"), name="x") == "Zürich"
    assert decode_text("Zürich".encode("utf-16"), name="x") == "Zürich"
    assert decode_text(b"\xef\xbb\xbfBOM", name="x") == "BOM"
    assert binary_kind("plain text, naïve".encode()) is None


@pytest.mark.parametrize(
    ("argument", "is_path"),
    [("", False), ("   ", False), ("article.txt", True), ("page.HTML", True),
     ("page.html.gz", True), ("two words.txt", False), ("a line\nand another", False),
     ("x" * 5000, False)],
)  # fmt: skip
def test_what_looks_like_a_path(argument: str, is_path: bool) -> None:
    assert looks_like_path(argument) is is_path


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", ["add", "import"])
def test_a_device_or_a_pipe_is_refused_without_reading_it(
    clip: Clip, tmp_path: Path, command: str
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening it to read would block forever
    for target in ("/dev/zero", str(fifo)):
        result = clip(command, target)
        assert result.exit_code == 2
        assert "not a regular file" in result.stderr
