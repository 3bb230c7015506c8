"""The type checker guards the seams: mypy --strict on core, excel and cli; ui in the project's mode.

ui is checked with ``check_untyped_defs`` and ``disallow_incomplete_defs`` (pyproject [tool.mypy]) rather
than --strict: PySide6's stubs type signals, ``tr`` and model roles loosely and qasync ships no types, so
strict would demand casts and ignores on every slot without catching more bugs (see CONTRIBUTING.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRICT = ["migo_desktop/core", "migo_desktop/excel", "migo_desktop/cli"]
PROJECT_MODE = ["migo_desktop/ui"]


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--no-error-summary", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("mode", "flags", "paths"),
    [("strict", ["--strict"], STRICT), ("project", [], PROJECT_MODE)],
)
def test_mypy_reports_no_errors(mode, flags, paths):
    proc = mypy(*flags, *paths)
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert errors == [] and proc.returncode == 0, f"mypy ({mode}):\n" + proc.stdout + proc.stderr


def test_mypy_catches_a_wrong_type(tmp_path):
    """The check can fail: a module with a type error is reported (same flags as the strict pass)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x: int) -> str:\n    return x\n", encoding="utf-8")
    proc = mypy("--strict", str(bad))
    assert (
        proc.returncode == 1 and 'Incompatible return value type (got "int", expected "str")' in proc.stdout
    )
