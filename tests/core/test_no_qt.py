"""core/ and excel/ never import Qt (PySide6, qasync, shiboken6): checked at run time and statically."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import migo_desktop

PACKAGE_DIR = Path(migo_desktop.__file__).parent
QT_MODULES = ("PySide6", "qasync", "shiboken6")
QT_FREE = ("core", "excel")


def _modules() -> list[str]:
    names = []
    for sub in QT_FREE:
        names.append(f"migo_desktop.{sub}")
        path = PACKAGE_DIR / sub
        for info in pkgutil.walk_packages([str(path)], prefix=f"migo_desktop.{sub}."):
            names.append(info.name)
    return sorted(names)


def test_importing_core_and_excel_loads_no_qt():
    modules = _modules()
    assert "migo_desktop.core.client" in modules and "migo_desktop.core.ids" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print('QT:' + ','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("QT:"), proc.stdout


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
            if node.level and node.module and node.module.split(".")[0] == "ui":
                names = ["migo_desktop.ui"]
        else:
            continue
        found += [
            f"{path.name}:{node.lineno} {n}"
            for n in names
            if n.split(".")[0] in QT_MODULES or n == "migo_desktop.ui" or n.startswith("migo_desktop.ui.")
        ]
    return found


def test_static_scan_of_import_lines():
    files = [p for sub in QT_FREE for p in sorted((PACKAGE_DIR / sub).rglob("*.py"))]
    assert len(files) >= 5
    offenders = [hit for path in files for hit in _qt_imports(path)]
    assert offenders == []


def test_static_scan_catches_a_qt_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text(
        "import os\nfrom PySide6.QtCore import QObject\nimport qasync as q\nfrom ..ui import x\n"
    )
    hits = _qt_imports(sample)
    assert [h.split(" ")[1] for h in hits] == ["PySide6.QtCore", "qasync", "migo_desktop.ui"]
