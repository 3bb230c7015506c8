"""pyproject metadata (PEP 639 licence, no Python upper cap) and the bundles' pinned versions."""

from __future__ import annotations

import tomllib

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from .helpers import PACKAGING, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_licence_is_mit_in_pep639_form():
    assert PROJECT["license"] == "MIT"
    for pattern in PROJECT["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"]), "PEP 639 forbids both"
    setuptools_req = next(
        Requirement(r) for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")
    )
    assert not setuptools_req.specifier.contains("76.9"), "license-files needs setuptools >= 77"


def test_python_has_no_upper_cap_and_pyside_markers_stay():
    spec = SpecifierSet(PROJECT["requires-python"])
    assert spec.contains("3.11") and spec.contains("3.13") and spec.contains("3.20")
    assert not spec.contains("3.10")
    pyside = [Requirement(r) for r in PROJECT["dependencies"] if r.lower().startswith("pyside6")]
    on_311 = [r for r in pyside if r.marker is None or r.marker.evaluate({"python_version": "3.11"})]
    assert on_311 and all(not r.specifier.contains("6.12.0") for r in on_311)  # DESIGN.md §5


@pytest.mark.parametrize("os_name", ["linux", "windows", "macos"])
def test_constraints_pin_every_dependency_within_pyproject(os_name):
    pins = {}
    for line in (PACKAGING / "constraints" / f"{os_name}.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    assert "pyinstaller" in pins
    env = {
        "python_version": "3.11",
        "sys_platform": {"linux": "linux", "windows": "win32", "macos": "darwin"}[os_name],
    }
    for text in PROJECT["dependencies"]:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{os_name}: {name} is not pinned"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{os_name}: {name}=={pins[name]} vs {req}"
        )
    assert Marker("python_version >= '3.11'").evaluate(env)
