"""How much disk a library takes for the text it holds: (store + index) / text, and what the
index spends its bytes on.

    python benchmarks/library_size.py ~/.local/share/clipper /tmp/clipper-search-bench/10000

Each argument is a library folder (CLIPPER_HOME). The text held is the UTF-8 size of the
clippings' texts; how many clippings have near duplicates (and how many ids their records
list, on average and at most) says what the corpus made of the library; the store is
clippings.json and any segment files beside it (clippings.d/); the index's tables are
measured with SQLite's dbstat (the FTS5 table's shadow tables, fts_*, are its full-text part).
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from clipper.library.core import Library
from clipper.paths import LibraryPaths

MB = 1e6


def store_bytes(home: Path) -> int:
    files = [home / "clippings.json", *sorted((home / "clippings.d").glob("*.json"))]
    return sum(path.stat().st_size for path in files if path.is_file())


def text_and_links(library: Library) -> tuple[int, int, int, list[int]]:
    """Bytes of text, clippings, and the number of near-duplicate ids of those that have any."""
    text = count = 0
    links = []
    for clipping in library.clippings():
        text += len(clipping.text.encode("utf-8"))
        count += 1
        if clipping.near_duplicates:
            links.append(len(clipping.near_duplicates))
    return text, count, len(links), links


def index_tables(path: Path) -> dict[str, int]:
    """Bytes per table of the index (its FTS5 shadow tables counted together as `fts`)."""
    sizes: dict[str, int] = {}
    with sqlite3.connect(path) as conn:
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            key = "fts" if str(name).startswith("fts_") else str(name)
            sizes[key] = sizes.get(key, 0) + int(size)
    conn.close()
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("homes", type=Path, nargs="+", help="library folders")
    for home in parser.parse_args().homes:
        library = Library(LibraryPaths(home))
        library.select(limit=1)  # the index is current
        text, count, linked, links = text_and_links(library)
        store = store_bytes(home)
        index = library.paths.index.stat().st_size
        tables = ", ".join(f"{name} {size / MB:.1f}" for name, size in index_tables(
            library.paths.index).items() if size >= MB / 10)  # fmt: skip
        print(f"{home}: text {text / MB:.1f} MB, store {store / MB:.1f} MB, index "
              f"{index / MB:.1f} MB ({tables}); (store + index) / text = "
              f"{(store + index) / text:.2f}")  # fmt: skip
        print(f"  {count:,} clippings, {linked:,} with near duplicates ({linked / count:.1%}); "
              f"ids a record lists: {sum(links) / count:.2f} on average, "
              f"{max(links, default=0)} at most")  # fmt: skip


if __name__ == "__main__":
    main()
