"""Reading text files given to `clip add`, safely: size, binary content and encodings."""

from __future__ import annotations

from pathlib import Path

from clipper.errors import ClipperError, NotFoundError, UsageError

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def looks_like_path(argument: str) -> bool:
    """True when an argument of `clip add` names a file rather than being the text itself."""
    if "\n" in argument or len(argument) > 4096:
        return False
    path = Path(argument).expanduser()
    if path.exists():
        return True
    return " " not in argument and argument.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES)


def read_bytes_checked(path: Path) -> bytes:
    """The bytes of a file, refusing missing files, folders, empty and oversized files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotFoundError(f"no file {path}.") from None
    except OSError as error:
        raise ClipperError(f"cannot read {path}: {error.strerror or error}.") from None
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a text file, or - for standard input.")
    if size > MAX_BYTES:
        raise UsageError(f"{path} is {size / 1e6:.1f} MB; clip takes files up to 20 MB.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ClipperError(f"cannot read {path}: {error.strerror or error}.") from None
    if not data.strip():
        raise UsageError(f"{path} is empty; nothing was saved.")
    return data


def decode_text(data: bytes, *, name: str) -> str:
    """Bytes of a text file as text: UTF-8 (with or without BOM), UTF-16, else Windows-1252.

    Binary content (NUL bytes outside UTF-16) is refused rather than stored as garbage.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise UsageError(f"{name} looks like a binary file, not text; nothing was saved.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Legacy single-byte text; cp1252 leaves five bytes undefined, hence the replacement.
        return data.decode("cp1252", errors="replace")


def read_text_file(path: Path) -> str:
    """The text of a .txt/.md file given to `clip add`."""
    return decode_text(read_bytes_checked(path), name=str(path))
