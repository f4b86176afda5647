"""What run.py measures: each operation's command line for clip, buku and jrnl, and the new
articles that the add operations save."""

from __future__ import annotations

import random
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import peers

EXCHANGE_MAX = 10_000  # export and import run on libraries up to this size

Command = list[str]
# An operation's command for one tool, given the run's scratch values; None: no such operation.
Maker = Callable[["Context"], Command | None]


@dataclass
class Context:
    """What an operation's command may refer to, for one tool at one size."""

    size: int
    work: Path
    home: Path  # the tool's library folder
    texts: TextFactory
    show_id: int = 1
    scratch: Path = field(default_factory=Path)
    peer_version: str = ""

    def new_file(self, suffix: str) -> str:
        """A path in the scratch folder that no earlier run has used."""
        return str(self.scratch / f"{uuid.uuid4().hex}.{suffix}")


@dataclass
class Result:
    median: float | None = None  # seconds
    peak: int | None = None  # KB
    runs: int = 0
    note: str = ""


class TextFactory:
    """New article texts for `add`: sentences of several corpus articles, so that each one is
    new to the library (neither a duplicate nor a near duplicate of a kept clipping)."""

    def __init__(self, articles: list[corpus.Article], folder: Path) -> None:
        self.articles = articles
        self.folder = folder
        self.rng = random.Random(11)
        folder.mkdir(parents=True, exist_ok=True)

    def text(self) -> tuple[str, str]:
        # One sentence from each of 24 articles: a whole paragraph can be most of a short
        # clipping, which would make the new text its near duplicate (linked, a slower path).
        picks = [self.rng.choice(self.articles) for _ in range(24)]
        title = f"{picks[0].headline} ({uuid.uuid4().hex[:8]})"
        sentences = [
            self.rng.choice(self.rng.choice(a.paragraphs).split(". ")).strip().rstrip(".")
            for a in picks
        ]
        paragraphs = [". ".join(sentences[i : i + 3]) + "." for i in range(0, 24, 3)]
        return title, "\n\n".join(paragraphs) + f"\n\nReference {uuid.uuid4().hex}."

    def text_file(self) -> Path:
        title, text = self.text()
        path = self.folder / f"{uuid.uuid4().hex}.txt"
        path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        return path

    def html_file(self) -> Path:
        title, text = self.text()
        body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
        path = self.folder / f"{uuid.uuid4().hex}.html"
        path.write_text(
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2024-03-01T09:00:00Z'></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>© Example News</footer></body></html>",
            encoding="utf-8",
        )
        return path


# The operations --------------------------------------------------------------------------

def _clip_import(ctx: Context) -> Command:
    target = ctx.scratch / "import-target"
    shutil.rmtree(target, ignore_errors=True)
    return ["import", str(ctx.work / f"library-{ctx.size}.jsonl"), "-q", "-L", str(target)]


CLIP_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": lambda c: ["add", str(c.texts.text_file())],
    "add an HTML file": lambda c: ["add", str(c.texts.html_file())],
    "search one word": lambda c: ["search", "election"],
    "search a phrase": lambda c: ["search", '"prime minister"'],
    "search word + tag + date": lambda c: ["search", "election tag:politics after:2010-01-01"],
    "show": lambda c: ["show", str(c.show_id), "--no-pager"],
    "list 20": lambda c: ["list", "--limit", "20"],
    "export to md": lambda c: ["export", "-f", "md", "-o", c.new_file("md"), "-q"],
    "import jsonl": _clip_import,
}


def _buku_add(ctx: Context) -> Command:
    title, text = ctx.texts.text()
    url = f"https://bench.example/{uuid.uuid4().hex}"
    return ["-a", url, "bench,politics", "--title", title, "-c", text, "--offline", "--tacit"]


def _buku_import(ctx: Context) -> Command:
    target = ctx.scratch / "buku-import"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return ["-i", str(ctx.work / f"buku-{ctx.size}.md"), "--tacit", f"@db={target}"]


BUKU_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": _buku_add,
    "search one word": lambda c: ["-s", "election", "--np", "--nc"],
    "search a phrase": lambda c: ["-s", "prime minister", "--np", "--nc"],
    "search word + tag + date": lambda c: ["-s", "election", "--stag", "politics", "--np", "--nc"],
    "show": lambda c: ["-p", str(c.show_id), "--nc"],
    "list 20": lambda c: ["-p", "-20", "--nc"],
    "export to md": lambda c: ["-e", c.new_file("md"), "--tacit"],
    "import jsonl": _buku_import,
}


def _jrnl_add(ctx: Context) -> Command:
    # On a copy: jrnl rewrites the whole journal, and one killed by the timeout could leave it
    # damaged for the operations that follow.
    journal = ctx.scratch / "jrnl-add.txt"
    shutil.copyfile(ctx.home / "journal.txt", journal)
    config = peers.write_jrnl_config(ctx.scratch / "jrnl-add.yaml", journal, ctx.peer_version)
    title, text = ctx.texts.text()
    return [f"@config={config}", f"{title}. {text} @bench"]


def _jrnl_import(ctx: Context) -> Command:
    target = ctx.scratch / "jrnl-import"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    config = peers.write_jrnl_config(target / "empty.yaml", target / "empty.txt", ctx.peer_version)
    (target / "empty.txt").write_text("", encoding="utf-8")
    source = ctx.home / "journal.txt"
    return [f"@config={config}", "--import", "--file", str(source)]


JRNL_OPS: dict[str, Maker] = {
    "startup (--version)": lambda c: ["--version"],
    "add plain text": _jrnl_add,
    "search one word": lambda c: ["-contains", "election", "-n", "20"],
    "search a phrase": lambda c: ["-contains", "prime minister", "-n", "20"],
    "search word + tag + date": lambda c: [
        "@politics", "-from", "2010-01-01", "-contains", "election", "-n", "20"
    ],
    "list 20": lambda c: ["-n", "20", "--format", "short"],
    "export to md": lambda c: ["--format", "markdown", "--file", c.new_file("md")],
    "import jsonl": _jrnl_import,
}

OPERATIONS = list(CLIP_OPS)
EXCHANGE = ("export to md", "import jsonl")
NOTES = {
    "buku": {
        "search word + tag + date": "no date filter in buku: word + tag only",
        "export to md": "links only: buku's Markdown export has no text",
        "import jsonl": "buku reads no JSONL: its own Markdown export (links) instead",
    },
    "jrnl": {
        "import jsonl": "jrnl reads no JSONL: its own journal format instead",
    },
}


def with_config(maker: Maker, config: Path) -> Maker:
    def make(ctx: Context) -> Command | None:
        args = maker(ctx)
        if args is None or any(a.startswith("@config=") for a in args):
            return args
        return [f"@config={config}", *args]

    return make
