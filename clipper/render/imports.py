"""The report of `clip import`: a table on a terminal, one line per record in a pipe, or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from clipper.render.console import err, is_terminal, one_line, out
from clipper.render.data import print_json, print_rows

if TYPE_CHECKING:
    from clipper.library.importing import ImportReport

MAX_TABLE_ROWS = 50  # on a terminal; the rest is summed up (the pipe and --json list all)
_STYLES = {"added": "green", "duplicate": "yellow", "failed": "red", "skipped": "dim"}


def report_dict(report: ImportReport) -> dict[str, Any]:
    """The report as JSON: totals, then every record with its status and reason."""
    return {
        "source": report.source,
        "format": report.format,
        "dry_run": report.dry_run,
        "added": report.count("added"),
        "linked": report.linked,
        "duplicates": report.count("duplicate"),
        "failed": report.count("failed"),
        "skipped": report.count("skipped"),
        "records": [
            {
                "record": o.label,
                "status": o.status,
                "id": o.clipping.id if o.clipping is not None and not report.dry_run else None,
                "near_duplicates": _links(o, report),
                "title": o.title,
                "reason": o.reason or None,
                "warning": o.warning or None,
            }
            for o in report.outcomes
        ],
    }


def summary(report: ImportReport) -> str:
    """One line: what was added, skipped and refused; says so when nothing was written."""
    verb = "Would add" if report.dry_run else "Added"
    added = f"{verb} {report.count('added')}"
    if report.linked:
        added += f" ({report.linked} linked with near duplicates)"
    parts = [
        added,
        f"skipped {report.count('duplicate')} duplicate{_s(report.count('duplicate'))}",
        f"failed {report.count('failed')}",
    ]
    others = report.count("skipped")  # files of a folder that are no clipping
    if others:
        parts.append(f"skipped {others} other file{_s(others)}")
    line = " · ".join(parts) + f"  ({report.format}, {one_line(report.source)})"
    if report.dry_run:
        line += "; dry run, nothing was written"
    return line


def print_report(report: ImportReport, *, as_json: bool = False) -> None:
    """The report: JSON on stdout, or records on stdout and the summary on stderr."""
    if as_json:
        print_json(report_dict(report))
        return
    if not is_terminal():
        print_rows(
            [
                [o.status, o.label, _id(o, report), o.title, o.reason or o.warning]
                for o in report.outcomes
            ]
        )
        err().print(summary(report), markup=False, highlight=False, soft_wrap=True)
        return
    noteworthy = [o for o in report.outcomes if o.status != "added" or o.warning]
    if noteworthy:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("record", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("title", overflow="ellipsis", max_width=40, no_wrap=True)
        table.add_column("reason", overflow="fold")
        for outcome in noteworthy[:MAX_TABLE_ROWS]:
            table.add_row(
                Text(one_line(outcome.label)),
                Text(outcome.status, style=_STYLES.get(outcome.status, "")),
                Text(one_line(outcome.title)),
                Text(one_line(outcome.reason or outcome.warning)),
            )
        out().print(table)
        hidden = len(noteworthy) - MAX_TABLE_ROWS
        if hidden > 0:
            err().print(f"… and {hidden} more (see --json)", style="dim")
    style = "green" if report.count("failed") == 0 else "yellow"
    err().print(Text(summary(report), style=style), soft_wrap=True)


def _id(outcome: Any, report: ImportReport) -> str:
    if outcome.clipping is None or report.dry_run:
        return ""
    return str(outcome.clipping.id)


def _links(outcome: Any, report: ImportReport) -> list[int] | None:
    """The ids an added clipping is linked with (none in a dry run: it has no id)."""
    if outcome.clipping is None or report.dry_run:
        return None
    return list(outcome.clipping.near_duplicates)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
