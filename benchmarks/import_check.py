"""Import every real export in ../shared/data and compare what clip keeps with the expected
outputs that ship with the data (feed-rs's *.serde.json, netscape-bookmark-parser's output/)
or, where a folder has none, with an independent reading of the file (regular expressions,
the csv and json modules).

Usage: python benchmarks/import_check.py [--data PATH] [--verbose]
Prints a table per file and a summary; exits 1 when a file does not match.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clipper.capture.urls import canonical_url  # noqa: E402
from clipper.errors import ClipperError  # noqa: E402
from clipper.library.core import Library  # noqa: E402
from clipper.library.importing import read_source, run_import  # noqa: E402
from clipper.model import Clipping  # noqa: E402
from clipper.paths import LibraryPaths  # noqa: E402

# A file expected to be refused, and why (the rest must import and match).
EXPECTED_REFUSALS = {
    "rss_2.0_invalid_1.xml": "broken on purpose (truncated XML, no entry)",
    "xml_iso8859.xml": "feed-rs's XML-parser fixture, not a feed",
    "xml_sample_1.xml": "feed-rs's XML-parser fixture, not a feed",
    "xml_sample_2.xml": "feed-rs's XML-parser fixture, not a feed",
    "aoc.media.html": "an article page (wallabag's content-import fixture), not an export",
    "nextinpact-article.html": "an article page (wallabag's content-import fixture), not an export",
    "COPYING.md": "the licence of the folder",
}


@dataclass
class Result:
    name: str
    kind: str = ""
    expected: int = 0
    imported: int = 0
    checks: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def ok(self) -> bool:
        if self.name in EXPECTED_REFUSALS:
            return bool(self.refused)
        return not self.refused and not self.problems and self.imported == self.expected


def import_file(path: Path) -> tuple[str, list[Clipping | str]]:
    """Import into a fresh library; the clippings (or the failure reason) in file order."""
    with tempfile.TemporaryDirectory() as home:
        library = Library(LibraryPaths(Path(home)))
        batch = read_source(str(path))
        report = run_import(library, batch)
        kept = {c.id: c for c in library.clippings()}
        items: list[Clipping | str] = []
        for outcome in report.outcomes:
            if outcome.clipping is not None:
                items.append(kept[outcome.clipping.id])
            else:
                items.append(f"{outcome.status}: {outcome.reason}")
        return batch.format, items


def same_instant(ours: str | None, theirs: str | None) -> bool:
    if not ours or not theirs:
        return ours == theirs

    def moment(value: str) -> datetime:
        # To the second: feedparser's times have no fractions (feed-rs keeps milliseconds).
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")).replace(microsecond=0)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    return moment(ours) == moment(theirs)


def web(url: str | None) -> str | None:
    """The URL as clip keeps it: canonical when it is an absolute http(s) one, else None."""
    try:
        return canonical_url(url) if url else None
    except ClipperError:
        return None


def words(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


# Feeds ----------------------------------------------------------------------------------------


def check_feed(path: Path, result: Result, items: list[Clipping | str]) -> None:
    expected_file = path.with_name(path.name.rsplit(".", 1)[0] + ".serde.json")
    if not expected_file.exists():
        result.notes.append("no expected output")
        result.expected = len(items)
        return
    entries = json.loads(expected_file.read_text(encoding="utf-8"))["entries"]
    result.expected = len(entries)
    for number, (entry, item) in enumerate(zip(entries, items, strict=False), start=1):
        if isinstance(item, str):
            result.problems.append(f"entry {number} not imported: {item}")
            continue
        title = words((entry.get("title") or {}).get("content"))
        result.checks += 1
        if title and words(item.title) != title:
            result.problems.append(f"entry {number} title {item.title!r} != {title!r}")
        elif not title:
            result.notes.append(f"entry {number}: no title in the feed, made one from the text")
        links = [link["href"] for link in entry.get("links", [])]
        want = web(links[0]) if links else None
        result.checks += 1
        if links and want is None:
            got = item.url or "none"
            result.notes.append(f"entry {number}: link {links[0][:40]!r} is not absolute http(s)"
                                f" (kept: {got})")  # fmt: skip
        elif want != item.url and not (want is None and item.url):
            result.problems.append(f"entry {number} url {item.url!r} != {want!r}")
        elif want is None and item.url:
            result.notes.append(
                f"entry {number}: url {item.url} from guid/xml:base (feed-rs: none)"
            )
        date = entry.get("published") or entry.get("updated")
        result.checks += 1
        if not same_instant(item.published, date):
            if date is None:
                result.notes.append(f"entry {number}: date {item.published} (feed-rs found none)")
            else:
                result.problems.append(f"entry {number} date {item.published} != {date}")


# Bookmarks: the expected descriptions in output/, and an independent regex reading -----------

_LINK = re.compile(r"<DT>\s*<A\s+([^>]*)>(.*?)</A>", re.I | re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"', re.S)


def oracle_bookmarks(text: str) -> list[dict[str, str]]:
    found = []
    for attributes, title in _LINK.findall(text):
        values = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(attributes)}
        values["title"] = " ".join(html.unescape(re.sub(r"<[^>]+>", "", title)).split())
        found.append(values)
    return found


def check_bookmarks(path: Path, result: Result, items: list[Clipping | str]) -> None:
    links = oracle_bookmarks(path.read_text(encoding="utf-8-sig", errors="replace"))
    result.expected = len(links)
    for number, (link, item) in enumerate(zip(links, items, strict=False), start=1):
        href = link.get("href", "")
        if isinstance(item, str):
            if web(href) is None:
                result.notes.append(f"bookmark {number}: {href[:30]!r} refused (not http(s))")
                result.expected -= 1
            else:
                result.problems.append(f"bookmark {number} not imported: {item}")
            continue
        result.checks += 3
        if link["title"] and words(item.title) != link["title"]:
            result.problems.append(f"bookmark {number} title {item.title!r} != {link['title']!r}")
        if web(href) != item.url:
            result.problems.append(f"bookmark {number} url {item.url!r} != {web(href)!r}")
        added = link.get("add_date", "")
        if added.isdigit() and int(added) > 0:
            seconds = int(added)
            while seconds > 1e11:
                seconds //= 1000
            want = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if item.captured != want:
                result.problems.append(f"bookmark {number} captured {item.captured} != {want}")
    expected_text = path.parent.parent / "output" / (path.stem + ".txt")
    if expected_text.exists():
        want = "\n".join(line.rstrip() for line in expected_text.read_text().splitlines()).strip()
        got = next((i.text for i in items if isinstance(i, Clipping)), "")
        result.checks += 1
        if got != want:
            result.problems.append(f"description differs from output/{expected_text.name}")
        else:
            result.notes.append(f"description equals output/{expected_text.name}")


# Read-it-later exports ------------------------------------------------------------------------


def check_wallabag(path: Path, result: Result, items: list[Clipping | str]) -> None:
    articles = json.loads(path.read_text(encoding="utf-8"))
    result.expected = len(articles)
    for number, (article, item) in enumerate(zip(articles, items, strict=False), start=1):
        if isinstance(item, str):
            result.problems.append(f"article {number} not imported: {item}")
            continue
        result.checks += 4
        if words(item.title) != words(article["title"]):
            result.problems.append(f"article {number} title {item.title!r}")
        if item.url != web(article["url"]):
            result.problems.append(f"article {number} url {item.url!r} != {article['url']!r}")
        starred = str(article.get("is_starred", article.get("is_fav"))).lower() in ("1", "true")
        if item.starred != starred:
            result.problems.append(f"article {number} starred {item.starred} != {starred}")
        tags = article.get("tags") or []
        tags = tags.split(",") if isinstance(tags, str) else tags
        if sorted(t.strip().lower() for t in tags if t.strip()) != sorted(item.tags):
            result.problems.append(f"article {number} tags {item.tags} != {tags}")
        if article.get("created_at"):
            result.checks += 1
            if not same_instant(item.captured, article["created_at"].replace("+0200", "+02:00")):
                result.problems.append(f"article {number} captured {item.captured}")


def check_table(path: Path, result: Result, items: list[Clipping | str]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    result.expected = len(rows)
    for number, (row, item) in enumerate(zip(rows, items, strict=False), start=1):
        if isinstance(item, str):
            result.problems.append(f"row {number} not imported: {item}")
            continue
        fields = {k.lower(): v for k, v in row.items()}
        result.checks += 2
        if words(item.title) != words(fields["title"]):
            result.problems.append(f"row {number} title {item.title!r} != {fields['title']!r}")
        if item.url != web(fields["url"]):
            result.problems.append(f"row {number} url {item.url!r} != {fields['url']!r}")
        if fields.get("time_added"):
            result.checks += 1
            want = datetime.fromtimestamp(int(fields["time_added"]), UTC)
            if item.captured != want.strftime("%Y-%m-%dT%H:%M:%SZ"):
                result.problems.append(f"row {number} captured {item.captured}")


def check_pocket_html(path: Path, result: Result, items: list[Clipping | str]) -> None:
    text = path.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" time_added="(\d+)"[^>]*>(.*?)</a>', text, re.S)
    result.expected = len(links)
    for number, ((href, added, title), item) in enumerate(zip(links, items, strict=False), 1):
        if isinstance(item, str):
            result.problems.append(f"link {number} not imported: {item}")
            continue
        result.checks += 3
        if words(item.title) != words(title):
            result.problems.append(f"link {number} title {item.title!r}")
        if item.url != web(html.unescape(href)):
            result.problems.append(f"link {number} url {item.url!r}")
        want = datetime.fromtimestamp(int(added), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if item.captured != want:
            result.problems.append(f"link {number} captured {item.captured} != {want}")


def oracle_links(node: Any) -> list[dict[str, Any]]:
    """Objects with an http(s) address under a usual key, in file order."""
    if isinstance(node, list):
        return [link for item in node for link in oracle_links(item)]
    if not isinstance(node, dict):
        return []
    for key in ("url", "href", "uri", "article__url"):
        if str(node.get(key, "")).startswith(("http://", "https://")):
            return [node]
    return [link for value in node.values() for link in oracle_links(value)]


def check_links(path: Path, result: Result, items: list[Clipping | str]) -> None:
    links = oracle_links(json.loads(path.read_text(encoding="utf-8")))
    result.expected = len(links)
    for number, (link, item) in enumerate(zip(links, items, strict=False), start=1):
        if isinstance(item, str):
            result.problems.append(f"link {number} not imported: {item}")
            continue
        url = next(link[k] for k in ("url", "href", "uri", "article__url") if k in link)
        titles = {words(str(link.get(k))) for k in ("title", "name", "description",
                                                    "article__title") if link.get(k)}  # fmt: skip
        result.checks += 2
        if item.url != web(url):
            result.problems.append(f"link {number} url {item.url!r} != {url!r}")
        if titles and words(item.title) not in titles:
            result.problems.append(f"link {number} title {item.title!r} not in {titles}")


def check_generic(path: Path, result: Result, items: list[Clipping | str]) -> None:
    result.expected = len(items)
    result.notes.append("no expected output: counted only")


CHECKERS: dict[str, Callable[[Path, Result, list[Clipping | str]], None]] = {
    "feed": check_feed,
    "netscape": check_bookmarks,
    "wallabag": check_wallabag,
    "pocket-csv": check_table,
    "csv": check_table,
    "pocket-html": check_pocket_html,
    "links-json": check_links,
}


def check(path: Path) -> Result:
    result = Result(path.name)
    try:
        result.kind, items = import_file(path)
    except ClipperError as error:
        result.refused = error.message
        return result
    result.imported = sum(1 for item in items if isinstance(item, Clipping))
    CHECKERS.get(result.kind, check_generic)(path, result, items)
    return result


def files(data: Path) -> list[Path]:
    chosen: list[Path] = []
    feeds = data / "feeds" / "feed-rs"
    chosen += sorted(p for p in feeds.rglob("*") if p.is_file() and p.suffix in (".xml", ".json")
                     and not p.name.endswith(".serde.json"))  # fmt: skip
    chosen += sorted((data / "bookmarks" / "netscape-bookmark-parser" / "input").glob("*"))
    chosen += sorted(p for p in (data / "exports" / "wallabag").glob("*") if p.is_file())
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--verbose", "-v", action="store_true", help="print notes too")
    args = parser.parse_args(argv)
    if not (args.data / "feeds").is_dir():
        print(f"skipped: no test data at {args.data} (see shared/data/README.md)")
        return 0
    results = [check(path) for path in files(args.data)]
    width = max(len(r.name) for r in results)
    print(f"{'file':<{width}}  {'format':<12} {'want':>4} {'got':>4} {'checks':>6}  result")
    for r in results:
        if r.refused:
            verdict = ("refused as expected: " if r.ok else "REFUSED: ") + r.refused
            print(f"{r.name:<{width}}  {'-':<12} {'-':>4} {'-':>4} {'-':>6}  {verdict[:150]}")
            continue
        verdict = "ok" if r.ok else "MISMATCH: " + "; ".join(r.problems)[:300]
        if r.name in EXPECTED_REFUSALS:
            verdict = "IMPORTED, expected a refusal"
        print(f"{r.name:<{width}}  {r.kind:<12} {r.expected:>4} {r.imported:>4} {r.checks:>6}"
              f"  {verdict}")  # fmt: skip
        if args.verbose:
            for note in r.notes:
                print(f"{'':<{width}}    note: {note}")
    good = sum(r.ok for r in results)
    refused = sum(1 for r in results if r.refused and r.ok)
    print(
        f"\n{good}/{len(results)} files as expected: {good - refused} imported and matched "
        f"({sum(r.imported for r in results)} clippings, {sum(r.checks for r in results)} field "
        f"checks), {refused} refused as expected; {len(results) - good} not as expected."
    )
    return 0 if good == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
