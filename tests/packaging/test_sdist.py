"""The sdist carries every tracked file (tests, docs, dev.py, packaging), so it can be tested and built."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile

import pytest

from .helpers import ROOT


def _tracked_files() -> set[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (e.g. running from the unpacked sdist itself)")
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        pytest.skip("git ls-files failed: " + out.stderr)
    return {line for line in out.stdout.splitlines() if (ROOT / line).is_file()}


def test_sdist_contains_every_tracked_file(tmp_path):
    pytest.importorskip("setuptools", minversion="77")
    tracked = _tracked_files()
    code = f"from setuptools import build_meta; print(build_meta.build_sdist({str(tmp_path)!r}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    name = out.stdout.strip().splitlines()[-1]
    with tarfile.open(tmp_path / name) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if m.isfile() and "/" in m.name}
    missing = tracked - members
    assert not missing, f"missing from the sdist: {sorted(missing)[:20]}"
    assert {"dev.py", "LICENSE", "tests/conftest.py", "packaging/migo_desktop.spec"} <= members
