"""Text from the outside world made inert: no escape sequences, no control characters."""

from __future__ import annotations

import re

# C0 and C1 control characters except tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# ANSI escape sequences: CSI (colours, cursor), OSC (window titles, hyperlinks), and the rest.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)


def inert(text: str | None) -> str:
    """Text without escape sequences or control characters; CR LF and CR become LF."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str | None) -> str:
    """Inert text on one line, for table cells, tab-separated output and headings."""
    return " ".join(inert(text).split())
