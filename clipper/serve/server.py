"""The web view on a socket: the standard library's ThreadingHTTPServer, GET and HEAD only,
and only for requests addressed to the view itself (DNS rebinding)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from clipper.errors import ClipperError, UsageError
from clipper.serve.app import SECURITY_HEADERS, App, Request, Response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
MAX_TARGET = 8192  # characters of a request line's address; longer is refused


class ViewServer(ThreadingHTTPServer):
    """One App served on host:port; knows the Host headers that name it."""

    daemon_threads = True  # a browser's open connection never holds up Ctrl-C
    # Our own error on a port in use: never take over a port another server listens on.
    allow_reuse_address = False

    def __init__(self, app: App, host: str, port: int) -> None:
        self.app = app
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.address_family = family
        try:
            super().__init__((host.strip("[]"), port), Handler)
        except OSError as error:
            raise ClipperError(_bind_problem(host, port, error)) from None
        self.port = int(self.server_address[1])
        self.hosts = allowed_hosts(host, self.port)

    @property
    def url(self) -> str:
        shown = f"[{self.host.strip('[]')}]" if ":" in self.host else self.host
        if shown in ("0.0.0.0", "[::]"):
            shown = "127.0.0.1"  # the address to type on this machine
        return f"http://{shown}:{self.port}/"


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers a request may carry: the served address, and the loopback names when
    it is on loopback. Bound to every interface, any address literal also (a rebinding attack
    needs a name, never a bare address), and the machine's own names."""
    bare = host.strip("[]").lower()
    names = {f"[{bare}]" if ":" in bare else bare}
    if is_loopback(bare):
        names.update(LOOPBACK_NAMES)
    elif bare in ("0.0.0.0", "::", ""):
        names.update({*LOOPBACK_NAMES, socket.gethostname().lower(), socket.getfqdn().lower()})
    allowed = {f"{name}:{port}" for name in names}
    if port == 80:  # a browser leaves the default port out
        allowed |= names
    return allowed


def is_loopback(host: str) -> bool:
    bare = host.strip("[]").lower()
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def _wildcard(server: ViewServer, host: str) -> bool:
    """An address literal, for a server bound to every interface."""
    if server.host.strip("[]") not in ("0.0.0.0", "::", ""):
        return False
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return host.endswith(f":{server.port}") or server.port == 80


def _bind_problem(host: str, port: int, error: OSError) -> str:
    import errno

    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use; choose another with --port (0: any free port)."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"cannot listen on port {port} (not allowed); choose a port above 1023 with --port."
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: no such address on this machine."
    return f"cannot listen on {host}:{port}: {error.strerror or error}."


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD through the App; every other method is 405."""

    server: ViewServer
    protocol_version = "HTTP/1.1"
    server_version = "clip-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every other method (POST, PUT, DELETE, anything): 405, and the connection closed,
        since a body it may have sent is never read."""
        if not name.startswith("do_"):
            raise AttributeError(name)
        return self._refuse_method

    def _refuse_method(self) -> None:
        self.close_connection = True
        self._send(_plain(405, "Only GET and HEAD: the web view is read-only.\n"), body=True,
                   extra={"Allow": "GET, HEAD", "Connection": "close"})  # fmt: skip

    def _answer(self, *, body: bool) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts and not _wildcard(self.server, host):
            self._send(_plain(400, "Bad Host header: this view answers only to its own "
                                   "address.\n"), body=body)  # fmt: skip
            return
        if len(self.path) > MAX_TARGET or not self.path.startswith("/"):
            self._send(_plain(400, "Bad request address.\n"), body=body)
            return
        try:
            request = Request.of(self.path)
        except ValueError as error:  # more parameters than parse_qs allows
            self._send(_plain(400, f"Bad request address: {error}.\n"), body=body)
            return
        try:
            response = self.server.app.answer(request)
        except UsageError as error:  # refused before a page could be made
            response = _plain(400, f"Error: {error.message}\n")
        except Exception:
            # A bug: the browser gets a page saying so, the terminal the traceback (printed by
            # socketserver's handle_error, as the exception goes on).
            self.close_connection = True
            self._send(_plain(500, "Internal error of clip serve; see its terminal.\n"), body=body)
            raise
        self._send(response, body=body)

    def _send(self, response: Response, *, body: bool, extra: dict[str, str] | None = None) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in {**response.headers, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):  # the browser left: nothing to do
                self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the URL and errors, not one line per request."""


def _plain(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), "text/plain; charset=utf-8",
                    dict(SECURITY_HEADERS))  # fmt: skip
