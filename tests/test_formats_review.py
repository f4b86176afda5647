"""The md digest and html review parse as CommonMark and HTML5 whatever the clippings say;
bibtex and CSL-JSON parse back with their fields."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import html5lib
from bibtexparser import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from clipper.formats import citations, html_review, markdown_digest
from clipper.model import Clipping

# Any printable text, with the characters that mean something in Markdown, HTML and LaTeX
# overrepresented. Control characters are left out: CommonMark itself rewrites some of them.
SPECIAL = "#*|[]<>_`\\!&-+=.)(:~^{}$%'\"\n "
printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"))
texts = st.text(alphabet=printable | st.sampled_from(SPECIAL), min_size=1, max_size=300)
titles = st.text(alphabet=printable | st.sampled_from(SPECIAL.replace("\n", "")), min_size=1,
                 max_size=80).filter(lambda t: t.strip())  # fmt: skip
NS = "{http://www.w3.org/1999/xhtml}"
# TeX reads these as ¡, ¿, dashes and quotes; the bibtex export does not escape them (yet).
LATEX_LIGATURES = ("!`", "?`", "--", "``", "''", ",,", "<<", ">>")


def clipping(number: int = 1, **fields: Any) -> Clipping:
    values: dict[str, Any] = {
        "id": number, "uuid": f"00000000-0000-4000-8000-{number:012d}", "title": f"Title {number}",
        "text": f"Text of clipping {number}.", "captured": "2023-03-01T10:00:00Z",
    }  # fmt: skip
    values.update(fields)
    return Clipping(**values).with_changes(text=values["text"])


def squash(text: str) -> str:
    return " ".join(text.split())


def element_text(element: Any) -> str:
    """The text of an element as a reader sees it: a <br> is a line break."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{NS}br":
            parts.append("\n")
        parts += [element_text(child), child.tail or ""]
    return "".join(parts)


def markdown_tree(document: str) -> Any:
    return html5lib.parse(MarkdownIt("commonmark").render(document))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(title=titles, text=texts.filter(lambda t: t.strip()), note=texts, source=titles)
def test_any_text_survives_the_md_digest(title: str, text: str, note: str, source: str) -> None:
    item = clipping(title=title, text=text, note=note.strip() or None, source=source,
                    url="https://example.org/a?b=<c>&d=(e)", tags=["press"])  # fmt: skip
    tree = markdown_tree(markdown_digest.render([item], group_by="source"))
    headings = tree.findall(f".//{NS}h3")
    assert [squash(element_text(h)) for h in headings] == [squash(title)]
    sections = tree.findall(f".//{NS}h2")
    assert [squash(element_text(h)) for h in sections] == [squash(source)]
    whole = squash(element_text(tree))
    assert squash(text) in whole
    if item.note:
        assert squash(item.note) in whole
    links = [a.get("href") for a in tree.iter(f"{NS}a")]
    assert "https://example.org/a?b=%3Cc%3E&d=(e)" in links


@settings(max_examples=100, deadline=None)
@given(title=titles, text=texts.filter(lambda t: t.strip()))
def test_any_text_survives_the_html_review(title: str, text: str) -> None:
    page = html_review.render([clipping(title=title, text=text, note=title)])
    tree = html5lib.parse(page)
    assert [squash(element_text(h)) for h in tree.findall(f".//{NS}h3")] == [squash(title)]
    assert squash(text) in squash(element_text(tree.find(f".//{NS}article")))
    assert len(tree.findall(f".//{NS}script")) == 0


def test_a_script_title_is_inert_in_html() -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    item = clipping(title=evil, text=evil, note=evil, source=evil, url="javascript:alert(1)")
    tree = html5lib.parse(html_review.render([item], title=evil))
    assert tree.findall(f".//{NS}script") == []
    assert tree.findall(f".//{NS}img") == []
    assert all(not (a.get("href") or "").startswith("javascript") for a in tree.iter(f"{NS}a"))
    assert squash(element_text(tree.find(f".//{NS}h3"))) == evil


def test_markdown_syntax_in_titles_cannot_add_structure() -> None:
    nasty = ["# Heading?", "* list?", "| a | b |", "[link](http://x)", "<b>bold</b>", "1. one",
             "---", "> quote", "```", "Title\n===", "a  \\", "![img](x)"]  # fmt: skip
    items = [clipping(n, title=t, text=t + "\n\n" + t) for n, t in enumerate(nasty, start=1)]
    tree = markdown_tree(markdown_digest.render(items, group_by="none"))
    for tag in ("h1",):
        assert len(tree.findall(f".//{NS}{tag}")) == 1  # only the document's own heading
    for tag in ("ul", "ol", "blockquote", "pre", "hr", "img", "b", "table", "h2", "h4"):
        assert tree.findall(f".//{NS}{tag}") == [], tag
    assert sorted(squash(element_text(h)) for h in tree.findall(f".//{NS}h3")) == sorted(
        squash(t) for t in nasty
    )
    assert [a.get("href") for a in tree.iter(f"{NS}a")] == []


