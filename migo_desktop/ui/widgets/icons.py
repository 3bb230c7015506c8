"""Icons: small SVGs shipped in ``migo_desktop/resources/icons``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from ...paths import RESOURCE_DIR

__all__ = ["ICON_DIR", "icon", "icon_path"]

ICON_DIR = RESOURCE_DIR / "icons"


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()
