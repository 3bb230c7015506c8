"""What the bulk results table shows, without Qt: one ``ResultRow`` per input row and the display formatting
shared by the bulk pages (``cell_text``, ``fmt_timestamp``, ``duplicate_reason``).

Split out of ``results_model`` so the row type and formatting can be read (and reused) apart from the
QAbstractTableModel; ``results_model`` re-exports every public name here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...core.models import IdKind, LookupStatus, Person, Taxpayer

__all__ = [
    "ResultRow",
    "cell_text",
    "duplicate_reason",
    "fmt_timestamp",
    "relabel_duplicate",
    "row_from_any",
]

_REPEATS = re.compile(r"^Repite la fila \S+")


def duplicate_reason(first_row: Any, first_status: LookupStatus | None = None) -> str:
    """'Repite la fila 7 (OK)': the same words the store gives a reopened job (``Store.job_results``), so a
    duplicate reads alike on a fresh run, a reopened one and in the export."""
    text = f"Repite la fila {first_row}"
    return f"{text} ({LookupStatus(first_status).label})" if first_status else text


def relabel_duplicate(reason: str, first_status: LookupStatus) -> str:
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
    source_row: int | None = None  # «Fila»: the row in the source file (the number used everywhere)
    _haystack: str | None = None
    _cells: tuple[str, ...] | None = None  # display strings, built on first paint

    @property
    def fila(self) -> int:
        """«Fila»: the row in the source file, the one number shown everywhere (table position without it)."""
        return self.source_row if self.source_row is not None else self.idx + 1

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

    def raw_matches_number(self) -> bool:
        """The cell as typed is just the normalised number (nothing worth a «Valor original» column)."""
        return cell_text(self.raw).strip() == self.number

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
        source_row=_first(obj, "source_row"),
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


def fmt_timestamp(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M:%S") if value else ""