def latex_decoder() -> LatexNodes2Text:
    """pylatexenc's decoder, told the LaTeX commands for a literal brace (it lacks them)."""
    context = get_default_latex_context_db()
    context.add_context_category("braces", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
    ])  # fmt: skip
    return LatexNodes2Text(latex_context=context)


def bib_fields(text: str, *, decode: bool = True) -> list[dict[str, str]]:
    middleware = [LatexDecodingMiddleware(decoder=latex_decoder())] if decode else []
    library = parse_string(text, append_middleware=middleware)
    assert library.failed_blocks == []
    return [{f.key: f.value for f in entry.fields} | {"_type": entry.entry_type,
             "_key": entry.key} for entry in library.entries]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(title=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F,
                                            blacklist_categories=("Cc", "Cs")),
                     min_size=1, max_size=60).filter(lambda t: t.strip() and not any(
                         ligature in t for ligature in LATEX_LIGATURES)))  # fmt: skip
def test_bibtex_titles_parse_back(title: str) -> None:
    """Any title, except TeX's input ligatures, which latex_escape leaves as TeX reads them."""
    (entry,) = bib_fields(citations.dumps_bibtex([clipping(title=title)]))
    assert squash(entry["title"].replace("ˆ", "^")) == squash(title)


def test_bibtex_entries_carry_newspaper_fields() -> None:
    items: Sequence[Clipping] = [
        clipping(1, title="Seminar on Khojaly", source="News.Az", authors=["Ann Smith", "AP Staff"],
                 published="2023-02-23", url="https://news.az/a_b?c=1%2", tags=["khojaly"]),
        clipping(2, title="Seminar on Khojaly", source="News.Az", published="2023-02-23"),
    ]  # fmt: skip
    first, second = bib_fields(citations.dumps_bibtex(items))
    assert first["_type"] == "article" and first["entrysubtype"] == "newspaper"
    assert first["_key"] != second["_key"]
    assert first["journaltitle"] == "News.Az"
    assert first["author"] == "Smith, Ann and AP Staff"
    assert first["date"] == "2023-02-23" and first["year"] == "2023"
    raw, _ = bib_fields(citations.dumps_bibtex(items), decode=False)
    assert raw["url"] == "https://news.az/a_b?c=1%2"  # url is verbatim: no LaTeX decoding
    assert first["keywords"] == "khojaly"


def test_csl_json_parses_back() -> None:
    item = clipping(title="Seminar", source="News.Az", authors=["Ann Smith"],
                    published="2023-02-23", url="https://news.az/a", language="en")  # fmt: skip
    (data,) = json.loads(citations.dumps_csl_json([item]))
    assert data["type"] == "article-newspaper"
    assert data["title"] == "Seminar"
    assert data["container-title"] == "News.Az"
    assert data["author"] == [{"family": "Smith", "given": "Ann"}]
    assert data["issued"] == {"date-parts": [[2023, 2, 23]]}
    assert data["accessed"] == {"date-parts": [[2023, 3, 1]]}
    assert data["URL"] == "https://news.az/a"


def test_bibtex_braces_in_a_title_cannot_start_a_field() -> None:
    """Read by pybtex, which counts braces as BibTeX does (an escaped brace counts too)."""
    from pybtex.database import parse_string as pybtex_parse

    titles = ['x}, author = "Mallory Evil", year = 1', "open { and never closed", "a } b { c"]
    items = [clipping(n, title=t, authors=["Tom and Jerry Smith"]) for n, t in enumerate(titles, 1)]
    document = citations.dumps_bibtex(items)
    entries = list(pybtex_parse(document, "bibtex").entries.values())
    assert len(entries) == 3
    for entry in entries:
        assert set(entry.fields) == {"entrysubtype", "title"}
        assert [str(person) for person in entry.persons["author"]] == ["Smith, Tom {and} Jerry"]
        assert "year" not in entry.fields
    assert [entry["title"] for entry in bib_fields(document)] == titles


def test_bibtex_fields_from_a_hand_edited_store_cannot_start_a_field() -> None:
    """A date is ISO when clip wrote it; after a hand edit of clippings.json, anything."""
    from pybtex.database import parse_string as pybtex_parse

    item = clipping(published="2023}, author = {Mallory}", url="https://a.example/x",
                    captured="2023-03-01}, note = {x}")  # fmt: skip
    entry = next(iter(pybtex_parse(citations.dumps_bibtex([item]), "bibtex").entries.values()))
    assert not entry.persons and "note" not in entry.fields
