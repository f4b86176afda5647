"""`clip serve`: the library as a read-only web view on this machine."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from clipper.cli.context import LibraryOption

DEFAULT_PORT = 8765


def serve(
    ctx: typer.Context,
    port: Annotated[
        int,
        typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on (0: any free one)."),
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Anything but loopback lets other machines read the "
            "library (a warning says so).",
        ),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the view in your web browser.")
    ] = False,
    library: LibraryOption = None,
) -> None:
    """Serve a read-only web view of the library: browse with facets, search, read clippings
    and stories, and make press reviews (with md, html, pdf and docx downloads), in a browser
    beside your draft or on a phone. It reads the library on each page load, so clippings you
    add in the terminal show when you reload; it changes nothing. Ctrl-C stops it.

    Examples:

      clip serve --open

      clip serve --port 9000

      clip serve --host 0.0.0.0   # other machines on your network too
    """
    from clipper.cli.context import command_settings, library_paths
    from clipper.library.core import Library
    from clipper.render.console import message, write
    from clipper.serve.app import App, Settings
    from clipper.serve.server import ViewServer, is_loopback

    chosen = command_settings(ctx, library)
    paths = library_paths(chosen)

    def open_library() -> Library:
        # A new one per request: nothing of a read is kept, and no lock is ever taken.
        return Library(paths, lock_timeout=chosen["lock_timeout"], date_order=chosen["date_order"])

    settings = Settings(
        home=str(paths.home),
        group_by=chosen["group_by"],
        share_safe=bool(chosen["share_safe"]),
        subtitle=chosen["review_subtitle"],
    )
    server = ViewServer(App(open_library, settings), host, port)
    if not is_loopback(host):
        message(
            f"Warning: listening on {host}: anyone who can reach this machine on port "
            f"{server.port} can read the library."
        )
    # `kill` (a service manager's stop) ends it as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        message(f"Serving {paths.home} read-only; Ctrl-C stops it.")
        write(server.url + "\n")
        if open_browser:
            _open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        message("Stopped.")
    finally:
        server.server_close()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _open(url: str) -> None:
    import webbrowser

    from clipper.render.console import message

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        message(f"No web browser could be started; open {url} yourself (or set $BROWSER).")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
