"""A QTableView whose first columns stay on screen when scrolling right (Qt's «frozen column» example).

A second, borderless ``QTableView`` lies over the left edge of the main view's viewport. It shares the model
and the selection model and shows only the frozen columns; the main view keeps those columns too (under the
overlay), so sorting, selection, keyboard navigation and the model swap (filter proxy on and off) stay the
main view's business. Widths, hidden columns, vertical scrolling and the sort indicator are mirrored.
Double-clicks and context menus on the overlay are forwarded as the main view's own.

The overlay has no style sheet (a style sheet routes every cell it paints through QStyleSheetStyle: a
repaint of the window cost 21 ms instead of 14.5 ms, and a repaint is what a scroll during a run waits on);
its right border is a 1-pixel widget in the palette's «mid» colour, so it follows the dark palette too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

__all__ = ["FrozenTableView"]


class FrozenTableView(QTableView):
    """The main results view; ``frozen`` is the overlay holding the first ``frozen_count`` columns."""

    overlayContextMenu = Signal(QPoint)  # a right click on the overlay, in the main view's viewport coords
    rowActivated = Signal(QModelIndex)  # Enter/Return on the current row

    def __init__(self, frozen_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen_count = frozen_count
        self.frozen = QTableView(self)
        f = self.frozen
        f.setObjectName("frozenColumns")
        f.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        f.verticalHeader().hide()
        f.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setFrameShape(QFrame.Shape.NoFrame)
        self.frozen_edge = QWidget(self)  # the overlay's right border
        self.frozen_edge.setObjectName("frozenEdge")
        self.frozen_edge.setBackgroundRole(QPalette.ColorRole.Mid)
        self.frozen_edge.setAutoFillBackground(True)
        f.setWordWrap(False)
        fh = f.horizontalHeader()
        fh.setSectionsClickable(True)  # a click flips the overlay's indicator; the main view sorts (once)
        fh.setSortIndicatorShown(True)
        fh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        f.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        f.customContextMenuRequested.connect(self._overlay_menu)
        f.doubleClicked.connect(self.doubleClicked)
        self.viewport().stackUnder(f)
        self.frozen_edge.raise_()
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        f.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        f.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(f.verticalScrollBar().setValue)
        self.horizontalHeader().sectionResized.connect(self._main_resized)
        f.horizontalHeader().sectionResized.connect(self._overlay_resized)
        self.horizontalHeader().sortIndicatorChanged.connect(self._mirror_sort)
        f.horizontalHeader().sortIndicatorChanged.connect(self._overlay_sorted)
        self.horizontalHeader().geometriesChanged.connect(self._place_overlay)
        f.show()

    # ---- model and look ----------------------------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        self.frozen.setModel(model)
        if model is not None:
            self.frozen.setSelectionModel(self.selectionModel())
        self.sync_columns()

    def setTextElideMode(self, mode: Qt.TextElideMode) -> None:  # noqa: N802 - Qt override
        super().setTextElideMode(mode)
        self.frozen.setTextElideMode(mode)

    def setAlternatingRowColors(self, enable: bool) -> None:  # noqa: N802 - Qt override
        super().setAlternatingRowColors(enable)
        self.frozen.setAlternatingRowColors(enable)

    def set_row_height(self, height: int) -> None:
        for view in (self, self.frozen):
            view.verticalHeader().setDefaultSectionSize(height)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def sync_columns(self) -> None:
        """Mirror hidden columns and widths of the frozen part; hide every other column in the overlay."""
        model = self.model()
        count = model.columnCount() if model is not None else 0
        for col in range(count):
            frozen = col < self.frozen_count
            self.frozen.setColumnHidden(col, not frozen or self.isColumnHidden(col))
            if frozen:
                self.frozen.setColumnWidth(col, self.columnWidth(col))
        self._place_overlay()

    def setColumnHidden(self, column: int, hide: bool) -> None:  # noqa: N802 - Qt override
        super().setColumnHidden(column, hide)
        if column < self.frozen_count:
            self.frozen.setColumnHidden(column, hide)
            self._place_overlay()

    def frozen_width(self) -> int:
        return sum(self.columnWidth(c) for c in range(self.frozen_count) if not self.isColumnHidden(c))

    # ---- keeping the overlay in place --------------------------------------------------------------------
    def _place_overlay(self) -> None:
        frame = self.frameWidth()
        header = self.horizontalHeader().height()
        self.frozen.horizontalHeader().setFixedHeight(header)
        left, width, height = (
            self.verticalHeader().width() + frame,
            self.frozen_width(),
            self.viewport().height(),
        )
        self.frozen.setGeometry(left, frame, width, height + header)
        self.frozen_edge.setGeometry(left + width, frame, 1, height + header)
        self.frozen_edge.setVisible(width > 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_overlay()

    def _main_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.frozen_count:
            if self.frozen.columnWidth(column) != new:
                self.frozen.setColumnWidth(column, new)
            self._place_overlay()

    def _overlay_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.frozen_count and self.columnWidth(column) != new:
            self.setColumnWidth(column, new)  # comes back through _main_resized, which places the overlay

    def _mirror_sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.frozen.horizontalHeader()
        header.blockSignals(True)  # the main view sorted already: the overlay only shows the indicator
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        header.viewport().update()

    def _overlay_sorted(self, column: int, order: Qt.SortOrder) -> None:
        self.sortByColumn(column, order)  # one sort, by the main view; its indicator follows

    def _overlay_menu(self, pos: QPoint) -> None:
        self.overlayContextMenu.emit(self.viewport().mapFromGlobal(self.frozen.viewport().mapToGlobal(pos)))

    # ---- keyboard navigation under the overlay -----------------------------------------------------------
    def moveCursor(  # noqa: N802 - Qt override
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = super().moveCursor(action, modifiers)
        left = self.frozen_width()
        if (
            action == QAbstractItemView.CursorAction.MoveLeft
            and current.column() >= self.frozen_count
            and self.visualRect(current).topLeft().x() < left
        ):
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + self.visualRect(current).topLeft().x() - left)
        return current

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.rowActivated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def scrollTo(  # noqa: N802 - Qt override
        self,
        index: QModelIndex | Any,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if index.isValid() and index.column() < self.frozen_count:
            bar = self.horizontalScrollBar()
            keep = bar.value()  # a frozen cell is always in view horizontally: scroll vertically only
            super().scrollTo(index, hint)
            bar.setValue(keep)
            return
        super().scrollTo(index, hint)
