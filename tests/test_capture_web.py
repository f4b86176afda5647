"""`clip add URL` against a local web server serving pages these tests write (no network)."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from clipper.capture import web
from clipper.errors import ExitCode, FetchError
from tests.capture_pages import EMPTY_PAGE, PARAGRAPHS, article_page
from tests.conftest import Clip
from tests.expect import error_message

HTML = "text/html; charset=utf-8"


def stored(clip: Clip, clipping_id: int = 1) -> dict[str, Any]:
    result = clip("show", str(clipping_id), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)[0]  # type: ignore[no-any-return]


def count(clip: Clip) -> int:
    return len(json.loads(clip("list", "--json").stdout))


def page_without_canonical(**options: Any) -> str:
    return article_page(head='<meta property="og:site_name" content="Portmere Courier">',
                        **options)  # fmt: skip


def test_add_a_web_page(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/tram").respond_with_data(article_page(), content_type=HTML)
    result = clip("add", httpserver.url_for("/tram"), "-t", "transport")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    clipping = stored(clip)
    assert clipping["text"] == "\n\n".join(PARAGRAPHS)
    assert clipping["title"] == "Portmere approves tram line to the old docks"
    assert clipping["source"] == "Portmere Courier"
    assert clipping["published"] == "2024-03-14"
    assert clipping["authors"] == ["Ann Smith"]
    assert clipping["url"] == "https://www.portmere-courier.example/tram"  # the canonical link
    assert clipping["tags"] == ["transport"]


def test_the_request_looks_like_a_browser(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/tram").respond_with_data(article_page(), content_type=HTML)
    assert clip("add", httpserver.url_for("/tram")).exit_code == 0
    [(request, _)] = httpserver.log
    assert request.headers["User-Agent"].startswith("Mozilla/5.0")
    assert "text/html" in request.headers["Accept"]


def test_redirects_are_followed_and_tracking_is_dropped(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/short").respond_with_data(
        "", status=301, headers={"Location": "/moved?id=7&utm_source=newsletter"})  # fmt: skip
    httpserver.expect_request("/moved").respond_with_data(page_without_canonical(),
                                                          content_type=HTML)  # fmt: skip
    result = clip("add", httpserver.url_for("/short?fbclid=abc"))
    assert result.exit_code == 0, result.stderr
    assert stored(clip)["url"] == httpserver.url_for("/moved?id=7")
    assert [request.path for request, _ in httpserver.log] == ["/short", "/moved"]
    assert "fbclid" not in httpserver.log[0][0].url


def test_a_redirect_loop_is_one_line(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"})  # fmt: skip
    message = error_message(clip("add", httpserver.url_for("/loop")), ExitCode.FETCH_FAILED)
    assert "redirects more than" in message


@pytest.mark.parametrize(
    ("status", "phrase"),
    [(404, "404 Not Found"), (500, "500 Internal Server Error"), (403, "403 Forbidden"),
     (410, "410 Gone")],
)  # fmt: skip
def test_error_answers_exit_5_and_save_nothing(
    clip: Clip, httpserver: HTTPServer, status: int, phrase: str
) -> None:
    httpserver.expect_request("/page").respond_with_data("oops", status=status)
    url = httpserver.url_for("/page")
    message = error_message(clip("add", url), ExitCode.FETCH_FAILED)
    assert message == f"{url} answered {phrase}; nothing was saved."
    assert count(clip) == 0


def test_a_server_that_does_not_answer_in_time(
    clip: Clip, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server answers only once the client has given up, however slow the machine: the
    # outcome never rests on one sleep outlasting another. The wait's own bound only keeps a
    # broken client from hanging the suite.
    given_up = threading.Event()

    def slow(request: Request) -> Response:
        given_up.wait(timeout=60)
        return Response(article_page(), content_type=HTML)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    monkeypatch.setattr(web, "TIMEOUT_SECONDS", 0.2)
    try:
        result = clip("add", httpserver.url_for("/slow"))
    finally:
        given_up.set()
    message = error_message(result, ExitCode.FETCH_FAILED)
    assert "did not answer within 0.2 s" in message
    assert count(clip) == 0


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("application/pdf", b"%PDF-1.7\n...", "a PDF document"),
        ("image/png", b"\x89PNG\r\n\x1a\n", "an image"),
        ("application/json", b'{"a": 1}', "JSON data"),
        ("video/mp4", b"\x00\x00\x00\x18ftyp", "a video"),
    ],
)
def test_what_is_not_a_web_page_is_refused(
    clip: Clip, httpserver: HTTPServer, content_type: str, body: bytes, kind: str
) -> None:
    httpserver.expect_request("/file").respond_with_data(body, content_type=content_type)
    message = error_message(clip("add", httpserver.url_for("/file")), ExitCode.FETCH_FAILED)
    assert f"is {kind}, not a web page" in message
    assert count(clip) == 0


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "streamed"])
def test_a_huge_body_is_refused(
    clip: Clip, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, declare_length: bool
) -> None:
    monkeypatch.setattr(web, "MAX_PAGE_BYTES", 100_000)
    huge = article_page(extra_body="<p>" + "filler words " * 20_000 + "</p>").encode()

    def serve(request: Request) -> Response:
        chunks = (huge[i : i + 8192] for i in range(0, len(huge), 8192))
        response = Response(huge if declare_length else chunks, content_type=HTML)
        if not declare_length:
            response.headers.pop("Content-Length", None)
        return response

    httpserver.expect_request("/huge").respond_with_handler(serve)
    message = error_message(clip("add", httpserver.url_for("/huge")), ExitCode.FETCH_FAILED)
    assert "larger than" in message
    assert count(clip) == 0


def test_a_wrong_declared_charset_is_overridden(clip: Clip, httpserver: HTTPServer) -> None:
    paragraphs = [p.replace("Canal Street", "Xocalı Küçəsi") for p in PARAGRAPHS]
    body = page_without_canonical(paragraphs=paragraphs, charset="iso-8859-1").encode("utf-8")
    httpserver.expect_request("/az").respond_with_data(
        body, content_type="text/html; charset=iso-8859-1")  # fmt: skip
    assert clip("add", httpserver.url_for("/az")).exit_code == 0
    assert "Xocalı Küçəsi" in stored(clip)["text"]


def test_a_legacy_charset_that_is_right_is_used(clip: Clip, httpserver: HTTPServer) -> None:
    paragraphs = [p.replace("Canal Street", "Café Straße") for p in PARAGRAPHS]
    body = page_without_canonical(paragraphs=paragraphs, charset="").encode("cp1252")
    httpserver.expect_request("/de").respond_with_data(
        body, content_type="text/html; charset=windows-1252")  # fmt: skip
    assert clip("add", httpserver.url_for("/de")).exit_code == 0
    assert "Café Straße" in stored(clip)["text"]


def test_a_page_without_an_article_exits_5(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/menu").respond_with_data(EMPTY_PAGE, content_type=HTML)
    message = error_message(clip("add", httpserver.url_for("/menu")), ExitCode.FETCH_FAILED)
    assert "no article text" in message


def test_an_empty_answer_exits_5(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/void").respond_with_data("", content_type=HTML)
    assert "empty page" in error_message(clip("add", httpserver.url_for("/void")),
                                         ExitCode.FETCH_FAILED)  # fmt: skip


def test_nobody_listening_is_one_line(clip: Clip) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message = error_message(clip("add", f"http://127.0.0.1:{port}/gone"), ExitCode.FETCH_FAILED)
    assert "cannot connect" in message


def test_a_plain_text_page_is_captured_as_text(clip: Clip, httpserver: HTTPServer) -> None:
    text = "Harbour council approves tram line\n\n" + "\n\n".join(PARAGRAPHS)
    httpserver.expect_request("/tram.txt").respond_with_data(text, content_type="text/plain")
    assert clip("add", httpserver.url_for("/tram.txt")).exit_code == 0
    clipping = stored(clip)
    assert clipping["title"] == "Harbour council approves tram line"
    assert clipping["url"] == httpserver.url_for("/tram.txt")


def test_snapshot_keeps_the_page_as_served(
    clip: Clip, httpserver: HTTPServer, library_home: Path
) -> None:
    page = article_page().encode("utf-8")
    httpserver.expect_request("/tram").respond_with_data(page, content_type=HTML)
    assert clip("add", httpserver.url_for("/tram"), "--snapshot").exit_code == 0
    name = stored(clip)["snapshot"]
    assert name == hashlib.sha256(page).hexdigest() + ".html.gz"
    assert gzip.decompress((library_home / "snapshots" / name).read_bytes()) == page


def test_the_same_page_twice_is_a_duplicate(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/tram").respond_with_data(article_page(), content_type=HTML)
    assert clip("add", httpserver.url_for("/tram")).exit_code == 0
    message = error_message(clip("add", httpserver.url_for("/tram?utm_medium=email")),
                            ExitCode.CONFLICT)  # fmt: skip
    assert "clipping 1" in message
    assert count(clip) == 1


def test_options_win_over_the_page(clip: Clip, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/tram").respond_with_data(article_page(), content_type=HTML)
    result = clip("add", httpserver.url_for("/tram"), "--title", "Mine", "--source", "Me",
                  "--date", "2024-03-15", "--lang", "de", "--url",
                  "https://example.org/t?utm_source=x")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    clipping = stored(clip)
    assert (clipping["title"], clipping["source"]) == ("Mine", "Me")
    assert (clipping["published"], clipping["language"]) == ("2024-03-15", "de")
    assert clipping["url"] == "https://example.org/t"


@pytest.mark.parametrize("address", ["ftp://example.org/story", "file:///etc/passwd"])
def test_only_http_addresses_are_fetched(clip: Clip, address: str) -> None:
    message = error_message(clip("add", address), ExitCode.USAGE)
    assert "only http:// and https://" in message
    assert count(clip) == 0


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[HTTPServer]:
    """An https server with a self-signed certificate, which clip must not trust."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = HTTPServer(ssl_context=context)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_an_untrusted_certificate_is_one_line(clip: Clip, tls_server: HTTPServer) -> None:
    tls_server.expect_request("/tram").respond_with_data(article_page(), content_type=HTML)
    url = tls_server.url_for("/tram")
    assert url.startswith("https://")
    message = error_message(clip("add", url), ExitCode.FETCH_FAILED)
    assert "TLS certificate" in message
    assert count(clip) == 0


def test_fetch_errors_are_fetch_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("no", status=404)
    with pytest.raises(FetchError):
        web.fetch(httpserver.url_for("/x"))
