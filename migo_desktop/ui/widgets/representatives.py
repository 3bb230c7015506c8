"""The legal representatives of a taxpayer as a read-only table (Consulta and Masiva's record dialog)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from ...core.models import Representative

__all__ = ["RepresentativesTable"]


class RepresentativesTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels(
            [self.tr("Documento"), self.tr("Número"), self.tr("Nombre"), self.tr("Cargo"), self.tr("Desde")]
        )
        self.setAccessibleName(self.tr("Representantes legales"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setMinimumHeight(120)

    def set_representatives(self, reps: Sequence[Representative]) -> None:
        self.setRowCount(len(reps))
        for i, r in enumerate(reps):
            desde = f"{r.desde:%d/%m/%Y}" if r.desde else ""
            for j, value in enumerate((r.documento, r.numero, r.nombre, r.cargo, desde)):
                self.setItem(i, j, QTableWidgetItem(value))
