"""Citations of clippings as newspaper articles: BibLaTeX and CSL-JSON (Zotero imports both)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import orjson

from clipper.model import Clipping
from clipper.sanitize import inert, json_inert

# Braces become commands, never `\{`: BibTeX counts every brace, escaped or not, so a title
# `x\}, author = {Mallory}` would close the field and start a new one (and an unbalanced `{`
# would swallow the rest of the file).
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&",
    "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}  # fmt: skip
_LATEX_PATTERN = re.compile("|".join(re.escape(ch) for ch in _LATEX_SPECIAL))
_AND = re.compile(r"\band\b", re.IGNORECASE)
# Words that make an author string an organisation rather than a person.
_ORGANISATION = re.compile(r"\b(news|agency|press|staff|reporters?|desk|editors?|ltd|inc)\b", re.I)


def latex_escape(text: str) -> str:
    """Text safe inside a BibTeX field value in braces: braces balanced whatever the text,
    no escape sequence or control character, on one line."""
    flat = " ".join(inert(text).split())
    return _LATEX_PATTERN.sub(lambda m: _LATEX_SPECIAL[m.group()], flat)


def split_name(name: str) -> dict[str, str]:
    """A CSL name: family and given for a person, a literal for an organisation or one word."""
    parts = name.split()
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    if len(parts) < 2 or _ORGANISATION.search(name):
        return {"literal": name.strip()}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def _date_parts(value: str | None) -> list[int] | None:
    if not value:
        return None
    numbers = [int(part) for part in re.findall(r"\d+", value[:10])]
    return numbers[:3] or None


def csl_item(clipping: Clipping) -> dict[str, Any]:
    """One CSL-JSON item of type article-newspaper."""
    item: dict[str, Any] = {
        "id": f"clip-{clipping.uuid}",
        "type": "article-newspaper",
        "title": clipping.title,
    }
    if clipping.source or clipping.site:
        item["container-title"] = clipping.source or clipping.site
    if clipping.authors:
        item["author"] = [split_name(a) for a in clipping.authors]
    issued = _date_parts(clipping.published)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    accessed = _date_parts(clipping.captured)
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    if clipping.url:
        item["URL"] = clipping.url
    if clipping.language:
        item["language"] = clipping.language
    if clipping.tags:
        item["keyword"] = ", ".join(clipping.tags)
    if clipping.note:
        item["note"] = clipping.note
    return item


def dumps_csl_json(clippings: Sequence[Clipping]) -> str:
    document = orjson.dumps([csl_item(c) for c in clippings], option=orjson.OPT_INDENT_2)
    return json_inert(document.decode()) + "\n"


def _bib_name(name: str) -> str:
    csl = split_name(name)
    if "literal" in csl:
        return "{" + latex_escape(csl["literal"]) + "}"
    # A word "and" at brace level 0 would split one person into two.
    family, given = (_AND.sub("{\\g<0>}", latex_escape(csl[part])) for part in ("family", "given"))
    return f"{family}, {given}"


def _bib_url(url: str) -> str:
    # url is a verbatim field: only characters that would unbalance the braces are encoded.
    clean = inert(url)
    return clean.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def citation_key(clipping: Clipping) -> str:
    """A readable key: the author's or outlet's name, the year, the first word of the title."""
    from slugify import slugify

    who = split_name(clipping.authors[0]) if clipping.authors else {}
    lead = who.get("family") or who.get("literal") or clipping.source or clipping.site or "clip"
    year = (clipping.published or "")[:4]
    word = next((w for w in slugify(inert(clipping.title)).split("-") if len(w) > 3), "")
    key = slugify(f"{inert(lead)} {year} {word}", separator="")  # no escape's payload in it
    return key or f"clip{clipping.id}"


def dumps_bibtex(clippings: Sequence[Clipping]) -> str:
    """BibLaTeX @article entries with entrysubtype newspaper, which Zotero imports as
    newspaper articles; plain BibTeX tools read them as articles."""
    seen: dict[str, int] = {}
    entries = []
    for clipping in clippings:
        key = citation_key(clipping)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = (
                f"{key}{chr(ord('a') + seen[key] - 2)}"
                if seen[key] < 28
                else f"{key}-{clipping.id}"
            )
        fields: list[tuple[str, str]] = [
            ("entrysubtype", "newspaper"),
            ("title", latex_escape(clipping.title)),
        ]
        if clipping.authors:
            fields.append(("author", " and ".join(_bib_name(a) for a in clipping.authors)))
        outlet = clipping.source or clipping.site
        if outlet:
            fields += [("journaltitle", latex_escape(outlet)), ("journal", latex_escape(outlet))]
        if clipping.published:
            # Escaped too: a date is ISO when clip wrote it, anything after a hand edit.
            fields.append(("date", latex_escape(clipping.published[:10])))
            fields.append(("year", latex_escape(clipping.published[:4])))
        if clipping.url:
            visited = latex_escape(clipping.captured[:10])
            fields += [("url", _bib_url(clipping.url)), ("urldate", visited)]
        if clipping.language:
            fields.append(("langid", latex_escape(clipping.language)))
        if clipping.tags:
            fields.append(("keywords", latex_escape(", ".join(clipping.tags))))
        if clipping.note:
            fields.append(("annotation", latex_escape(clipping.note)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@article{{{key},\n{body}\n}}\n")
    return "\n".join(entries)
