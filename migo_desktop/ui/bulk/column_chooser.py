"""Which results columns are on screen: the header's context menu shows and hides them, Preferences remember.

«Fila» and «RUC / DNI» always stay. «Valor original» is shown only when some row's cell as typed differs
from its normalised number (otherwise it is the RUC again); the menu says so instead of offering it.
Hidden columns are remembered by stable names (``COLUMN_KEYS``; the user's own columns by their header), so
they survive a change of column order and apply to every run.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu

from .frozen_table import FrozenTableView
from .results_columns import ALWAYS_SHOWN, COL_RAW, COLUMN_KEYS, COLUMNS
from .results_model import ResultsModel

__all__ = ["ColumnChooser", "PREF_KEY"]

PREF_KEY = "bulk/hidden_columns"


class ColumnChooser(QObject):
    def __init__(self, table: FrozenTableView, model: ResultsModel, prefs: Any) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        self.prefs = prefs
        self.hidden: set[str] = self._load()
        self.raw_shown = False  # does this run's «Valor original» say anything the RUC does not?
        self.menu: QMenu | None = None
        for header in (table.horizontalHeader(), table.frozen.horizontalHeader()):
            header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            header.customContextMenuRequested.connect(lambda pos, h=header: self._show_menu(h, pos))

    # ---- state -------------------------------------------------------------------------------------------
    def key(self, column: int) -> str:
        if column < len(COLUMN_KEYS):
            return COLUMN_KEYS[column]
        return "x:" + str(self.model.headerData(column, Qt.Orientation.Horizontal) or column)

    def is_hidden(self, column: int) -> bool:
        if column in ALWAYS_SHOWN:
            return False
        if column == COL_RAW and not self.raw_shown:
            return True
        return self.key(column) in self.hidden

    def apply(self, raw_differs: bool | None = None) -> None:
        """Hide/show every column for the run on screen (after a load — ``raw_differs`` then says whether
        «Valor original» is worth showing, computed off the GUI thread — or a change in the menu)."""
        if raw_differs is not None:
            self.raw_shown = raw_differs
        for column in range(self.model.columnCount()):
            want = self.is_hidden(column)
            if self.table.isColumnHidden(column) != want:
                self.table.setColumnHidden(column, want)
        self.table.sync_columns()

    def set_shown(self, column: int, shown: bool) -> None:
        if column in ALWAYS_SHOWN:
            return
        key = self.key(column)
        if shown:
            self.hidden.discard(key)
        else:
            self.hidden.add(key)
        self._save()
        self.apply()

    # ---- menu --------------------------------------------------------------------------------------------
    def build_menu(self) -> QMenu:
        menu = QMenu(self.table)
        menu.setTitle(self.tr("Columnas"))
        for column in range(self.model.columnCount()):
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(not self.is_hidden(column))
            if column in ALWAYS_SHOWN:
                action.setEnabled(False)
            elif column == COL_RAW and not self.raw_shown:
                action.setEnabled(False)
                action.setText(self.tr("%s (igual al RUC en todas las filas)") % label)
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
            if column == len(COLUMNS) - 1 and self.model.columnCount() > len(COLUMNS):
                menu.addSeparator()  # the user's own columns follow
        menu.addSeparator()
        reset = menu.addAction(self.tr("Mostrar todas las columnas"))
        reset.triggered.connect(self.show_all)
        return menu

    def _show_menu(self, header: QHeaderView, pos: QPoint) -> None:
        self.menu = self.build_menu()
        self.menu.popup(header.viewport().mapToGlobal(pos))

    def show_all(self) -> None:
        self.hidden.clear()
        self._save()
        self.apply()

    # ---- preferences -------------------------------------------------------------------------------------
    def _load(self) -> set[str]:
        raw = self.prefs.value(PREF_KEY, "") if self.prefs is not None else ""
        try:
            keys = json.loads(str(raw)) if raw else []
        except ValueError:
            return set()
        return {str(k) for k in keys} if isinstance(keys, list) else set()

    def _save(self) -> None:
        if self.prefs is not None:
            self.prefs.set_value(PREF_KEY, json.dumps(sorted(self.hidden), ensure_ascii=False))
            self.prefs.sync()
