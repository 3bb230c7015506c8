"""The bulk results table: one row per input row, filled in place as the engine answers.

vorta-style shape (DESIGN.md §6): column constants, custom roles (typed sort keys, the row object, badge
colours), ``dataChanged`` only for the rows that changed, and updates coalesced on a short timer so thousands
of answers per second cost a handful of repaints. Sorting happens in the source model on typed keys (a plain
Python sort of 100k rows takes milliseconds; letting the proxy call ``data()`` n·log n times does not).

Column constants and roles live in ``results_columns``, the row type and display formatting in
``result_rows``, the filter proxy in ``results_proxy``; all are re-exported here so
``from .results_model import …`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from ...core.models import LookupStatus
from ..base.status import STATUS_COLORS, TONE_COLORS
from .result_rows import (
    ResultRow,
    cell_text,
    duplicate_reason,
    fmt_timestamp,
    relabel_duplicate,
    row_from_any,
)
from .results_columns import (
    COL_ADDRESS,
    COL_APTO,
    COL_CONDICION,
    COL_CONSULTED,
    COL_DEPARTAMENTO,
    COL_DISTRITO,
    COL_ESTADO,
    COL_INDEX,
    COL_NAME,
    COL_NUMBER,
    COL_PROVINCIA,
    COL_RAW,
    COL_REASON,
    COL_STATUS,
    COLUMNS,
    STATUS_ORDER,
    ColorRole,
    RowRole,
    SortRole,
    header_labels,
)

__all__ = [
    "COLUMNS",
    "COL_INDEX",
    "COL_RAW",
    "COL_NUMBER",
    "COL_STATUS",
    "COL_REASON",
    "COL_NAME",
    "COL_ESTADO",
    "COL_CONDICION",
    "COL_APTO",
    "COL_CONSULTED",
    "COL_ADDRESS",
    "COL_DISTRITO",
    "COL_PROVINCIA",
    "COL_DEPARTAMENTO",
    "STATUS_ORDER",
    "ResultRow",
    "ResultsModel",
    "SortRole",
    "RowRole",
    "ColorRole",
    "row_from_any",
    "duplicate_reason",
    "cell_text",
]

_HANDLED_ROLES = frozenset(
    {
        int(Qt.ItemDataRole.DisplayRole),
        int(Qt.ItemDataRole.ToolTipRole),
        int(Qt.ItemDataRole.ForegroundRole),
        int(Qt.ItemDataRole.TextAlignmentRole),
        int(SortRole),
        int(RowRole),
        int(ColorRole),
    }
)
_COLOR_COLUMNS = frozenset({COL_STATUS, COL_ESTADO, COL_CONDICION, COL_APTO})
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_ROOT = QModelIndex()


def _t(text: str) -> str:
    return QCoreApplication.translate("ResultsModel", text)


class ResultsModel(QAbstractTableModel):
    """Flat table over a list of ResultRow; ``queue_updates`` batches engine answers on a timer."""

    countsChanged = Signal(object)  # dict[LookupStatus, int]

    def __init__(self, parent: QObject | None = None, *, flush_interval_ms: int = 100) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._pos: dict[int, int] = {}
        self._extra_headers: list[str] = []
        self._column_count = len(COLUMNS)
        self._labels = header_labels()
        self._pending: dict[int, tuple] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(flush_interval_ms)
        self._timer.timeout.connect(self.flush)
        self._sort = (COL_INDEX, Qt.SortOrder.AscendingOrder)
        self._yes, self._no = _t("Sí"), _t("No")
        self._counts: dict[LookupStatus, int] = dict.fromkeys(LookupStatus, 0)

    # ---- loading -------------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[ResultRow], extra_headers: Sequence[str] = ()) -> None:
        self.beginResetModel()
        self._pending.clear()
        self._rows = list(rows)
        self._extra_headers = [str(h) for h in extra_headers]
        self._column_count = len(COLUMNS) + len(self._extra_headers)
        self._sort_rows(*self._sort)
        self._counts = dict.fromkeys(LookupStatus, 0)
        self._dups: dict[int, list[int]] = {}
        for row in self._rows:
            self._counts[row.status] += 1
            if row.duplicate_of is not None and row.status is LookupStatus.DUPLICATE:
                self._dups.setdefault(row.duplicate_of, []).append(row.idx)
        self.endResetModel()
        self.countsChanged.emit(self.counts())

    def clear(self) -> None:
        self.set_rows([])

    def reset_sort(self) -> None:
        """Input order for the next ``set_rows`` (another run is being opened)."""
        self._sort = (COL_INDEX, Qt.SortOrder.AscendingOrder)

    def rows(self) -> list[ResultRow]:
        return list(self._rows)

    def row_at(self, position: int) -> ResultRow:
        return self._rows[position]

    def row_by_idx(self, idx: int) -> ResultRow | None:
        pos = self._pos.get(idx)
        return None if pos is None else self._rows[pos]

    def counts(self) -> dict[LookupStatus, int]:
        return dict(self._counts)

    # ---- live updates --------------------------------------------------------------------------------
    def queue_updates(self, updates: Iterable[Any]) -> None:
        """Accept engine RowUpdate objects (idx, status, result[, reason]) or tuples; applied on a timer."""
        for upd in updates:
            if isinstance(upd, tuple):
                idx, status, result, *rest = upd
                reason = rest[0] if rest else None
            else:
                idx, status = upd.idx, upd.status
                result, reason = getattr(upd, "result", None), getattr(upd, "reason", None)
            self._pending[int(idx)] = (status, result, reason)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> int:
        """Apply queued updates now; emit one dataChanged per run of nearby changed rows."""
        self._timer.stop()
        if not self._pending:
            return 0
        pending, self._pending = self._pending, {}
        positions = []
        for idx, (status, result, reason) in pending.items():
            pos = self._pos.get(idx)
            if pos is None:
                continue
            row = self._rows[pos]
            self._counts[row.status] -= 1
            row.apply(status, result, reason)
            self._counts[row.status] += 1
            positions.append(pos)
        positions.extend(self._relabel_duplicates(pending))
        positions = sorted(set(positions))
        last_col = self.columnCount() - 1
        start: int | None = None
        prev = 0
        for pos in positions:
            if start is None:
                start = prev = pos
            elif pos - prev <= 8:  # merge nearby runs: fewer signals, few extra rows
                prev = pos
            else:
                self.dataChanged.emit(self.index(start, 0), self.index(prev, last_col))
                start = prev = pos
        if start is not None:
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last_col))
        self.countsChanged.emit(self.counts())
        return len(positions)

    def _relabel_duplicates(self, changed: Iterable[int]) -> list[int]:
        """Duplicates of rows that just changed say the first occurrence's new result (also when the engine
        sends no update for them, e.g. the first one failed)."""
        positions = []
        for idx in changed:
            first = self.row_by_idx(idx)
            for dup_idx in self._dups.get(idx, ()) if first is not None else ():
                pos = self._pos.get(dup_idx)
                if pos is None:
                    continue
                row = self._rows[pos]
                assert first is not None
                reason = relabel_duplicate(row.reason, first.status)
                if reason != row.reason:
                    row.reason, row._haystack, row._cells = reason, None, None
                    positions.append(pos)
        return positions

    # ---- Qt model API --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._column_count

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < len(COLUMNS):
            return self._labels[section]
        extra = section - len(COLUMNS)
        if 0 <= extra < len(self._extra_headers):
            return self._extra_headers[extra]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Hot path: a repaint asks ~8 roles per visible cell; answer the unhandled ones first and cheaply.
        if role not in _HANDLED_ROLES:
            return None
        r = index.row()
        if r < 0 or r >= len(self._rows):
            return None
        row, col = self._rows[r], index.column()
        if role in (_DISPLAY, _TOOLTIP):
            cells = row._cells
            if cells is None:
                cells = row._cells = self._build_cells(row)
            return cells[col] if 0 <= col < len(cells) else ""
        if role in (_FOREGROUND, ColorRole):
            return self._color(row, col) if col in _COLOR_COLUMNS else None
        if role == _ALIGNMENT:
            return _RIGHT if col == COL_INDEX else None
        if role == SortRole:
            return self._sort_key(row, col)
        if role == RowRole:
            return row
        return None

    def _build_cells(self, row: ResultRow) -> tuple[str, ...]:
        tp = row.taxpayer
        apto = row.apto
        cells = [""] * len(COLUMNS)
        cells[COL_INDEX] = str(row.fila)
        cells[COL_NUMBER] = row.number
        cells[COL_NAME] = row.name
        cells[COL_ESTADO] = tp.estado if tp else ""
        cells[COL_CONDICION] = tp.condicion if tp else ""
        cells[COL_APTO] = "" if apto is None else (self._yes if apto else self._no)
        cells[COL_STATUS] = row.status.label
        cells[COL_REASON] = row.reason
        cells[COL_RAW] = "" if row.raw_matches_number() else cell_text(row.raw)  # only when it says more
        if tp:
            cells[COL_ADDRESS] = tp.direccion or tp.direccion_simple
            cells[COL_DISTRITO], cells[COL_PROVINCIA] = tp.distrito, tp.provincia
            cells[COL_DEPARTAMENTO] = tp.departamento
        cells[COL_CONSULTED] = fmt_timestamp(row.consulted_at)
        cells.extend(cell_text(v) for v in row.values)
        return tuple(cells)

    def _display(self, row: ResultRow, col: int) -> str:
        cells = row._cells
        if cells is None:
            cells = row._cells = self._build_cells(row)
        return cells[col] if 0 <= col < len(cells) else ""

    def _sort_key(self, row: ResultRow, col: int) -> Any:
        if col == COL_INDEX:
            return row.idx
        if col == COL_STATUS:
            return STATUS_ORDER[row.status]
        if col == COL_APTO:
            apto = row.apto
            return -1 if apto is None else int(apto)
        if col == COL_CONSULTED:
            return row.consulted_at.timestamp() if row.consulted_at else 0.0
        return self._display(row, col).casefold()

    def _color(self, row: ResultRow, col: int) -> QColor | None:
        if col == COL_STATUS:
            return STATUS_COLORS[row.status]
        tp = row.taxpayer
        if tp is None:
            return None
        if col == COL_ESTADO and tp.estado:
            return TONE_COLORS["good" if tp.estado == "ACTIVO" else "bad"]
        if col == COL_CONDICION and tp.condicion:
            return TONE_COLORS["good" if tp.condicion == "HABIDO" else "warn"]
        if col == COL_APTO:
            return TONE_COLORS["good" if tp.apto_para_facturar else "bad"]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_idx = [(self._rows[p.row()].idx, p.column()) for p in old_persistent]
        self._sort_rows(column, order)
        new_persistent = [self.index(self._pos[idx], c) for idx, c in old_idx]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (column, order)
        reverse = order == Qt.SortOrder.DescendingOrder
        if column == COL_INDEX:
            self._rows.sort(key=lambda r: r.idx, reverse=reverse)
        else:
            # stable: ties keep input order
            self._rows.sort(key=lambda r: r.idx)
            self._rows.sort(key=lambda r: self._sort_key(r, column), reverse=reverse)
        self._pos = {r.idx: i for i, r in enumerate(self._rows)}
