"""Text from the outside world made inert: no escape sequences, no control characters."""

from __future__ import annotations

import functools
import re

# C0 and C1 control characters except tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# ANSI escape sequences: CSI (colours, cursor), OSC (window titles, hyperlinks, the
# clipboard), DCS and the other strings, and the rest; each in its 7-bit form (ESC [, ESC ]...)
# and its 8-bit one (U+009B, U+009D...), ended by BEL or either form of ST. Whole sequences go,
# so that no payload (a title, base64 for the clipboard) is left behind as text.
# Compiled on first use: only a text with a possible start of one (below) needs it.
@functools.cache
def _escape_sequence() -> re.Pattern[str]:
    return re.compile(
        r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)"
        r"|[PX^_][^\x1b\x9c]*(\x1b\\|\x9c)|[@-Z\\-_])"
        r"|\x9b[0-?]*[ -/]*[@-~]"
        r"|\x9d[^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)"
        r"|[\x90\x98\x9e\x9f][^\x1b\x9c]*(\x1b\\|\x9c)"
    )


# Where a sequence can begin: searching for these is several times faster than trying the
# sequences at every position, and nearly every text has none.
_ESCAPE_START = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")

# What JSON leaves raw: DEL and the C1 controls. U+009B (CSI) and U+009D (OSC) begin escape
# sequences in terminals that honour 8-bit controls; as \u009b the JSON reads back the same.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def inert(text: str | None) -> str:
    """Text without escape sequences or control characters; CR LF and CR become LF."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ESCAPE_START.search(text):  # one pass over a set of characters, when there is none
        text = _escape_sequence().sub("", text)
    return _CONTROL.sub("", text)


def one_line(text: str | None) -> str:
    """Inert text on one line, for table cells, tab-separated output and headings."""
    return " ".join(inert(text).split())


def json_inert(document: str) -> str:
    """Serialized JSON with the control characters JSON allows raw written as \\u escapes:
    the same data, nothing a terminal acts on (JSON itself escapes the C0 controls, ESC too)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
