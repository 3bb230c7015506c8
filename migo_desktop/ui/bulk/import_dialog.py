"""The import dialog: preview the sheet with the RUC column highlighted, adjust, see the cost, import.

It never reads files itself: it asks the controller (``request_preview``) and shows ``previewReady`` /
``previewFailed``. Shown with ``open()`` (window-modal, non-blocking) so the event loop keeps running.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..base.numbers import fmt_int
from .controller import BulkController, ImportCost, PreviewResult

__all__ = ["ImportDialog", "column_label", "column_name", "column_titles", "cost_text"]

HIGHLIGHT = QColor("#fff2c6")


def column_name(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cost_text(cost: ImportCost) -> str:
    """'1.234 RUC válidos únicos · 12 inválidos · 30 duplicados · 400 ya en caché · 834 consultas a la API'"""
    t = QCoreApplication.translate
    return " · ".join(
        [
            (
                t("ImportDialog", "%s RUC y %s DNI válidos únicos")
                % (fmt_int(cost.valid_ruc), fmt_int(cost.valid_dni))
                if cost.valid_dni
                else t("ImportDialog", "%s RUC válidos únicos") % fmt_int(cost.valid_ruc)
            ),
            t("ImportDialog", "%s inválidos") % fmt_int(cost.invalid),
            t("ImportDialog", "%s duplicados") % fmt_int(cost.duplicates),
            t("ImportDialog", "%s ya en caché") % fmt_int(cost.cached),
            t("ImportDialog", "%s consultas a la API") % fmt_int(cost.api_calls),
        ]
    )


def column_label(index: int, header: str) -> str:
    """'B — Referencia'; just 'Columna B' when the sheet has no title there."""
    letter = column_name(index)
    if not header or header == f"Columna {letter}":
        return f"Columna {letter}"
    return f"{letter} — {header}"


_NUMERIC = re.compile(r"^[\s.,+\-']*\d[\d\s.,+\-eE']*$")  # a number (or an id) as text, not a title


def column_titles(preview: Any) -> list[str]:
    """Titles for the column choice when detection failed: the detected header row, else the first
    non-blank row of the preview when it holds only text (a header the detector did not trust), else
    'Columna A', 'Columna B'…"""
    headers = list(getattr(preview, "headers", None) or [])
    rows = list(getattr(preview, "rows", None) or [])
    width = max([len(r) for r in rows] + [len(headers)])
    if getattr(preview, "header_row", None):
        return headers + [""] * (width - len(headers))
    for i, row in enumerate(rows):
        cells = [_cell(v).strip() for v in row]
        if not any(cells):
            continue
        if i + 1 < len(rows) and not any(c and _NUMERIC.match(c) for c in cells):
            return cells + [""] * (width - len(cells))
        break
    return [""] * width


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ImportDialog(QDialog):
    importRequested = Signal(object)  # the ImportPlan to run

    def __init__(self, controller: BulkController, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.path = Path(path)
        self.plan: Any = None
        self.cost: ImportCost | None = None
        self._request = 0
        # What the shown sheet was read with: the plan's choices, or the preview's when no plan was made.
        self._sheet: str | None = None
        self._header: int | None = None
        self._column: int | None = None
        self.setWindowTitle(self.tr("Importar %s") % self.path.name)
        self.resize(980, 640)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one dialog per import, not kept forever

        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setAccessibleName(self.tr("Hoja"))
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(0, 1_048_576)
        self.header_spin.setSpecialValueText(self.tr("Sin encabezados"))
        self.header_spin.setAccessibleName(self.tr("Fila de encabezados"))
        self.column_combo = QComboBox(self)
        self.column_combo.setAccessibleName(self.tr("Columna con los RUC"))
        self.column_combo.setPlaceholderText(self.tr("Elige la columna…"))
        form = QFormLayout()
        form.addRow(self.tr("&Hoja:"), self.sheet_combo)
        form.addRow(self.tr("&Fila de encabezados:"), self.header_spin)
        form.addRow(self.tr("C&olumna con los RUC:"), self.column_combo)

        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Vista previa de la hoja"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Leyendo el archivo"))
        self.busy.setFormat(self.tr("Leyendo… %v filas"))
        self.cost_label = QLabel(self)
        self.cost_label.setWordWrap(True)
        self.cost_label.setAccessibleName(self.tr("Costo de la consulta"))
        self.cost_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons_label = QLabel(self)
        self.reasons_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a50e0e; font-weight: bold;")
        self.error_label.setAccessibleName(self.tr("Error al leer el archivo"))
        self.error_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("&Importar"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{self.path.name}</b>", self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.cost_label)
        self.savings_label = QLabel(self)  # what the padrón saves (ui.padron through Services.bulk_sources)
        self.savings_label.setWordWrap(True)
        self.savings_label.setObjectName("validOk")
        layout.addWidget(self.savings_label)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.sheet_combo, self.header_spin)
        self.setTabOrder(self.header_spin, self.column_combo)
        self.setTabOrder(self.column_combo, self.table)
        self.setTabOrder(self.table, self.import_button)
        self.setTabOrder(self.import_button, self.cancel_button)

        controller.previewReady.connect(self._on_ready)
        controller.previewFailed.connect(self._on_failed)
        controller.planProgress.connect(self._on_progress)
        self.sheet_combo.activated.connect(self._sheet_changed)
        self.header_spin.editingFinished.connect(self._options_changed)
        self.column_combo.activated.connect(self._options_changed)
        self.finished.connect(self._on_finished)
        self._request_preview()

    # ---- requests ------------------------------------------------------------------------------------
    def _request_preview(self, **options: Any) -> None:
        self.import_button.setEnabled(False)
        self.error_label.hide()
        self.busy.setRange(0, 0)
        self.busy.show()
        self._request = self.controller.request_preview(self.path, **options)

    def _sheet_changed(self, *_: Any) -> None:
        sheet = self.sheet_combo.currentText() or None
        self._request_preview(sheet=sheet)

    def _options_changed(self, *_: Any) -> None:
        if self.column_combo.count() == 0:
            return  # nothing read yet (or the file could not be read)
        header = self.header_spin.value()  # 0 = no header row
        column = self.column_combo.currentData()
        same_header = header == (self._header or 0)
        if same_header and column == self._column:
            return
        # Without a plan the header row was never settled: leave it to the reader unless the user set it.
        header_row = None if self.plan is None and same_header else header
        self._request_preview(sheet=self._sheet, header_row=header_row, column=column)

    # ---- answers -------------------------------------------------------------------------------------
    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.busy.setRange(0, total)
        self.busy.setValue(done)

    def _on_failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.busy.hide()
        self.plan = None
        self.error_label.setText(message)
        self.error_label.show()
        self.cost_label.clear()
        self.reasons_label.clear()
        self.import_button.setEnabled(False)

    def _on_ready(self, result: PreviewResult) -> None:
        if result.request_id != self._request:
            return
        self.busy.hide()
        self.plan, self.cost = result.plan, result.cost
        if result.plan is None:
            self._show_choice(result)
            return
        self.error_label.hide()
        plan = result.plan
        self._sheet, self._header, self._column = plan.sheet, plan.header_row, plan.id_column
        self._fill_options(
            getattr(plan, "sheets", None) or [], plan.sheet, plan.header_row, plan.headers, plan.id_column
        )
        self._fill_table(result.preview, plan.header_row, plan.id_column, len(plan.headers))
        cost = result.cost
        assert cost is not None  # a preview with a plan always has its cost
        self.cost_label.setText(cost_text(cost))
        self.savings_label.clear()
        sources = self.controller.services.bulk_sources
        if sources is not None:
            self.controller.tasks.spawn(self._show_savings(sources, plan), key="savings")
        report = getattr(plan, "report", None)
        if report is not None:  # every row of the sheet, by category, with row numbers (no silent drops)
            lines = report().text_lines()
        else:
            reasons = sorted(cost.invalid_by_reason.items(), key=lambda kv: -kv[1])
            lines = [f"• {reason or self.tr('Sin motivo')}: {fmt_int(n)}" for reason, n in reasons[:8]]
        warnings = [f"⚠ {w}" for w in getattr(result.plan, "warnings", [])]
        self.reasons_label.setText("\n".join(warnings + lines))
        self.import_button.setEnabled(cost.valid_unique > 0 or cost.rows > 0)

    async def _show_savings(self, sources: Any, plan: Any) -> None:
        text = await sources.savings_text(plan)
        if plan is self.plan:  # still the plan on screen
            self.savings_label.setText(text)

    def _show_choice(self, result: PreviewResult) -> None:
        """No plan from what was chosen (e.g. no RUC column detected): show the sheet and let the user pick
        the column (and sheet, header row) from what was read; the cost comes once a column is chosen."""
        preview = result.preview
        self._sheet = getattr(preview, "sheet", None)
        self._header = getattr(preview, "header_row", None)
        self._column = None
        headers = column_titles(preview)
        self._fill_options(getattr(preview, "sheets", None) or [], self._sheet, self._header, headers, None)
        self._fill_table(preview, self._header, None, len(headers))
        self.error_label.setText(result.message)
        self.error_label.show()
        self.cost_label.clear()
        self.reasons_label.clear()
        self.import_button.setEnabled(False)

    def _fill_options(
        self,
        sheets: list[str],
        sheet: str | None,
        header_row: int | None,
        headers: list[str],
        column: int | None,
    ) -> None:
        for widget in (self.sheet_combo, self.header_spin, self.column_combo):
            widget.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(sheets))
        self.sheet_combo.setEnabled(len(sheets) > 1)
        if sheet:
            self.sheet_combo.setCurrentText(sheet)
        self.header_spin.setValue(header_row or 0)
        self.column_combo.clear()
        for i, header in enumerate(headers):
            self.column_combo.addItem(column_label(i, header), i)
        self.column_combo.setCurrentIndex(-1 if column is None else self.column_combo.findData(column))
        for widget in (self.sheet_combo, self.header_spin, self.column_combo):
            widget.blockSignals(False)

    def _fill_table(self, preview: Any, header_row: int | None, id_column: int | None, columns: int) -> None:
        rows = list(getattr(preview, "rows", None) or [])
        first = int(getattr(preview, "first_row", 1) or 1)
        width = max([len(r) for r in rows] + [columns, -1 if id_column is None else id_column + 1])
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(width)
        self.table.setHorizontalHeaderLabels([column_name(i) for i in range(width)])
        self.table.setVerticalHeaderLabels([str(first + i) for i in range(len(rows))])
        bold = QFont(self.table.font())
        bold.setBold(True)
        brush = QBrush(HIGHLIGHT)
        header_at = (header_row - first) if header_row else -1
        for r, row in enumerate(rows):
            for c in range(width):
                item = QTableWidgetItem(_cell(row[c]) if c < len(row) else "")
                if c == id_column:
                    item.setBackground(brush)
                if r == header_at:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        header_item = self.table.horizontalHeaderItem(id_column) if id_column is not None else None
        if header_item is not None and id_column is not None:
            header_item.setText(f"{column_name(id_column)} ✓")
            header_item.setToolTip(self.tr("Columna con los RUC"))
        self.table.resizeColumnsToContents()

    def highlighted_column(self) -> int | None:
        return None if self.plan is None else int(self.plan.id_column)

    # ---- closing -------------------------------------------------------------------------------------
    def _accept(self) -> None:
        if self.plan is None:
            return
        self.importRequested.emit(self.plan)
        self.accept()

    def _on_finished(self, *_: Any) -> None:
        self.controller.cancel_preview()
        for signal, slot in (
            (self.controller.previewReady, self._on_ready),
            (self.controller.previewFailed, self._on_failed),
            (self.controller.planProgress, self._on_progress),
        ):
            signal.disconnect(slot)
