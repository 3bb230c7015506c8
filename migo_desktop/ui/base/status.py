"""How a row's status is named and coloured, the same in Masiva (table, legend, chart) and Historial.

``STATUS_COLORS`` and ``TONE_COLORS`` (estado, condición and «apto» cells) are one dict each for the app's
life: ``theme.apply_theme`` recolours them in place for the dark look, so every reader (results table,
legend, chart) follows the theme without holding a stale copy.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from ...core.models import LookupStatus

__all__ = ["STATUS_COLORS", "TONE_COLORS", "recolor_statuses", "status_title"]

_LIGHT = {
    LookupStatus.OK: "#1e8e3e",
    LookupStatus.NOT_FOUND: "#b06000",
    LookupStatus.INVALID: "#c5221f",
    LookupStatus.DUPLICATE: "#5f6368",
    LookupStatus.ERROR: "#a50e0e",
    LookupStatus.PENDING: "#80868b",
}
_DARK = {
    LookupStatus.OK: "#6fcf8a",
    LookupStatus.NOT_FOUND: "#f0a95c",
    LookupStatus.INVALID: "#ff8a80",
    LookupStatus.DUPLICATE: "#aab2bb",
    LookupStatus.ERROR: "#ff6b6b",
    LookupStatus.PENDING: "#8f98a3",
}

STATUS_COLORS: dict[LookupStatus, QColor] = {status: QColor(value) for status, value in _LIGHT.items()}

# Estado, condición and «apto» cells in the results table: good (ACTIVO, HABIDO, Sí), bad, warn (NO HABIDO),
# in the statuses' own greens, reds and ambers.
_S = LookupStatus
_LIGHT_TONES = {"good": _LIGHT[_S.OK], "bad": _LIGHT[_S.INVALID], "warn": _LIGHT[_S.NOT_FOUND]}
_DARK_TONES = {"good": _DARK[_S.OK], "bad": _DARK[_S.INVALID], "warn": _DARK[_S.NOT_FOUND]}
TONE_COLORS: dict[str, QColor] = {tone: QColor(value) for tone, value in _LIGHT_TONES.items()}


def recolor_statuses(dark: bool) -> None:
    """Switch the shared colours between the light and the dark look (in place)."""
    for status, value in (_DARK if dark else _LIGHT).items():
        STATUS_COLORS[status] = QColor(value)
    for tone, value in (_DARK_TONES if dark else _LIGHT_TONES).items():
        TONE_COLORS[tone] = QColor(value)


def status_title(status: LookupStatus) -> str:
    """'OK', 'No encontrado', 'Inválido'… for legends and filters."""
    return status.label if status is LookupStatus.OK else status.label.capitalize()
