"""THIRD_PARTY_LICENSES.txt: every distribution the app needs at run time, with its licence and its text.

    python packaging/licenses.py [OUT]      # prints to stdout without OUT

The list is the run-time closure of the installed `migo-desktop` distribution (its requirements, their
requirements…, with environment markers evaluated here), read from importlib.metadata — so build tools in
the same venv (PyInstaller, pip) are not listed, and nothing the bundle carries is forgotten. Licence texts
come from each distribution's licence files; PySide6 and shiboken6 ship none, so the LGPL-3.0 and GPL-3.0
texts kept in packaging/licenses/ are used, with the relinking notice the LGPL asks for. The Python runtime
and PyInstaller's bootloader are added at the end. Needs `packaging` (a PyInstaller and pytest dependency).
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
ROOT_DIST = "migo-desktop"
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
# Where a distribution's metadata is vague or lists alternatives, the licence we use it under.
KNOWN = {
    "pyside6-essentials": "LGPL-3.0-only (Qt for Python; we use it under the LGPL)",
    "shiboken6": "LGPL-3.0-only (Qt for Python; we use it under the LGPL)",
    "python-stdnum": "LGPL-2.1-or-later",
    "certifi": "MPL-2.0",
}
LGPL_NOTICE = """\
Qt and Qt for Python (PySide6, shiboken6) are used under the GNU Lesser General Public License v3
(LGPL-3.0). They are shipped unmodified as separate shared libraries and Python extension modules in this
application's folder (PySide6/ and shiboken6/, with the Qt libraries under PySide6/Qt/lib or beside them).
You may replace them with your own build of a compatible version of Qt / Qt for Python: put your files in
place of ours and the application will load them. The source code of Qt is available at
https://code.qt.io and https://download.qt.io/official_releases/; that of Qt for Python at
https://code.qt.io/cgit/pyside/pyside-setup.git. On request, the authors of Migo Desktop will send you the
exact source code of the versions shipped here. The LGPL-3.0 and the GPL-3.0 it builds on follow.
"""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(root: str = ROOT_DIST) -> list[metadata.Distribution]:
    """The root distribution's requirements, recursively, as installed here (markers evaluated here)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [(root, frozenset[str]())]
    while todo:
        name, extras = todo.pop()
        key = _norm(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement whose marker excluded it elsewhere but is not installed here
        seen[key] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            env_ok = req.marker is None or any(
                req.marker.evaluate({"extra": extra}) for extra in (extras or {""})
            )
            if env_ok:
                todo.append((req.name, frozenset(req.extras)))
    seen.pop(_norm(root), None)
    return sorted(seen.values(), key=lambda d: _norm(d.metadata["Name"]))


def licence_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    known = KNOWN.get(_norm(meta["Name"]))
    if known:
        return known
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    licence = (meta.get("License") or "").strip()
    if licence and len(licence) < 80 and "\n" not in licence:
        return licence
    return ", ".join(classifiers) or "see the text below"


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        if ".dist-info" in str(file) and LICENCE_FILE.search(file.name):
            path = Path(str(file.locate()))
            if path.is_file():
                texts.append((file.name, path.read_text(encoding="utf-8", errors="replace")))
    if not texts and _norm(dist.metadata["Name"]) in ("pyside6-essentials", "shiboken6"):
        texts = [(name, (HERE / "licenses" / name).read_text(encoding="utf-8")) for name in _GNU]
    if not texts:
        licence = (dist.metadata.get("License") or "").strip()
        if "\n" in licence:  # some projects put the whole text in the License field
            texts.append(("License", licence))
    return texts


_GNU = ("LGPL-3.0.txt", "GPL-3.0.txt")


def _python_licence() -> str:
    base = Path(sys.base_prefix)
    for candidate in (
        base / "LICENSE.txt",
        base / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "LICENSE.txt",
        base / "Lib" / "LICENSE.txt",
    ):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace")
    return "Python Software Foundation License Version 2 — https://docs.python.org/3/license.html\n"


def render() -> str:
    rule = "=" * 100
    dists = runtime_closure()
    out = [
        "Migo Desktop — third-party software",
        "",
        "This application bundles the following software. Each keeps its own licence, reproduced below.",
        "",
    ]
    out += [f"  {d.metadata['Name']} {d.version} — {licence_name(d)}" for d in dists]
    out += [
        f"  Python {sys.version.split()[0]} — PSF-2.0",
        "  PyInstaller bootloader — GPL-2.0-or-later with the bootloader exception (allows any licence)",
        "",
    ]
    for dist in dists:
        out += [rule, f"{dist.metadata['Name']} {dist.version} — {licence_name(dist)}", rule, ""]
        summary = dist.metadata.get("Home-page") or next(
            (u.split(",", 1)[-1].strip() for u in dist.metadata.get_all("Project-URL") or []), ""
        )
        if summary:
            out += [f"Project: {summary}", ""]
        if _norm(dist.metadata["Name"]) == "pyside6-essentials":
            out += [LGPL_NOTICE]
        texts = licence_texts(dist)
        if not texts:
            out += [f"(no licence text shipped; licence: {licence_name(dist)})", ""]
        for name, text in texts:
            out += [f"--- {name} ---", text.rstrip(), ""]
    out += [rule, f"Python {sys.version.split()[0]} — PSF-2.0", rule, "", _python_licence().rstrip(), ""]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    text = render()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
