"""The results half of the Masiva page: the filter bar above the table and the table view's set-up.

``BulkPage`` owns the model, the proxy and when to swap them; this module only builds the widgets and reads
or resets what the user chose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from ...core.models import LookupStatus
from ..base.numbers import fmt_int
from ..base.status import status_title
from .frozen_table import FrozenTableView
from .results_columns import FROZEN_COLUMNS
from .results_model import (
    COL_APTO,
    COL_CONDICION,
    COL_ESTADO,
    COL_INDEX,
    COL_NAME,
    COL_NUMBER,
    COL_REASON,
    COL_STATUS,
    ResultRow,
)

__all__ = ["ResultsFilterBar", "fit_state_columns", "make_results_table"]


class ResultsFilterBar(QWidget):
    """Resultado, Estado, Condición and Apto combos, the search box and the "shown of total" label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("Filtrar por resultado"))
        self.status_filter.addItem(self.tr("Todos los resultados"), None)
        for status in LookupStatus:
            self.status_filter.addItem(status_title(status), status)
        self.estado_filter = QComboBox(self)
        self.estado_filter.setAccessibleName(self.tr("Filtrar por estado"))
        self.condicion_filter = QComboBox(self)
        self.condicion_filter.setAccessibleName(self.tr("Filtrar por condición"))
        self.apto_filter = QComboBox(self)
        self.apto_filter.setAccessibleName(self.tr("Filtrar por apto para facturar"))
        self.apto_filter.addItem(self.tr("Aptos y no aptos"), None)
        self.apto_filter.addItem(self.tr("Solo aptos"), True)
        self.apto_filter.addItem(self.tr("Solo no aptos"), False)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Buscar RUC, razón social o cualquier columna (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Buscar en los resultados"))
        self.search.setClearButtonEnabled(True)
        self.shown_label = QLabel(self)
        filters = QHBoxLayout(self)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.estado_filter)
        filters.addWidget(self.condicion_filter)
        filters.addWidget(self.apto_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.shown_label)
        self.fill_state_filters(set(), set())

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.status_filter, self.estado_filter, self.condicion_filter, self.apto_filter)

    def filter_values(self) -> dict[str, Any]:
        """The combos' choices as ``ResultsFilterProxy.set_filters`` keywords (the search text apart)."""
        status = self.status_filter.currentData()
        return {
            "statuses": None if status is None else {status},
            "estado": self.estado_filter.currentData() or "",
            "condicion": self.condicion_filter.currentData() or "",
            "apto": self.apto_filter.currentData(),
        }

    def reset(self) -> None:
        """Back to "everything" without emitting change signals (a new job is being shown)."""
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    def refresh_state_filters(self, rows: Iterable[ResultRow]) -> tuple[set[str], set[str]]:
        """Offer the Estado / Condición values present in ``rows`` (plus the common ones); returns them."""
        estados, condiciones = set(), set()
        for row in rows:
            tp = row.taxpayer
            if tp is not None:
                estados.add(tp.estado)
                condiciones.add(tp.condicion)
        self.fill_state_filters(estados, condiciones)
        return estados, condiciones

    def fill_state_filters(self, estados: set[str], condiciones: set[str]) -> None:
        for combo, values, everything, common in (
            (self.estado_filter, estados, self.tr("Todos los estados"), ("ACTIVO",)),
            (self.condicion_filter, condiciones, self.tr("Todas las condiciones"), ("HABIDO", "NO HABIDO")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value in sorted((set(values) | set(common)) - {""}):
                combo.addItem(value, value)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def set_shown(self, shown: int, total: int) -> None:
        self.shown_label.setText(
            self.tr("%s de %s") % (fmt_int(shown), fmt_int(total)) if shown != total else fmt_int(total)
        )


# Estado and Condición values SUNAT publishes (the longest ones decide the default widths, so a badge is never
# cut at the default width; a run with a longer value widens the column when it is loaded or finishes).
KNOWN_ESTADOS = ("ACTIVO", "BAJA DE OFICIO", "BAJA DEFINITIVA", "BAJA PROVISIONAL", "SUSPENSION TEMPORAL")
KNOWN_CONDICIONES = ("HABIDO", "NO HABIDO", "NO HALLADO", "PENDIENTE")
_PADDING = 24  # cell margins and the sort indicator


def fit_state_columns(
    table: QTableView, estados: Iterable[str] = (), condiciones: Iterable[str] = ()
) -> None:
    """Widen Estado and Condición to their longest value (known or in this run); never narrow them."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    for column, values in (
        (COL_ESTADO, (*KNOWN_ESTADOS, *estados)),
        (COL_CONDICION, (*KNOWN_CONDICIONES, *condiciones)),
    ):
        label = (
            str(table.model().headerData(column, Qt.Orientation.Horizontal) or "") if table.model() else ""
        )
        width = max(metrics.horizontalAdvance(v) for v in (*values, label)) + _PADDING
        if header.sectionSize(column) < width:
            header.resizeSection(column, width)


def make_results_table(parent: QWidget, model: QAbstractItemModel) -> FrozenTableView:
    """The results table: first columns frozen, sortable by the model, whole-row selection, fixed row
    height, sensible widths."""
    table = FrozenTableView(FROZEN_COLUMNS, parent)
    table.setModel(model)
    table.setAccessibleName(QCoreApplication.translate("BulkPage", "Resultados de la consulta masiva"))
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.frozen.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.set_row_height(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultSectionSize(110)
    header.resizeSection(COL_INDEX, 56)
    header.resizeSection(COL_NUMBER, 100)
    header.resizeSection(COL_NAME, 250)
    header.resizeSection(COL_APTO, 52)
    header.resizeSection(COL_STATUS, 125)
    header.resizeSection(COL_REASON, 220)
    header.setStretchLastSection(False)
    fit_state_columns(table)
    table.sync_columns()
    return table
