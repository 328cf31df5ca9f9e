"""A module lower down never imports one above it, at both levels of the library.

The top-level order is in utils/__init__.py's docstring; a package (``utils/extract/``) declares
the order of its own modules in its ``__init__`` docstring, and may only use top-level modules
placed below it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

UTILS = ROOT / "utils"
MARKER = "(``tests/test_layering.py`` enforces this):"


def declared_order(init: Path) -> list[str]:
    """The module names listed after the marker sentence in a package's __init__ docstring."""
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    block = doc.split(MARKER, 1)[1]
    return re.findall(r"[a-z_]+", block.split("\n\n")[1])


def packages() -> list[Path]:
    return sorted(p.parent for p in UTILS.glob("*/__init__.py"))


def imported(path: Path, package: str) -> set[str]:
    """Names of the modules of ``package`` (dotted, e.g. "utils" or "utils.extract") that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prefix = package + "."
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == package:
                found.update(alias.name for alias in node.names)
            elif node.module.startswith(prefix):
                found.add(node.module[len(prefix) :].split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(a.name[len(prefix) :].split(".")[0] for a in node.names if a.name.startswith(prefix))
    return found


def modules_of(folder: Path) -> dict[str, list[Path]]:
    """Each module of a folder and its files: a .py file, or a sub-package's every .py file."""
    found = {p.stem: [p] for p in folder.glob("*.py") if p.stem != "__init__"}
    found.update({p.name: sorted(p.rglob("*.py")) for p in folder.iterdir() if (p / "__init__.py").is_file()})
    return found


def upward(folder: Path, package: str) -> list[tuple[str, str]]:
    """(module, imported module) pairs where the import points up or sideways; names that are not
    modules (``from utils import __version__``) are not layers."""
    order = declared_order(folder / "__init__.py")
    rank = {name: i for i, name in enumerate(order)}
    modules = modules_of(folder)
    return [
        (module, used)
        for module, files in modules.items()
        for path in files
        for used in imported(path, package)
        if used in modules and used != module and rank.get(used, len(order)) >= rank.get(module, -1)
    ]


def test_every_module_is_placed() -> None:
    assert set(modules_of(UTILS)) == set(declared_order(UTILS / "__init__.py"))


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_every_module_of_a_package_is_placed(package: Path) -> None:
    assert set(modules_of(package)) == set(declared_order(package / "__init__.py"))


def test_imports_only_point_down() -> None:
    assert upward(UTILS, "utils") == []


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_a_package_imports_only_point_down(package: Path) -> None:
    assert upward(package, f"utils.{package.name}") == []


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_a_package_uses_only_lower_top_level_modules(package: Path) -> None:
    order = declared_order(UTILS / "__init__.py")
    below = set(order[: order.index(package.name)])
    used = {name for path in package.rglob("*.py") for name in imported(path, "utils")} - {package.name}
    assert used <= below
