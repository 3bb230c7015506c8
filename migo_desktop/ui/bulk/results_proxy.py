"""The filter proxy over the bulk results table: Resultado, Estado, Condición, apto/no apto and free text.

Sorting is delegated to the source model (it sorts on typed keys, see ``results_model``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ...core.models import LookupStatus

if TYPE_CHECKING:
    from .results_model import ResultsModel

__all__ = ["ResultsFilterProxy"]


class ResultsFilterProxy(QSortFilterProxyModel):
    """Filters: Resultado, Estado, Condición, apto/no apto, free text. Sorting is delegated to the source."""

    def __init__(self, parent: QObject | None = None) -> None:
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
