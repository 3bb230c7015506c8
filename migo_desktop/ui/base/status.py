"""How a row's status is named and coloured, the same in Masiva (table, legend, chart) and Historial."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ...core.models import LookupStatus

__all__ = ["STATUS_COLORS", "status_title"]

STATUS_COLORS = {
    LookupStatus.OK: QColor("#1e8e3e"),
    LookupStatus.NOT_FOUND: QColor("#b06000"),
    LookupStatus.INVALID: QColor("#c5221f"),
    LookupStatus.DUPLICATE: QColor("#5f6368"),
    LookupStatus.ERROR: QColor("#a50e0e"),
    LookupStatus.PENDING: QColor("#80868b"),
}


def status_title(status: LookupStatus) -> str:
    """'OK', 'No encontrado', 'Inválido'… for legends and filters."""
    return status.label if status is LookupStatus.OK else status.label.capitalize()
