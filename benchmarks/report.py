"""The tables of benchmarks/run.py, and its section of BENCHMARKS.md (replaced in place)."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

START = "<!-- benchmarks/run.py: start -->"
END = "<!-- benchmarks/run.py: end -->"
TOOLS = ("clip", "buku", "jrnl")

# clip's targets (DESIGN.md, issue 7): milliseconds at 10k (also used at 1k) and at 100k.
TARGETS: dict[str, tuple[float, float] | None] = {
    "startup (--version)": (120, 120),
    "add plain text": (300, 1500),
    "add an HTML file": None,
    "search one word": (200, 300),
    "search a phrase": (200, 300),
    "search word + tag + date": (200, 300),
    "show": (200, 300),
    "list 20": (200, 300),
    "export to md": (5000, 5000),
    "import jsonl": (10_000, 10_000),
}
SEARCH_MEMORY_MB = 150  # peak memory of a search at 100k


@dataclass
class Stats:
    size: int
    source: str
    load_before: float
    load_after: float
    disk: dict[str, float]  # MB


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GB RAM"
    except (ValueError, OSError):
        pass
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def sizes_on_disk(clip_home: Path, work: Path, size: int) -> dict[str, float]:
    files = {
        "clip clippings.json": clip_home / "clippings.json",
        "clip index.sqlite3": clip_home / "index.sqlite3",
        "buku bookmarks.db": work / f"buku-{size}" / "bookmarks.db",
        "jrnl journal.txt": work / f"jrnl-{size}" / "journal.txt",
    }
    return {name: path.stat().st_size / 1e6 for name, path in files.items() if path.exists()}


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def cell(result: Any) -> str:
    if result.median is None:
        return "—"
    memory = f" · {result.peak / 1024:.0f} MB" if result.peak else ""
    return _ms(result.median) + memory


def _ratio(peer: Any, clip: Any) -> str:
    if peer is None or clip is None or peer.median is None or clip.median is None:
        return "—"
    return f"{peer.median / clip.median:.1f}×"


def target_of(operation: str, size: int) -> float | None:
    targets = TARGETS[operation]
    if targets is None:
        return None
    return targets[1] if size >= 100_000 else targets[0]


def verdict(operation: str, size: int, result: Any) -> str:
    target = target_of(operation, size)
    if result is None or result.median is None or target is None:
        return ""
    ok = result.median * 1000 <= target
    text = f"{_ms(target / 1000)} {'met' if ok else '**not met**'}"
    if operation.startswith("search") and size >= 100_000 and result.peak:
        mb = result.peak / 1024
        text += f"; {SEARCH_MEMORY_MB} MB {'met' if mb <= SEARCH_MEMORY_MB else '**not met**'}"
    return text


def table(stats: Stats, results: dict[str, dict[str, Any]], found: dict[str, Any]) -> str:
    """One size: clip, buku and jrnl side by side, how many times slower the peers are, and
    clip's target. Cells are median wall time · peak memory."""
    lines = [
        f"**{stats.size:,} clippings** (load average {stats.load_before:.2f} before, "
        f"{stats.load_after:.2f} after)",
        "",
        "| operation | clip | buku | jrnl | buku ÷ clip | jrnl ÷ clip | clip target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes: list[str] = []
    skipped = []
    for operation in TARGETS:
        clip = results.get("clip", {}).get(operation)
        if clip is not None and clip.median is None and clip.note.startswith("run up to"):
            skipped.append(f"{operation} ({clip.note})")
            continue
        cells = []
        for tool in TOOLS:
            if tool != "clip" and found.get(tool) is None:
                cells.append("not installed")
                continue
            result = results.get(tool, {}).get(operation)
            if result is None or result.note == "no such operation":
                cells.append("n/a")
                continue
            text = cell(result)
            if result.note:
                notes.append(f"{tool}, {operation}: {result.note}")
                text += f" [{len(notes)}]"
            cells.append(text)
        buku = results.get("buku", {}).get(operation)
        jrnl = results.get("jrnl", {}).get(operation)
        lines.append(
            f"| {operation} | {' | '.join(cells)} | {_ratio(buku, clip)} | {_ratio(jrnl, clip)} "
            f"| {verdict(operation, stats.size, clip)} |"
        )
    if skipped:
        notes.append("not measured at this size: " + "; ".join(skipped))
    if notes:
        lines.append("")
        lines += [f"[{n}] {note}" for n, note in enumerate(notes, 1)]
        lines[-len(notes) :] = [line + "  " for line in lines[-len(notes) :]]
    if stats.disk:
        lines += ["", "On disk: " + ", ".join(f"{k} {v:,.0f} MB" for k, v in stats.disk.items())]
    return "\n".join(lines)


def as_json(machine_info: dict[str, str], sections: list[tuple[Stats, Any]]) -> dict[str, Any]:
    return {
        "machine": machine_info,
        "sizes": [
            {**asdict(stats), "results": {tool: {op: asdict(r) for op, r in ops.items()}
                                          for tool, ops in results.items()}}
            for stats, results in sections
        ],
    }


def markdown(
    machine_info: dict[str, str], sections: list[tuple[Stats, Any]], found: dict[str, Any],
    argv: list[str],
) -> str:  # fmt: skip
    versions = ", ".join(
        f"{name} {peer.version}" for name, peer in found.items() if peer is not None
    ) or "buku and jrnl not installed"
    command = " ".join(["python benchmarks/run.py", *argv])
    parts = [
        START,
        f"Measured {machine_info['date']} on {machine_info['cpus']} × {machine_info['cpu']}, "
        f"{machine_info['memory']}, {machine_info['system']}, Python {machine_info['python']}, "
        f"SQLite {machine_info['sqlite']}; {versions}. Clippings from: {sections[0][0].source}. "
        "Cells are the median wall time of whole processes · their peak memory; ratios are "
        "the peer's median over clip's (above 1: clip is faster).",
        "",
        f"Reproduce: `{command}`",
    ]
    for stats, results in sections:
        parts += ["", table(stats, results, found)]
    parts.append(END)
    return "\n".join(parts)


def update_markdown(
    path: Path, machine_info: dict[str, str], sections: list[tuple[Stats, Any]],
    found: dict[str, Any], argv: list[str],
) -> None:  # fmt: skip
    """Replace the block between the START and END markers (added at the end if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = markdown(machine_info, sections, found, argv)
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## clip, buku and jrnl side by side\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def load_json(path: Path) -> tuple[dict[str, str], list[tuple[Stats, dict[str, dict[str, Any]]]]]:
    """The machine and sections of a results file that run.py saved, to render them again."""
    from types import SimpleNamespace

    data = json.loads(path.read_text(encoding="utf-8"))
    sections = []
    for size in data["sizes"]:
        results = {
            tool: {op: SimpleNamespace(**r) for op, r in ops.items()}
            for tool, ops in size.pop("results").items()
        }
        sections.append((Stats(**size), results))
    return data["machine"], sections
