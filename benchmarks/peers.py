"""buku and jrnl, the tools clip is compared with: finding them, and loading clippings into them.

Neither is a dependency of clip. They are looked for beside the running Python, on the PATH, or
in the virtual environment given with `--peers-venv` (a separate one keeps the project's clean):

    python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install buku jrnl

buku is loaded through its own Python API (`BukuDb.add_rec`, one commit), run by the Python of
the environment buku lives in; jrnl's journal is written directly in jrnl's text format (one
entry per clipping) and then read back by jrnl once, to check that it reads every entry.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_BUKU_LOADER = """
import json, sys
import buku
db = buku.BukuDb(dbfile=sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as lines:
    for line in lines:
        item = json.loads(line)
        db.add_rec(item["url"], item["title"], "," + ",".join(item["tags"]) + ",", item["text"],
                   delay_commit=True, fetch=False)
db.conn.commit()
print(db.get_max_id())
"""

JRNL_TIME = "%Y-%m-%d %H:%M"


@dataclass(frozen=True, slots=True)
class Peer:
    """A peer's command and the Python interpreter of the environment it is installed in."""

    name: str
    command: Path
    python: Path
    version: str


def find(name: str, venv: Path | None, here: Path) -> Peer | None:
    """The peer's executable: in `venv`, beside this Python, or on the PATH; None if absent."""
    candidates = [venv / "bin" / name] if venv else []
    candidates += [here / name]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for command in candidates:
        python = command.with_name("python")
        if command.is_file() and python.exists():
            done = subprocess.run(
                [str(command), "--version"], capture_output=True, text=True, check=False,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            words = (done.stdout or done.stderr).split()
            version = next((w for w in words if w[:1].isdigit() or w[:2] == "v4"), "?")
            return Peer(name, command, python, version)
    return None


def clipping_dicts(drafts: list[Any]) -> list[dict[str, Any]]:
    """What the peers are given of each clipping."""
    return [
        {"url": d.url, "title": d.title, "text": d.text, "tags": list(d.tags),
         "published": d.published}
        for d in drafts
    ]  # fmt: skip


def load_buku(peer: Peer, folder: Path, items: list[dict[str, Any]]) -> int:
    """A buku database in `folder` (bookmarks.db) holding the clippings; returns the count."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    feed = folder / "items.jsonl"
    with feed.open("w", encoding="utf-8") as stream:
        for item in items:
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
    done = subprocess.run(
        [str(peer.python), "-c", _BUKU_LOADER, str(folder / "bookmarks.db"), str(feed)],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    feed.unlink()
    return int(done.stdout.split()[-1])


def jrnl_tag(tag: str) -> str:
    return "@" + tag.replace("/", "-")


def jrnl_entry(item: dict[str, Any]) -> str:
    """One journal entry: the date line with the title, the text, the tags as @words."""
    day = str(item["published"] or "2020-01-01")[:10]
    title = " ".join(str(item["title"]).split())
    body = "\n".join(line for line in str(item["text"]).splitlines() if not line.startswith("["))
    tags = " ".join(jrnl_tag(tag) for tag in item["tags"])
    return f"[{day} 09:00] {title}\n{body}\n{tags}\n\n"


def write_jrnl(
    folder: Path, items: list[dict[str, Any]], *, name: str = "journal.txt", version: str = "4.6"
) -> Path:
    """A journal (sorted by date, as jrnl keeps it) and its config file; returns the config."""
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / name
    ordered = sorted(items, key=lambda item: str(item["published"] or ""))
    with journal.open("w", encoding="utf-8") as stream:
        for item in ordered:
            stream.write(jrnl_entry(item))
    return write_jrnl_config(folder / f"{journal.stem}.yaml", journal, version)


def write_jrnl_config(config: Path, journal: Path, version: str = "4.6") -> Path:
    """A jrnl config of the installed version (else jrnl rewrites it on every run)."""
    version = version or "4.6"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '@'\ntemplate: false\n"
        f"timeformat: '{JRNL_TIME}'\nversion: '{version}'\n",
        encoding="utf-8",
    )
    return config


def jrnl_count(peer: Peer, config: Path) -> int:
    """How many entries jrnl reads from the journal (one line each with --format short)."""
    done = subprocess.run(
        [str(peer.command), "--config-file", str(config), "--format", "short"],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return len(done.stdout.splitlines())
