"""Whether this checkout's `clip import` stores what another checkout's stores, byte for byte.

Imports the same file into two empty libraries, one with the code of `--before` (a checkout of
an earlier commit, put first on PYTHONPATH) and one with this checkout, then compares: each
segment of the store (clippings.d/, by its number: the file names carry the generation, which
counts commits), the manifest's tables with the generation and the file names set aside, and
the output of `clip export -f jsonl` and `-f json` of both (the json's "exported" time set
aside). Prints what differs, and exits 1 if anything does.

Usage: python benchmarks/import_same_bytes.py --before /tmp/old-checkout [--store-only] FILE.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clip(code: Path, home: Path, *args: str) -> None:
    """`clip` run with the code of the checkout `code`."""
    env = {**os.environ, "CLIPPER_HOME": str(home), "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "clipper", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{code}: clip {' '.join(args)} failed: {done.stderr.strip()}")


def segments(home: Path) -> dict[str, bytes]:
    """The segment files by number (the part of the name before the generation)."""
    return {path.name.split(".")[0]: path.read_bytes() for path in (home / "clippings.d").iterdir()}


def manifest(home: Path) -> object:
    """The manifest's tables, without what counts commits: the generation, the file names."""
    data = json.loads((home / "clippings.json").read_text(encoding="utf-8"))
    for record in data.get("meta", {}).values():
        record.pop("generation", None)
    for entry in data.get("segments", {}).values():
        entry.pop("file", None)
    return data


def exported(path: Path) -> bytes:
    """An export's bytes, with the moment it was made (the json's "exported") blanked."""
    return re.sub(rb'^(\s*"exported": )"[^"]*"', rb'\1""', path.read_bytes(), count=1, flags=re.M)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout to compare with")
    parser.add_argument("file", type=Path, help="the file to import (JSONL, JSON, CSV ...)")
    parser.add_argument("--store-only", action="store_true", help="compare the stores alone")
    options = parser.parse_args(argv)
    differences: list[str] = []
    formats = () if options.store_only else ("jsonl", "json")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        homes = {"before": work / "before", "after": work / "after"}
        for name, code in (("before", options.before.resolve()), ("after", ROOT)):
            clip(code, homes[name], "import", str(options.file.resolve()), "-q")
            for fmt in formats:
                clip(code, homes[name], "export", "-f", fmt, "-o", str(work / f"{name}.{fmt}"))
        old, new = segments(homes["before"]), segments(homes["after"])
        for number in sorted(old.keys() | new.keys()):
            if old.get(number) != new.get(number):
                differences.append(f"segment {number} differs")
        if manifest(homes["before"]) != manifest(homes["after"]):
            differences.append("the manifests differ (beyond generation and file names)")
        for fmt in formats:
            if exported(work / f"before.{fmt}") != exported(work / f"after.{fmt}"):
                differences.append(f"`clip export -f {fmt}` differs")
        size = sum(len(content) for content in new.values())
        exports = " and the jsonl and json exports" if formats else ""
        print(f"{options.file}: {len(new)} segments ({size / 1e6:.1f} MB) compared{exports}")
    for line in differences:
        print("  " + line)
    print("identical" if not differences else f"{len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
