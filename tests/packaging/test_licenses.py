"""THIRD_PARTY_LICENSES.txt lists every third-party distribution the app loads, with the right licences."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

from .helpers import ROOT, script

LOADED = (
    "migo_desktop.cli",
    "migo_desktop.cli.bulk",
    "migo_desktop.ui.shell.app",
    "stdnum.pe.ruc",
    "keyring",
)


def _loaded_top_level() -> set[str]:
    imports = "; ".join(f"import {name}" for name in LOADED)
    code = f"import json, sys; {imports}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return {name.split(".")[0] for name in json.loads(out.stdout)}


def test_every_loaded_distribution_is_listed():
    lic = script("licenses.py")
    listed = {lic["_norm"](d.metadata["Name"]) for d in lic["runtime_closure"]()}
    owners = metadata.packages_distributions()
    missing = set()
    for module in _loaded_top_level() - set(sys.stdlib_module_names) - {"migo_desktop", "_distutils_hack"}:
        for dist in owners.get(module, []):
            if lic["_norm"](dist) not in listed and lic["_norm"](dist) != "migo-desktop":
                missing.add(f"{module} ({dist})")
    assert not missing, f"loaded by the app but not in THIRD_PARTY_LICENSES.txt: {sorted(missing)}"


def test_every_direct_dependency_is_listed_with_a_licence():
    lic = script("licenses.py")
    text = lic["render"]()
    for name in ("PySide6", "shiboken6", "qasync", "httpx", "openpyxl", "python-calamine", "python-stdnum"):
        assert (
            f"\n  {name}" in text.replace("PySide6_Essentials", "PySide6").replace("_", "-") or name in text
        )
    for dist in lic["runtime_closure"]():
        assert lic["licence_name"](dist) != "see the text below" or lic["licence_texts"](dist), dist.metadata[
            "Name"
        ]


def test_copyleft_licences_are_named_and_explained():
    lic = script("licenses.py")
    text = lic["render"]()
    header = text.split("=" * 100)[0]
    assert "LGPL-3.0" in next(line for line in header.splitlines() if "PySide6" in line)
    assert "LGPL-3.0" in next(line for line in header.splitlines() if "shiboken6" in line)
    assert "LGPL-2.1-or-later" in next(line for line in header.splitlines() if "python-stdnum" in line)
    assert "MPL-2.0" in next(line for line in header.splitlines() if "certifi" in line)
    assert "replace them with your own build" in text  # the LGPL relinking notice
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text
    assert "PSF" in text  # the Python runtime the bundle carries
