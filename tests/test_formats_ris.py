"""`clip export -f ris`: newspaper-article records that reference managers import, read back
here line by line as a RIS reader reads them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clipper.formats.ris import dumps_ris, ris_date
from clipper.library.core import Library
from clipper.model import Clipping, Draft
from tests.conftest import Clip

# What a RIS reader takes as a line: a tag of two capitals (or a capital and a digit), two
# spaces, a hyphen, a space, then the value.
LINE = re.compile(r"(?P<tag>[A-Z][A-Z0-9])  - (?P<value>.*)")


def read_ris(text: str) -> list[list[tuple[str, str]]]:
    """The records of a RIS file as (tag, value) lists, checking the structure as it goes:
    every line a tag line, TY opening each record and ER closing it, blank lines between."""
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        if not line:
            assert current is None, "a blank line inside a record"
            continue
        found = LINE.fullmatch(line)
        assert found, f"not a RIS line: {line!r}"
        tag, value = found["tag"], found["value"]
        if current is None:
            assert tag == "TY", f"a record starting with {tag}"
            current = []
        if tag == "ER":
            assert value == ""
            records.append(current)
            current = None
        else:
            current.append((tag, value))
    assert current is None, "the last record is not closed"
    return records


def values(record: list[tuple[str, str]], tag: str) -> list[str]:
    return [value for t, value in record if t == tag]


def clipping(clipping_id: int = 1, *, title: str = "Tram", **fields: Any) -> Clipping:
    draft = Draft(text="The council approved the tram line.", title=title, **fields)
    return Clipping.create(clipping_id, draft.validated(), captured="2026-03-15T09:30:00Z")


def test_a_clipping_is_a_newspaper_article_with_every_field_it_has() -> None:
    full = clipping(
        title="Harbour city approves tram line",
        authors=["Jane Doe", "Reuters", "Smith, John"],
        source="The Harbour Times",
        url="https://example.com/tram",
        published="2026-03-14",
        language="en",
        tags=["transport", "council/votes"],
        note="Ask the press office.",
        description="The vote ends a decade of debate.",
        passages=["council approved"],
    )
    [record] = read_ris(dumps_ris([full]))
    assert record[0] == ("TY", "NEWS")
    assert values(record, "TI") == ["Harbour city approves tram line"]
    assert values(record, "AU") == ["Doe, Jane", "Reuters", "Smith, John"]
    assert values(record, "T2") == ["The Harbour Times"]
    assert (values(record, "PY"), values(record, "DA")) == (["2026"], ["2026/03/14/"])
    assert values(record, "Y2") == ["2026/03/15/"]
    assert values(record, "UR") == ["https://example.com/tram"]
    assert values(record, "LA") == ["en"]
    assert values(record, "KW") == ["transport", "council/votes"]
    assert values(record, "AB") == ["The vote ends a decade of debate."]
    assert values(record, "N1") == ["Ask the press office.", "Quoted: \u201ccouncil approved\u201d"]


def test_empty_fields_are_left_out_and_the_outlet_falls_back_to_the_site() -> None:
    [record] = read_ris(dumps_ris([clipping(url="https://www.example.org/a")]))
    assert [tag for tag, _ in record] == ["TY", "TI", "T2", "Y2", "UR"]
    assert values(record, "T2") == ["example.org"]


def test_partial_and_timed_dates_keep_what_is_known() -> None:
    assert ris_date("2026") == "2026///"
    assert ris_date("2026-03") == "2026/03//"
    assert ris_date("2026-03-14T10:00:00Z") == "2026/03/14/"
    assert ris_date("14 March 2026") is None  # a hand edit: left out, not guessed
    assert ris_date(None) is None
    records = read_ris(dumps_ris([clipping(published="2026-03")]))
    assert (values(records[0], "PY"), values(records[0], "DA")) == (["2026"], ["2026/03//"])


def test_a_line_break_or_escape_in_a_value_cannot_forge_a_record() -> None:
    hostile = clipping(
        note="first line\nER  - \nTY  - NEWS\nTI  - forged",
        authors=["Jane\u2028Doe"],
        tags=["x"],
        description="\x1b[31mred\x1b[0m\tnext\r\nline",
    )
    [record] = read_ris(dumps_ris([hostile]))
    assert values(record, "N1") == ["first line ER - TY - NEWS TI - forged"]
    assert values(record, "AU") == ["Doe, Jane"]
    assert values(record, "AB") == ["red next line"]


def test_records_follow_the_selection_a_blank_line_apart() -> None:
    text = dumps_ris([clipping(1, title="One"), clipping(2, title="Two"), clipping(3, title="3")])
    assert [values(r, "TI") for r in read_ris(text)] == [["One"], ["Two"], ["3"]]
    assert "ER  - \n\nTY  - NEWS" in text and text.endswith("ER  - \n")
    assert dumps_ris([]) == ""


def test_clip_export_writes_ris_for_a_query(clip: Clip, library: Library, tmp_path: Path) -> None:
    library.add(Draft(text="Tram line approved.", title="Tram", tags=["transport"],
                      source="Harbour Times", published="2026-03-14"))  # fmt: skip
    library.add(Draft(text="Ferry crews strike.", title="Ferry", tags=["labour"]))
    out = tmp_path / "refs.ris"
    done = clip("export", "-f", "ris", "-t", "transport", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    [record] = read_ris(out.read_text(encoding="utf-8"))
    assert (values(record, "TI"), values(record, "T2")) == (["Tram"], ["Harbour Times"])
    everything = read_ris(clip("export", "-f", "ris").stdout)
    assert sorted(title for r in everything for title in values(r, "TI")) == ["Ferry", "Tram"]
