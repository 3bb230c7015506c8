"""Masiva: import a workbook, watch the run, filter the results, retry failures, export.

The page lays out and forwards; ``BulkController`` decides and does the work. Messages (resume offer,
errors, export done) are non-modal bars at the top of the page, never blocking dialogs. The filter bar and
the table's set-up live in ``bulk_results_view``, the messages' wording in ``bulk_notices``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.models import LookupStatus
from ..base.numbers import fmt_int
from ..widgets.export_dialog import ExportChoice
from ..widgets.message_bar import MessageBar
from .breakdown_chart import BreakdownChart
from .column_chooser import ColumnChooser
from .controller import BulkController, JobView
from .drop_zone import DropZone, example_workbook
from .import_dialog import ImportDialog
from .notices import BulkNotices
from .quit_guard import confirm_quit
from .record_dialog import RecordDialog
from .results_columns import COL_INDEX
from .results_model import ResultsModel
from .results_proxy import ResultsFilterProxy
from .results_view import ResultsFilterBar, fit_state_columns, make_results_table
from .run_panel import RunPanel
from .table_actions import TableActions, requery_targets

__all__ = ["BulkPage", "MessageBar", "example_workbook"]  # the last two re-exported from bulk_widgets

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


class BulkPage(QWidget):
    preferencesRequested = Signal()

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.controller = BulkController(services, self)
        self.model = ResultsModel(self)
        # The proxy is attached only while a filter is active: unfiltered, the view shows the model itself,
        # so loading 100k rows or streaming answers costs no per-row Python filter calls.
        self.proxy = ResultsFilterProxy(self)
        self.import_dialog: ImportDialog | None = None
        self._job_view: JobView | None = None
        self._running = False
        self.record_dialog: RecordDialog | None = None
        self.confirm_quit: Callable[[QWidget], bool] = confirm_quit  # tests answer for the person
        self._usage = (0, 0)  # API calls and cache hits of the job's earlier runs (as in the Resumen)
        self._export_job: int | None = None
        self._build()
        self._wire()
        QTimer.singleShot(0, self, self.controller.check_unfinished)

    # ---- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.import_button = QPushButton(self.tr("&Importar…"), self)
        self.import_button.setToolTip(self.tr("Importar un Excel, CSV o TXT con RUCs (Ctrl+O)"))
        self.import_button.setAccessibleName(self.tr("Importar archivo"))
        self.export_button = QPushButton(self.tr("&Exportar…"), self)
        self.export_button.setToolTip(self.tr("Exportar los resultados a Excel o CSV (Ctrl+E)"))
        self.export_button.setAccessibleName(self.tr("Exportar resultados"))
        self.retry_button = QPushButton(self.tr("Reintentar &fallidos"), self)
        self.retry_button.setAccessibleName(self.tr("Reintentar las filas con error"))
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bar = QHBoxLayout()
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.retry_button)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)

        self.notices = BulkNotices(self, self.services)
        n = self.notices  # the page keeps its names for the bars (its code and tests use them)
        self.resume_bar, self.error_bar, self.info_bar = n.resume_bar, n.error_bar, n.info_bar
        self.busy_label = QLabel(self)
        self.busy_label.hide()

        self.drop_zone = DropZone(self)
        self.run_panel = RunPanel(self)
        self.chart = BreakdownChart(self)

        self.filter_bar = ResultsFilterBar(self)
        fb = self.filter_bar  # the page keeps its names for these widgets (its code and tests use them)
        self.status_filter, self.estado_filter = fb.status_filter, fb.estado_filter
        self.condicion_filter, self.apto_filter = fb.condicion_filter, fb.apto_filter
        self.search, self.shown_label = fb.search, fb.shown_label
        self.table = make_results_table(self, self.model)
        self.columns = ColumnChooser(self.table, self.model, self.services.prefs)
        self.table_actions = TableActions(self.table)
        self.table_actions.can_requery = self._can_requery

        results = QWidget(self)
        rl = QVBoxLayout(results)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.run_panel)
        rl.addWidget(self.chart)
        rl.addWidget(self.filter_bar)
        rl.addWidget(self.table, 1)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(results)

        layout = QVBoxLayout(self)
        self.page_title = QLabel(self.tr("Consulta masiva"), self)  # like the other pages' titles
        self.page_title.setObjectName("pageTitle")
        layout.addWidget(self.page_title)
        layout.addLayout(bar)
        layout.addWidget(self.resume_bar)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.info_bar)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.stack, 1)

        for a, b in (
            (self.import_button, self.export_button),
            (self.export_button, self.retry_button),
            (self.retry_button, self.run_panel.pause_button),
            (self.run_panel.pause_button, self.run_panel.cancel_button),
            (self.run_panel.cancel_button, self.status_filter),
            (self.status_filter, self.estado_filter),
            (self.estado_filter, self.condicion_filter),
            (self.condicion_filter, self.apto_filter),
            (self.apto_filter, self.search),
            (self.search, self.table),
        ):
            self.setTabOrder(a, b)
        self._update_buttons()

    def _wire(self) -> None:
        c = self.controller
        self.import_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.choose_export)
        self.retry_button.clicked.connect(self.retry_failed)
        self.drop_zone.import_button.clicked.connect(self.choose_file)
        self.drop_zone.example_button.clicked.connect(lambda: self.open_file(example_workbook()))
        self.drop_zone.fileDropped.connect(self.open_file)
        self.run_panel.pauseRequested.connect(c.pause)
        self.run_panel.resumeRequested.connect(c.resume)
        self.run_panel.cancelRequested.connect(c.cancel)
        self._shortcuts: list[QShortcut] = []

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.estado_filter.currentIndexChanged.connect(self._apply_filters)
        self.condicion_filter.currentIndexChanged.connect(self._apply_filters)
        self.apto_filter.currentIndexChanged.connect(self._apply_filters)
        for model in (self.proxy, self.model):
            model.rowsInserted.connect(self._update_shown)
            model.rowsRemoved.connect(self._update_shown)
            model.modelReset.connect(self._update_shown)
            model.layoutChanged.connect(self._update_shown)

        c.jobLoaded.connect(self._on_job_loaded)
        c.rowsUpdated.connect(self.model.queue_updates)
        c.progressChanged.connect(self._on_progress)
        c.stoppingChanged.connect(self._on_stopping)
        c.representativesReady.connect(self._show_representatives)
        c.representativesFailed.connect(self._representatives_failed)
        self.table_actions.recordRequested.connect(self.open_record)
        self.table_actions.requeryRequested.connect(self.requery)
        self.table_actions.copied.connect(self._copied)
        c.runningChanged.connect(self._on_running)
        c.pausedChanged.connect(self.run_panel.set_paused)
        c.runFinished.connect(self._on_finished)
        c.errorOccurred.connect(self._on_error)
        c.exportFinished.connect(self._on_exported)
        c.exportFailed.connect(self.notices.show_error)
        c.unfinishedFound.connect(self.notices.offer_unfinished)
        self.notices.resumeRequested.connect(self._resume_current)
        self.notices.openJobRequested.connect(lambda job_id, resume: self.open_job(job_id, resume=resume))
        self.notices.preferencesRequested.connect(self.preferencesRequested)
        c.busyChanged.connect(self._on_busy)
        self.model.countsChanged.connect(self._on_counts)
        self.preferencesRequested.connect(self._forward_preferences)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        # In the main window, its Ctrl+O/E/F actions call open_file/choose_export/focus_search; page-level
        # shortcuts there would be ambiguous (and then neither fires). Standalone, the page brings its own.
        if self.isWindow() and not self._shortcuts:
            for key, slot in (
                (QKeySequence.StandardKey.Open, self.choose_file),
                ("Ctrl+E", self.choose_export),
                (QKeySequence.StandardKey.Find, self.focus_search),
            ):
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(slot)
                self._shortcuts.append(shortcut)
        super().showEvent(event)

    # ---- public API ----------------------------------------------------------------------------------
    def open_file(self, path: str | Path) -> ImportDialog | None:
        """Open the import dialog for ``path`` (drag & drop on the main window lands here)."""
        path = Path(path)
        if path.suffix.lower() not in SUPPORTED:
            self.notices.show_error(
                self.tr("«%s» no es un archivo admitido. Usa un Excel (.xlsx, .xls, .ods), CSV o TXT.")
                % path.name
            )
            return None
        if self.controller.running:
            self.notices.show_error(self.tr("Espera a que termine (o cancela) la consulta en curso."))
            return None
        self.error_bar.hide()
        if self.import_dialog is not None:
            self.import_dialog.close()
        dialog = ImportDialog(self.controller, path, self)
        dialog.importRequested.connect(self._start_import)
        dialog.finished.connect(lambda *_: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def open_job(self, job_id: int, *, resume: bool = False) -> None:
        self.resume_bar.hide()
        self.controller.open_job(int(job_id), resume=resume)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def choose_file(self) -> None:
        from ..widgets.files import ask_open_file

        filters = self.tr(
            "Hojas de cálculo y texto (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;Todos los archivos (*)"
        )
        path = ask_open_file(self, self.services.prefs, self.tr("Importar RUCs"), filters)
        if path:
            self.open_file(path)

    def ask_export_choice(self) -> ExportChoice | None:
        """The export dialog: own workbook or results table, all rows or only the filtered ones, where."""
        from ..widgets.export_dialog import ask_export

        source = getattr(self._job_view.record, "source_path", None) if self._job_view else None
        filtered = self.shown_model().rowCount() if self.proxy.is_filtered() else None
        return ask_export(self, self.services.prefs, source, filtered=filtered, total=self.model.rowCount())

    def filtered_indexes(self) -> set[int]:
        """The job row indexes the table shows right now (the filter's rows)."""
        if not self.proxy.is_filtered():
            return {row.idx for row in self.model.rows()}
        proxy = self.proxy
        return {
            self.model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).idx for r in range(proxy.rowCount())
        }

    def choose_export(self) -> None:
        """Ctrl+E: ask what and where, then export the current job."""
        if self.controller.job_id is None:
            self.services.events.statusMessage.emit(
                self.tr("Primero importa un archivo o abre una consulta.")
            )
            return
        choice = self.ask_export_choice()
        if choice:
            self._export_job = self.controller.job_id
            only = self.filtered_indexes() if choice.only_filtered else None
            self.controller.export(choice.path, kind=choice.kind, only=only)

    def retry_failed(self) -> None:
        errors = [
            (r.idx, LookupStatus.PENDING, None, "")
            for r in self.model.rows()
            if r.status is LookupStatus.ERROR
        ]
        if not errors:
            return
        self.model.queue_updates(errors)
        self.model.flush()
        self.controller.retry_failed()

    # ---- reactions -----------------------------------------------------------------------------------
    def _start_import(self, plan: Any) -> None:
        self.resume_bar.hide()
        self.info_bar.hide()
        self.controller.start_plan(plan)

    def _on_job_loaded(self, view: JobView) -> None:
        """Another run on screen: nothing of the previous one stays (sort, scroll, selection, messages)."""
        self._job_view = view
        self.notices.clear()
        if self.record_dialog is not None:
            self.record_dialog.close()
        self.model.reset_sort()
        self.model.set_rows(view.rows, view.headers)
        self.filter_bar.reset()
        if self.proxy.is_filtered():
            self.proxy.clear_filters()
            self._sync_view_model()
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the model is in input order already: only the indicator moves
        header.setSortIndicator(COL_INDEX, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.table.frozen.horizontalHeader().setSortIndicator(COL_INDEX, Qt.SortOrder.AscendingOrder)
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        self.table.scrollToTop()
        self.table.horizontalScrollBar().setValue(0)
        self.columns.apply(view.raw_differs)
        record = view.record
        self._usage = (int(getattr(record, "api_calls", 0) or 0), int(getattr(record, "cache_hits", 0) or 0))
        self.run_panel.show_usage(*self._usage)
        record = view.record
        sheet = f" · {record.sheet}" if getattr(record, "sheet", None) else ""
        self.title.setText(f"{record.source_name}{sheet} · {fmt_int(record.total)} filas")
        self.stack.setCurrentIndex(1)
        self._refresh_state_filters()
        self._update_buttons()
        self._offer_resume_loaded(view)

    def _offer_resume_loaded(self, view: JobView) -> None:
        """A reopened job with rows left: offer to finish it (unless it is about to run anyway)."""
        pending = self.model.counts().get(LookupStatus.PENDING, 0)
        if view.resuming or pending == 0 or self._running:
            return
        self.notices.offer_resume_loaded(view.record, pending, self.model.rowCount())

    def _on_counts(self, counts: dict[LookupStatus, int]) -> None:
        self.chart.set_counts(counts)
        if not self._running:
            self.run_panel.set_counts(counts, self.model.rowCount())
        self._update_shown()
        self._update_buttons()

    def _on_running(self, running: bool) -> None:
        self._running = running
        self.run_panel.set_running(running)
        # Eliding ("…") measures every cell's text: it doubles the cost of a repaint. While answers stream
        # in, long texts are clipped instead (the tooltip still shows them whole).
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone if running else Qt.TextElideMode.ElideRight)
        if running:
            self.error_bar.hide()
            self.resume_bar.hide()  # whatever it offered is what runs now (or is superseded by it)
        else:
            self.model.flush()
            self._refresh_state_filters()
        self._update_buttons()

    def _on_finished(self, summary: Any) -> None:
        """Say how the run ended: done, cancelled (offer to resume) or stopped (why, and what to do)."""
        self.model.flush()
        self.run_panel.set_counts(self.model.counts(), self.model.rowCount())
        calls, hits = self._usage
        self._usage = (calls + int(summary.requests), hits + int(summary.cache_hits))
        self.run_panel.show_usage(*self._usage)
        self.notices.run_finished(summary)

    def _on_progress(self, progress: Any) -> None:
        # The table first (rows arrive before progress): the panel counts what the table and the legend
        # show, so the three never disagree.
        self.model.flush()
        calls, hits = self._usage
        self.run_panel.update_progress(
            progress, self.model.counts(), earlier_requests=calls, earlier_cache_hits=hits
        )

    def _on_stopping(self, stopping: bool) -> None:
        self.run_panel.set_stopping(stopping)
        self._on_busy(self.tr("Guardando las respuestas que ya estaban en camino…") if stopping else "")

    def _on_exported(self, path: str) -> None:
        if self._export_job is not None and self._export_job != self.controller.job_id:
            self.services.events.statusMessage.emit(self.tr("Exportado: %s") % Path(path).name)
            return  # the run it speaks of is no longer on screen: no banner over another run
        self.notices.exported(path, self.controller.open_last_export)

    # ---- quitting ------------------------------------------------------------------------------------
    def ready_to_quit(self, on_ready: Callable[[], Any]) -> bool:
        """Closing the window: a running job asks first, then saves the answers in flight before closing."""
        c = self.controller
        if c.stopping:
            return False  # already saving; the window closes when it is done
        if not c.running:
            return True
        if not self.confirm_quit(self):
            return False

        async def drain_then_close() -> None:
            await c.stop_run()
            on_ready()

        c.tasks.spawn(drain_then_close(), key="quit")
        return False

    # ---- the table's actions -------------------------------------------------------------------------
    def open_record(self, row: Any) -> RecordDialog:
        """Double-click, Enter or «Ver ficha»: the row's full record, representatives on demand."""
        if self.record_dialog is not None:
            self.record_dialog.close()
        dialog = RecordDialog(row, self)
        dialog.representativesRequested.connect(self.controller.load_representatives)
        dialog.finished.connect(lambda *_: self._record_closed(dialog))
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def _record_closed(self, dialog: RecordDialog) -> None:
        if self.record_dialog is dialog:
            self.record_dialog = None
            self.controller.tasks.cancel("representatives")
        dialog.deleteLater()

    def _show_representatives(self, ruc: str, reps: list[Any]) -> None:
        if self.record_dialog is not None:
            self.record_dialog.show_representatives(ruc, reps)

    def _representatives_failed(self, ruc: str, message: str) -> None:
        if self.record_dialog is not None:
            self.record_dialog.show_representatives_error(ruc, message)

    def _can_requery(self) -> bool:
        """A new lookup of some rows bypasses the cache, so only when nothing else of the job waits."""
        return not self._running and self.model.counts().get(LookupStatus.PENDING, 0) == 0

    def requery(self, rows: list[Any]) -> None:
        """«Consultar de nuevo»: these rows (their first occurrences) go to the API again."""
        idxs = requery_targets(rows)
        if not idxs or not self._can_requery():
            return
        self.model.queue_updates([(i, LookupStatus.PENDING, None, "") for i in idxs])
        self.model.flush()
        self.controller.requery_rows(idxs)

    def _copied(self, _text: str) -> None:
        self.services.events.statusMessage.emit(self.tr("Copiado: listo para pegar en Excel."))

    def _resume_current(self) -> None:
        self.resume_bar.hide()
        self.controller.resume_current()

    def _on_error(self, message: str, offer_preferences: bool) -> None:
        self.notices.error(message, offer_preferences, can_resume=self.controller.job_id is not None)

    def _on_busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text) and self.import_dialog is None)

    def _forward_preferences(self) -> None:
        signal = getattr(self.services.events, "openPreferences", None)
        if signal is not None:
            signal.emit()

    # ---- filters -------------------------------------------------------------------------------------
    def _apply_filters(self, *_: Any) -> None:
        self.proxy.set_filters(**self.filter_bar.filter_values())
        self._sync_view_model()

    def _apply_search(self) -> None:
        self.proxy.set_search_text(self.search.text())
        self._sync_view_model()

    def shown_model(self) -> ResultsModel | ResultsFilterProxy:
        """What the table shows right now: the filter proxy while a filter is active, else the model."""
        return self.table.model()  # type: ignore[return-value]

    def _sync_view_model(self) -> None:
        filtered = self.proxy.is_filtered()
        if filtered and self.proxy.sourceModel() is None:
            self.proxy.setSourceModel(self.model)  # one filtering pass
        wanted = self.proxy if filtered else self.model
        if self.table.model() is not wanted:
            header = self.table.horizontalHeader()
            state = header.saveState()  # column widths and the sort indicator survive the swap
            self.table.setModel(wanted)
            header.restoreState(state)
            self.table.sync_columns()
        if not filtered and self.proxy.sourceModel() is not None:
            self.proxy.setSourceModel(None)  # type: ignore[arg-type]  # Qt accepts None: detach
        self._update_shown()

    def _refresh_state_filters(self) -> None:
        estados, condiciones = self.filter_bar.refresh_state_filters(self.model.rows())
        fit_state_columns(self.table, estados, condiciones)

    def _update_shown(self, *_: Any) -> None:
        total, shown = self.model.rowCount(), self.table.model().rowCount()
        self.filter_bar.set_shown(shown, total)

    def _update_buttons(self) -> None:
        running = self._running
        has_job = self.controller.job_id is not None
        self.export_button.setEnabled(has_job)
        self.import_button.setEnabled(not running)
        errors = self.model.counts().get(LookupStatus.ERROR, 0)
        self.retry_button.setEnabled(has_job and not running and errors > 0)
