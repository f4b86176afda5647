"""Reading files given to `clip add`, safely: size, binary content, compression and encodings.

A size cap, binary detection, UTF-8 with a byte-by-byte Windows-1252 fallback, and gunzip
with a cap (a small gzip file may expand to gigabytes).
"""

from __future__ import annotations

import codecs
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from clipper.errors import ClipperError, NotFoundError, UsageError

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
# What the first bytes of common non-text files look like, to name them in the message.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old office document"),
    (b"\x7fELF", "a program"),
)


def _cp1252_for_invalid_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as Windows-1252, the usual legacy encoding of text."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("cp1252", errors="replace"), error.end


codecs.register_error("clipper-cp1252", _cp1252_for_invalid_bytes)


def is_existing_path(argument: str) -> bool:
    """True when an argument of `clip add` is the name of something on disk."""
    if not argument.strip() or "\n" in argument or len(argument) > 4096:
        return False
    try:
        return Path(argument).expanduser().exists()
    except OSError:  # a name too long for the file system is text
        return False


def looks_like_path(argument: str) -> bool:
    """True when an argument of `clip add` names a file rather than being the text itself."""
    if not argument.strip() or "\n" in argument or len(argument) > 4096:
        return False
    path = Path(argument).expanduser()
    try:
        if path.exists():
            return True
    except OSError:  # a name too long for the file system is text
        return False
    return " " not in argument and argument.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES)


def is_html_path(path: Path) -> bool:
    return path.name.lower().endswith(HTML_SUFFIXES)


def _size_text(count: int) -> str:
    gigabytes, megabytes = count / 2**30, count / 2**20
    return f"{gigabytes:.1f} GB" if gigabytes >= 1 else f"{megabytes:.1f} MB"


def read_bytes_checked(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file, refusing missing files, folders, devices, pipes, empty files and
    files over `max_bytes`."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotFoundError(f"no file {path}.") from None
    except OSError as error:
        raise ClipperError(f"cannot read {path}: {error.strerror or error}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path} is a folder; give a text file, or - for standard input.")
    if not stat.S_ISREG(info.st_mode):
        # A device or a pipe has no size and may never end (/dev/zero): never read one.
        raise UsageError(
            f"{path} is not a regular file (a device or a pipe); use - to read standard input."
        )
    limit = f"clip takes files up to {_size_text(max_bytes).replace('.0', '')}"
    if info.st_size > max_bytes:
        raise UsageError(f"{path} is {_size_text(info.st_size)}; {limit}.")
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)  # the file may grow after the size check
    except OSError as error:
        raise ClipperError(f"cannot read {path}: {error.strerror or error}.") from None
    if len(data) > max_bytes:
        raise UsageError(f"{path} is over {_size_text(max_bytes)}; {limit}.")
    if not data.strip():
        raise UsageError(f"{path} is empty; nothing was saved.")
    return data


def binary_kind(data: bytes) -> str | None:
    """What a binary file looks like ('a PDF document'), or None for text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NUL bytes of its own
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "a binary file"
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return "a binary file" if controls > len(head) // 20 else None


def decode_text(data: bytes, *, name: str) -> str:
    """Bytes of a text file as text: UTF-8 (with or without BOM), UTF-16, else Windows-1252.

    Bytes that are not valid UTF-8 are read as Windows-1252 one by one, so a UTF-8 file with a
    stray legacy byte keeps its accents and a legacy file reads as it was written. Binary
    content is refused rather than stored as garbage.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    kind = binary_kind(data)
    if kind:
        raise UsageError(f"{name} looks like {kind}, not text; nothing was saved.")
    return data.decode("utf-8-sig", errors="clipper-cp1252")


def read_stream(stream: BinaryIO, *, name: str = "standard input") -> bytes:
    """Everything a stream holds, refusing more than 20 MB and streams with nothing in them."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UsageError(f"{name} holds over 20 MB; clip takes texts up to 20 MB.")
    if not data.strip():
        raise UsageError(f"{name} is empty; nothing was saved.")
    return data


def read_html_file(path: Path) -> bytes:
    """The bytes of a saved web page, gunzipped when it is compressed (up to 20 MB unpacked)."""
    data = read_bytes_checked(path)
    if data.startswith(b"\x1f\x8b"):
        # Unpacked at most to the cap, so that a small "gzip bomb" cannot fill the memory.
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = unpacker.decompress(data, MAX_BYTES + 1)
        except zlib.error:
            data, unpacker = b"", zlib.decompressobj()
        if len(data) <= MAX_BYTES and not unpacker.eof:
            raise UsageError(f"{path} is a damaged gzip file; nothing was saved.")
        if len(data) > MAX_BYTES:
            raise UsageError(f"{path} unpacks to over 20 MB; clip takes pages up to 20 MB.")
        if not data.strip():
            raise UsageError(f"{path} is empty; nothing was saved.")
    kind = binary_kind(data)
    if kind:
        raise UsageError(f"{path} looks like {kind}, not a web page; nothing was saved.")
    return data
