"""`clip serve` as a command: it prints its URL when it is ready, serves, stops cleanly on
Ctrl-C (and on kill), refuses a port in use, warns off loopback, and opens the browser."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from clipper.library.core import Library
from tests.conftest import Clip
from tests.expect import error_message
from tests.serve_fixtures import add_wire

# A shell's background job starts with Ctrl-C ignored (SIGINT set to SIG_IGN), which Python
# then leaves as it is; a terminal's Ctrl-C reaches clip with the default handler, as here.
LAUNCH = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from clipper.cli.app import main\n"
    "sys.argv = ['clip', *sys.argv[1:]]\n"
    "main()\n"
)


@contextmanager
def clip_serve(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen[str], str]]:  # noqa: E501
    """`clip serve ARGS` in a child process, once it has printed its URL (its signal that it
    listens); ended at the end of the block if it is still running."""
    child = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()  # blocks until the child is ready (or dies)
        assert url.startswith("http://"), (url, child.stderr.read() if child.stderr else "")
        yield child, url
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=60)


def test_it_prints_its_url_serves_and_stops_on_ctrl_c(library: Library) -> None:
    add_wire(library)
    with clip_serve() as (child, url):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200 and "Tram line approved" in page.text
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert out == ""  # stdout had the URL alone
        assert "Traceback" not in err
        assert err.splitlines()[0] == f"Serving {library.paths.home} read-only; Ctrl-C stops it."
        assert err.splitlines()[-1] == "Stopped."


def test_kill_stops_it_as_cleanly(library: Library) -> None:
    with clip_serve() as (child, url):
        assert httpx.get(url, timeout=30).status_code == 200
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0 and "Traceback" not in err and "Stopped." in err


def test_a_port_in_use_is_a_one_line_error(clip: Clip, library_home: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        result = clip("serve", "--port", str(port))
        message = error_message(result, 1)
        assert message == (
            f"port {port} on 127.0.0.1 is in use; choose another with --port (0: any free port)."
        )
    finally:
        taken.close()
    assert not library_home.exists()


def test_an_address_that_is_not_here_is_a_one_line_error(clip: Clip) -> None:
    message = error_message(clip("serve", "--host", "192.0.2.1", "--port", "0"), 1)
    assert message == "cannot listen on 192.0.2.1: no such address on this machine."


def test_another_host_than_loopback_is_served_with_a_warning(library: Library) -> None:
    add_wire(library)
    with clip_serve("--host", "0.0.0.0") as (child, url):
        port = url.rsplit(":", 1)[1].strip("/")
        assert httpx.get(url, timeout=30).status_code == 200
        # Bound to every interface, the machine's addresses are its names; a name is not.
        assert httpx.get(url, headers={"Host": f"localhost:{port}"}, timeout=30).status_code == 200
        refused = httpx.get(url, headers={"Host": f"rebind.example:{port}"}, timeout=30)
        assert refused.status_code == 400
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    assert err.splitlines()[0] == (
        f"Warning: listening on 0.0.0.0: anyone who can reach this machine on port {port} can "
        "read the library."
    )


def test_open_hands_the_url_to_the_browser(library: Library, tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport pathlib, sys\n"
        f"pathlib.Path({str(seen)!r}).write_text(sys.argv[1])\n",
        encoding="utf-8",
    )
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "BROWSER": str(browser)}
    with clip_serve("--open", env=env) as (child, url):
        # The browser is started before the server answers its first request.
        assert httpx.get(url, timeout=30).status_code == 200
        assert seen.read_text(encoding="utf-8") == url
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=60)
    assert child.returncode == 0


@pytest.mark.parametrize("args", [["--port", "70000"], ["--port", "-1"]])
def test_a_bad_port_is_a_usage_error(clip: Clip, args: list[str]) -> None:
    assert "--port" in error_message(clip("serve", *args), 2)
