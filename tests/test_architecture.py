"""The layers stay apart: which module may import what, and what the core may never do."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import clipper

PACKAGE = Path(clipper.__file__).parent
UI_LAYERS = ("cli", "render")  # the only layers that talk to people


@dataclass(frozen=True)
class Module:
    path: Path
    tree: ast.Module

    @property
    def name(self) -> str:
        parts = self.path.relative_to(PACKAGE.parent).with_suffix("").parts
        return ".".join(parts).removesuffix(".__init__")

    @property
    def layer(self) -> str:
        """The first folder below clipper/ ('cli', 'search', ...), or the module's own name."""
        return self.path.relative_to(PACKAGE).parts[0].removesuffix(".py")

    def imported(self) -> set[str]:
        """Top-level names of every module imported anywhere in the file."""
        names: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        return names


def modules() -> list[Module]:
    return [
        Module(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


MODULES = modules()
CORE = [m for m in MODULES if m.layer not in UI_LAYERS]


def test_the_package_is_found() -> None:
    names = {m.name for m in MODULES}
    assert {
        "clipper.model", "clipper.storage.store", "clipper.library.core", "clipper.cli.app"
    } <= names  # fmt: skip



# The map ---------------------------------------------------------------------------------

ARCHITECTURE = PACKAGE.parent / "ARCHITECTURE.md"
_NAME = re.compile(r"[\w.]+(?:\.py|/)")


def tree_paths(markdown: str) -> set[str]:
    """The paths a tree block lists: the first code block that starts with `clipper/`. A line is
    indentation, names (`a.py`, `b.py` or `dir/`) up to the first double space, then what they
    do; lines whose first word is no name carry on the description above them."""
    block = re.search(r"```\n(clipper/\n.*?)```", markdown, flags=re.S)
    if block is None:
        return set()
    paths: set[str] = set()
    folders: list[tuple[int, str]] = []  # (indentation, path) of the open folders
    for line in block.group(1).splitlines():
        indent = len(line) - len(line.lstrip(" "))
        names = [n for n in re.split(r"[,\s]+", line.strip().split("  ")[0]) if n]
        if not names or not all(_NAME.fullmatch(name) for name in names):
            continue
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        for name in names:
            paths.add(parent + name)
            if name.endswith("/"):
                folders.append((indent, parent + name))
    return paths


def missing_from_the_tree(markdown: str) -> list[str]:
    """Modules of the package that the tree does not list (a package stands for its
    `__init__.py`)."""
    listed = tree_paths(markdown)
    missing = []
    for module in MODULES:
        path = module.path.relative_to(PACKAGE.parent).as_posix()
        if module.path.name == "__init__.py":
            path = path.removesuffix("__init__.py")
        if path not in listed:
            missing.append(path)
    return missing


def test_every_module_is_in_the_architecture_tree() -> None:
    missing = missing_from_the_tree(ARCHITECTURE.read_text(encoding="utf-8"))
    assert missing == [], f"ARCHITECTURE.md's tree does not list: {', '.join(missing)}"


def test_the_tree_check_reads_nesting_and_lists() -> None:
    tree = (
        "```\nclipper/\n  a.py, b.py   two\n  sub/    a folder\n    c.py    in it\n"
        "                    more words.py about c\n  d.py\n```\n"
    )
    assert tree_paths(tree) == {
        "clipper/", "clipper/a.py", "clipper/b.py", "clipper/sub/", "clipper/sub/c.py",
        "clipper/d.py",
    }  # fmt: skip
    assert "clipper/model.py" in missing_from_the_tree(tree)

def importers_of(package: str) -> set[str]:
    return {m.name for m in MODULES if package in m.imported()}


def test_only_the_cli_imports_typer() -> None:
    assert {name for name in importers_of("typer") if not name.startswith("clipper.cli.")} == set()


def test_nobody_imports_click() -> None:
    # typer vendors its own click: a separate `click` may be missing or a different version.
    assert importers_of("click") == set()


def test_only_rendering_imports_rich() -> None:
    outside = {name for name in importers_of("rich") if not name.startswith("clipper.render.")}
    assert outside == set()


def test_no_module_imports_tinydb() -> None:
    # The store's files are in TinyDB's layout, and TinyDB opens them (tests/test_store.py),
    # but the store reads and writes them itself: by segment, lazily, atomically.
    assert importers_of("tinydb") == set()


def _clipper_imports(module: Module) -> set[str]:
    """Full names of the clipper modules a module imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("clipper"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "clipper":
                names.update(f"clipper.{alias.name}" for alias in node.names)
            elif node.module.startswith("clipper."):
                names.add(node.module)
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@dataclass(frozen=True)
class Rule:
    """What the modules of a layer may import of clipper: only `allowed` (when given), never
    `forbidden`. Its own layer is always allowed."""

    layer: str
    allowed: tuple[str, ...] | None = None
    forbidden: tuple[str, ...] = ()

    def breaches(self, module: Module) -> list[str]:
        """'importer imports imported' for each import the rule does not let through."""
        own = (f"clipper.{self.layer}",)
        found = []
        for name in sorted(_clipper_imports(module)):
            if _within(name, own):
                continue
            refused = _within(name, self.forbidden) or (
                self.allowed is not None and not _within(name, self.allowed)
            )
            if refused and (module.name, name) not in LAYER_EXCEPTIONS:
                found.append(f"{module.name} imports {name}")
        return found


LOWEST = ("clipper.errors", "clipper.model")
# The model stands on errors and the small value modules it validates and signs with.
BELOW_THE_MODEL = (
    "clipper.errors", "clipper.dates", "clipper.passages", "clipper.provenance",
    "clipper.signature",
)  # fmt: skip
# What every layer may use: the modules at the top of clipper/ (a package is a layer of its own).
SHARED = (*BELOW_THE_MODEL, "clipper.model", "clipper.sanitize", "clipper.selection",
          "clipper.config", "clipper.paths")  # fmt: skip
# The layers the use cases stand on; the library package sits above them, below the interfaces.
BELOW_THE_LIBRARY = ("clipper.storage", "clipper.search", "clipper.capture", "clipper.formats")
RULES = (
    Rule("errors", allowed=()),
    Rule("model", allowed=BELOW_THE_MODEL),
    Rule("signature", allowed=()),
    Rule("dates", allowed=("clipper.errors",)),
    Rule("sanitize", allowed=()),
    Rule("selection", allowed=()),
    Rule("passages", allowed=("clipper.errors",)),
    Rule("provenance", allowed=("clipper.errors",)),
    Rule("paths", allowed=("clipper.errors",)),
    # The export_format setting takes the formats table's export names.
    Rule("config", allowed=(*LOWEST, "clipper.formats")),
    Rule("capture", allowed=(*LOWEST, "clipper.dates", "clipper.signature")),
    Rule("search", forbidden=("clipper.storage", "clipper.library")),
    Rule("formats", forbidden=("clipper.cli", "clipper.render", "clipper.library")),
    Rule("storage", allowed=LOWEST),
    # The watches are kept in the store (watch/watches.py); an import or a push may go to a
    # team library, named in type annotations only.
    Rule(
        "library",
        allowed=(*SHARED, *BELOW_THE_LIBRARY, "clipper.watch.watches", "clipper.team.library"),
    ),
    Rule("serve", forbidden=("clipper.cli",)),
    Rule("team", forbidden=("clipper.cli",)),
)

# Imports that break a rule today, each with the reason it stands.
LAYER_EXCEPTIONS = {
    ("clipper.search.segments", "clipper.storage.check"): "Damage, the store's report of a "
    "segment it cannot read, is handed on as the index catches up",
    ("clipper.search.searcher", "clipper.storage.check"): "Damage in a type annotation only",
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.layer)
def test_each_layer_imports_only_what_it_stands_on(rule: Rule) -> None:
    layer = [m for m in MODULES if m.layer == rule.layer]
    assert layer, f"no module in clipper/{rule.layer}"
    breaches = [breach for module in layer for breach in rule.breaches(module)]
    assert breaches == [], "; ".join(breaches)


def test_nothing_below_the_library_imports_it() -> None:
    below = {p.removeprefix("clipper.") for p in (*SHARED, *BELOW_THE_LIBRARY)}
    importers = {
        m.name
        for m in MODULES
        if m.layer in below and any(_within(n, ("clipper.library",)) for n in _clipper_imports(m))
    }
    assert importers == set()


def test_every_layer_exception_is_still_needed() -> None:
    by_name = {m.name: m for m in MODULES}
    stale = [
        f"{importer} no longer imports {imported}"
        for importer, imported in LAYER_EXCEPTIONS
        if importer not in by_name or imported not in _clipper_imports(by_name[importer])
    ]
    assert stale == []


def test_a_layer_rule_names_the_offending_import() -> None:
    sample = Module(
        PACKAGE / "capture" / "sample.py",
        ast.parse("from clipper.model import Draft\nimport clipper.storage.store\n"
                  "from clipper import library\nfrom clipper.capture import text\n"),
    )  # fmt: skip
    rule = next(r for r in RULES if r.layer == "capture")
    assert rule.breaches(sample) == [
        "clipper.capture.sample imports clipper.library",
        "clipper.capture.sample imports clipper.storage.store",
    ]
    forbidding = Rule("formats", forbidden=("clipper.cli",))
    formats = Module(PACKAGE / "formats" / "x.py", ast.parse("from clipper.cli.app import main\n"))
    assert forbidding.breaches(formats) == ["clipper.formats.x imports clipper.cli.app"]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_borrowings(module: Module) -> list[str]:
    """The private names (`_x`) of another layer that a module imports, or reaches as an
    attribute of a module it imported: what two layers share is public."""
    found: list[str] = []
    imported: dict[str, str] = {}  # local name -> full name of an imported clipper module
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("clipper"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _private(alias.name):
                    found.append(full)
                else:
                    imported[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            imported.update(
                {a.asname or a.name: a.name for a in node.names if a.name.startswith("clipper")}
            )
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
        ):
            found.append(f"{imported[node.value.id]}.{node.attr}")
    own = f"clipper.{module.layer}"
    return sorted({name for name in found if not _within(name, (own,))})


def test_no_module_imports_another_layers_private_names() -> None:
    borrowed = [f"{m.name}: {name}" for m in MODULES for name in private_borrowings(m)]
    assert borrowed == []


def test_the_private_names_check_sees_imports_and_attributes() -> None:
    sample = Module(
        PACKAGE / "team" / "sample.py",
        ast.parse("from clipper.library.core import _rename, Library\n"
                  "from clipper.team import rows\nfrom clipper.search import searcher\n"
                  "import clipper.model as model\n"
                  "rows._own(searcher._check_sort, model._visible, Library.__name__)\n"),
    )  # fmt: skip
    assert private_borrowings(sample) == [
        "clipper.library.core._rename", "clipper.model._visible",
        "clipper.search.searcher._check_sort",
    ]  # fmt: skip


STORAGE = [m for m in MODULES if m.layer == "storage"]


def test_the_storage_package_is_found() -> None:
    assert {m.name for m in STORAGE} >= {"clipper.storage.store", "clipper.storage.segments"}


def test_only_search_imports_sqlite3() -> None:
    outside = {n for n in importers_of("sqlite3") if not n.startswith("clipper.search.")}
    assert outside == set()


def test_only_the_team_library_imports_psycopg() -> None:
    outside = {n for n in importers_of("psycopg") if not n.startswith("clipper.team.")}
    assert outside == set()
    assert importers_of("psycopg")  # the check sees the team library's imports


def test_no_grab_bag_modules() -> None:
    grab_bags = {"utils", "util", "helpers", "helper", "common", "misc"}
    assert {m.name for m in MODULES if m.path.stem in grab_bags} == set()
    assert {p.name for p in PACKAGE.rglob("*") if p.is_dir() and p.name in grab_bags} == set()


def test_no_module_shadows_the_standard_library() -> None:
    shadows = {
        m.name
        for m in MODULES
        if m.path.stem in sys.stdlib_module_names
        or (m.path.name == "__init__.py" and m.path.parent.name in sys.stdlib_module_names)
    }
    assert shadows == set()


def _calls(tree: ast.Module) -> list[tuple[int, str]]:
    """Calls of print(), exit(), quit() and sys.exit() in a module, with their line."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("print", "exit", "quit"):
            found.append((node.lineno, f"{func.id}()"))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "exit"
            and isinstance(func.value, ast.Name)
            and func.value.id == "sys"
        ):
            found.append((node.lineno, "sys.exit()"))
    return found


@pytest.mark.parametrize("module", CORE, ids=lambda m: m.name)
def test_the_core_never_prints_or_exits(module: Module) -> None:
    assert _calls(module.tree) == []


def _environment_reads(tree: ast.Module) -> list[int]:
    """Lines that read os.environ or call os.getenv, however imported."""
    names = ("environ", "getenv", "environb")
    lines = []
    for node in ast.walk(tree):
        attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in names
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )
        imported = (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(alias.name in names for alias in node.names)
        )
        if (attribute or imported) and isinstance(node, ast.Attribute | ast.ImportFrom):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("module", CORE, ids=lambda m: m.name)
