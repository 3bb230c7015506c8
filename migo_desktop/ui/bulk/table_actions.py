"""What the results table offers on its rows: Copiar (Ctrl+C), Copiar RUC, Ver ficha (Enter or double-click)
and Consultar de nuevo — in its context menu and from the keyboard. Tab leaves the table.

The actions only read the view and say what the user asked for; the page decides (``recordRequested``,
``requeryRequested``) and the controller does the work.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ...core.models import LookupStatus
from .frozen_table import FrozenTableView
from .result_rows import ResultRow
from .results_columns import COL_NUMBER, RowRole
from .table_copy import copy_to_clipboard, selected_grid

__all__ = ["TableActions", "requery_targets"]


def requery_targets(rows: list[ResultRow]) -> list[int]:
    """The rows to look up again for a selection: first occurrences (a duplicate stands for its first),
    never an invalid row (it has no number to ask for)."""
    out = set()
    for row in rows:
        if row.status is LookupStatus.INVALID or not row.number:
            continue
        out.add(row.duplicate_of if row.duplicate_of is not None else row.idx)
    return sorted(out)


class TableActions(QObject):
    recordRequested = Signal(object)  # ResultRow
    requeryRequested = Signal(list)  # list[ResultRow]
    copied = Signal(str)  # the text put on the clipboard

    def __init__(self, table: FrozenTableView) -> None:
        super().__init__(table)
        self.table = table
        self.menu: QMenu | None = None
        self.can_requery = lambda: True  # the page says when a new lookup may start
        table.setTabKeyNavigation(False)  # Tab moves on to the next control, not to the next cell
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)
        table.overlayContextMenu.connect(self.show_menu)
        table.doubleClicked.connect(self._open_index)
        table.rowActivated.connect(self._open_index)
        self.copy_action = self._action(
            self.tr("&Copiar"), self.copy_selection, QKeySequence.StandardKey.Copy
        )
        self.copy_ruc_action = self._action(self.tr("Copiar &RUC"), self.copy_numbers)
        # Enter is handled by the view (rowActivated); the menu only names the key
        self.record_action = self._action(self.tr("&Ver ficha") + "\t" + self.tr("Intro"), self.open_current)
        self.requery_action = self._action(self.tr("Consultar de &nuevo"), self.requery_selection)

    def _action(self, text: str, slot: object, key: QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self.table)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        action.triggered.connect(slot)
        return action

    # ---- what is selected --------------------------------------------------------------------------------
    def selected_rows(self) -> list[ResultRow]:
        selection = self.table.selectionModel()
        if selection is None:
            return []
        rows = sorted({i.row() for i in selection.selectedIndexes()})
        model = self.table.model()
        return [model.index(r, 0).data(RowRole) for r in rows]

    def current_row(self) -> ResultRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            rows = self.selected_rows()
            return rows[0] if rows else None
        row: ResultRow | None = index.siblingAtColumn(0).data(RowRole)
        return row

    # ---- actions -----------------------------------------------------------------------------------------
    def copy_selection(self) -> str:
        text = copy_to_clipboard(selected_grid(self.table))
        if text:
            self.copied.emit(text)
        return text

    def copy_numbers(self) -> str:
        grid = selected_grid(self.table, [COL_NUMBER])[1:]  # just the numbers, one per line
        text = copy_to_clipboard(grid, with_html=False)
        if text:
            self.copied.emit(text)
        return text

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.recordRequested.emit(row)

    def _open_index(self, index: QModelIndex) -> None:
        row = index.siblingAtColumn(0).data(RowRole) if index.isValid() else None
        if row is not None:
            self.recordRequested.emit(row)

    def requery_selection(self) -> None:
        rows = self.selected_rows()
        if rows and requery_targets(rows):
            self.requeryRequested.emit(rows)

    # ---- context menu ------------------------------------------------------------------------------------
    def build_menu(self) -> QMenu:
        rows = self.selected_rows()
        menu = QMenu(self.table)
        for action in (self.copy_action, self.copy_ruc_action):
            action.setEnabled(bool(rows))
            menu.addAction(action)
        menu.addSeparator()
        self.record_action.setEnabled(self.current_row() is not None)
        menu.addAction(self.record_action)
        self.requery_action.setEnabled(bool(requery_targets(rows)) and self.can_requery())
        menu.addAction(self.requery_action)
        return menu

    def show_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isSelected(index):
            selection = self.table.selectionModel()  # not selectRow: it follows the keyboard modifiers
            flags = QItemSelectionModel.SelectionFlag
            selection.select(index, flags.ClearAndSelect | flags.Rows)
            selection.setCurrentIndex(index, flags.NoUpdate)
        self.menu = self.build_menu()
        self.menu.popup(self.table.viewport().mapToGlobal(pos))
