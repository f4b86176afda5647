"""The web view's Jinja2 templates: its own, and the press review's (formats/templates), in one
environment with autoescape on; links to what a clipping names only through `web`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from clipper.formats.html_review import environment as review_environment
from clipper.formats.review import dateline, human_date
from clipper.sanitize import inert, one_line

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from clipper.search.highlight import Marked
    from clipper.serve.marking import Piece

TEMPLATES = resources.files("clipper.serve") / "templates"


@cache
def environment() -> jinja2.Environment:
    """Our templates, then the review's, with the review's filters (clean, web, paragraphs...)
    and ours for highlights and dates."""
    import jinja2

    from clipper.formats.html_review import TEMPLATES as REVIEW_TEMPLATES

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(folder)) for folder in (TEMPLATES, REVIEW_TEMPLATES)]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    shared = review_environment().filters
    env.filters.update({name: shared[name] for name in ("clean", "web", "paragraphs",
                                                         "split_paragraphs")})  # fmt: skip
    env.filters.update(marks=marks, pieces=pieces, day=human_date, dateline=dateline,
                       line=one_line)  # fmt: skip
    return env


def marks(marked: Marked) -> Markup:
    """Highlighted text: the matched words in <mark>, every piece escaped."""
    from markupsafe import Markup, escape

    return Markup("").join(
        Markup("<mark>%s</mark>") % inert(text) if lit else escape(inert(text))
        for text, lit in marked.pieces
    )


def pieces(paragraph: Sequence[Piece]) -> Markup:
    """A paragraph of the text: query words in <mark>, quoted passages in <mark
    class="passage">, line breaks kept, every piece escaped."""
    from markupsafe import Markup, escape

    out = []
    for piece in paragraph:
        text = Markup("<br>").join(escape(line) for line in inert(piece.text).split("\n"))
        if piece.hit:
            text = Markup("<mark>%s</mark>") % text
        if piece.quoted:
            text = Markup('<mark class="passage">%s</mark>') % text
        out.append(text)
    return Markup("").join(out)


@dataclass(frozen=True, slots=True)
class Here:
    """The address of the page shown, and the addresses of its variants (another page of it,
    a filter added or taken away): what facets, filters and paging link to."""

    path: str
    params: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, path: str, params: Mapping[str, Sequence[str]]) -> Here:
        return cls(path, tuple((k, v) for k, values in params.items() for v in values if v))

    def link(self, pairs: Sequence[tuple[str, str]]) -> str:
        return self.path + ("?" + urlencode(pairs) if pairs else "")

    def adding(self, name: str, value: str) -> str:
        """This page with one more value of a filter, from its first page."""
        kept = [(k, v) for k, v in self.params if k != "page" and (k, v) != (name, value)]
        return self.link([*kept, (name, value)])

    def setting(self, name: str, value: str | None) -> str:
        """This page with a parameter set (None: taken away), from its first page."""
        kept = [(k, v) for k, v in self.params if k not in (name, "page")]
        return self.link(kept + ([(name, value)] if value is not None else []))

    def without(self, name: str, value: str | None = None) -> str:
        """This page without a filter (one of its values), from its first page."""
        return self.link([(k, v) for k, v in self.params
                          if k != "page" and not (k == name and value in (None, v))])  # fmt: skip

    def page(self, number: int) -> str:
        kept = [(k, v) for k, v in self.params if k != "page"]
        return self.link(kept + ([("page", str(number))] if number > 1 else []))

    def elsewhere(self, path: str, *names: str) -> str:
        """Another page with some of this one's parameters (the query, the filters)."""
        return Here(path, self.params).link([(k, v) for k, v in self.params if k in names])
