"""Rows that are not data: total rows (a «TOTAL» label beside numbers, no identifier) and identifier cells
that are formulas without a cached value. Both are reported as skipped, with their row number, never
turned into «Celda vacía» or dropped without a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .detect import normalize_header
from .formulas import uncached_formula_rows
from .plan import PlanRow, Skip, SkippedRow

__all__ = ["is_total_row", "mark_uncached_formulas"]

# "TOTAL", "Totales", "Sub total", "TOTAL GENERAL", "Total S/." — a short label, not a company name.
_TOTAL = re.compile(r"^(?:sub ?)?total(?:es)?(?: [a-z0-9]+){0,2}$")
_AMOUNT = re.compile(r"^\s*-?[\d.,]*\d\s*$")


def is_total_row(cells: Sequence[Any]) -> bool:
    """A short «total» label and at least one number (a sum) in a row without a valid identifier."""
    label = number = False
    for v in cells:
        if isinstance(v, str):
            if not label and len(v) <= 30 and _TOTAL.match(normalize_header(v)):
                label = True
            elif _AMOUNT.match(v):  # text files hold amounts as text
                number = True
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            number = True
    return label and number


def mark_uncached_formulas(
    path: Path,
    sheet: str | None,
    column: int,
    rows: list[PlanRow],
    skipped: list[SkippedRow],
    empty: list[int],
) -> list[PlanRow]:
    """Rows whose identifier cell read as empty because it is a formula with no cached value: skipped, with
    that reason. Scans the sheet only when such candidate rows exist. Returns the rows, re-indexed.
    ``empty``: the sheet rows among ``rows`` whose identifier cell is empty, as the import loop noted them
    (a second pass over 100k rows cost ~20 ms)."""
    blank_rows = set(empty)
    blank_rows |= {s.source_row for s in skipped if s.reason == Skip.BLANK}
    if not blank_rows:
        return rows
    formulas = uncached_formula_rows(path, sheet, column) & blank_rows
    if not formulas:
        return rows
    for i, s in enumerate(skipped):
        if s.source_row in formulas:
            skipped[i] = SkippedRow(s.source_row, Skip.FORMULA)
    kept: list[PlanRow] = []
    for r in rows:
        if r.raw is None and r.source_row in formulas:
            skipped.append(SkippedRow(r.source_row, Skip.FORMULA))
            continue
        r.index = len(kept)
        kept.append(r)
    skipped.sort(key=lambda s: s.source_row)
    return kept
