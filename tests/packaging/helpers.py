"""Load the packaging/ scripts by path: that folder is not a Python package (an ``__init__.py`` there would
shadow the PyPI ``packaging`` library), so runpy gives each script's namespace."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def script(name: str) -> dict[str, Any]:
    return runpy.run_path(str(PACKAGING / name))
