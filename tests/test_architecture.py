"""The package's dependency rules, read from the source (ast), so a wrong edge fails with its name.

Rules (CONTRIBUTING.md, DESIGN.md §2):
- core and excel import no Qt and nothing from ui or cli; nothing outside ui imports ui (but the GUI's
  entry point, __main__).
- under ui: base imports no widget, feature or shell; widgets import no feature or shell; a feature package
  imports no other feature and not the shell.
- no import circles between modules (lazy and TYPE_CHECKING imports count too).
- no import built from a string (importlib.import_module, __import__).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "qasync", "shiboken6")
UI_LAYERS = {"base", "widgets", "shell"}  # every other package under ui/ is a feature


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target} (line {self.line})"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_package(root: Path, package: str) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[Edge]:
    """Every module ``name`` imports (absolute names; ``from pkg import mod`` counts as pkg.mod)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Edge(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield Edge(name, sub if sub in modules else target, node.lineno)


def string_imports(name: str, path: Path) -> Iterator[Edge]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__"):
                yield Edge(name, f"<{called}(...)>", node.lineno)


def graph(root: Path, package: str) -> tuple[dict[str, Path], list[Edge]]:
    modules = read_package(root, package)
    edges = [e for n, p in modules.items() for e in imports_of(n, p, modules)]
    return modules, edges


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _ui_part(module: str, top: str) -> str | None:
    """'bulk' for top.ui.bulk.page; None outside ui or for ui's own __init__."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == [top, "ui"] else None


def rule_violations(edges: list[Edge], top: str = "migo_desktop") -> list[str]:
    bad: list[str] = []
    for e in edges:
        src_ui, dst_ui = _ui_part(e.source, top), _ui_part(e.target, top)
        if any(_within(e.source, f"{top}.{p}") for p in ("core", "excel")):
            if e.target.split(".")[0] in QT:
                bad.append(f"core/excel must not import Qt: {e}")
            if any(_within(e.target, f"{top}.{p}") for p in ("ui", "cli")):
                bad.append(f"core/excel must not import ui or cli: {e}")
        entry_point = e.source == f"{top}.__main__"  # python -m migo_desktop starts the GUI
        if not entry_point and not _within(e.source, f"{top}.ui") and _within(e.target, f"{top}.ui"):
            bad.append(f"only ui imports ui: {e}")
        if src_ui is None or dst_ui is None or src_ui == dst_ui:
            continue
        if src_ui == "base":
            bad.append(f"ui.base imports no widget, feature or shell: {e}")
        elif src_ui == "widgets" and dst_ui != "base":
            bad.append(f"ui.widgets imports no feature or shell: {e}")
        elif src_ui not in UI_LAYERS and dst_ui not in ("base", "widgets"):
            bad.append(
                f"feature ui.{src_ui} must not import ui.{dst_ui} (talk through Services/the shell): {e}"
            )
    return bad


def cycles(modules: dict[str, Path], edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    succ: dict[str, set[str]] = {m: set() for m in modules}
    for e in edges:
        if e.target in modules and e.target != e.source:
            succ[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for m in modules:
        if m not in index:
            visit(m)
    return found


# -- the tree ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tree() -> tuple[dict[str, Path], list[Edge]]:
    return graph(ROOT, "migo_desktop")


def test_layering_rules_hold(tree):
    _, edges = tree
    assert rule_violations(edges) == []


def test_no_import_circles(tree):
    modules, edges = tree
    assert cycles(modules, edges) == []


def test_no_import_built_from_a_string(tree):
    modules, _ = tree
    found = [str(e) for n, p in modules.items() for e in string_imports(n, p)]
    assert found == []


def test_every_package_has_a_map(tree):
    """Each package's __init__ says what lives there (a docstring of a few lines)."""
    modules, _ = tree
    missing = [
        n
        for n, p in modules.items()
        if p.name == "__init__.py" and not ast.get_docstring(ast.parse(p.read_text()))
    ]
    assert missing == []


# -- the checker itself fails on wrong edges ---------------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_checker_names_a_feature_importing_another(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ui/__init__.py": "",
            "pkg/ui/bulk/__init__.py": "",
            "pkg/ui/bulk/page.py": "from ..history.page import HistoryPage\n",
            "pkg/ui/history/__init__.py": "",
            "pkg/ui/history/page.py": "from ..base.services import Services\n",
            "pkg/ui/base/__init__.py": "",
            "pkg/ui/base/services.py": "",
        },
    )
    _, edges = graph(tmp_path, "pkg")
    assert rule_violations(edges, top="pkg") == [
        "feature ui.bulk must not import ui.history (talk through Services/the shell): "
        "pkg.ui.bulk.page → pkg.ui.history.page (line 1)"
    ]


def test_checker_names_qt_in_core_and_ui_outside_ui(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core/__init__.py": "",
            "pkg/core/engine.py": "import os\n\ndef f():\n    from PySide6.QtCore import QObject\n",
            "pkg/cli/__init__.py": "from pkg.ui.base import theme\n",
            "pkg/ui/__init__.py": "",
            "pkg/ui/base/__init__.py": "",
            "pkg/ui/base/theme.py": "from ..widgets import badge\n",
            "pkg/ui/widgets/__init__.py": "",
            "pkg/ui/widgets/badge.py": "",
        },
    )
    _, edges = graph(tmp_path, "pkg")
    assert rule_violations(edges, top="pkg") == [
        "only ui imports ui: pkg.cli → pkg.ui.base.theme (line 1)",
        "core/excel must not import Qt: pkg.core.engine → PySide6.QtCore (line 4)",
        "ui.base imports no widget, feature or shell: pkg.ui.base.theme → pkg.ui.widgets.badge (line 1)",
    ]


def test_checker_finds_circles_and_string_imports(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import X\n",
            "pkg/c.py": "import importlib\nm = importlib.import_module('pkg.' + 'a')\n",
        },
    )
    modules, edges = graph(tmp_path, "pkg")
    assert cycles(modules, edges) == [["pkg.a", "pkg.b"]]
    assert [str(e) for e in string_imports("pkg.c", modules["pkg.c"])] == [
        "pkg.c → <import_module(...)> (line 2)"
    ]
