"""`clip export`: press reviews (grouping, excerpts, starred first), md-files folders, data."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import html5lib
import pytest
from markdown_it import MarkdownIt

from clipper.errors import ExitCode
from clipper.library.core import Library
from clipper.model import Draft
from tests.conftest import Clip
from tests.expect import error_message

# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def press(library: Library) -> Library:
    """Four clippings over two outlets, two days and a few tags; one starred."""
    library.add_many(
        [
            Draft(text="Alpha one two three four five six seven.", title="Alpha story",
                  source="News.Az", published="2023-02-23", tags=["khojaly", "pakistan"],
                  url="https://news.az/alpha"),
            Draft(text="Bravo text with several words in it.", title="Bravo story",
                  source="News.Az", published="2023-02-23", tags=["khojaly"], starred=True,
                  note="Minister attended."),
            Draft(text="Charlie text.", title="Charlie story", source="Daily Example",
                  published="2023-02-21", tags=["pakistan"]),
            Draft(text="Delta text.", title="Delta story", published="2023-02-22"),
        ]
    )  # fmt: skip
    return library


def headings(markdown: str, level: str) -> list[str]:
    tree = html5lib.parse(MarkdownIt("commonmark").render(markdown))
    return [" ".join("".join(h.itertext()).split()) for h in tree.iter(f"{NS}{level}")]


def test_default_digest_is_grouped_by_date_starred_first(clip: Clip, press: Library) -> None:
    result = clip("export")
    assert result.exit_code == 0
    assert headings(result.stdout, "h1") == ["Press review"]
    assert headings(result.stdout, "h2") == ["23 Feb 2023", "22 Feb 2023", "21 Feb 2023"]
    assert headings(result.stdout, "h3") == [
        "★ Bravo story", "Alpha story", "Delta story", "Charlie story",
    ]  # fmt: skip
    assert "4 clippings · 21 Feb 2023 – 23 Feb 2023" in result.stdout
    assert "> **Note:** Minister attended." in result.stdout


def test_group_by_source_tag_and_none(clip: Clip, press: Library) -> None:
    by_source = clip("export", "--group-by", "source").stdout
    assert headings(by_source, "h2") == ["News.Az", "Daily Example", "(unknown outlet)"]
    by_tag = clip("export", "--group-by", "tag").stdout
    assert headings(by_tag, "h2") == ["khojaly", "pakistan", "(untagged)"]
    assert headings(by_tag, "h3").count("Alpha story") == 2  # under each of its tags
    flat = clip("export", "--group-by", "none").stdout
    assert headings(flat, "h2") == []
    assert headings(flat, "h3")[0] == "★ Bravo story"
    assert "- [" not in flat  # no table of contents


def test_excerpt_keeps_the_opening_words_and_a_link(clip: Clip, press: Library) -> None:
    result = clip("export", "--excerpt", "3", "--group-by", "none")
    assert result.exit_code == 0
    assert "Alpha one two … [continued](<https://news.az/alpha>)" in result.stdout
    assert "four five" not in result.stdout
    assert "Charlie text." in result.stdout  # short enough to stay whole


@pytest.mark.parametrize(
    "args", [("--group-by", "month"), ("--excerpt", "0"), ("--format", "docx")]
)
def test_bad_review_options_are_usage_errors(
    clip: Clip, press: Library, args: tuple[str, str]
) -> None:
    error_message(clip("export", *args), ExitCode.USAGE)


def test_html_review_with_a_script_title_is_inert(clip: Clip, library: Library) -> None:
    library.add(Draft(text="<script>alert(1)</script> body", title="<script>alert(1)</script>"))
    result = clip("export", "-f", "html")
    tree = html5lib.parse(result.stdout)
    assert tree.findall(f".//{NS}script") == []
    assert "".join(tree.find(f".//{NS}h3").itertext()) == "<script>alert(1)</script>"


def test_md_files_names_are_unique_and_stay_in_the_folder(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    titles = ["../../etc/passwd", "CON", "Same title", "Same title", "/", "..", "NUL.txt"]
    library.add_many([Draft(text=f"Text {n}", title=t, published="2023-02-23")
                      for n, t in enumerate(titles)])  # fmt: skip
    vault = tmp_path / "vault"
    result = clip("export", "-f", "md-files", "-o", str(vault))
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in vault.iterdir())
    assert len(written) == len(titles) == len(set(written))
    assert all(p.parent == vault for p in vault.iterdir())
    assert not (tmp_path / "etc").exists()
    assert all(name.startswith("2023-02-23") and name.endswith(".md") for name in written)
    assert "2023-02-23-same-title.md" in written and "2023-02-23-same-title-2.md" in written
    assert all(name.split(".")[0].lower() not in ("con", "nul") for name in written)


def md_files(clip: Clip, vault: Path, *options: str) -> str:
    result = clip("export", "-f", "md-files", "-o", str(vault), *options)
    assert result.exit_code == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Government of the republic announces comprehensive restructuring of the tax code",
         "government-of-the-republic-announces-comprehensive"),
        ("Xocalı soyqırımının 31-ci ildönümü ilə bağlı Pakistanda seminar keçirilib",
         "xocali-soyqiriminin-31-ci-ildonumu-ile-bagli-pakistanda"),
        ("Oʻzbekiston Respublikasi Prezidenti", "ozbekiston-respublikasi-prezidenti"),
        ("Antidisestablishmentarianism" * 3 + " and more", "antidisestablishmentarianism" * 3),
    ],
)
def test_md_files_names_never_cut_a_word(
    clip: Clip, library: Library, tmp_path: Path, title: str, name: str
) -> None:
    """Words that do not fit end the name (none skipped, none cut), and letters the
    transliteration makes punctuation (Azerbaijani ə, the Uzbek turned comma) stay letters."""
    library.add(Draft(text="Text.", title=title, published="2023-02-23"))
    vault = tmp_path / "vault"
    md_files(clip, vault)
    assert [p.name for p in vault.iterdir()] == [f"2023-02-23-{name}.md"]


def test_md_files_into_an_earlier_export_is_a_refresh(
    clip: Clip, press: Library, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    assert md_files(clip, vault) == f"4 files in {vault}: 4 new.\n"
    inodes = {p.name: p.stat().st_ino for p in vault.iterdir()}
    assert md_files(clip, vault) == f"4 files in {vault}: 0 new, 4 unchanged.\n"
    assert {p.name: p.stat().st_ino for p in vault.iterdir()} == inodes  # not even rewritten

    press.edit(1, {"title": "Alpha story, corrected", "note": "Checked."})  # clip's side
    edited = vault / "2023-02-23-bravo-story.md"  # the person's side
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMy own remark.\n", encoding="utf-8")
    press.add(Draft(text="Echo text.", title="Echo story", published="2023-02-24"))
    before = edited.read_bytes()
    assert md_files(clip, vault) == (
        f"5 files in {vault}: 1 new, 1 updated, 2 unchanged, 1 kept because edited.\n"
        "Kept, edited since clip wrote it (--force overwrites it):\n"
        "  2023-02-23-bravo-story.md\n"
    )
    assert edited.read_bytes() == before
    alpha = (vault / "2023-02-23-alpha-story.md").read_text(encoding="utf-8")  # same name
    assert "title: Alpha story, corrected" in alpha and "note: Checked." in alpha
    assert (vault / "2023-02-24-echo-story.md").exists()
    assert len(list(vault.iterdir())) == 5

    assert md_files(clip, vault, "--force") == (
        f"5 files in {vault}: 0 new, 1 overwritten although edited, 4 unchanged.\n"
    )
    assert "My own remark." not in edited.read_text(encoding="utf-8")


def test_md_files_keep_a_file_whose_front_matter_was_edited_away(
    clip: Clip, press: Library, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    md_files(clip, vault)
    first = vault / "2023-02-21-charlie-story.md"
    first.write_text("my own edits", encoding="utf-8")
    notes = vault / "my-notes.md"
    notes.write_text("Not a clipping.", encoding="utf-8")
    report = md_files(clip, vault, "-q")
    assert report == "Kept, edited since clip wrote it (--force overwrites it):\n" \
        "  2023-02-21-charlie-story.md\n"  # fmt: skip
    assert first.read_text(encoding="utf-8") == "my own edits"
    assert len(list(vault.iterdir())) == 5
    md_files(clip, vault, "--force")
    assert first.read_text(encoding="utf-8").startswith("---\ntitle: Charlie story\n")
    assert notes.read_text(encoding="utf-8") == "Not a clipping."  # never clip's to overwrite


def test_md_files_front_matter_holds_the_hash_of_what_clip_wrote(
    clip: Clip, press: Library, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    md_files(clip, vault)
    content = (vault / "2023-02-22-delta-story.md").read_text(encoding="utf-8")
    header, _, _ = content[4:].partition("\n---\n")
    last = header.split("\n")[-1]
    key, _, digest = last.partition(": ")
    assert key == "clip_hash"
    without = content.replace(last + "\n", "", 1)
    assert digest == hashlib.sha256(without.encode("utf-8")).hexdigest()


def test_md_files_export_imports_back(clip: Clip, press: Library, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    clip("export", "-f", "md-files", "-o", str(vault))
    other = tmp_path / "other"
    result = clip("--library", str(other), "import", str(vault), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 4


def test_json_export_to_a_file_imports_back_identical(
    clip: Clip, press: Library, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    assert clip("export", "-f", "json", "-o", str(backup)).exit_code == 0
    other = tmp_path / "other"
    assert clip("--library", str(other), "import", str(backup)).exit_code == 0
    restored = clip("--library", str(other), "list", "--json").stdout
    original = clip("list", "--json").stdout
    # A team library's clippings say who added them; a library folder records no such thing.
    assert json.loads(restored) == [
        {k: v for k, v in c.items() if k != "added_by"} for c in json.loads(original)
    ]


def test_csv_and_citation_exports(clip: Clip, press: Library) -> None:
    rows = clip("export", "-f", "csv").stdout.splitlines()
    assert rows[0].startswith("id,uuid,title") and len(rows) == 5
    csl = json.loads(clip("export", "-f", "csl-json").stdout)
    assert {item["title"] for item in csl} == {"Alpha story", "Bravo story", "Charlie story",
                                               "Delta story"}  # fmt: skip
    assert clip("export", "-f", "bibtex").stdout.count("@article{") == 4


def test_date_sections_follow_the_calendar_not_their_labels(clip: Clip, library: Library) -> None:
    days = ["2026-12-09", "2026-11-30", "2026-11-28", "2026-11-27", "2026-12-02", "2026-12-10",
            "2026-12-01", "2026-11", "2026"]  # fmt: skip
    library.add_many(
        [Draft(text=f"Story of {day}.", title=f"Story {day}", published=day) for day in days]
    )
    expected = ["10 Dec 2026", "9 Dec 2026", "2 Dec 2026", "1 Dec 2026", "30 Nov 2026",
                "28 Nov 2026", "27 Nov 2026", "Nov 2026", "2026"]  # fmt: skip
    markdown = clip("export").stdout
    assert headings(markdown, "h2") == expected
    page = html5lib.parse(clip("export", "-f", "html").stdout)
    assert ["".join(h.itertext()) for h in page.iter(f"{NS}h2")] == expected
    assert ["".join(a.itertext()) for a in page.iter(f"{NS}a")][: len(expected)] == expected


def test_an_undated_clipping_says_so_and_stays_out_of_the_period(
    clip: Clip, library: Library
) -> None:
    library.add_many(
        [
            Draft(text="Dated text.", title="Dated story", source="Wire", published="2023-02-21"),
            Draft(text="Trend text.", title="Trend story", source="Trend",
                  captured="2026-12-01T09:00:00Z"),
            Draft(text="Later text.", title="Later story", published="2023-02-23"),
        ]
    )  # fmt: skip
    markdown = clip("export").stdout
    assert "3 clippings · 21 Feb 2023 – 23 Feb 2023 · 1 undated · exported" in markdown
    assert headings(markdown, "h2") == ["23 Feb 2023", "21 Feb 2023", "Undated"]
    assert "*Trend* · undated, clipped 1 Dec 2026" in markdown
    assert "*Wire* · 21 Feb 2023" in markdown
    page = clip("export", "-f", "html").stdout
    assert "21 Feb 2023 – 23 Feb 2023 · 1 undated" in page
    assert "<em>Trend</em> · undated, clipped 1 Dec 2026" in page
    by_source = clip("export", "--group-by", "source").stdout
    assert "*Trend* · undated, clipped 1 Dec 2026" in by_source


def test_excel_csv_has_a_byte_order_mark_and_crlf_and_the_same_rows(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    import csv
    import io

    library.add(Draft(text="Xocalı anıldı.\nSecond line of the text.", title="Xocalı, 1992",
                      source="News.Az", tags=["khojaly"]))  # fmt: skip
    target = tmp_path / "sheet.csv"
    result = clip("export", "--excel", "-o", str(target))  # --excel alone means CSV
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,uuid,title,")
    assert data.count(b"\r\n") == 2 and data.endswith(b"\r\n")  # header and one row
    assert data.replace(b"\r\n", b"").count(b"\n") == 1  # the text's own line break
    excel_rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    plain_rows = list(csv.reader(io.StringIO(clip("export", "-f", "csv").stdout, newline="")))
    assert excel_rows == plain_rows
    assert excel_rows[1][2] == "Xocalı, 1992"
    other = tmp_path / "other"
    assert clip("-L", str(other), "import", str(target)).exit_code == 0  # and it reads back
    assert json.loads(clip("-L", str(other), "list", "--json").stdout)[0]["title"] == (
        "Xocalı, 1992"
    )


def test_excel_applies_to_csv_only(clip: Clip, press: Library, tmp_path: Path) -> None:
    target = tmp_path / "review.md"
    message = error_message(clip("export", "--excel", "-f", "md", "-o", str(target)), 2)
    assert message == "--excel makes a CSV file; it does not apply to -f md."
    assert not target.exists()


def test_csv_cells_a_spreadsheet_would_run_are_defused(
    clip: Clip, library: Library, tmp_path: Path
) -> None:
    formula = '=HYPERLINK("https://evil.example","Click")'
    library.add(
        Draft(text="@user wrote =1+1.", title=formula, source="+1 Outlet", note="-2+3",
              authors=["@SUM(A1)"], tags=["=cmd"], published="2026-03-14")
    )  # fmt: skip
    library.add(Draft(text="Budget - the usual.", title="Budget = spending", note="a-b"))

    def rows(*options: str) -> list[dict[str, str]]:
        result = clip("export", "-f", "csv", *options)
        assert result.exit_code == 0, result.stderr
        return list(csv.DictReader(io.StringIO(result.stdout)))

    hostile, plain = sorted(rows(), key=lambda row: row["id"])
    assert (hostile["title"], hostile["source"], hostile["note"]) == (
        "'" + formula, "'+1 Outlet", "'-2+3"
    )
    assert (hostile["authors"], hostile["tags"], hostile["text"]) == (
        "'@SUM(A1)", "'=cmd", "'@user wrote =1+1."
    )
    assert hostile["published"] == "2026-03-14" and hostile["id"] == "1"
    assert (plain["title"], plain["note"], plain["text"]) == (
        "Budget = spending", "a-b", "Budget - the usual."
    )  # only a cell's first character counts
    export = tmp_path / "clippings.csv"
    assert clip("export", "-f", "csv", "-o", str(export)).exit_code == 0
    other = tmp_path / "other"
    assert clip("--library", str(other), "import", str(export)).exit_code == 0
    back = json.loads(clip("--library", str(other), "show", "1", "--json").stdout)[0]
    assert (back["title"], back["source"], back["note"], back["authors"]) == (
        formula, "+1 Outlet", "-2+3", ["@SUM(A1)"]
    )  # the apostrophes were only for spreadsheets
    raw, _ = sorted(rows("--raw-csv"), key=lambda row: row["id"])
    assert (raw["title"], raw["source"], raw["note"], raw["text"]) == (
        formula, "+1 Outlet", "-2+3", "@user wrote =1+1."
    )
