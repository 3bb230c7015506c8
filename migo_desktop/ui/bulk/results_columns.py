"""Columns, custom roles and badge colours of the bulk results table (shared by the model and the pages)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from ...core.models import LookupStatus

__all__ = [
    "COLUMNS",
    "COL_ADDRESS",
    "COL_APTO",
    "COL_CONDICION",
    "COL_CONSULTED",
    "COL_DEPARTAMENTO",
    "COL_DISTRITO",
    "COL_ESTADO",
    "COL_INDEX",
    "COL_NAME",
    "COL_NUMBER",
    "COL_PROVINCIA",
    "COL_RAW",
    "COL_REASON",
    "COL_STATUS",
    "ColorRole",
    "RowRole",
    "STATUS_ORDER",
    "SortRole",
    "header_labels",
]

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
ColorRole = Qt.ItemDataRole.UserRole + 3  # badge colour (QColor) for Resultado / Estado / Condición / Apto

# Column constants (the user's original columns, if any, follow COL_CONSULTED).
COL_INDEX, COL_RAW, COL_NUMBER, COL_STATUS, COL_REASON, COL_NAME = range(6)
COL_ESTADO, COL_CONDICION, COL_APTO, COL_ADDRESS, COL_DISTRITO, COL_PROVINCIA = range(6, 12)
COL_DEPARTAMENTO, COL_CONSULTED = 12, 13
COLUMNS = (
    "Fila",
    "Valor original",
    "RUC / DNI normalizado",
    "Resultado",
    "Motivo",
    "Razón social / Nombre",
    "Estado",
    "Condición",
    "Apto",
    "Dirección",
    "Distrito",
    "Provincia",
    "Departamento",
    "Consultado en",
)
STATUS_ORDER = {s: i for i, s in enumerate(LookupStatus)}


def header_labels() -> list[str]:
    # Literal calls so pyside6-lupdate can collect them.
    return [
        QCoreApplication.translate("ResultsModel", "Fila"),
        QCoreApplication.translate("ResultsModel", "Valor original"),
        QCoreApplication.translate("ResultsModel", "RUC / DNI normalizado"),
        QCoreApplication.translate("ResultsModel", "Resultado"),
        QCoreApplication.translate("ResultsModel", "Motivo"),
        QCoreApplication.translate("ResultsModel", "Razón social / Nombre"),
        QCoreApplication.translate("ResultsModel", "Estado"),
        QCoreApplication.translate("ResultsModel", "Condición"),
        QCoreApplication.translate("ResultsModel", "Apto"),
        QCoreApplication.translate("ResultsModel", "Dirección"),
        QCoreApplication.translate("ResultsModel", "Distrito"),
        QCoreApplication.translate("ResultsModel", "Provincia"),
        QCoreApplication.translate("ResultsModel", "Departamento"),
        QCoreApplication.translate("ResultsModel", "Consultado en"),
    ]
