"""A module lower down never imports one above it (order in utils/__init__.py's docstring)."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

UTILS = ROOT / "utils"


def declared_order() -> list[str]:
    doc = ast.get_docstring(ast.parse((UTILS / "__init__.py").read_text(encoding="utf-8")))
    block = doc.split("(``tests/test_layering.py`` enforces this):", 1)[1]
    return re.findall(r"[a-z_]+", block.split("\n\n")[1])


def imported_utils_modules(name: str) -> set[str]:
    tree = ast.parse((UTILS / f"{name}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("utils"):
            found.add(node.module.split(".")[1] if "." in node.module else node.names[0].name)
            if node.module == "utils":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("utils."))
    return found


def test_every_module_is_placed() -> None:
    modules = {p.stem for p in UTILS.glob("*.py") if p.stem != "__init__"}
    assert modules == set(declared_order())


def test_imports_only_point_down() -> None:
    order = declared_order()
    rank = {name: i for i, name in enumerate(order)}
    upward = [
        (module, used)
        for module in order
        for used in imported_utils_modules(module)
        if rank[used] >= rank[module]
    ]
    assert upward == []
