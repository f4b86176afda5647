"""URL canonicalization: one spelling per article, so that a re-shared link is a duplicate."""

from __future__ import annotations

import pytest

from clipper.capture.urls import canonical_url, is_tracking, is_web_url, looks_like_url
from clipper.errors import UsageError


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("https://News.AZ/news/1?utm_source=tw&utm_medium=social", "https://news.az/news/1"),
        ("https://example.org/a?id=7&fbclid=XYZ&gclid=1", "https://example.org/a?id=7"),
        ("https://example.org/a?b=2&utm_campaign=x&a=1", "https://example.org/a?b=2&a=1"),
        ("https://example.org/story#comments", "https://example.org/story"),
        ("https://example.org:443/story", "https://example.org/story"),
        ("http://example.org:80/story", "http://example.org/story"),
        ("http://example.org:8080/story", "http://example.org:8080/story"),
        ("HTTPS://EXAMPLE.ORG", "https://example.org/"),
        ("https://example.org/Path/Keeps/Case?Q=Keeps", "https://example.org/Path/Keeps/Case?Q=Keeps"),
        ("https://example.org/a?mc_cid=1&mc_eid=2&msclkid=3&igshid=4", "https://example.org/a"),
        ("  https://example.org/a?x=%20y  ", "https://example.org/a?x=%20y"),
        ("https://example.org./a", "https://example.org/a"),
    ],
)
def test_canonical_urls(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


def test_canonicalizing_twice_changes_nothing() -> None:
    once = canonical_url("https://WWW.Example.org:443/a/?utm_source=x&keep=1#top")
    assert canonical_url(once) == once == "https://www.example.org/a/?keep=1"


@pytest.mark.parametrize("bad", ["ftp://example.org/a", "javascript:alert(1)", "example.org/a",
                                 "https://", "file:///etc/passwd", "https://example.org/a b",
                                 "https://example.org/\x1b[31m", "https://exa\tmple.org/"])
def test_only_web_addresses_are_canonical(bad: str) -> None:
    with pytest.raises(UsageError, match="not a web address"):
        canonical_url(bad)


def test_tracking_parameters_are_recognised_by_name_and_prefix() -> None:
    assert is_tracking("utm_content") and is_tracking("UTM_Source") and is_tracking("fbclid")
    assert not is_tracking("id") and not is_tracking("page")


def test_what_counts_as_an_address() -> None:
    assert is_web_url("https://example.org") and is_web_url("HTTP://example.org")
    assert not is_web_url("ftp://example.org")
    assert looks_like_url("ftp://example.org/file") and not looks_like_url("a text with ://")
