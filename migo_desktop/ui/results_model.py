"""The bulk results table: one row per input row, filled in place as the engine answers.

vorta-style shape (DESIGN.md §6): column constants, custom roles (typed sort keys, the row object, badge
colours), ``dataChanged`` only for the rows that changed, and updates coalesced on a short timer so thousands
of answers per second cost a handful of repaints. Sorting happens in the source model on typed keys (a plain
Python sort of 100k rows takes milliseconds; letting the proxy call ``data()`` n·log n times does not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from ..core.models import IdKind, LookupStatus, Person, Taxpayer

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
    "ResultRow",
    "ResultsFilterProxy",
    "ResultsModel",
    "SortRole",
    "RowRole",
    "ColorRole",
    "STATUS_COLORS",
    "row_from_any",
    "duplicate_reason",
    "fmt_int",
    "cell_text",
    "status_title",
]

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
ColorRole = Qt.ItemDataRole.UserRole + 3  # badge colour (QColor) for Resultado / Estado / Condición / Apto

# Column constants (the user's original columns, if any, follow COL_CONSULTED).
COL_INDEX, COL_RAW, COL_NUMBER, COL_STATUS, COL_REASON, COL_NAME = range(6)
COL_ESTADO, COL_CONDICION, COL_APTO, COL_ADDRESS, COL_DISTRITO, COL_PROVINCIA = range(6, 12)
COL_DEPARTAMENTO, COL_CONSULTED = 12, 13
COLUMNS = (
    "#",
    "Valor original",
    "RUC / DNI normalizado",
    "Resultado",
    "Motivo",
    "Razón social / Nombre",
    "Estado",
    "Condición",
    "Apto",
    "Dirección",
    "Distrito",
    "Provincia",
    "Departamento",
    "Consultado en",
)

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
STATUS_ORDER = {s: i for i, s in enumerate(LookupStatus)}
STATUS_COLORS = {
    LookupStatus.OK: QColor("#1e8e3e"),
    LookupStatus.NOT_FOUND: QColor("#b06000"),
    LookupStatus.INVALID: QColor("#c5221f"),
    LookupStatus.DUPLICATE: QColor("#5f6368"),
    LookupStatus.ERROR: QColor("#a50e0e"),
    LookupStatus.PENDING: QColor("#80868b"),
}
_GOOD, _BAD, _WARN = QColor("#1e8e3e"), QColor("#c5221f"), QColor("#b06000")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_ROOT = QModelIndex()


def _t(text: str) -> str:
    return QCoreApplication.translate("ResultsModel", text)


def _header_labels() -> list[str]:
    # Literal calls so pyside6-lupdate can collect them.
    return [
        "#",
        QCoreApplication.translate("ResultsModel", "Valor original"),
        QCoreApplication.translate("ResultsModel", "RUC / DNI normalizado"),
        QCoreApplication.translate("ResultsModel", "Resultado"),
        QCoreApplication.translate("ResultsModel", "Motivo"),
        QCoreApplication.translate("ResultsModel", "Razón social / Nombre"),
        QCoreApplication.translate("ResultsModel", "Estado"),
        QCoreApplication.translate("ResultsModel", "Condición"),
        QCoreApplication.translate("ResultsModel", "Apto"),
        QCoreApplication.translate("ResultsModel", "Dirección"),
        QCoreApplication.translate("ResultsModel", "Distrito"),
        QCoreApplication.translate("ResultsModel", "Provincia"),
        QCoreApplication.translate("ResultsModel", "Departamento"),
        QCoreApplication.translate("ResultsModel", "Consultado en"),
    ]


_REPEATS = re.compile(r"^Repite la fila \S+")


def duplicate_reason(first_row: Any, first_status: LookupStatus | None = None) -> str:
    """'Repite la fila 7 (OK)': the same words the store gives a reopened job (core/store.job_results), so a
    duplicate reads alike on a fresh run, a reopened one and in the export."""
    text = f"Repite la fila {first_row}"
    return f"{text} ({LookupStatus(first_status).label})" if first_status else text


def _relabel_duplicate(reason: str, first_status: LookupStatus) -> str:
    match = _REPEATS.match(reason or "")
    return f"{match.group(0)} ({first_status.label})" if match else reason


@dataclass(slots=True)
class ResultRow:
    """One input row and what we know about it so far."""

    idx: int
    number: str = ""
    status: LookupStatus = LookupStatus.PENDING
    reason: str = ""
    raw: Any = None
    values: tuple = ()
    kind: IdKind | None = None
    data: Taxpayer | Person | None = None
    consulted_at: datetime | None = None
    duplicate_of: int | None = None  # idx of the first occurrence (duplicates only)
    _haystack: str | None = None
    _cells: tuple[str, ...] | None = None  # display strings, built on first paint

    @property
    def taxpayer(self) -> Taxpayer | None:
        return self.data if isinstance(self.data, Taxpayer) else None

    @property
    def name(self) -> str:
        if isinstance(self.data, Taxpayer):
            return self.data.razon_social
        if isinstance(self.data, Person):
            return self.data.nombre
        return ""

    @property
    def apto(self) -> bool | None:
        tp = self.taxpayer
        return tp.apto_para_facturar if tp is not None else None

    def haystack(self) -> str:
        if self._haystack is None:
            parts = [self.number, self.name, cell_text(self.raw)]
            parts.extend(cell_text(v) for v in self.values)
            self._haystack = "\x1f".join(parts).casefold()
        return self._haystack

    def apply(self, status: LookupStatus, result: Any = None, reason: str | None = None) -> None:
        """Apply an engine update (status + optional LookupResult)."""
        self.status = LookupStatus(status)
        if result is not None:
            data = getattr(result, "data", None)
            if data is not None or self.status is not LookupStatus.OK:
                self.data = data
            fetched = getattr(result, "fetched_at", None)
            if fetched is not None:
                self.consulted_at = fetched
            message = getattr(result, "message", "") or ""
            if self.status not in (LookupStatus.OK, LookupStatus.DUPLICATE):  # a duplicate says which row
                self.reason = message or self.reason
        if reason:
            self.reason = reason
        elif self.status in (LookupStatus.OK, LookupStatus.PENDING):
            self.reason = ""
        self._haystack = None
        self._cells = None


def _first(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def row_from_any(obj: Any, position: int = 0) -> ResultRow:
    """A ResultRow from a job row of the store, a PlanRow, or an ExportRow (attribute or key access)."""
    status = _first(obj, "status", default=LookupStatus.PENDING)
    if not isinstance(status, LookupStatus):
        try:
            status = LookupStatus(status)
        except ValueError:
            status = LookupStatus.PENDING
    result = _first(obj, "result")
    data = _first(obj, "data")
    if data is None and result is not None:
        data = getattr(result, "data", None)
    if isinstance(data, dict):
        data = Taxpayer.from_dict(data) if "ruc" in data else Person.from_dict(data)
    values = _first(obj, "values", default=())
    kind = _first(obj, "kind")
    if isinstance(kind, str):
        kind = IdKind(kind)
    return ResultRow(
        idx=int(_first(obj, "idx", "index", "row_index", default=position)),
        number=str(_first(obj, "number", default="") or ""),
        status=status,
        reason=str(_first(obj, "reason", "message", default="") or ""),
        raw=_first(obj, "raw"),
        values=tuple(values or ()),
        kind=kind,
        data=data,
        consulted_at=_first(obj, "consulted_at", "fetched_at")
        or (getattr(result, "fetched_at", None) if result is not None else None),
        duplicate_of=_first(obj, "duplicate_of"),
    )


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the user typed it: 20100070970.0 (calamine's float) shows as 20100070970."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
        )
    return str(value)


def status_title(status: LookupStatus) -> str:
    """'OK', 'No encontrado', 'Inválido'… for legends and filters."""
    return status.label if status is LookupStatus.OK else status.label.capitalize()


def _fmt_dt(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M:%S") if value else ""


class ResultsModel(QAbstractTableModel):
    """Flat table over a list of ResultRow; ``queue_updates`` batches engine answers on a timer."""

    countsChanged = Signal(object)  # dict[LookupStatus, int]

    def __init__(self, parent=None, *, flush_interval_ms: int = 100) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._pos: dict[int, int] = {}
        self._extra_headers: list[str] = []
        self._column_count = len(COLUMNS)
        self._labels = _header_labels()
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
        start = prev = None
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
                reason = _relabel_duplicate(row.reason, first.status)
                if reason != row.reason:
                    row.reason, row._haystack, row._cells = reason, None, None
                    positions.append(pos)
        return positions

    # ---- Qt model API --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._column_count

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
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

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
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
        fixed = [
            str(row.idx + 1),
            cell_text(row.raw),
            row.number,
            row.status.label,
            row.reason,
            row.name,
            tp.estado if tp else "",
            tp.condicion if tp else "",
            "" if apto is None else (self._yes if apto else self._no),
            (tp.direccion or tp.direccion_simple) if tp else "",
            tp.distrito if tp else "",
            tp.provincia if tp else "",
            tp.departamento if tp else "",
            _fmt_dt(row.consulted_at),
        ]
        fixed.extend(cell_text(v) for v in row.values)
        return tuple(fixed)

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
            return _GOOD if tp.estado == "ACTIVO" else _BAD
        if col == COL_CONDICION and tp.condicion:
            return _GOOD if tp.condicion == "HABIDO" else _WARN
        if col == COL_APTO:
            return _GOOD if tp.apto_para_facturar else _BAD
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


class ResultsFilterProxy(QSortFilterProxyModel):
    """Filters: Resultado, Estado, Condición, apto/no apto, free text. Sorting is delegated to the source."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._statuses: frozenset[LookupStatus] | None = None
        self._estado = ""
        self._condicion = ""
        self._apto: bool | None = None
        self._text = ""

    def _source(self) -> ResultsModel:
        return self.sourceModel()  # type: ignore[return-value]

    # ---- filters -------------------------------------------------------------------------------------
    _UNSET: Any = object()

    def set_filters(
        self,
        *,
        statuses: Any = _UNSET,
        estado: Any = _UNSET,
        condicion: Any = _UNSET,
        apto: Any = _UNSET,
        text: Any = _UNSET,
    ) -> None:
        """Change any subset of the filters with one re-filtering pass."""
        unset = ResultsFilterProxy._UNSET
        self.beginFilterChange()
        if statuses is not unset:
            self._statuses = None if statuses is None else frozenset(statuses)
        if estado is not unset:
            self._estado = (estado or "").upper()
        if condicion is not unset:
            self._condicion = (condicion or "").upper()
        if apto is not unset:
            self._apto = apto
        if text is not unset:
            self._text = " ".join((text or "").split()).casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status_filter(self, statuses: Iterable[LookupStatus] | None) -> None:
        self.set_filters(statuses=statuses)

    def set_estado_filter(self, estado: str) -> None:
        self.set_filters(estado=estado)

    def set_condicion_filter(self, condicion: str) -> None:
        self.set_filters(condicion=condicion)

    def set_apto_filter(self, apto: bool | None) -> None:
        self.set_filters(apto=apto)

    def set_search_text(self, text: str) -> None:
        self.set_filters(text=text)

    def clear_filters(self) -> None:
        self.set_filters(statuses=None, estado="", condicion="", apto=None, text="")

    def is_filtered(self) -> bool:
        return bool(
            self._statuses is not None
            or self._estado
            or self._condicion
            or self._apto is not None
            or self._text
        )

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if (
            self._statuses is None
            and not (self._estado or self._condicion or self._text)
            and self._apto is None
        ):
            return True
        row = self._source().row_at(source_row)
        if self._statuses is not None and row.status not in self._statuses:
            return False
        if self._estado or self._condicion or self._apto is not None:
            tp = row.taxpayer
            if tp is None:
                return False
            if self._estado and tp.estado != self._estado:
                return False
            if self._condicion and tp.condicion != self._condicion:
                return False
            if self._apto is not None and tp.apto_para_facturar != self._apto:
                return False
        return not self._text or self._text in row.haystack()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


def fmt_int(value: int) -> str:
    """Spanish thousands separator, used everywhere in the bulk pages: 12345 -> '12.345'."""
    return f"{int(value):,}".replace(",", ".")
