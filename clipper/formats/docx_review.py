"""The press review as a Word document (python-docx): Word's own Title and Heading styles, a
table-of-contents field Word fills in on opening, tables of counts, links that work."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clipper.formats.html_review import web_url
from clipper.formats.press_review import SHARE_SAFE_NOTICE, Entry, Options, Review, build
from clipper.model import Clipping
from clipper.sanitize import inert

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph


def render(
    clippings: Sequence[Clipping], options: Options | None = None, **fields: Any
) -> bytes:
    """The .docx file's bytes (`fields`: those of Options, without `options`)."""
    return render_review(build(clippings, options or Options(**fields)))


def render_review(review: Review) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.core_properties.title = _xml_safe(review.title)
    document.add_paragraph(_xml_safe(review.title), style="Title")
    if review.subtitle:
        document.add_paragraph(_xml_safe(review.subtitle), style="Subtitle")
    document.add_paragraph(review.summary)
    if review.share_safe:
        document.add_paragraph(SHARE_SAFE_NOTICE)
    _counts(document, "By outlet", review.outlets)
    _counts(document, "By tag", review.tags)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if review.grouped and review.parts:
        document.add_paragraph("Contents", style="TOC Heading")
        _toc_field(document.add_paragraph())
        _update_fields_on_open(document)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for part in review.parts:
        if part.name:
            document.add_heading(_xml_safe(part.name), level=1)
        for entry in part.entries:
            _entry(document, entry, level=2 if part.name else 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _counts(document: Document, caption: str, counts: tuple[tuple[str, int], ...]) -> None:
    if not counts:
        return
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=0, cols=2)
    table.style = "Light List"
    for name, count in counts:
        cells = table.add_row().cells
        cells[0].text = _xml_safe(name)
        cells[1].text = str(count)


def _entry(document: Document, entry: Entry, *, level: int) -> None:
    clipping = entry.clipping
    star = "★ " if clipping.starred else ""
    document.add_heading(_xml_safe(star + clipping.title), level=level)
    meta = document.add_paragraph()
    parts = [p for p in (entry.outlet, entry.dateline) if p]
    if clipping.authors:
        parts.append("by " + ", ".join(clipping.authors))
    if clipping.tags:
        parts.append(" ".join(clipping.tags))
    meta.add_run(_xml_safe(" · ".join(parts))).italic = True
    if web_url(clipping.url):
        meta.add_run(" · ")
        _link(meta, web_url(clipping.url), clipping.site or "link")
    if entry.also_in:
        also = document.add_paragraph()
        also.add_run(_xml_safe(f"Also in: {entry.also_in}")).bold = True
        for number, copy in enumerate(entry.copies):
            also.add_run(("; " if number else " · ") + _xml_safe(f"{copy.outlet}, {copy.date}"))
            if web_url(copy.url):
                also.add_run(" (")
                _link(also, web_url(copy.url), "link")
                also.add_run(")")
    if clipping.note:
        note = document.add_paragraph(style="Intense Quote")
        note.add_run("Note: ").bold = True
        note.add_run(_xml_safe(clipping.note))
    for passage in entry.passages:
        document.add_paragraph(_xml_safe(" ".join(passage.split())), style="Quote")
    for paragraph in [p for p in entry.body.split("\n\n") if p.strip()]:
        document.add_paragraph(_xml_safe(paragraph.strip()))
    if entry.cut and web_url(clipping.url):
        _link(document.add_paragraph(), web_url(clipping.url), "Continue reading")
    if entry.attribution:
        document.add_paragraph().add_run(_xml_safe(entry.attribution)).italic = True


def _link(paragraph: Paragraph, url: str, label: str) -> None:
    """A hyperlink run (python-docx has no API for them: the relationship and the XML)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1A4C8A")
    props.extend([underline, colour])
    run.append(props)
    text = OxmlElement("w:t")
    text.text = _xml_safe(label)
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _toc_field(paragraph: Paragraph) -> None:
    """A TOC field over heading levels 1-2, with a placeholder until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, **attributes: str) -> Any:
        node = OxmlElement(tag)
        for name, value in attributes.items():
            node.set(qn(name), value)
        return node

    run = paragraph.add_run()._r
    run.append(element("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    instruction = element("w:instrText", **{"xml:space": "preserve"})
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    run.append(instruction)
    run.append(element("w:fldChar", **{"w:fldCharType": "separate"}))
    placeholder = element("w:t")
    placeholder.text = "The contents appear when Word updates this field (F9)."
    run.append(placeholder)
    run.append(element("w:fldChar", **{"w:fldCharType": "end"}))


def _update_fields_on_open(document: Document) -> None:
    """Ask Word to fill in the fields (the contents) when it opens the file."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _xml_safe(text: str) -> str:
    """Text Word's XML can hold: no control characters (lxml refuses them)."""
    return inert(text)
