"""Historial: past bulk runs with their counts; reopen, export again, delete.

The job list is a small query (at most a few hundred jobs), so it is read on the GUI thread; exports run in
a worker thread through the same ``export_job`` as the bulk page. Deleting asks for confirmation in an
inline bar (no modal dialog).

A run in progress updates live: the shell forwards Masiva's progress as ``AppEvents.jobChanged`` and its row
is re-read (counted from its rows, at most once a second). File names are elided in the middle (the
extension stays visible); the tooltip has the whole path and the sheet.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QFontMetrics,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import MigoError
from ...core.jobs import export_job as write_export
from ...core.models import LookupStatus
from ..base.numbers import fmt_int
from ..base.running_jobs import running_jobs
from ..base.status import status_title
from ..base.tasks import TaskOwner
from ..widgets.export_dialog import ExportChoice
from ..widgets.message_bar import MessageBar

__all__ = ["HistoryPage"]

log = logging.getLogger(__name__)

JobIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
PendingRole = Qt.ItemDataRole.UserRole + 3  # rows left to look up (on the first cell)
COL_FILE = 1
LIVE_INTERVAL_MS = 1000  # a running job's row is re-read at most this often
_COUNT_COLUMNS = (
    LookupStatus.OK,
    LookupStatus.NOT_FOUND,
    LookupStatus.INVALID,
    LookupStatus.DUPLICATE,
    LookupStatus.ERROR,
    LookupStatus.PENDING,
)


def _two_lines(title: str) -> str:
    """'No encontrado' -> 'No\\nencontrado': a two-word title under short numbers takes two lines."""
    return title.replace(" ", "\n", 1) if " " in title else title


class HistoryPage(QWidget):
    reopenRequested = Signal(int)
    resumeRequested = Signal(int)  # open in Masiva and run what is left
    exportFinished = Signal(str)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = TaskOwner("history")
        self.last_export: Path | None = None
        self._pending_delete: int | None = None
        self._changed_jobs: set[int] = set()
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_INTERVAL_MS)
        self._live.timeout.connect(self._update_changed)
        events = getattr(services, "events", None)
        if events is not None:
            events.jobChanged.connect(self._job_changed)

        self.model = QStandardItemModel(0, 0, self)
        self.model.setSortRole(SortRole)
        # Long titles go on two lines: the numbers under them are short, and at 1240 px every column fits.
        titles = [
            self.tr("N.º"),
            self.tr("Archivo"),
            self.tr("Fecha"),
            self.tr("Estado"),
            self.tr("Filas"),
            *(_two_lines(status_title(s)) for s in _COUNT_COLUMNS),
            self.tr("Consultas\na la API"),
            self.tr("Desde\ncaché"),
        ]
        self.model.setHorizontalHeaderLabels(titles)
        for col, title in enumerate(titles):
            self.model.horizontalHeaderItem(col).setToolTip(title.replace("\n", " "))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Historial de consultas masivas"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # «proveedores_2…consolidado.xlsx»
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized by _fit_columns
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)  # takes what is left
        # Qt elides a title as one line: two-line titles would lose their second line ("No encont…").
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        header.sortIndicatorChanged.connect(lambda *_: self._fit_columns())
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.open_button = QPushButton(self.tr("&Abrir resultados"), self)
        self.open_button.setAccessibleName(self.tr("Abrir los resultados de la consulta seleccionada"))
        self.resume_button = QPushButton(self.tr("&Reanudar"), self)
        self.resume_button.setAccessibleName(self.tr("Reanudar la consulta seleccionada"))
        self.resume_button.setToolTip(
            self.tr("Termina en «Masiva» las filas pendientes; lo ya consultado no se vuelve a pagar.")
        )
        self.export_button = QPushButton(self.tr("&Exportar…"), self)
        self.export_button.setAccessibleName(self.tr("Exportar la consulta seleccionada"))
        self.delete_button = QPushButton(self.tr("E&liminar"), self)
        self.delete_button.setAccessibleName(self.tr("Eliminar la consulta seleccionada"))
        self.refresh_button = QPushButton(self.tr("Actuali&zar"), self)
        self.refresh_button.setAccessibleName(self.tr("Actualizar el historial"))
        self.empty_label = QLabel(
            self.tr("Aún no hay consultas masivas. Importa un Excel en «Masiva» para empezar."), self
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = MessageBar(self, tone="info")

        buttons = QHBoxLayout()
        for button in (self.open_button, self.resume_button, self.export_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        self.page_title = QLabel(self.tr("Historial de consultas masivas"), self)
        self.page_title.setObjectName("pageTitle")
        layout.addWidget(self.page_title)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

        self.open_button.clicked.connect(self.open_selected)
        self.resume_button.clicked.connect(self.resume_selected)
        self.export_button.clicked.connect(self.choose_export)
        self.delete_button.clicked.connect(self.ask_delete)
        self.refresh_button.clicked.connect(self._refresh_clicked)
        for key, slot in (("Return", self.open_selected), (QKeySequence.StandardKey.Delete, self.ask_delete)):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.setTabOrder(self.open_button, self.resume_button)
        self.setTabOrder(self.resume_button, self.export_button)
        self.setTabOrder(self.export_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.table)
        self.refresh()

    # ---- listing -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read every job again (running ones counted from their rows), keeping the selection and sort."""
        selected = self.selected_job()
        header = self.table.horizontalHeader()
        sorted_by = header.sortIndicatorSection() if self.model.rowCount() else 0
        order = header.sortIndicatorOrder() if self.model.rowCount() else Qt.SortOrder.DescendingOrder
        jobs = self.services.store.list_jobs()
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for job in jobs:
            self.model.appendRow(self._row(self._live_counts(job)))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(sorted_by if 0 <= sorted_by < self.model.columnCount() else 0, order)
        self.empty_label.setVisible(not jobs)
        self.table.setVisible(bool(jobs))
        self._fit_columns()
        if selected is not None:
            self.select_job(selected)
        elif jobs:
            self.table.selectRow(0)
        self._update_buttons()

    def _live_counts(self, job: Any) -> Any:
        """A job an engine runs right now: counted from its rows (the record's counts are from its start)."""
        if job.id not in running_jobs():
            return job
        try:
            counts = self.services.store.count_states(job.id)
        except Exception:  # noqa: BLE001 - the stored counts are still a fair answer
            log.debug("Live counts of job %s unavailable", job.id, exc_info=True)
            return job
        return dataclasses.replace(job, counts=counts)

    def _job_changed(self, job_id: int) -> None:
        self._changed_jobs.add(int(job_id))
        if not self._live.isActive():
            self._live.start()

    def _update_changed(self) -> None:
        jobs, self._changed_jobs = self._changed_jobs, set()
        if not self.isVisible():
            return  # showEvent refreshes everything when the page comes back
        for job_id in sorted(jobs):
            self.update_job(job_id)

    def update_job(self, job_id: int) -> bool:
        """Re-read one job and update its row in place (a new job: the whole list). False if it is gone."""
        job = self.services.store.get_job(job_id)
        rows = [r for r in range(self.model.rowCount()) if self.model.item(r, 0).data(JobIdRole) == job_id]
        if job is None or not rows:
            self.refresh()
            return job is not None
        for col, item in enumerate(self._row(self._live_counts(job))):
            self.model.setItem(rows[0], col, item)
        self._update_buttons()
        return True

    def _row(self, job: Any) -> list[QStandardItem]:
        def item(text: str, sort: Any = None, align_right: bool = False) -> QStandardItem:
            it = QStandardItem(text)
            it.setData(job.id, JobIdRole)
            it.setData(text.casefold() if sort is None else sort, SortRole)
            if align_right:
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            it.setEditable(False)
            return it

        created = job.created_at.strftime("%d/%m/%Y %H:%M") if job.created_at else ""
        row = [
            item(str(job.id), job.id, True),
            item(job.source_name),
            item(created, job.created_at.timestamp() if job.created_at else 0.0),
            item(job.state.label.capitalize()),
            item(fmt_int(job.total), job.total, True),
        ]
        row += [item(fmt_int(job.counts.get(s, 0)), job.counts.get(s, 0), True) for s in _COUNT_COLUMNS]
        row += [
            item(fmt_int(job.api_calls), job.api_calls, True),
            item(fmt_int(job.cache_hits), job.cache_hits, True),
        ]
        row[0].setData(job.pending, PendingRole)
        tip = job.source_path or job.source_name
        if job.sheet:
            tip += "\n" + self.tr("Hoja: {0}").format(job.sheet)
        row[COL_FILE].setToolTip(tip)
        if job.last_message:
            row[3].setToolTip(job.last_message)
        return row

    def _fit_columns(self) -> None:
        """Every column but the file name as wide as its widest line (title or value); the name stretches.

        Not ``ResizeToContents``: that sizes a title by its longest line plus a whole header height for the
        sort arrow on every column, which pushed the last columns out of sight at 1240 px.
        """
        header = self.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(
            True
        )  # titles turn bold while their column is selected (every column: rows are selected)
        head_fm, cell_fm = QFontMetrics(bold), self.table.fontMetrics()
        style = self.table.style()
        margin = 2 * max(style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin), 6) + 1  # theme.py: 6 px sides
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + 4
        rows = min(self.model.rowCount(), 500)
        sorted_by = header.sortIndicatorSection()
        for col in range(self.model.columnCount()):
            if col == COL_FILE:
                continue
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            width = max((head_fm.horizontalAdvance(line) for line in title.split("\n")), default=0)
            width += arrow if col == sorted_by else 0  # only the sorted column shows the arrow
            for r in range(rows):
                item = self.model.item(r, col)
                if item is not None:
                    width = max(width, cell_fm.horizontalAdvance(item.text()) + 2)
            header.resizeSection(col, width + margin)

    def _refresh_clicked(self) -> None:
        self.refresh()
        n = self.model.rowCount()
        self.services.events.statusMessage.emit(
            self.tr("Historial actualizado: 1 consulta masiva.")
            if n == 1
            else self.tr("Historial actualizado: {0} consultas masivas.").format(fmt_int(n))
        )

    def job_ids(self) -> list[int]:
        return [int(self.model.item(r, 0).data(JobIdRole)) for r in range(self.model.rowCount())]

    def selected_job(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(rows[0].data(JobIdRole)) if rows else None

    def select_job(self, job_id: int) -> bool:
        for r in range(self.model.rowCount()):
            if self.model.item(r, 0).data(JobIdRole) == job_id:
                self.table.selectRow(r)
                return True
        return False

    def _selected_pending(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(rows[0].data(PendingRole) or 0) if rows else 0

    def _update_buttons(self) -> None:
        job_id = self.selected_job()
        has = job_id is not None
        for button in (self.open_button, self.export_button, self.delete_button):
            button.setEnabled(has)
        self.resume_button.setEnabled(has and self._selected_pending() > 0 and job_id not in running_jobs())

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.refresh()
        super().showEvent(event)

    # ---- actions -------------------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        job_id = index.data(JobIdRole)
        if job_id is not None:
            self.reopenRequested.emit(int(job_id))

    def open_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is not None:
            self.reopenRequested.emit(job_id)

    def resume_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is None or self._selected_pending() == 0:
            return
        if job_id in running_jobs():
            self.bar.show_message(self.tr("La consulta masiva n.º %s ya está en curso en «Masiva».") % job_id)
            return
        self.resumeRequested.emit(job_id)

    def ask_export_choice(self, job: Any) -> ExportChoice | None:
        from ..widgets.export_dialog import ask_export

        return ask_export(self, self.services.prefs, job.source_path)

    def choose_export(self) -> None:
        job_id = self.selected_job()
        job = self.services.store.get_job(job_id) if job_id is not None else None
        if job is None or job_id is None:
            return
        choice = self.ask_export_choice(job)
        if choice:
            self.export_job(job_id, choice.path, choice.kind)

    def export_job(self, job_id: int, path: str | Path, kind: str = "tabla") -> asyncio.Task:
        return self.tasks.spawn(self._export(job_id, Path(path), kind), key="export")

    async def _export(self, job_id: int, path: Path, kind: str = "tabla") -> None:
        self.bar.show_message(self.tr("Exportando…"))
        try:
            written = Path(
                await asyncio.to_thread(write_export, self.services.store, job_id, path, kind=kind)
            )
        except MigoError as exc:
            self.bar.show_message(exc.user_message)
            return
        except Exception:
            log.exception("Export of job %s failed", job_id)
            self.bar.show_message(
                self.tr(
                    "No se pudo exportar (¿el archivo está abierto en Excel?). "
                    "El detalle quedó en el registro."
                )
            )
            return
        self.last_export = written
        self.bar.show_message(
            self.tr("Resultados exportados a «%s».") % written,
            [(self.tr("Abrir archivo"), self.open_last_export)],
        )
        self.exportFinished.emit(str(written))

    def open_last_export(self) -> bool:
        if self.last_export is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export)))

    def ask_delete(self) -> None:
        job_id = self.selected_job()
        job = self.services.store.get_job(job_id) if job_id is not None else None
        if job is None:
            return
        if job.id in running_jobs():
            self.bar.show_message(
                self.tr(
                    "La consulta masiva n.º %s está en curso en «Masiva». Cancélala allí antes de eliminarla."
                )
                % job.id
            )
            return
        self._pending_delete = job.id
        self.bar.show_message(
            self.tr(
                "¿Eliminar la consulta masiva n.º %s («%s», %s filas)? "
                "Sus resultados se borran del historial."
            )
            % (job.id, job.source_name, fmt_int(job.total)),
            [(self.tr("Eliminar"), self.confirm_delete), (self.tr("No eliminar"), self.bar.hide)],
        )

    def confirm_delete(self) -> None:
        job_id, self._pending_delete = self._pending_delete, None
        if job_id is None:
            return
        self.services.store.delete_job(job_id)
        self.bar.show_message(self.tr("Consulta masiva n.º %s eliminada.") % job_id)
        self.refresh()

    async def aclose(self) -> None:
        for task in self.tasks.running:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: PERF203 - shutting down
                log.debug("history task ended during close", exc_info=True)
