"""Reading back the original pages kept in snapshots/ (written by `intake.save_snapshot`)."""

from __future__ import annotations

import gzip
import html
import re
import zlib
from pathlib import Path

from clipper.errors import ClipperError, NotFoundError

# What intake writes: the sha256 of the page. A record edited by hand could name any path
# (`../../secret`); only this shape is read, so a snapshot never leaves its folder.
_NAME = re.compile(r"[0-9a-f]{64}\.html\.gz")
MAX_PAGE_BYTES = 50 * 1024 * 1024  # pages are captured at most 10 MB; a bomb stops here
_DOCTYPE = re.compile(rb"(\xef\xbb\xbf)?\s*<!doctype[^>]*>", re.IGNORECASE)
_BASE = re.compile(rb"<base[\s>]", re.IGNORECASE)
# A kept page is a record, not an application: offline, its scripts would only misbehave,
# and a page from the web should not run with a file:// origin on the user's disk.
_NO_SCRIPTS = b"<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">"


def read_snapshot(folder: Path, name: str, *, clipping_id: int) -> bytes:
    """The page kept under `name` in `folder`, decompressed."""
    if not _NAME.fullmatch(name):
        raise ClipperError(
            f"clipping {clipping_id} names a snapshot that is not one clip keeps ({name!r}); "
            "`clip doctor` checks the library."
        )
    path = folder / name
    try:
        with gzip.open(path, "rb") as stream:
            page = stream.read(MAX_PAGE_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(
            f"the snapshot of clipping {clipping_id} is missing ({path}); `clip doctor` checks "
            "the library."
        ) from None
    except (OSError, EOFError, zlib.error) as error:
        raise ClipperError(f"the snapshot {path} cannot be read ({error}).") from None
    if len(page) > MAX_PAGE_BYTES:
        raise ClipperError(f"the snapshot {path} is larger than {MAX_PAGE_BYTES >> 20} MB.")
    return page


def viewable(page: bytes, url: str | None) -> bytes:
    """The page as a browser should show it from a local file: its scripts off, and its
    relative links and images resolved against the address it came from."""
    head = _NO_SCRIPTS
    if url and not _BASE.search(page):  # a page's own <base> knows better
        head += f'<base href="{html.escape(url, quote=True)}">'.encode()
    # Right after the doctype (before it, the page would render in quirks mode): a browser
    # puts elements met before <html> in the head, and a policy applies only to the scripts
    # after it.
    doctype = _DOCTYPE.match(page)
    at = doctype.end() if doctype else 0
    return page[:at] + head + page[at:]
