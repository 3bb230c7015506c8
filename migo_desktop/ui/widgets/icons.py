"""Icons: small SVGs shipped in ``migo_desktop/resources/icons``, drawn in the current look's colours.

The SVGs are stroked in a slate grey that reads on light backgrounds; in the dark look ``icon()`` renders
them with a light stroke instead (same file, recoloured), so sidebar and menu icons stay legible.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QIcon, QPixmap

from ...paths import RESOURCE_DIR
from ..base.theme import is_dark

__all__ = ["ICON_DIR", "icon", "icon_path"]

ICON_DIR = RESOURCE_DIR / "icons"
_DARK_COLOURS = {"#44546a": "#c9d4e0", "#1f4e79": "#8fbfec"}  # light-look stroke -> dark-look stroke
_SIZES = (16, 20, 24, 32, 48)


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


def icon(name: str) -> QIcon:
    return _icon(name, is_dark())


@cache
def _icon(name: str, dark: bool) -> QIcon:
    path = icon_path(name)
    if not path.exists():
        return QIcon()
    if not dark or name == "app":
        return QIcon(str(path))
    text = path.read_text(encoding="utf-8")
    for light, dark_colour in _DARK_COLOURS.items():
        text = text.replace(light, dark_colour)
    svg = QByteArray(text.encode("utf-8"))
    out = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(QSize(size, size))
        if pixmap.loadFromData(svg, "SVG"):
            out.addPixmap(pixmap)
    return out if not out.isNull() else QIcon(str(path))
