"""The import plan: every data row of the chosen sheet, its identifier verdict, and the totals.

Built by ``reader.build_plan``; consumed by the store (job rows), the GUI (import report) and the writer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.ids import IdCheck
from ..core.models import IdKind, LookupStatus

__all__ = [
    "ImportPlan",
    "ImportReport",
    "PlanRow",
    "PlanTotals",
    "ReportLine",
    "Skip",
    "SkippedRow",
    "reason_category",
]

_PARENS = re.compile(r"\s*\([^()]*\)")


def reason_category(reason: str) -> str:
    """A rejection reason without its per-cell details, for grouping: '(2.01E+10)' and the like go."""
    return _PARENS.sub("", reason).strip()


@dataclass(slots=True)
class PlanRow:
    index: int  # 0-based data row
    source_row: int  # 1-based row in the sheet (or line in a text file)
    values: tuple[Any, ...]  # original cells, all columns (blank = None or "")
    raw: Any  # the identifier cell as read
    kind: IdKind | None
    number: str | None
    reason: str | None
    blank: bool = False
    duplicate_of: int | None = None  # index of the first row with the same (kind, number)

    @classmethod
    def from_check(
        cls, index: int, source_row: int, values: tuple[Any, ...], raw: Any, check: IdCheck
    ) -> PlanRow:
        return cls(index, source_row, values, raw, check.kind, check.number, check.reason, check.blank)

    @property
    def local_status(self) -> LookupStatus | None:
        """INVALID / DUPLICATE decided without the API, or None: this row needs a lookup."""
        if self.number is None:
            return LookupStatus.INVALID
        if self.duplicate_of is not None:
            return LookupStatus.DUPLICATE
        return None


class Skip:
    """Why a row of the sheet is not a data row (the import report says so, with its row number)."""

    HEADER = "Fila de encabezados"
    TITLE = "Fila de título (encima de los encabezados)"
    BLANK = "Fila en blanco"
    TOTAL = "Fila de totales"
    FORMULA = (
        "La celda del RUC es una fórmula sin valor calculado: abre el archivo en Excel, guárdalo y vuelve a "
        "importarlo"
    )


@dataclass(frozen=True, slots=True)
class SkippedRow:
    source_row: int
    reason: str  # a Skip constant


@dataclass(frozen=True, slots=True)
class ReportLine:
    category: str  # "consultar" | "duplicada" | "invalida" | "omitida"
    source_row: int
    reason: str  # '' for rows that are looked up


def row_list(rows: list[int], limit: int = 8) -> str:
    """'fila 3' / 'filas 3, 9, 12 … (+5)'."""
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" … (+{len(rows) - limit})" if len(rows) > limit else ""
    return ("fila " if len(rows) == 1 else "filas ") + shown + more


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Every row of the sheet, exactly once, in one of four categories (no silent drops)."""

    lines: list[ReportLine]

    CATEGORIES = ("consultar", "duplicada", "invalida", "omitida")
    LABELS = {
        "consultar": "Se consultarán",
        "duplicada": "Duplicadas (se copia la respuesta de la primera)",
        "invalida": "Inválidas",
        "omitida": "Omitidas",
    }

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(self.CATEGORIES, 0)
        for line in self.lines:
            out[line.category] += 1
        return out

    def by_reason(self, category: str) -> dict[str, list[int]]:
        """reason category -> row numbers, most frequent first."""
        groups: dict[str, list[int]] = {}
        for line in self.lines:
            if line.category == category:
                groups.setdefault(reason_category(line.reason), []).append(line.source_row)
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))

    def text_lines(self, reasons: int = 6) -> list[str]:
        """In Spanish: the count of every category, then why rows were skipped or are invalid, with rows."""
        counts = self.counts()
        out = ["Informe de importación: " + " · ".join(f"{self.LABELS[c]}: {counts[c]:,}".replace(",", ".")
                                                    for c in self.CATEGORIES)]  # fmt: skip
        for category, title in (("omitida", "Omitida"), ("invalida", "Inválida")):
            for reason, rows in list(self.by_reason(category).items())[:reasons]:
                out.append(f"  {title} × {len(rows)}: {reason} ({row_list(rows)})")
        return out

    def to_dict(self) -> dict[str, Any]:
        """For --json: counts and, per category, {reason: [rows]} (rows to look up: just the rows)."""
        out: dict[str, Any] = {"conteos": self.counts()}
        for category in self.CATEGORIES:
            groups = self.by_reason(category)
            out[category] = groups.get("", []) if category == "consultar" else groups
        return out


@dataclass(frozen=True, slots=True)
class PlanTotals:
    rows: int
    valid_unique_ruc: int
    valid_unique_dni: int
    invalid: int  # includes blank identifiers
    invalid_by_reason: dict[str, int]  # keyed by reason_category()
    duplicates: int
    blank: int


@dataclass(slots=True)
class ImportPlan:
    source: Path
    source_hash: str  # sha256 of the file bytes
    sheet: str | None  # None for csv/txt
    sheets: list[str]
    header_row: int | None  # 1-based; None when the data has no header row
    headers: list[str]
    id_column: int  # 0-based
    rows: list[PlanRow]
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # csv/txt only
    delimiter: str | None = None  # csv/txt only
    skipped: list[SkippedRow] = field(default_factory=list)  # rows that are not data, with why

    def report(self) -> ImportReport:
        """Every row of the sheet up to the last one read, in exactly one category, in row order."""
        lines = [ReportLine("omitida", s.source_row, s.reason) for s in self.skipped]
        by_index = {r.index: r for r in self.rows}
        for row in self.rows:
            if row.number is None:
                lines.append(ReportLine("invalida", row.source_row, row.reason or ""))
            elif row.duplicate_of is not None:
                first = by_index.get(row.duplicate_of)
                lines.append(ReportLine("duplicada", row.source_row,
                                        f"Repite la fila {first.source_row if first else '?'}"))  # fmt: skip
            else:
                lines.append(ReportLine("consultar", row.source_row, ""))
        lines.sort(key=lambda line: line.source_row)
        return ImportReport(lines)

    @property
    def totals(self) -> PlanTotals:
        ruc = dni = invalid = dups = blank = 0
        reasons: Counter[str] = Counter()
        for row in self.rows:
            if row.number is None:
                invalid += 1
                blank += row.blank
                reasons[reason_category(row.reason or "")] += 1
            elif row.duplicate_of is not None:
                dups += 1
            elif row.kind is IdKind.RUC:
                ruc += 1
            else:
                dni += 1
        return PlanTotals(len(self.rows), ruc, dni, invalid, dict(reasons), dups, blank)

    def unique_lookups(self) -> list[tuple[IdKind, str]]:
        """(kind, number) of every row that needs the API, in first-occurrence order."""
        return [
            (row.kind, row.number)
            for row in self.rows
            if row.number is not None and row.duplicate_of is None and row.kind is not None
        ]

    @property
    def id_header(self) -> str:
        return self.headers[self.id_column] if self.id_column < len(self.headers) else ""


def fold_duplicates(rows: list[PlanRow]) -> None:
    """Point every repeat of a (kind, number) at its first occurrence.

    A RUC is keyed by its number alone: hashing a tuple holding an IdKind runs Enum.__hash__ in Python,
    which made this pass ~60 ms of a 100k-row read; other kinds keep the (kind, number) key.
    """
    first: dict[object, int] = {}
    remember, ruc = first.setdefault, IdKind.RUC
    for row in rows:
        number = row.number
        if number is None:
            continue
        index = row.index
        seen = remember(number if row.kind is ruc else (row.kind, number), index)
        if seen != index:
            row.duplicate_of = seen
