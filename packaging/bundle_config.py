"""What goes into the bundles, in one place: names, ids, version, and what PyInstaller must leave out.

Read by migo_desktop.spec, build.py, smoke.py and the tests (with runpy: this folder is not a Python
package, and must never get an ``__init__.py`` — it would shadow the PyPI ``packaging`` library).
Standard library only.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"

APP_NAME = "Migo Desktop"
GUI_EXE = "migo-desktop"  # the windowed executable (no console on Windows/macOS)
CLI_EXE = "migo"  # the console executable, in the same folder
APP_ID = "pe.migo.MigoDesktop"  # macOS bundle id, desktop file and AppStream id, Windows AppUserModelID
PUBLISHER = "Migo"
HOMEPAGE = "https://api.migo.pe"
# Inno Setup AppId (windows/migo-desktop.iss): fixed, so an upgrade replaces the installed copy.
INNO_APP_GUID = "6F1C2B4E-3A57-4D0B-9E61-2C8A7D5B41F3"

# Standard-library and third-party modules the app never imports. Never add ``pydoc``: python-stdnum
# imports it (stdnum.util), and a bundle without it cannot validate a RUC.
EXCLUDES = (
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "unittest",
    "doctest",
    "lib2to3",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pip",
    "pkg_resources",
    # test and benchmark tooling (installed in the dev venv, never needed by the app)
    "pytest",
    "_pytest",
    "pytestqt",
    "xdist",
    "hypothesis",
    "respx",
    "ruff",
    "mypy",
    "xlwt",
    "PyInstaller",
    # Qt modules PySide6-Essentials ships that the app does not use
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
)
MUST_KEEP = ("pydoc",)  # checked by tests/packaging/test_bundle_config.py

# Binaries dropped after analysis (matched on the file name, case-insensitive). opengl32sw.dll is Mesa's
# ~20 MB software OpenGL for Windows machines without a GPU driver; widgets never need it. libqgtk3.so is
# Qt's GTK3 platform theme: it drags the build machine's cairo/pango/glib copies into the bundle, where
# they would clash with the user's GTK; Qt falls back to its own theme and the XDG portal dialogs.
EXCLUDED_BINARIES = ("opengl32sw.dll", "libqgtk3.so")
# Strip symbols from ELF libraries (Linux only: on macOS it would break signatures; Windows has none).
# The python.org/pyenv libpython carries ~20 MB of debug information.
STRIP_ON = ("linux",)

# Qt's own translations: only the catalogue ui/i18n.py loads (qtbase_<lang>) for the languages we ship.
QT_TRANSLATIONS_KEPT = ("qtbase_es.qm",)


def project_name() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["name"])


def version() -> str:
    """migo_desktop.__version__, read from the source without importing the package."""
    tree = ast.parse((ROOT / "migo_desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise RuntimeError("migo_desktop/__init__.py has no __version__")


def version_tuple() -> tuple[int, int, int, int]:
    """'1.2.3' → (1, 2, 3, 0); suffixes such as 'rc1' or '.dev0' are dropped (Windows wants 4 numbers)."""
    numbers: list[int] = []
    for part in version().split(".")[:4]:
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        numbers.append(int(digits))
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def platform_tag() -> str:
    """windows | macos | linux — also the name of the constraints file."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def dist_dir() -> Path:
    return ROOT / "dist"


def bundle_dir() -> Path:
    """The one-folder bundle: dist/migo-desktop (Linux, Windows) or dist/Migo Desktop.app (macOS)."""
    if platform_tag() == "macos":
        return dist_dir() / f"{APP_NAME}.app"
    return dist_dir() / GUI_EXE


def executables_dir() -> Path:
    if platform_tag() == "macos":
        return bundle_dir() / "Contents" / "MacOS"
    return bundle_dir()


def executable(name: str) -> Path:
    return executables_dir() / (name + (".exe" if platform_tag() == "windows" else ""))
