"""Canonical URLs: one spelling per article, so the same story is recognised when re-added."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from clipper.errors import UsageError

# Query parameters that identify a campaign, a click or a share, never the article itself.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl",
        "_hsenc", "_hsmi", "hsctatracking", "oly_anon_id", "oly_enc_id", "rb_clickid",
        "s_cid", "smid", "smtyp", "ocid", "cmpid", "ref_src", "ref_url",
        "ito", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
        "at_custom4", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "sr_share", "spm", "guccounter", "guce_referrer", "guce_referrer_sig",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def is_tracking(name: str) -> bool:
    """Whether a query parameter only tracks the reader."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def looks_like_url(argument: str) -> bool:
    """True for `scheme://...` without spaces: something meant as an address, not as text."""
    return bool(_SCHEME.match(argument.strip()))


def is_web_url(argument: str) -> bool:
    """True for an http(s) address, the only kind clip fetches."""
    return argument.strip().lower().startswith(("http://", "https://"))


def canonical_url(url: str) -> str:
    """The URL with tracking parameters, the fragment and a default port removed, host lowercased.

    Only http(s) URLs are accepted; anything else is a UsageError.
    """
    text = url.strip()
    if _UNSAFE.search(text):
        raise UsageError(f"{url!r} is not a web address: it holds spaces or control characters.")
    try:
        parts = urlsplit(text)
    except ValueError:  # a bracketed host that is no IP address
        raise UsageError(f"{url!r} is not a web address: its host is malformed.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise UsageError(f"{url!r} is not a web address: only http:// and https:// URLs are kept.")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"{url!r} has an invalid port.") from None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{netloc}"
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking(name)
    ]
    query = urlencode(kept, doseq=True) if kept != parse_qsl(parts.query, True) else parts.query
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