def test_the_core_never_reads_the_environment(module: Module) -> None:
    # paths.py takes the environment as an argument; the CLI passes os.environ in.
    assert _environment_reads(module.tree) == []


def test_the_checks_catch_what_they_look_for() -> None:
    sample = ast.parse(
        "import os, sys\nfrom os import getenv\nprint(1)\nsys.exit(2)\nx = os.environ['A']\n"
    )
    assert [line for line, _ in _calls(sample)] == [3, 4]
    assert _environment_reads(sample) == [2, 5]


# Startup ---------------------------------------------------------------------------------

HEAVY = ("tinydb", "rich", "orjson", "yaml", "httpx", "trafilatura", "feedparser", "lxml")


def modules_loaded_by(*argv: str) -> set[str]:
    """Top-level packages in sys.modules after `clip ARGV` runs in a fresh interpreter."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['clip', *{list(argv)!r}]\n"
        "from clipper.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def test_clip_version_imports_no_heavy_module() -> None:
    loaded = modules_loaded_by("--version")
    assert "clipper" in loaded
    assert loaded & set(HEAVY) == set()


def test_the_startup_check_sees_heavy_modules_when_they_load(tmp_path: Path) -> None:
    loaded = modules_loaded_by("--library", str(tmp_path), "list", "--json")
    assert {"orjson"} <= loaded
