"""What the web view's tests share: a server in a thread on a free port, and libraries to
serve (a story told twice, and a hostile clipping)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from clipper.library.core import Library
from clipper.model import Draft
from clipper.paths import LibraryPaths
from clipper.serve.app import App, Settings
from clipper.serve.server import ViewServer
from tests import stored
from tests.test_capture_dedup import ORIGINAL, REPUBLISHED, UNRELATED

HOSTILE_TITLE = "<script>alert('title')</script> Harbour budget"
HOSTILE_URL = "javascript:alert('url')"
HOSTILE_TEXT = (
    'The harbour budget <img src=x onerror="alert(\'text\')"> was approved on Monday '
    "<b>after</b> a long debate.\n\nA second paragraph </p><script>alert('p')</script> ends it."
)
SNAPSHOT_PAGE = b"<!DOCTYPE html><html><head><title>kept</title></head><body><p>Original page</p><script>document.title='ran'</script></body></html>"  # noqa: E501


@dataclass(frozen=True, slots=True)
class Served:
    url: str  # http://127.0.0.1:PORT/
    port: int
    server: ViewServer


@contextmanager
def serving(home: Path, **settings: object) -> Iterator[Served]:
    """The web view of the library at `home`, served from a thread until the block ends."""

    def open_library() -> Library:
        return Library(LibraryPaths(home))

    app = App(open_library, Settings(home=str(home), **settings))  # type: ignore[arg-type]
    server = ViewServer(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(server.url, server.port, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def add_wire(library: Library) -> None:
    """Three clippings: a football report, and a tram story (2) with its copy (3)."""
    library.add_many(
        [
            Draft(text=UNRELATED, title="Football derby won", source="Sports Daily",
                  published="2026-02-16", tags=["sport"], language="en"),
            Draft(text=ORIGINAL, title="Tram line approved", source="Portmere Courier",
                  published="2026-03-14", tags=["transport", "region/portmere"], language="en",
                  url="https://courier.example/tram", passages=["nine stops"]),
            Draft(text=REPUBLISHED, title="Tram line (wire)", source="Harbour Wire",
                  published="2026-03-15", tags=["transport"], language="en"),
        ]
    )  # fmt: skip
    assert library.get(3).near_duplicates == [2]


def add_hostile(library: Library) -> int:
    """A clipping whose title, address and text try to run script; the javascript: address
    is what a hand edit of clippings.json (or a synced copy) can leave, since clip refuses it.
    Returns its id."""
    added = library.add(
        Draft(text=HOSTILE_TEXT, title=HOSTILE_TITLE, url="https://harbour.example/budget",
              source="<b>Evil</b> Gazette", tags=["budget"], note="<i>note</i>")
    )  # fmt: skip
    store = library.paths.store
    document = stored.tables(store)
    document["clippings"][str(added.id)]["url"] = HOSTILE_URL
    stored.save(store, document)
    assert library.get(added.id).url == HOSTILE_URL
    return added.id
