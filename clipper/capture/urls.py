"""Canonical URLs: one spelling per article, so the same story is recognised when re-added.

Tracking parameters, fragment and default port are removed and the host lowercased, for
`--url`, fetched pages and imports alike. `bare_web_address` reads an address typed without its
scheme (`www.news.az/...`, or `news.az/...` when the top-level domain is a country code or a
known generic one, so that `notes.txt/x` stays a path).
"""

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
# host.tld[:port], then a path, a query or nothing; the host's labels as DNS writes them.
_BARE = re.compile(
    r"^((?:[^\W_](?:[\w-]*[^\W_])?\.)+([^\W\d_]{2,63}|xn--[a-z0-9-]+))(:\d{1,5})?([/?#]\S*)?$"
)
# Generic top-level domains that news sites use, besides every two-letter country code and
# every non-Latin one (.рф). A name such as report.final/x must stay a file name.
_GENERIC = """com net org info biz edu gov mil int name pro news media online site website blog
tech app dev xyz top club live today world press agency global asia mobi travel museum coop aero
jobs cat tel post tv fm radio network digital space store shop life studio center city london
berlin paris nyc moscow tokyo wien swiss africa arab eus scot wales"""
_GENERIC_TLDS = frozenset(_GENERIC.split())


def is_tracking(name: str) -> bool:
    """Whether a query parameter only tracks the reader."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def looks_like_url(argument: str) -> bool:
    """True for `scheme://...` without spaces: something meant as an address, not as text."""
    return bool(_SCHEME.match(argument.strip()))


def bare_web_address(argument: str) -> str | None:
    """The https:// address meant by one written without a scheme, as people paste it from a
    browser's address bar: `www.news.az/en/news/123`, `news.az/en/news/123`, `www.bbc.co.uk`.

    Only a single word counts, and only `www.` followed by a host, or a host with a real-looking
    top-level domain followed by a path (`report.txt`, `notes.md` and a sentence naming
    news.az stay what they are). None when the argument is not such an address."""
    text = argument.strip()
    match = _BARE.match(text)
    if match is None:
        return None
    host, tld, _port, rest = match.groups()
    if host.lower().startswith("www.") and host.count(".") >= 2:
        return f"https://{text}"
    if not (rest or "").startswith("/") or not _real_tld(tld.lower()):
        return None
    return f"https://{text}"


def _real_tld(tld: str) -> bool:
    if not tld.isascii():
        return True
    return len(tld) == 2 or tld in _GENERIC_TLDS or tld.startswith("xn--")


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
        hostname = parts.hostname
    except ValueError:  # an unclosed IPv6 bracket, a host that NFKC breaks
        raise UsageError(f"{url!r} is not a web address: its host part is malformed.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not hostname:
        raise UsageError(f"{url!r} is not a web address: only http:// and https:// URLs are kept.")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"{url!r} has an invalid port.") from None
    host = hostname.lower().rstrip(".")
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
