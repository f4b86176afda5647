"""The press review as PDF: the review's HTML with its print stylesheet, laid out by
WeasyPrint (the optional extra clipper[pdf])."""

from __future__ import annotations

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
    page = render_review(review, print_version=True)
    document = weasyprint.HTML(string=page).write_pdf()
    if document is None:  # only when writing to a target, which this is not
        raise ClipperError("WeasyPrint made no PDF.")
    return bytes(document)
