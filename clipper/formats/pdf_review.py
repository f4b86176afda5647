"""The press review as PDF: the review's HTML with its print stylesheet, laid out by
WeasyPrint (the optional extra clipper[pdf])."""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Sequence
from typing import Any

from clipper.errors import ClipperError
from clipper.formats.html_review import render_review
from clipper.formats.press_review import Options, build
from clipper.model import Clipping

MISSING = (
    "PDF export needs WeasyPrint, the optional extra clipper[pdf]: "
    "pip install 'clipper[pdf]' (it also needs the Pango library: apt install libpango-1.0-0)"
)
# zlib's own default. pydyf (WeasyPrint's PDF writer) deflates every stream at level 9: for
# the pages of 1,000 clippings (16 MB of text operators) that is 2.3 s of CPU, level 6 0.3 s,
# for 4% more bytes (BENCHMARKS.md, "Press review export").
FLATE_LEVEL = 6


def render(
    clippings: Sequence[Clipping], options: Options | None = None, **fields: Any
) -> bytes:
    """The PDF: a cover, the contents with page numbers, the counts, the stories."""
    review = build(clippings, options or Options(**fields))
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        # OSError: WeasyPrint is there but cannot load Pango, a system library.
        detail = "" if isinstance(error, ImportError) else f"; {error}"
        raise ClipperError(MISSING + detail.split("\n", maxsplit=1)[0] + ".") from None
    deflate_at_default_level()
    page = render_review(review, print_version=True)
    document = weasyprint.HTML(string=page).write_pdf()
    if document is None:  # only when writing to a target, which this is not
        raise ClipperError("WeasyPrint made no PDF.")
    return bytes(document)


class _Zlib:
    """zlib as pydyf sees it: the same functions, streams deflated at FLATE_LEVEL whatever
    level pydyf asks for. Only the compression level differs; the streams are standard."""

    compress = staticmethod(zlib.compress)
    decompress = staticmethod(zlib.decompress)

    @staticmethod
    def compressobj(level: int = FLATE_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(FLATE_LEVEL, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def deflate_at_default_level() -> None:
    """pydyf has no option for its level, so its module's `zlib` is replaced, once and for
    good (not around each export: two exports at once in the web view would undo each
    other's patch); left alone if a pydyf release stops using a module-level `zlib`."""
    pydyf = importlib.import_module("pydyf")
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Zlib()  # type: ignore[attr-defined]
