"""Press reviews of 1,000 clippings to PDF and DOCX, through the real `clip` command.

Builds a library of N clippings (BBC News texts from ../shared/data/corpus/bbc as in
export_import_speed.py, synthetic text when the corpus is absent); one in ten is a wire copy
of another (its text with a dateline added, so that it is linked as a near duplicate and the
review shows "also in"), one in twenty has a quoted passage. Then times, as whole processes,
`clip export -f pdf` and `-f docx` of the whole library, full text and --share-safe, and
prints the medians and the files' sizes. Target (issue 18): at most 10 s each.

--phases splits the PDF's CPU time, in this process, into the review and its HTML, WeasyPrint's
layout (line breaking, pages) and its drawing and writing (text operators, deflating, fonts).

Usage: python benchmarks/review_export_speed.py [--count 1000] [--runs 3] [--phases]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import export_import_speed  # noqa: E402
from benchmarks.export_import_speed import OUTLETS, articles, clip  # noqa: E402
from clipper.library.core import Library  # noqa: E402
from clipper.model import Draft  # noqa: E402
from clipper.paths import LibraryPaths  # noqa: E402

TARGET_SECONDS = 10.0
WIRE_OUTLETS = ("APA", "Trend", "Report.az")


def build(home: Path, count: int) -> tuple[float, int]:
    """A library of `count` clippings, a tenth of them wire copies; (seconds, links made)."""
    source = articles()
    drafts = []
    for n in range(count):
        category, headline, body = source[(n // 10 if n % 10 == 9 else n) % len(source)]
        copy = n % 10 == 9  # the same article as clipping n - 9, from a wire outlet
        text = f"{body}\n\nEdition {n // len(source)}, item {n - 9 if copy else n}."
        if copy:
            text = f"BAKU ({WIRE_OUTLETS[n % 3]}) - {text}"
        first = body.split(". ")[0].strip()
        drafts.append(
            Draft(
                text=text,
                title=f"{headline} ({n})",
                url=f"https://news.example/{category}/{n}",
                source=WIRE_OUTLETS[n % 3] if copy else OUTLETS[n % len(OUTLETS)],
                published=f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
                tags=[category, f"batch/{n % 7}"],
                starred=n % 40 == 0,
                note="Read this first." if n % 50 == 0 else None,
                passages=[first] if n % 20 == 0 and len(first.split()) > 3 else [],
            )
        )
    started = time.perf_counter()
    result = Library(LibraryPaths(home)).add_many(drafts, allow_duplicate=True)
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed[:3]
    linked = sum(1 for c in Library(LibraryPaths(home)).clippings() if c.near_duplicates)
    return elapsed, linked


def timed(home: Path, *args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `clip` process: on a shared machine the CPU time says what
    the export costs, the wall time what the user waited."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = clip(home, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="the PDF's CPU time by phase")
    options = parser.parse_args(argv)
    # The shared data sits beside the repository, or beside the folder of worktrees.
    for shared in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (shared / "data" / "corpus" / "bbc").is_dir():
            export_import_speed.BBC = shared / "data" / "corpus" / "bbc"
            break
    cases = {
        "pdf": ("-f", "pdf"),
        "pdf --share-safe": ("-f", "pdf", "--share-safe"),
        "docx": ("-f", "docx"),
        "docx --share-safe": ("-f", "docx", "--share-safe"),
    }
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        library = work / "library"
        built, linked = build(library, options.count)
        print(f"built {options.count} clippings in {built:.1f} s; {linked} linked as copies")
        if options.phases:
            return _phases(library)
        load_before = os.getloadavg()[0]
        results = []
        for name, args in cases.items():
            target = work / f"review.{args[1]}"
            runs = [
                timed(library, "export", *args, "-o", str(target), "-q")
                for _ in range(options.runs)
            ]
            pages = _pages(target) if args[1] == "pdf" else None
            results.append((name, runs, target.stat().st_size, pages))
        load_after = os.getloadavg()[0]
    print(f"\n{'export':<20} {'wall':>8} {'min':>7} {'max':>7} {'CPU':>7} {'size':>9} "
          f"{'pages':>6}  verdict")  # fmt: skip
    over = 0
    for name, runs, size, pages in results:
        walls = [wall for wall, _ in runs]
        median, cpu = statistics.median(walls), statistics.median(c for _, c in runs)
        verdict = "ok" if median <= TARGET_SECONDS else "OVER"
        over += verdict != "ok"
        print(f"{name:<20} {median:>7.2f}s {min(walls):>6.2f}s {max(walls):>6.2f}s "
              f"{cpu:>6.2f}s {size / 1e6:>7.2f}MB {pages or '':>6}  {verdict}")  # fmt: skip
    print(f"\n{options.count} clippings, {options.runs} runs each, on {os.cpu_count()} CPUs, "
          f"load average {load_before:.2f} before, {load_after:.2f} after")  # fmt: skip
    return 1 if over else 0


def _phases(home: Path) -> int:
    """The PDF export's CPU seconds by phase, in this process (as the export's writer runs)."""
    import weasyprint

    from clipper.formats import html_review, pdf_review
    from clipper.formats.press_review import Options
    from clipper.formats.press_review import build as review

    clippings = Library(LibraryPaths(home)).clippings()
    pdf_review.deflate_at_default_level()
    print(f"{'export':<20} {'review':>7} {'layout':>7} {'write':>7} {'CPU':>7} {'wall':>7} "
          f"{'pages':>6} {'size':>8}  load")  # fmt: skip
    for name, share_safe in (("pdf", False), ("pdf --share-safe", True)):
        wall, cpu = time.perf_counter(), time.process_time()
        model = review(clippings, Options(share_safe=share_safe))
        page = html_review.render_review(model, print_version=True)
        built = time.process_time()
        document = weasyprint.HTML(string=page).render()
        laid_out = time.process_time()
        pdf = document.write_pdf()
        done = time.process_time()
        print(f"{name:<20} {built - cpu:>6.2f}s {laid_out - built:>6.2f}s {done - laid_out:>6.2f}s "
              f"{done - cpu:>6.2f}s {time.perf_counter() - wall:>6.2f}s {len(document.pages):>6} "
              f"{len(pdf) / 1e6:>6.2f}MB  {os.getloadavg()[0]:.2f}")  # fmt: skip
    return 0


def _pages(path: Path) -> int | None:
    """The PDF's page count, when pypdf (a test dependency) is there."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())
