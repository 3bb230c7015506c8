"""Tipo de cambio: latest SUNAT rate, one date, or a range; a table, a small chart, copy and export.

Every calendar day gets the rate that applies to it: on Sundays and holidays the last one published before
(shown in italics, with the day it was published). The page opens with the latest rate loaded.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QShowEvent
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
from ...core.exchange_days import DayRate
from ..base.numbers import fmt_int, fmt_rate
from ..base.services import Services
from ..base.tr import QT_TR_NOOP
from ..widgets.files import ask_save_file
from ..widgets.line_chart import LineChart
from .controller import ExchangeController

__all__ = ["ExchangePage", "RatesModel"]

_Index = QModelIndex | QPersistentModelIndex


WEEKDAYS = (
    QT_TR_NOOP("lunes"),
    QT_TR_NOOP("martes"),
    QT_TR_NOOP("miércoles"),
    QT_TR_NOOP("jueves"),
    QT_TR_NOOP("viernes"),
    QT_TR_NOOP("sábado"),
    QT_TR_NOOP("domingo"),
)


def weekday_date(owner: QObject, day: date) -> str:
    """'domingo 03/03/2024'."""
    return f"{owner.tr(WEEKDAYS[day.weekday()])} {day:%d/%m/%Y}"


class RatesModel(QAbstractTableModel):
    HEADERS = (QT_TR_NOOP("Fecha"), QT_TR_NOOP("Compra"), QT_TR_NOOP("Venta"), QT_TR_NOOP("Publicado"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rates: list[DayRate] = []

    def set_rates(self, rates: list[DayRate]) -> None:
        self.beginResetModel()
        self.rates = list(rates)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 4

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
            published = self.tr("el {0}").format(weekday_date(self, r.publicado)) if r.carried else ""
            return (weekday_date(self, r.fecha), fmt_rate(r.compra), fmt_rate(r.venta), published)[
                index.column()
            ]
        if role == Qt.ItemDataRole.ToolTipRole and r.carried:
            return self.tr("SUNAT no publica tipo de cambio ese día: se aplica el del {0}.").format(
                weekday_date(self, r.publicado)
            )
        if role == Qt.ItemDataRole.FontRole and r.carried:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and r.carried:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2):
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
        self._day = date.today()  # «Una fecha» remembers its own day (the range moves the start edit)
        self._mode = 0
        self._loaded_once = False
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
        self.summary.setWordWrap(True)  # a long sentence must not widen the window
        root.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableView(splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Tabla de tipos de cambio"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.chart = LineChart(splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 540])
        self.splitter = splitter
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
        if self._mode == 1:
            self._day = cast(date, self.start.date().toPython())
        if mode == 1:
            self.start.setDate(_qdate(self._day))
        self._mode = mode
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The first time the page is shown it loads the latest rate (one call), so it never opens empty."""
        super().showEvent(event)
        try:
            asyncio.get_running_loop()
        except (
            RuntimeError
        ):  # no asyncio loop runs Qt (a test that only lays out the window): nothing to load
            return
        if not self._loaded_once and not self.controller.rates and self.controller.current_task is None:
            self._loaded_once = True
            self.mode_latest.setChecked(True)
            self.fetch()

    def _busy(self, busy: bool) -> None:
        self.fetch_button.setEnabled(not busy)
        self.fetch_button.setText(self.tr("Consultando…") if busy else self.tr("Consultar"))

    def show_rates(self, rates: list[DayRate]) -> None:
        self._loaded_once = True
        self.message.setVisible(False)
        self.model.set_rates(rates)
        if len(rates) > 1:
            self.chart.set_data(
                [r.fecha for r in rates],
                [
                    (self.tr("Compra"), "compra", [float(r.compra) for r in rates]),
                    (self.tr("Venta"), "venta", [float(r.venta) for r in rates]),
                ],
            )
        else:
            self.chart.clear()  # one day is a number, not a trend: no chart
        self.chart.setVisible(len(rates) > 1)
        self.summary.setText(self.summary_text(rates))
        self._set_output_enabled(bool(rates))

    def summary_text(self, rates: list[DayRate]) -> str:
        if not rates:
            return ""
        if len(rates) == 1:
            r = rates[0]
            prices = self.tr("compra {0} · venta {1}").format(fmt_rate(r.compra), fmt_rate(r.venta))
            if self.modes.checkedId() == 0:
                return self.tr("Último publicado, {0}: {1}").format(weekday_date(self, r.fecha), prices)
            if r.carried:
                return self.tr("{0}: {1} (SUNAT no publica ese día: se aplica el del {2})").format(
                    weekday_date(self, r.fecha).capitalize(), prices, weekday_date(self, r.publicado)
                )
            return self.tr("{0}: {1}").format(weekday_date(self, r.fecha).capitalize(), prices)
        carried = sum(1 for r in rates if r.carried)
        text = self.tr("{0} días").format(fmt_int(len(rates)))
        if carried:
            one = self.tr("1 día sin publicación usa el último tipo publicado antes (en cursiva)")
            many = self.tr("{0} días sin publicación usan el último tipo publicado antes (en cursiva)")
            text += " · " + (one if carried == 1 else many.format(fmt_int(carried)))
        return text

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
