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

__all__ = ["ImportPlan", "PlanRow", "PlanTotals", "reason_category"]

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
    def from_check(cls, index: int, source_row: int, values: tuple, raw: Any, check: IdCheck) -> PlanRow:
        return cls(index, source_row, values, raw, check.kind, check.number, check.reason, check.blank)

    @property
    def local_status(self) -> LookupStatus | None:
        """INVALID / DUPLICATE decided without the API, or None: this row needs a lookup."""
        if self.number is None:
            return LookupStatus.INVALID
        if self.duplicate_of is not None:
            return LookupStatus.DUPLICATE
        return None


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
    """Point every repeat of a (kind, number) at its first occurrence."""
    first: dict[tuple[IdKind | None, str], int] = {}
    for row in rows:
        if row.number is None:
            continue
        key = (row.kind, row.number)
        seen = first.get(key)
        if seen is None:
            first[key] = row.index
        else:
            row.duplicate_of = seen
