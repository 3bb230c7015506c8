"""Tipo de cambio: latest SUNAT rate, one date, or a range; a table, a small chart, copy and export."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import MigoError
from ...core.models import ExchangeRate
from ..base.services import Services
from ..base.tr import QT_TR_NOOP
from ..widgets.files import ask_save_file
from ..widgets.line_chart import LineChart
from .controller import ExchangeController

__all__ = ["ExchangePage", "RatesModel"]

_Index = QModelIndex | QPersistentModelIndex


class RatesModel(QAbstractTableModel):
    HEADERS = (QT_TR_NOOP("Fecha"), QT_TR_NOOP("Compra"), QT_TR_NOOP("Venta"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rates: list[ExchangeRate] = []

    def set_rates(self, rates: list[ExchangeRate]) -> None:
        self.beginResetModel()
        self.rates = list(rates)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 3

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rates[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{r.fecha:%d/%m/%Y}", f"{r.compra:.3f}", f"{r.venta:.3f}")[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ExchangePage(QWidget):
    def __init__(
        self, services: Services, controller: ExchangeController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = controller
        self.model = RatesModel(self)
        self._build()
        self._wire()
        self._mode_changed()

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 12)
        root.setSpacing(8)
        title = QLabel(self.tr("Tipo de cambio SUNAT (dólar)"), self)
        title.setObjectName("pageTitle")
        root.addWidget(title)

        modes = QHBoxLayout()
        self.mode_latest = QRadioButton(self.tr("Último publicado"), self)
        self.mode_date = QRadioButton(self.tr("Una fecha"), self)
        self.mode_range = QRadioButton(self.tr("Rango de fechas"), self)
        self.mode_latest.setChecked(True)
        self.modes = QButtonGroup(self)
        for i, b in enumerate((self.mode_latest, self.mode_date, self.mode_range)):
            self.modes.addButton(b, i)
            modes.addWidget(b)
        modes.addStretch(1)
        root.addLayout(modes)

        today = date.today()
        row = QHBoxLayout()
        self.start_label = QLabel(self.tr("Fecha:"), self)
        self.start = self._date_edit(today, self.tr("Fecha o inicio del rango"))
        self.end_label = QLabel(self.tr("hasta:"), self)
        self.end = self._date_edit(today, self.tr("Fin del rango"))
        self.start.setDate(_qdate(today))
        self.fetch_button = QPushButton(self.tr("Consultar"), self)
        self.fetch_button.setObjectName("primary")
        self.copy_button = QPushButton(self.tr("Copiar tabla"), self)
        self.copy_button.setAccessibleName(self.tr("Copiar la tabla al portapapeles"))
        self.export_button = QPushButton(self.tr("Exportar…"), self)
        self.export_button.setAccessibleName(self.tr("Exportar a Excel o CSV"))
        for w in (self.start_label, self.start, self.end_label, self.end, self.fetch_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        root.addLayout(row)

        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        root.addWidget(self.message)

        self.summary = QLabel(self)
        self.summary.setObjectName("cardTitle")
        root.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableView(splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Tabla de tipos de cambio"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.chart = LineChart(splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 640])
        root.addWidget(splitter, 1)
        self._set_output_enabled(False)

    def _date_edit(self, d: date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(d), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMaximumDate(_qdate(date.today()))
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setAccessibleName(name)
        return edit

    def _wire(self) -> None:
        self.modes.idToggled.connect(lambda _id, checked: self._mode_changed() if checked else None)
        self.fetch_button.clicked.connect(self.fetch)
        self.copy_button.clicked.connect(self.copy_table)
        self.export_button.clicked.connect(self.export)
        self.controller.busyChanged.connect(self._busy)
        self.controller.ratesReady.connect(self.show_rates)
        self.controller.failed.connect(self.show_error)

    def _mode_changed(self) -> None:
        mode = self.modes.checkedId()
        self.start.setVisible(mode >= 1)
        self.start_label.setVisible(mode >= 1)
        self.start_label.setText(self.tr("Desde:") if mode == 2 else self.tr("Fecha:"))
        self.end.setVisible(mode == 2)
        self.end_label.setVisible(mode == 2)
        if mode == 2 and self.start.date() >= self.end.date():
            self.start.setDate(self.end.date().addDays(-30))

    # actions -------------------------------------------------------------------------------------------
    def fetch(self):
        self.message.setVisible(False)
        mode = self.modes.checkedId()
        if mode == 0:
            return self.controller.latest()
        start = cast(date, self.start.date().toPython())
        if mode == 1:
            return self.controller.on_date(start)
        return self.controller.in_range(start, cast(date, self.end.date().toPython()))

    def set_range(self, start: date, end: date) -> None:
        self.mode_range.setChecked(True)
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))

    def set_day(self, day: date) -> None:
        self.mode_date.setChecked(True)
        self.start.setDate(_qdate(day))

    def _busy(self, busy: bool) -> None:
        self.fetch_button.setEnabled(not busy)
        self.fetch_button.setText(self.tr("Consultando…") if busy else self.tr("Consultar"))

    def show_rates(self, rates: list[ExchangeRate]) -> None:
        self.message.setVisible(False)
        self.model.set_rates(rates)
        self.chart.set_data(
            [r.fecha for r in rates],
            [
                (self.tr("Compra"), "#1f77b4", [float(r.compra) for r in rates]),
                (self.tr("Venta"), "#d9822b", [float(r.venta) for r in rates]),
            ],
        )
        if len(rates) == 1:
            r = rates[0]
            self.summary.setText(
                self.tr("{0}: compra {1:.3f} · venta {2:.3f}").format(
                    f"{r.fecha:%d/%m/%Y}", r.compra, r.venta
                )
            )
        else:
            self.summary.setText(self.tr("{0} días publicados").format(len(rates)))
        self._set_output_enabled(bool(rates))

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def _set_output_enabled(self, enabled: bool) -> None:
        self.copy_button.setEnabled(enabled)
        self.export_button.setEnabled(enabled)

    def copy_table(self) -> str:
        text = self.controller.as_tsv()
        QGuiApplication.clipboard().setText(text)
        self.services.events.statusMessage.emit(self.tr("Tabla copiada: pégala en Excel."))
        return text

    def export(self, path: Path | None = None) -> asyncio.Task[Any] | None:
        """Ask for a file (unless ``path``) and write it in a worker thread; returns the task or None."""
        if not self.controller.rates:
            return None
        if path is None:
            first, last = self.controller.rates[0].fecha, self.controller.rates[-1].fecha
            name = f"tipo_cambio_{first:%Y%m%d}" + ("" if first == last else f"_{last:%Y%m%d}") + ".xlsx"
            path = ask_save_file(
                self,
                self.services.prefs,
                self.tr("Exportar tipo de cambio"),
                name,
                self.tr("Libro de Excel (*.xlsx);;CSV (*.csv)"),
            )
            if path is None:
                return None
        return self.controller.tasks.spawn(self._export(Path(path)), key="export")

    async def _export(self, path: Path) -> Path | None:
        try:
            out = await self.controller.export(path)
        except MigoError as exc:  # ExportError: open in Excel, read-only folder, missing folder
            self.show_error(exc.user_message)
            return None
        self.services.events.statusMessage.emit(self.tr("Exportado: {0}").format(str(out)))
        return out

    def focus_search(self) -> None:
        (self.start if self.start.isVisible() else self.fetch_button).setFocus(
            Qt.FocusReason.ShortcutFocusReason
        )
