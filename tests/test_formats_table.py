"""One table of formats: export, import, detection and the command line all read it, so a new
format is a module and a row."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
import typer

from clipper import formats
from clipper.errors import UsageError
from clipper.formats import FORMATS, Format, named, read_document, render_document
from clipper.formats.detect import RULES, Sample, detect
from clipper.model import Clipping, Draft
from tests.conftest import Clip
from tests.import_samples import (
    ATOM,
    JSON_FEED,
    NETSCAPE,
    POCKET_CSV,
    POCKET_HTML,
    RSS,
    TABLE,
    WALLABAG_V1,
    WALLABAG_V2,
)

# A file of every import format (and of each variant a sniffing rule has to tell apart).
SAMPLES: dict[str, list[str]] = {
    "clipper-json": ['{"format": "clipper", "clippings": [{"title": "t", "text": "x"}]}',
                     '[{"title": "t", "text": "x"}]'],
    "jsonl": ['{"title": "a", "text": "x"}\n{"title": "b", "text": "y"}\n',
              '{"title": "a", "text": "x"}'],
    "md-folder": ["---\ntitle: x\n---\n\ntext\n"],
    "feed": [RSS, ATOM, "\ufeff" + JSON_FEED],
    "netscape": [NETSCAPE, '<DL><p><DT><A HREF="https://a.example">A</A></DL>'],
    "pocket-html": [POCKET_HTML],
    "pocket-csv": [POCKET_CSV],
    "wallabag": [WALLABAG_V1, WALLABAG_V2],
    "links-json": ['[{"href": "https://a.example/x", "description": "A link"}]'],
    "csv": [TABLE],
}  # fmt: skip
CASES = [(name, sample) for name, samples in SAMPLES.items() for sample in samples]


def test_every_import_format_of_the_table_has_a_sample() -> None:
    assert sorted(SAMPLES) == sorted(formats.import_names())


@pytest.mark.parametrize(("name", "sample"), CASES, ids=[f"{n}-{i}" for i, (n, _) in
                         enumerate(CASES)])  # fmt: skip
def test_each_import_format_is_detected_and_read(name: str, sample: str) -> None:
    data = sample.encode("utf-8")
    assert detect(data) == name
    entries = read_document(named(name), data, name="sample", base_url=None)
    drafts = [item for _, item in entries if isinstance(item, Draft)]
    assert any(draft.text for draft in drafts), entries


@pytest.mark.parametrize(("name", "sample"), CASES, ids=[f"{n}-{i}" for i, (n, _) in
                         enumerate(CASES)])  # fmt: skip
def test_exactly_one_sniffing_rule_holds_whatever_the_order(name: str, sample: str) -> None:
    holding = [f.name for f in FORMATS if f.sniff and RULES[f.sniff](Sample(sample.encode()))]
    assert holding == [name]


def test_every_row_names_functions_and_rules_that_exist() -> None:
    for row in FORMATS:
        assert row.writer or row.reader, row.name
        for path in (row.writer, row.reader):
            if path is not None:
                assert callable(formats.function(path)), path
        assert (row.sniff is None) == (row.reader is None), row.name
        assert row.sniff is None or row.sniff in RULES
        assert all(extension.startswith(".") for extension in row.extensions)
    names = [name for row in FORMATS for name in (row.name, *row.aliases) if row.writer]
    assert len(names) == len(set(names)), "an export name or alias is taken twice"
    names = [name for row in FORMATS for name in (row.name, *row.aliases) if row.reader]
    assert len(names) == len(set(names)), "an import name or alias is taken twice"


def _clippings() -> list[Clipping]:
    return [
        Clipping.create(1, Draft(text="Tram line approved.", title="Tram", tags=["transport"],
                                 url="https://example.org/tram", source="Courier")),
        Clipping.create(2, Draft(text="Ferry crews strike.", title="Ferry", tags=["labour"])),
    ]  # fmt: skip


# Written by one row, read back by another: what the export writes, the import recognizes.
ROUND_TRIPS = [("json", "clipper-json"), ("jsonl", "jsonl"), ("csv", "csv")]


@pytest.mark.parametrize(("written", "read"), ROUND_TRIPS)
def test_what_an_export_writes_its_import_reads_back(written: str, read: str) -> None:
    document = render_document(written, _clippings())
    assert isinstance(document, str)
    data = document.encode("utf-8")
    assert detect(data) == read
    back = [item for _, item in read_document(named(read), data, name="export")]
    assert [(d.title, d.text, d.tags) for d in back if isinstance(d, Draft)] == [
        ("Tram", "Tram line approved.", ["transport"]),
        ("Ferry", "Ferry crews strike.", ["labour"]),
    ]


def test_an_md_files_export_is_read_back_as_an_md_folder(tmp_path: Path) -> None:
    from clipper.formats import markdown_folder

    markdown_folder.write(_clippings(), tmp_path)
    assert detect(tmp_path) == "md-folder"
    [first] = [p for p in sorted(tmp_path.iterdir()) if "tram" in p.name]
    assert first.suffix in named("md-folder").extensions
    data = first.read_bytes()
    assert detect(data) == "md-folder"
    [(_, draft)] = read_document(named("md-folder"), data, name=first.name)
    assert isinstance(draft, Draft) and draft.title == "Tram"


# The command line ------------------------------------------------------------------------


def _option_help(command: str, option: str) -> str:
    from clipper.cli.app import app

    group = typer.main.get_command(app)
    params = group.commands[command].params  # type: ignore[attr-defined]
    [param] = [p for p in params if option in getattr(p, "opts", [])]
    return str(param.help)


def _names_in(help_text: str) -> list[str]:
    listed = help_text.split("(default", maxsplit=1)[0].replace("(press reviews)", "")
    listed = listed.replace("auto (recognized by content)", "auto")
    return [name for name in re.split(r",\s*|\s+or\s+|\s+", listed.strip(" .")) if name]


def test_the_format_options_list_the_tables_formats() -> None:
    assert _names_in(_option_help("export", "--format")) == [
        *formats.review_names(),
        *(name for name in formats.export_names() if name not in formats.review_names()),
    ]
    assert _names_in(_option_help("import", "--format")) == ["auto", *formats.import_names()]


def write_plain(clippings: Sequence[Clipping]) -> str:
    """The writer of the format the test below adds: titles, one a line."""
    return "".join(f"{c.title}\n" for c in clippings)


PLAIN = Format("plain", "titles, one a line", writer="tests.test_formats_table:write_plain",
               extensions=(".txt",), aliases=("titles",))  # fmt: skip


def test_a_new_row_is_a_new_format_everywhere(
    clip: Clip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clipper.cli.commands.exchange import _complete_export_format, _export_format_help

    monkeypatch.setattr(formats, "FORMATS", (*FORMATS, PLAIN))
    assert formats.check_format("Titles") == "plain"
    assert _complete_export_format("pl") == ["plain"]
    assert "plain" in _names_in(_export_format_help())
    assert render_document("plain", _clippings()) == "Tram\nFerry\n"

    assert clip("add", "--text", "Tram line approved.", "--title", "Tram").exit_code == 0
    exported = clip("export", "-f", "plain")
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout == "Tram\n"
    unknown = clip("export", "-f", "nope")
    assert unknown.exit_code == 2
    assert unknown.stderr.endswith("bibtex, csl-json, plain.\n")


def test_a_new_export_format_is_a_value_of_the_export_format_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clipper import config

    monkeypatch.setattr(formats, "FORMATS", (*FORMATS, PLAIN))
    toml = tmp_path / "config.toml"
    assert config.load(toml, {"CLIPPER_EXPORT_FORMAT": "plain"})["export_format"] == "plain"
    with pytest.raises(UsageError) as refused:
        config.load(toml, {"CLIPPER_EXPORT_FORMAT": "nope"})
    assert refused.value.message.endswith("bibtex, csl-json, plain, not 'nope'.")
