"""Feed watch speed: 50 feeds of 50 items each, served from loopback servers, through the real
`clip watch run` (whole processes).

The feeds are generated: their channels are named after the real feeds in
../shared/data/feeds (RSS 2.0, Atom and JSON Feed, in turn), their items are BBC News articles
from ../shared/data/corpus/bbc (headline as title, first sentence as summary, a link to a page
with the whole article); 275 items appear on two feeds (the same story, as wire copies do).
The feeds are spread over ten loopback addresses (127.0.0.1-10), so that clip's one request per
host at a time behaves as it does with ten outlets. Servers answer If-None-Match with 304.

It times the first run (every feed fetched in full; the pages of the items whose summary cannot
decide are fetched too), a second run (every feed answers 304: the target is at most 1 s), and
the first run again with --summary-only (no page fetched). Skips with a message when the data
is absent.

Usage: python benchmarks/watch_speed.py [--feeds 50] [--items 50]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared/data beside the checkout, or two levels up for a worktree in a subfolder.
DATA = next(
    (p / "shared" / "data" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "data",
)
BBC, FEEDS = DATA / "corpus" / "bbc", DATA / "feeds"
HOSTS = [f"127.0.0.{n}" for n in range(1, 11)]
QUERY = "election OR minister OR (prime minister) OR parliament"
SHARED_STORIES = 275


def articles() -> list[tuple[str, str]]:
    found = []
    for path in sorted(BBC.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace").strip()
        headline, _, body = text.partition("\n")
        if body.strip():
            found.append((headline.strip(), body.strip()))
    return found


def channel_names() -> list[str]:
    names = []
    for path in sorted(FEEDS.rglob("*")):
        if path.suffix in (".xml", ".json") and not path.name.endswith(".serde.json"):
            names.append(path.stem.replace("_", " "))
    return names


class Site:
    """What the servers answer: feeds by path, pages by path, each with an ETag."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.requests = 0
        self.not_modified = 0
        self.lock = threading.Lock()


def handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                site.requests += 1
            found = site.files.get(f"{self.headers['Host']}{self.path}")
            if found is None:
                self.send_error(404)
                return
            body, kind = found
            tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == tag:
                with site.lock:
                    site.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def build(site: Site, ports: dict[str, int], feeds: int, per_feed: int) -> list[str]:
    stories = articles()
    names = channel_names() or [f"feed {n}" for n in range(feeds)]
    now = datetime.now(UTC)
    urls = []
    used = repeats = 0
    for number in range(feeds):
        host = HOSTS[number % len(HOSTS)]
        base = f"http://{host}:{ports[host]}"
        entries = []
        for slot in range(per_feed):
            # The last items of some feeds repeat stories of the first feeds: wire copies.
            index = used % len(stories)
            used += 1
            headline, body = stories[index]
            if used > len(stories) or (number > feeds // 2 and repeats > 0):
                # A wire story on a second feed: the outlet edits it a little.
                body += "\nThe story was edited by the desk of this outlet."
                repeats -= 1
            path = f"/f{number}/a{slot}.html"
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
            title = html.escape(headline)
            page = (
                f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
                f"</head><body><nav>Home News Sport</nav><main><article><h1>{title}</h1>"
                f"{paragraphs}</article></main><footer>All rights reserved</footer></body></html>"
            )
            site.files[f"{host}:{ports[host]}{path}"] = (page.encode(), "text/html; charset=utf-8")
            summary = body.split(". ")[0].strip() + "."
            when = now - timedelta(hours=slot + number)
            entries.append((headline, summary, base + path, when))
        kind = number % 3
        name = names[number % len(names)]
        if kind == 0:
            items = "".join(
                f"<item><title>{html.escape(t)}</title><description>{html.escape(s)}</description>"
                f"<link>{u}</link><guid>{u}</guid><pubDate>{format_datetime(w)}</pubDate></item>"
                for t, s, u, w in entries
            )
            channel = f"<channel><title>{html.escape(name)}</title>{items}</channel>"
            doc = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
            ctype, ext = "application/rss+xml", "rss"
        elif kind == 1:
            items = "".join(
                f"<entry><title>{html.escape(t)}</title><summary>{html.escape(s)}</summary>"
                f'<link href="{u}"/><id>{u}</id><updated>{w.isoformat()}</updated></entry>'
                for t, s, u, w in entries
            )
            doc = (
                f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{html.escape(name)}</title>{items}</feed>"
            )
            ctype, ext = "application/atom+xml", "atom"
        else:
            listed = [
                {"id": u, "url": u, "title": t, "summary": s, "date_published": w.isoformat()}
                for t, s, u, w in entries
            ]
            version = "https://jsonfeed.org/version/1.1"
            doc = json.dumps({"version": version, "title": name, "items": listed})
            ctype, ext = "application/feed+json", "json"
        path = f"/f{number}/feed.{ext}"
        site.files[f"{host}:{ports[host]}{path}"] = (doc.encode(), ctype)
        urls.append(base + path)
        if number == feeds // 2:
            used -= SHARED_STORIES  # the next feeds carry stories already on the first ones
            repeats = SHARED_STORIES
    return urls


def clip(home: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CLIPPER_HOME"] = str(home)
    command = [sys.executable, "-m", "clipper", *args]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--feeds", type=int, default=50)
    options.add_argument("--items", type=int, default=50)
    args = options.parse_args()
    if not BBC.is_dir():
        print(f"skipped: no BBC corpus at {BBC}")
        return 0
    site = Site()
    servers = [ThreadingHTTPServer((host, 0), handler(site)) for host in HOSTS]
    ports = {host: server.server_address[1] for host, server in zip(HOSTS, servers, strict=True)}
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    work = Path(tempfile.mkdtemp(prefix="clip-watch-bench-"))
    try:
        urls = build(site, ports, args.feeds, args.items)
        results = []
        for label, extra in (("full text", []), ("summary only", ["--summary-only"])):
            home = work / label.replace(" ", "-")
            feeds = [a for url in urls for a in ("--feed", url)]
            clip(home, "watch", "add", "politics", QUERY, *feeds, *extra)
            for run in ("first run", "second run (all 304)"):
                before = (site.requests, site.not_modified)
                seconds, done = clip(home, "watch", "run", "--json")
                report = json.loads(done.stdout) if done.stdout else {}
                added = sum(w["new"] for w in report.get("watches", []))
                kept_before = sum(w["already_kept"] for w in report.get("watches", []))
                counts = f"{added} ({kept_before})"
                asked = (site.requests - before[0], site.not_modified - before[1])
                results.append((label, run, seconds, done.returncode, counts, *asked))
            _, listed = clip(home, "list", "--json")
            linked = sum(1 for c in json.loads(listed.stdout) if c["near_duplicates"])
            results.append(
                (label, "clippings linked as near duplicates", 0.0, 0, str(linked), 0, 0)
            )
        print(f"{args.feeds} feeds x {args.items} items, query {QUERY!r}")
        print("| watch | run | wall time | exit | added (already kept) | requests | 304 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for label, run, seconds, code, added, requests, not_modified in results:
            if run.startswith("clippings"):
                print(f"| {label} | {run} | | | {added} | | |")
            else:
                cells = [label, run, f"{seconds:.2f} s", code, added, requests, not_modified]
                print("| " + " | ".join(str(cell) for cell in cells) + " |")
    finally:
        for server in servers:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
