"""The web view's parts without a socket: text cut into marked pieces, page addresses, the Host
names a server answers to, and the language filter its facets use."""

from __future__ import annotations

import socket

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from clipper.search.highlight import Marked
from clipper.selection import Filter
from clipper.serve.marking import Piece, paragraphs, spans_of
from clipper.serve.server import allowed_hosts, is_loopback
from clipper.serve.templating import Here, pieces


def test_paragraphs_cut_at_hits_and_passages_even_across_paragraphs() -> None:
    text = "One tram here.\n\nTwo lines\nof text."
    quoted = [(text.index("here"), text.index("lines") + len("lines"))]
    hits = [(text.index("tram"), text.index("tram") + 4)]
    found = paragraphs(text, hits, quoted)
    assert found == [
        [Piece("One "), Piece("tram", hit=True), Piece(" "), Piece("here.", quoted=True)],
        [Piece("Two lines", quoted=True), Piece("\nof text.")],
    ]
    assert str(pieces(found[1])) == '<mark class="passage">Two lines</mark><br>of text.'


def test_pieces_escape_everything_they_mark() -> None:
    marked = pieces([Piece("<b>", hit=True), Piece('"&', quoted=True)])
    assert str(marked) == '<mark>&lt;b&gt;</mark><mark class="passage">&#34;&amp;</mark>'


def test_spans_of_a_marked_text() -> None:
    assert spans_of(Marked((("a ", False), ("tram", True), (" b ", False), ("x", True)))) == [
        (2, 6), (9, 10),
    ]  # fmt: skip


def test_here_links_add_set_and_remove_filters_from_the_first_page() -> None:
    here = Here.of("/", {"tag": ["a", "b/c"], "page": ["3"], "q": ["x y"]})
    assert here.adding("tag", "d") == "/?tag=a&tag=b%2Fc&q=x+y&tag=d"
    assert here.without("tag", "a") == "/?tag=b%2Fc&q=x+y"
    assert here.setting("lang", "de") == "/?tag=a&tag=b%2Fc&q=x+y&lang=de"
    assert here.page(4) == "/?tag=a&tag=b%2Fc&q=x+y&page=4"
    assert here.page(1) == "/?tag=a&tag=b%2Fc&q=x+y"
    assert here.elsewhere("/review", "q") == "/review?q=x+y"


def test_the_hosts_a_server_answers_to() -> None:
    assert allowed_hosts("127.0.0.1", 8765) == {
        "127.0.0.1:8765", "localhost:8765", "[::1]:8765",
    }  # fmt: skip
    assert allowed_hosts("192.168.1.5", 8000) == {"192.168.1.5:8000"}
    assert "localhost" in allowed_hosts("localhost", 80)  # a browser omits the default port
    everywhere = allowed_hosts("0.0.0.0", 9000)
    assert f"{socket.gethostname().lower()}:9000" in everywhere
    assert "evil.example:9000" not in everywhere


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False),
])  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_language_filter_takes_variants_and_counts_them(library: Library) -> None:
    library.add_many([
        Draft(text="Colour of the tram.", title="GB", language="en-GB"),
        Draft(text="Color of the tram.", title="US", language="en"),
        Draft(text="Farbe der Straßenbahn.", title="DE", language="de"),
    ])  # fmt: skip
    english = Filter(language="en")
    assert sorted(c.title for c in library.select(english)) == ["GB", "US"]
    assert library.stats(where=english).clippings == 2
    assert library.stats("tram", Filter(language="de")).clippings == 0
    assert dict(library.stats(where=Filter(language="EN")).languages) == {"en-gb": 1, "en": 1}
