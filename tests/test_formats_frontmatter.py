"""The front matter document of `clip edit`: every clipping survives dump then parse."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from clipper.errors import UsageError
from clipper.formats import frontmatter
from clipper.model import Clipping, Draft

# YAML's favourite traps, mixed into generated text.
TRAPS = ["---", "...", "- x", "key: value", "#", "'", '"', "yes", "no", "null", "~", "1e3",
         "2023-02-23", "@", "`", "|", ">", "*a", "&a", "!tag", "{a: 1}", "[1]", "\t", "\n",
         "\n---\n", "\u2028", "Xocalı", "Ünïcödé", "東京", "\u00a0"]  # fmt: skip
texts = st.lists(st.sampled_from(TRAPS) | st.text(max_size=8), max_size=6).map("".join)
optional = st.none() | texts


@st.composite
def clippings(draw: st.DrawFn) -> Clipping:
    raw = Draft(
        text=draw(texts),
        title=draw(texts),
        source=draw(optional),
        authors=draw(st.lists(texts, max_size=3)),
        published=draw(st.none() | st.sampled_from(["2023", "2023-02", "2023-02-23",
                                                     "2023-02-23T10:30:00+04:00"])),
        url=draw(st.none() | texts.map(lambda path: "https://example.org/" + path.strip())),
        language=draw(st.none() | st.sampled_from(["en", "de", "az", "pt-BR"])),
        tags=draw(st.lists(texts, max_size=3)),
        note=draw(optional),
        starred=draw(st.booleans()),
    )  # fmt: skip
    try:
        draft = raw.validated()
    except UsageError:
        assume(False)
        raise
    return Clipping.create(1, draft, captured="2024-01-01T00:00:00Z")


@given(clippings())
def test_a_dumped_clipping_parses_back_to_its_own_fields(clipping: Clipping) -> None:
    fields = frontmatter.parse(frontmatter.dump(clipping))
    assert fields.pop("text") == clipping.text
    assert fields == {name: getattr(clipping, name) for name in frontmatter.EDITABLE}


def test_a_note_with_a_line_of_dashes_survives() -> None:
    draft = Draft(text="Body.", title="T", note="before\n---\nafter").validated()
    clipping = Clipping.create(1, draft)
    assert frontmatter.parse(frontmatter.dump(clipping))["note"] == "before\n---\nafter"
