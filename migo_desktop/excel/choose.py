"""Choosing what to read: the sheet (the one whose content holds RUCs, unless the caller says), its header
row and the identifier column, honouring the caller's overrides (sheet, header row, column as an index, a
letter or a header text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import InputError
from . import detect
from .sources import RowSource

__all__ = ["choose_layout", "display", "header_arg", "header_names", "sample_rows"]

SAMPLE_ROWS = detect.HEADER_SCAN_ROWS + detect.CONTENT_SAMPLE_ROWS


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def sample_rows(source: RowSource, sheet: str | None) -> list[list[Any]]:
    out = []
    for _, cells in source.rows(sheet):
        out.append(cells)
        if len(out) >= SAMPLE_ROWS:
            break
    return out


def header_names(row: list[Any] | None, width: int) -> list[str]:
    row = row or []
    names = []
    for i in range(width):
        value = row[i] if i < len(row) else None
        text = display(value).strip()
        names.append(text or f"Columna {detect.column_letter(i)}")
    return names


def header_arg(header_row: int | None) -> int | None | bool:
    if header_row is None:
        return None
    if header_row == 0:
        return False
    if header_row < 0:
        raise InputError("La fila de encabezados debe ser 1 o mayor (0 = sin encabezados).")
    return header_row - 1


def no_column(name: str) -> InputError:
    return InputError(
        f"No se encontró una columna con RUC en «{name}». Elige la columna que contiene los RUC "
        "(por su letra o su título) y vuelve a intentarlo.",
        detail="no identifier column detected",
    )


def choose_layout(
    source: RowSource, path: Path, sheet: str | None, header_row: int | None, column: int | str | None
) -> tuple[str | None, list[list[Any]], detect.Layout, list[str]]:
    """Pick the sheet (unless given) and its layout."""
    warnings: list[str] = []
    names = source.sheet_names
    if sheet is not None and names and sheet not in names:
        raise InputError(
            f"El libro no tiene una hoja llamada «{sheet}». Hojas disponibles: {', '.join(names)}.",
            detail="unknown sheet",
        )
    if not names:
        candidates: list[str | None] = [None]
    else:
        candidates = [sheet] if sheet is not None else list(names)
    hdr = header_arg(header_row)
    scored: list[tuple[float, int, str | None, list[list[Any]], detect.Layout]] = []
    unresolved = False
    for order, name in enumerate(candidates):
        rows = sample_rows(source, name)
        col, sheet_hdr = None, hdr
        if column is not None:
            col, sheet_hdr = resolve_choice(rows, hdr, column)
            if col is None:
                unresolved = True
                continue
        layout = detect.detect_layout(rows, header_index=sheet_hdr, column=col)
        if layout is None and col is not None:
            fixed = sheet_hdr if isinstance(sheet_hdr, int) and sheet_hdr is not False else None
            if fixed is None and sheet_hdr is None:
                fixed = first_text_row(rows)
            layout = detect.Layout(fixed, 0 if fixed is None else fixed + 1, col, None, 0.0)
        if layout is not None:
            scored.append((layout.score, -order, name, rows, layout))
    if not scored and unresolved:
        raise InputError(
            f"No existe la columna «{column}» en la hoja. Indica una letra (A, B, C…) o el título exacto de "
            "la columna.",
            detail="unknown column",
        )
    if not scored:
        if all(all(v is None or v == "" for r in sample_rows(source, n) for v in r) for n in candidates):
            raise InputError(
                f"«{path.name}» no tiene datos (las hojas están vacías). Elige otro archivo u otra hoja.",
                detail="empty workbook",
            )
        raise no_column(path.name)
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    # Scores within 0.15 are a tie: prefer the sheet with more identifiers, then the first one.
    close = [s for s in scored if s[0] >= scored[0][0] - 0.15]
    close.sort(key=lambda s: (s[4].count, s[1]), reverse=True)
    scored.remove(close[0])
    scored.insert(0, close[0])
    _, _, name, rows, layout = scored[0]
    others = [s[2] for s in scored[1:] if s[0] >= 0.9]
    if others and sheet is None:
        warnings.append(
            f"También hay RUC en las hojas: {', '.join(str(o) for o in others)}. Se usó «{name}»; "
            "puedes elegir otra hoja."
        )
    return name, rows, layout, warnings + layout.warnings


def first_text_row(rows: list[list[Any]]) -> int | None:
    """The first non-blank row, if it holds only text and more rows follow (a header, most likely)."""
    for i, row in enumerate(rows):
        cells = [v for v in row if v is not None and v != ""]
        if cells:
            return i if all(isinstance(v, str) for v in cells) and i + 1 < len(rows) else None
    return None


def resolve_choice(
    rows: list[list[Any]], hdr: int | None | bool, column: int | str
) -> tuple[int | None, Any]:
    """(0-based column, header argument) for a caller's column choice on one sheet sample."""
    width = max((len(r) for r in rows), default=0)
    if hdr is None and isinstance(column, str):
        auto = detect.detect_layout(rows)
        if auto is not None and auto.header_index is not None:
            col = detect.resolve_column(column, header_names(rows[auto.header_index], width), width)
            if col is not None:
                return col, auto.header_index
        wanted = detect.normalize_header(column)
        for i, row in enumerate(rows[: detect.HEADER_SCAN_ROWS]):
            for j, cell in enumerate(row):
                if (
                    isinstance(cell, str)
                    and wanted
                    and detect.normalize_header(cell) == wanted
                    and (len(column.strip()) > 3 or not column.strip().isalpha())
                ):
                    return j, i
        return detect.resolve_column(column, [], width), None
    head = rows[hdr] if isinstance(hdr, int) and hdr is not False and hdr < len(rows) else None
    return detect.resolve_column(column, header_names(head, width) if head else [], width), hdr
