"""What both export kinds write for one row: the result columns, their styles, and why a row needs attention.

``ExportRow`` is one job row (its original cells, its row number in the source file, its answer);
``enrichment`` turns it into the result columns' values, ``enrichment_cells`` into (value, style) pairs,
``attention_reason`` into the single reason shown in «Requieren atención» (None when the row is fine).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core.models import LookupStatus, Person, Taxpayer
from .styles import STATUS_STYLE, Style

__all__ = [
    "ATTENTION_REASON",
    "ATTENTION_SHEET",
    "ENRICHMENT_HEADERS",
    "ENRICHMENT_WIDTHS",
    "FILA",
    "OWN_HEADERS",
    "ExportRow",
    "ExportSummary",
    "attention_reason",
    "column_widths",
    "enrichment",
    "enrichment_cells",
    "enrichment_styles",
]

FILA = "Fila"  # the row number in the source file: the same number everywhere (table, reasons, CLI)
ATTENTION_SHEET = "Requieren atención"
ATTENTION_REASON = "Por qué requiere atención"
ENRICHMENT_HEADERS = (
    "RUC normalizado",
    "Resultado",
    "Motivo",
    "Razón social",
    "Estado",
    "Condición",
    "Apto para facturar",
    "Dirección",
    "Distrito",
    "Provincia",
    "Departamento",
    "Ubigeo",
    "Actualizado en (SUNAT)",
    "Consultado en",
    "Fuente",  # «Padrón 28/11/2026» or «Migo, en vivo»
)
# In the user's own sheet the new columns must not be mistaken for theirs (they may have a «Razón social»).
OWN_HEADERS = tuple(f"{h} (Migo)" for h in ENRICHMENT_HEADERS)
ENRICHMENT_WIDTHS = (
    14,
    16,
    34,
    40,
    14,
    14,
    12,
    44,
    16,
    16,
    16,
    10,
    18,
    18,
    20,
)  # column widths, in characters
TEXT_ENRICHMENT = frozenset({0, 11})  # RUC normalizado, Ubigeo: digits kept as text
RESULT, APTO = 1, 6  # indexes of «Resultado» and «Apto para facturar» in the enrichment columns
_WIDTHS = {"RUC normalizado": 14, "Motivo": 34, "Razón social": 40, "Apto para facturar": 12, "Dirección": 44,
           "Ubigeo": 10, "Actualizado en (SUNAT)": 18, "Consultado en": 18}  # fmt: skip


def column_widths() -> list[float]:
    """Widths of the result columns in the user's own sheet (16 for any not listed)."""
    return [float(_WIDTHS.get(h, 16)) for h in ENRICHMENT_HEADERS]


@dataclass(frozen=True, slots=True)
class ExportRow:
    values: Sequence[Any]  # the original cells
    number: str | None  # normalised RUC/DNI ('' or None when invalid)
    status: LookupStatus
    reason: str = ""
    data: Taxpayer | Person | None = None
    consulted_at: datetime | None = None
    source_row: int | None = None  # 1-based row in the source sheet (line in a text file)
    source: str = ""  # «Padrón 28/11/2026» / «Migo, en vivo»; '' when the row has no answer


@dataclass(frozen=True, slots=True)
class ExportSummary:
    source_name: str
    created_at: datetime
    api_calls: int
    cache_hits: int
    demo: bool = False
    job_id: int | None = None


def enrichment(row: ExportRow) -> list[Any]:
    """The values of the result columns (ENRICHMENT_HEADERS order); blanks are None."""
    d = row.data
    out: list[Any] = [row.number or None, row.status.label, row.reason or None]
    if isinstance(d, Taxpayer):
        out += [
            d.razon_social,
            d.estado,
            d.condicion,
            "Sí" if d.apto_para_facturar else "No",
            d.direccion or d.direccion_simple,
            d.distrito,
            d.provincia,
            d.departamento,
            d.ubigeo,
            d.actualizado_en,
        ]
    elif isinstance(d, Person):
        out += [d.nombre] + [None] * 9
    else:
        out += [None] * 10
    out += [row.consulted_at, row.source]
    return [None if v == "" else v for v in out]


def enrichment_styles(text: Collection[int] = ()) -> list[int]:
    """The result columns' base styles: text for identifiers (and the columns in ``text``), else default."""
    return [
        Style.TEXT if j in TEXT_ENRICHMENT or j in text else Style.DEFAULT
        for j in range(len(ENRICHMENT_HEADERS))
    ]


_STYLES = enrichment_styles()


def enrichment_cells(row: ExportRow, values: list[Any], styles: list[int] = _STYLES) -> list[tuple[Any, int]]:
    """(value, style) pairs: status colours on «Resultado», green/red on «Apto», text for identifiers."""
    styles = styles.copy()
    styles[RESULT] = STATUS_STYLE[row.status]
    apto = values[APTO]
    if apto is not None:
        styles[APTO] = Style.OK if apto == "Sí" else Style.BAD
    return list(zip(values, styles, strict=True))


def attention_reason(row: ExportRow, values: list[Any] | None = None) -> str | None:
    """The one reason this row needs a look, or None (answered and apto para facturar)."""
    status = row.status
    if status is LookupStatus.INVALID:
        return f"No es un RUC/DNI válido: {row.reason}" if row.reason else "No es un RUC/DNI válido"
    if status is LookupStatus.NOT_FOUND:
        return "No figura en SUNAT"
    if status is LookupStatus.ERROR:
        return f"No se pudo consultar: {row.reason}" if row.reason else "No se pudo consultar"
    if status is LookupStatus.PENDING:
        return "Sin consultar: la consulta masiva no terminó (reanúdala)"
    apto = values[APTO] if values is not None else None
    d = row.data
    if isinstance(d, Taxpayer) and (apto == "No" or (values is None and not d.apto_para_facturar)):
        detail = " / ".join(x for x in (d.estado, d.condicion) if x)
        return f"No apto para facturar ({detail})" if detail else "No apto para facturar"
    return None
