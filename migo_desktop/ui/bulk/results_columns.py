"""Columns, custom roles and badge colours of the bulk results table (shared by the model and the pages)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from ...core.models import LookupStatus

__all__ = [
    "ALWAYS_SHOWN",
    "COLUMNS",
    "COLUMN_KEYS",
    "FROZEN_COLUMNS",
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

# Column constants, in the order an accountant reads a row: who it is and whether an invoice from them is
# valid first (these FROZEN_COLUMNS stay on screen when scrolling right), then how the lookup went, then
# the rest. The user's original columns, if any, follow COL_CONSULTED.
COL_INDEX, COL_NUMBER, COL_NAME, COL_ESTADO, COL_CONDICION, COL_APTO = range(6)
COL_STATUS, COL_REASON, COL_RAW, COL_ADDRESS, COL_DISTRITO, COL_PROVINCIA = range(6, 12)
COL_DEPARTAMENTO, COL_CONSULTED = 12, 13
FROZEN_COLUMNS = 6  # Fila, RUC / DNI, Razón social, Estado, Condición, Apto
ALWAYS_SHOWN = frozenset({COL_INDEX, COL_NUMBER})  # the header menu cannot hide these
COLUMNS = (
    "Fila",
    "RUC / DNI",
    "Razón social / Nombre",
    "Estado",
    "Condición",
    "Apto",
    "Resultado",
    "Motivo",
    "Valor original",
    "Dirección",
    "Distrito",
    "Provincia",
    "Departamento",
    "Consultado en",
)
# Stable names for remembering hidden columns (Preferences), whatever the order of the constants.
COLUMN_KEYS = (
    "fila", "numero", "nombre", "estado", "condicion", "apto", "resultado", "motivo", "original",
    "direccion", "distrito", "provincia", "departamento", "consultado",
)  # fmt: skip
STATUS_ORDER = {s: i for i, s in enumerate(LookupStatus)}


def header_labels() -> list[str]:
    # Literal calls so pyside6-lupdate can collect them.
    return [
        QCoreApplication.translate("ResultsModel", "Fila"),
        QCoreApplication.translate("ResultsModel", "RUC / DNI"),
        QCoreApplication.translate("ResultsModel", "Razón social / Nombre"),
        QCoreApplication.translate("ResultsModel", "Estado"),
        QCoreApplication.translate("ResultsModel", "Condición"),
        QCoreApplication.translate("ResultsModel", "Apto"),
        QCoreApplication.translate("ResultsModel", "Resultado"),
        QCoreApplication.translate("ResultsModel", "Motivo"),
        QCoreApplication.translate("ResultsModel", "Valor original"),
        QCoreApplication.translate("ResultsModel", "Dirección"),
        QCoreApplication.translate("ResultsModel", "Distrito"),
        QCoreApplication.translate("ResultsModel", "Provincia"),
        QCoreApplication.translate("ResultsModel", "Departamento"),
        QCoreApplication.translate("ResultsModel", "Consultado en"),
    ]
