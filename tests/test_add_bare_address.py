"""`clip add` of a web address written without its scheme, as a browser's address bar shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from clipper.capture import web
from clipper.capture.urls import bare_web_address
from clipper.errors import ExitCode, FetchError
from tests.conftest import Clip

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

PAGE = (
    "<html><head><title>Seminar on Khojaly held in Baku</title></head><body><article>"
    "<h1>Seminar on Khojaly held in Baku</h1>"
    + "<p>A seminar on the anniversary was held at the embassy on Thursday, officials said.</p>" * 5
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("argument", "address"),
    [
        ("www.news.az/en/news/123", "https://www.news.az/en/news/123"),
        ("news.az/en/news/123", "https://news.az/en/news/123"),
        (" www.bbc.co.uk/news/world-123 ", "https://www.bbc.co.uk/news/world-123"),
        ("www.news.az", "https://www.news.az"),
        ("bbc.co.uk/news", "https://bbc.co.uk/news"),
        ("example.com:8080/a?b=1", "https://example.com:8080/a?b=1"),
        ("новости.рф/статья", "https://новости.рф/статья"),
    ],
)
def test_addresses_without_a_scheme(argument: str, address: str) -> None:
    assert bare_web_address(argument) == address


@pytest.mark.parametrize(
    "argument",
    [
        "news.az",  # a bare name is not enough: it needs www. or a path
        "the embassy told news.az/en on Thursday",
        "report.txt",
        "notes.md",
        "my.notes/draft.txt",  # no such top-level domain
        "e.g./x",
        "1.2/3",
        "www.",
        "user@example.com",
        "folder/article.html",
    ],
)
def test_what_is_not_a_bare_address(argument: str) -> None:
    assert bare_web_address(argument) is None


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses `clip add` fetches, each answered with the same article page."""
    asked: list[str] = []

    def fetch(url: str, **_: Any) -> web.Fetched:
        asked.append(url)
        return web.Fetched(url, PAGE.encode("utf-8"), "text/html", "utf-8")

    monkeypatch.setattr(web, "fetch", fetch)
    return asked


def added(clip: Clip, *args: str) -> dict[str, Any]:
    result = clip("add", *args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = orjson.loads(result.stdout)
    return data


def test_a_bare_address_is_fetched(clip: Clip, fetched: list[str]) -> None:
    clipping = added(clip, "www.news.az/en/news/123")
    assert fetched == ["https://www.news.az/en/news/123"]
    assert clipping["url"] == "https://www.news.az/en/news/123"
    assert clipping["title"] == "Seminar on Khojaly held in Baku"
    assert "anniversary" in clipping["text"]


def test_an_address_that_cannot_be_fetched_says_how_to_keep_it_as_text(
    clip: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(url: str, **_: Any) -> web.Fetched:
        raise FetchError(f"cannot reach {url}: no such host; nothing was saved.")

    monkeypatch.setattr(web, "fetch", unreachable)
    result = clip("add", "news.az/en/news/123")
    assert result.exit_code == ExitCode.FETCH_FAILED
    assert result.stderr == (
        "Error: cannot reach https://news.az/en/news/123: no such host; nothing was saved. "
        "To keep 'news.az/en/news/123' as the text, use --text.\n"
    )
    assert clip("list").stdout == ""


def test_a_sentence_naming_a_site_is_text(clip: Clip, fetched: list[str]) -> None:
    text = "The embassy told news.az/en that the seminar was held on Thursday in Baku."
    assert added(clip, text)["text"] == text
    assert fetched == []


def test_text_option_forces_text(clip: Clip, fetched: list[str]) -> None:
    clipping = added(clip, "--text", "www.news.az/en/news/123", "--title", "Link to read later")
    assert fetched == []
    assert clipping["text"] == "www.news.az/en/news/123" and clipping["url"] is None


def test_text_option_and_argument_together_is_a_usage_error(
    clip: Clip, fetched: list[str]
) -> None:
    result = clip("add", "--text", "Some words of the article.", "www.news.az/en/news/1")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: ") and "not both" in result.stderr
    assert fetched == [] and clip("list").stdout == ""


def test_an_existing_file_of_that_name_stays_a_file(
    clip: Clip, fetched: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "news.az" / "en"
    folder.mkdir(parents=True)
    (folder / "123").write_text("Saved by hand from the site: the seminar was held in Baku.\n")
    monkeypatch.chdir(tmp_path)
    assert added(clip, "news.az/en/123")["text"].startswith("Saved by hand")
    assert fetched == []


def test_import_takes_a_bare_address_too(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clipper.library import importing_fetch
    from tests.import_samples import RSS

    asked: list[str] = []

    def fetch_bytes(url: str) -> tuple[bytes, str]:
        asked.append(url)
        return RSS.encode("utf-8"), url

    monkeypatch.setattr(importing_fetch, "fetch_bytes", fetch_bytes)
    result = clip("import", "www.courier.example/rss.xml", "--json")
    assert result.exit_code == 0, result.stderr
    assert asked == ["https://www.courier.example/rss.xml"]
    assert orjson.loads(result.stdout)["added"] == 3
    local = tmp_path / "www.courier.example" / "rss.xml"  # unless it names a file
    local.parent.mkdir()
    local.write_text(RSS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert clip("import", "www.courier.example/rss.xml", "--allow-duplicate").exit_code == 0
    assert asked == ["https://www.courier.example/rss.xml"]
