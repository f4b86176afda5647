"""Hostile arguments and servers: queries, bytes and numbers chosen to hurt, and servers that
send slowly or redirect anywhere, end in a one-line error, never in a hang or a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from clipper.capture import web
from clipper.errors import ExitCode
from clipper.library import importing_fetch
from tests.conftest import Clip

# A server that sends a page a few bytes at a time, long enough to outlast any small timeout;
# after SAFETY_CHUNKS it ends the page, so that a fetch without a deadline ends too (and
# saves the page: the assertion that it did not then fails, instead of the suite hanging).
SAFETY_CHUNKS = 600
PAGE_PIECE = b"<p>A slow page.</p>"


class TrickleServer:
    """Serves one address on a raw socket, a piece every 50 ms, in its headers or its body."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/page"

    def serve(self) -> None:
        with contextlib.suppress(OSError):
            connection, _ = self.listener.accept()  # one request: the test makes one
            with connection:
                connection.recv(65536)
                if not self.stop.is_set():
                    self.answer(connection)

    def answer(self, connection: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
        if self.where == "headers":
            connection.sendall(head + b"X-Slow: ")
            self.trickle(connection, b"a")
            connection.sendall(b"\r\n\r\n<html><body>" + PAGE_PIECE * 40 + b"</body></html>")
        else:
            connection.sendall(head + b"\r\n<html><body>")
            self.trickle(connection, PAGE_PIECE)
            connection.sendall(b"</body></html>")

    def trickle(self, connection: socket.socket, piece: bytes) -> None:
        for _ in range(SAFETY_CHUNKS):
            if self.stop.wait(0.05):
                return
            connection.sendall(piece)

    def close(self) -> None:
        self.stop.set()
        if self.thread.is_alive():  # still in accept(), which closing does not wake: a call
            with contextlib.suppress(OSError), socket.create_connection(
                self.listener.getsockname()
            ):
                pass
        self.thread.join()
        self.listener.close()


@pytest.fixture
def trickle() -> Iterator[Callable[[str], TrickleServer]]:
    servers: list[TrickleServer] = []

    def start(where: str) -> TrickleServer:
        servers.append(TrickleServer(where))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("where", ["headers", "body"])
def test_clip_add_of_a_page_sent_slowly_ends_at_the_timeout(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, trickle: Callable[[str], TrickleServer],
    where: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(web, "TIMEOUT_SECONDS", 0.5)
    done = clip("add", trickle(where).url)
    assert done.exit_code == ExitCode.FETCH_FAILED, done.output
    assert done.stderr.startswith("Error: ") and "nothing was saved" in done.stderr
    assert json.loads(clip("list", "--json").stdout) == []


def test_clip_import_of_a_feed_sent_slowly_ends_at_the_timeout(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, trickle: Callable[[str], TrickleServer]
) -> None:
    monkeypatch.setattr(importing_fetch, "TOTAL_SECONDS", 0.5)
    done = clip("import", trickle("body").url)
    assert done.exit_code == ExitCode.FETCH_FAILED, done.output
    assert done.stderr.startswith("Error: ") and "within 0.5 s" in done.stderr
    assert json.loads(clip("list", "--json").stdout) == []


@pytest.mark.parametrize(
    "query",
    ["(" * 1000 + "x" + ")" * 1000, "-" * 1000 + "x", "NOT " * 1000 + "x",
     "-(" * 300 + "x" + ")" * 300, "NOT " * 13 + "tag:x y", "(tag:a -" * 7 + "tag:b" + ")" * 7],
)  # fmt: skip
def test_a_query_nested_too_deeply_is_a_clean_error(clip: Clip, query: str) -> None:
    assert clip("add", "Some x text", "--title", "X").exit_code == 0
    for command in (("search", "--", query), ("list", "--", query)):
        done = clip(*command)
        assert done.exit_code == ExitCode.USAGE, done.output
        assert done.stderr.startswith("Error: the query nests too deeply at position ")
        assert "use at most 12 levels" in done.stderr


def test_a_query_of_too_many_terms_is_a_clean_error(clip: Clip) -> None:
    query = " OR ".join(f"tag:t{n}" for n in range(1200))
    done = clip("search", query)
    assert done.exit_code == ExitCode.USAGE
    assert done.stderr.startswith("Error: the query is too long at position ")


@pytest.mark.parametrize(
    "query",
    ["NOT " * 12 + "tag:x y", "(tag:a -" * 6 + "tag:b" + ")" * 6, "-(" * 6 + "x" + ")" * 6,
     "(x OR (tag:a -" * 4 + "y" + "))" * 4, " ".join(f"tag:t{n}" for n in range(150))],
)  # fmt: skip
def test_a_query_within_the_bounds_runs(clip: Clip, query: str) -> None:
    assert clip("add", "Some x text", "--title", "X").exit_code == 0
    for command in ("search", "list"):
        done = clip(command, "--", query)
        assert done.exit_code == 0, done.output


def not_utf8(raw: bytes) -> str:
    """An argument as Python hands it over when the terminal sent bytes that are not UTF-8."""
    return raw.decode("utf-8", "surrogateescape")


@pytest.mark.parametrize(
    "command",
    [("search", not_utf8(b"caf\xe9")), ("list", not_utf8(b"caf\xe9")),
     ("add", not_utf8(b"text \xff here")), ("add", "Some text", "-t", not_utf8(b"\xff")),
     ("add", "Some text", "--title", not_utf8(b"T\xe9"))],
)  # fmt: skip
def test_an_argument_that_is_not_utf8_is_a_clean_error(
    clip: Clip, command: tuple[str, ...]
) -> None:
    done = clip(*command)
    assert done.exit_code == ExitCode.USAGE
    assert done.stderr.startswith("Error: argument ") and "is not UTF-8 text" in done.stderr
    assert "\\x" in done.stderr and len(done.stderr.splitlines()) == 1
    assert clip("list", "--json").stdout.strip() in ("", "[]")


def test_a_file_whose_name_is_not_utf8_is_still_read(clip: Clip, tmp_path: Path) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9.txt")
    try:
        Path(name).write_text("A clipping kept in a file with a Latin-1 name.", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this filesystem takes only UTF-8 names")
    assert clip("add", name).exit_code == 0
    folder = tmp_path / "notes"
    folder.mkdir()
    Path(os.fsdecode(os.fsencode(str(folder)) + b"/n\xe9.md")).write_text(
        "---\ntitle: Latin\n---\n\nA body.\n", encoding="utf-8"
    )
    done = clip("import", str(folder), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["records"][0]["record"] == "n\\udce9.md"


@pytest.mark.parametrize("target", ["javascript:alert(1)", "http://[oops/", "file:///etc/passwd"])
def test_a_redirect_to_an_address_that_cannot_be_fetched_is_a_fetch_error(
    clip: Clip, httpserver: HTTPServer, target: str
) -> None:
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": target}
    )
    url = httpserver.url_for("/go")
    for command in (("add", url), ("import", url)):
        done = clip(*command)
        assert done.exit_code == ExitCode.FETCH_FAILED, done.output
        assert done.stderr.startswith("Error: ") and len(done.stderr.splitlines()) == 1
        if not target.startswith("http:"):  # httpx takes http://[oops/ for a path of this server
            assert "redirects to an address that is not http(s)" in done.stderr
    assert json.loads(clip("list", "--json").stdout) == []


@pytest.mark.parametrize(
    "command",
    [("show", "{n}"), ("rm", "{n}", "--yes"), ("related", "{n}"), ("edit", "{n}", "--title", "x"),
     ("note", "{n}", "x"), ("list", "--limit", "{n}"), ("search", "x", "--limit", "{n}"),
     ("search", "x", "--offset", "{n}"), ("stats", "--top", "{n}")],
)  # fmt: skip
def test_a_number_beyond_what_sqlite_stores_is_a_usage_error(
    clip: Clip, command: tuple[str, ...]
) -> None:
    assert clip("add", "Some x text", "--title", "X").exit_code == 0
    done = clip(*(part.format(n=2**64) for part in command))
    assert done.exit_code == ExitCode.USAGE, done.output
    assert done.stderr.startswith("Error: invalid value for ")
    assert "is not in the range" in done.stderr
    largest = clip(*(part.format(n=2**63 - 1) for part in command))
    assert largest.exit_code in (0, ExitCode.NOT_FOUND), largest.output
    assert len(json.loads(clip("list", "--json").stdout)) == 1
