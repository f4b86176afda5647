"""No dead code: every function and plain method of the package is named somewhere.

A small, strict cousin of vulture: a function (module level, or a method that is plain or a
property) counts as used when its name appears anywhere in clipper/, tests/ or benchmarks/ as
a name, an attribute, an imported name or a word of a string (the format table names its
readers and writers as "module:function" strings). Decorated functions (commands, caches) and
the callbacks that the standard library calls by name are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TypeGuard

import clipper

ROOT = Path(clipper.__file__).parent.parent
FOLDERS = ("clipper", "tests", "benchmarks")
# Called by name by their base class (HTMLParser, BaseHTTPRequestHandler), never by us.
CALLBACKS = re.compile(r"handle_\w+|do_[A-Z]+|log_message")


def referenced(trees: list[ast.Module]) -> set[str]:
    """Every name, attribute, imported name and word of a string in the trees."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.name.split(".")[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.update(re.findall(r"\w+", node.value))
    return names


def _checked(node: ast.stmt) -> TypeGuard[ast.FunctionDef | ast.AsyncFunctionDef]:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    if node.name.startswith("__") or CALLBACKS.fullmatch(node.name):
        return False
    return all(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)


def defined(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, name) of the module's functions and of its classes' plain methods and properties."""
    bodies = [tree.body] + [c.body for c in tree.body if isinstance(c, ast.ClassDef)]
    return [(node.lineno, node.name) for body in bodies for node in body if _checked(node)]


def unused(root: Path) -> list[str]:
    """'path:line name' of each function defined in root/clipper that nothing names."""
    files = {path: ast.parse(path.read_text(encoding="utf-8")) for folder in FOLDERS
             for path in sorted((root / folder).rglob("*.py"))}  # fmt: skip
    names = referenced(list(files.values()))
    return [
        f"{path.relative_to(root).as_posix()}:{line} {name}"
        for path, tree in files.items()
        if path.relative_to(root).parts[0] == "clipper"
        for line, name in defined(tree)
        if name not in names
    ]


def test_every_function_of_the_package_is_used() -> None:
    found = unused(ROOT)
    assert found == [], "nothing names these functions: " + ", ".join(found)


def test_the_finder_sees_a_function_nothing_calls(tmp_path: Path) -> None:
    (tmp_path / "clipper").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "clipper" / "m.py").write_text(
        "import functools\n"
        "def used(): ...\n"
        "def forgotten(): ...\n"
        "def in_a_table(): ...\n"
        "@functools.cache\ndef cached(): ...\n"
        "class C:\n"
        "    @property\n    def stale(self): ...\n"
        "    def handle_data(self, data): ...\n"
        "TABLE = {'x': 'clipper.m:in_a_table'}\n",
        encoding="utf-8",
    )
    (tmp_path / "tests" / "test_m.py").write_text("from clipper.m import used\n", encoding="utf-8")
    assert unused(tmp_path) == ["clipper/m.py:3 forgotten", "clipper/m.py:9 stale"]
