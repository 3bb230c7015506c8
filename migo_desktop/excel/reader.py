"""Import entry points: ``list_sheets``, ``preview`` (for the import dialog) and ``build_plan``.

All three are blocking; the GUI and the CLI call them through ``asyncio.to_thread``. Every failure becomes an
``InputError`` with a Spanish message that says what to do; details go to the log, never a traceback.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..core.errors import InputError, MigoError
from ..core.gc_pause import paused_gc
from ..core.ids import parse_identifier, ruc_fast
from ..core.models import IdKind
from ..core.numbers import fmt_int, plural
from . import detect, triage
from .choose import choose_layout, display, header_names, sample_rows
from .guards import FileKind, Limits, check_file
from .plan import ImportPlan, PlanRow, Skip, SkippedRow, fold_duplicates
from .sources import RowSource, TextSource, open_source, rows_with_ruc, start_early

__all__ = ["ImportCancelled", "SheetPreview", "build_plan", "list_sheets", "preview"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
T = TypeVar("T")
_PROGRESS_EVERY = 5_000


class ImportCancelled(InputError):
    default_message = "Se canceló la lectura del archivo."


@dataclass(slots=True)
class SheetPreview:
    sheets: list[str]
    sheet: str | None
    rows: list[list[str]]  # first rows of the sheet as display strings (row 1 first)
    header_row: int | None  # 1-based
    id_column: int | None  # 0-based; None when nothing looks like identifiers
    headers: list[str]
    warnings: list[str] = field(default_factory=list)


def _friendly(func: Callable[..., T]) -> Callable[..., T]:
    """Whatever goes wrong inside a parser reaches the user as an InputError, never a traceback."""

    @functools.wraps(func)
    def wrapper(path: str | Path, *args: Any, **kwargs: Any) -> T:
        try:
            return func(path, *args, **kwargs)
        except MigoError:
            raise
        except MemoryError as exc:
            log.exception("out of memory reading %s", Path(path).name)
            raise InputError(
                f"«{Path(path).name}» es demasiado grande para la memoria disponible. "
                "Divide los datos en archivos más pequeños.",
                detail="MemoryError",
            ) from exc
        except Exception as exc:
            log.exception("unexpected error reading %s", Path(path).name)
            raise InputError(
                f"No se pudo leer «{Path(path).name}»: el archivo tiene algo inesperado. Ábrelo en Excel, "
                "guárdalo como .xlsx y vuelve a intentarlo.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc

    return wrapper


def _open_checked(
    path: Path, limits: Limits, between: Callable[[], None] | None = None
) -> tuple[FileKind, RowSource]:
    """``check_file`` then ``open_source``; a big workbook's reader child starts before the checks (and is
    discarded if they refuse the file) so its start-up and parse overlap them. ``between`` runs after the
    checks, before the source is opened."""
    early = start_early(path, limits)
    try:
        kind = check_file(path, limits)
        if between is not None:
            between()
        return kind, open_source(path, kind, limits, started=early)
    except BaseException:
        if early is not None:
            early.discard()
        raise


@_friendly
def list_sheets(path: str | Path) -> list[str]:
    """Worksheet names (empty for csv/txt)."""
    path = Path(path)
    kind = check_file(path, Limits())
    if kind is FileKind.TEXT:
        return []
    source = open_source(path, kind, Limits())
    try:
        return list(source.sheet_names)
    finally:
        source.close()


@_friendly
def preview(path: str | Path, *, sheet: str | None = None, rows: int = 50) -> SheetPreview:
    """Sheet names, the chosen sheet, its first rows and what detection found, for the import dialog."""
    path = Path(path)
    _, source = _open_checked(path, Limits())
    try:
        warnings = list(getattr(source, "warnings", []))
        try:
            name, sample, layout, more = choose_layout(source, path, sheet, None, None)
            warnings += more
        except InputError as exc:  # nothing detected: still show the rows so the user can choose
            name = sheet if sheet is not None else (source.sheet_names[0] if source.sheet_names else None)
            sample, layout = sample_rows(source, name), None
            warnings.append(exc.user_message)
        width = max((len(r) for r in sample[:rows]), default=0)
        head = sample[layout.header_index] if layout and layout.header_index is not None else None
        return SheetPreview(
            sheets=list(source.sheet_names),
            sheet=name,
            rows=[[display(v) for v in r] + [""] * (width - len(r)) for r in sample[:rows]],
            header_row=layout.header_index + 1 if layout and layout.header_index is not None else None,
            id_column=layout.id_column if layout else None,
            headers=header_names(head, width),
            warnings=warnings,
        )
    finally:
        source.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _merged_ids(merged: list[tuple[tuple[int, int], tuple[int, int]]], col: int) -> dict[int, int]:
    """1-based row -> 1-based anchor row, for vertical merges that cover the identifier column."""
    out: dict[int, int] = {}
    for (r0, c0), (r1, c1) in merged:
        if c0 <= col <= c1 and r1 > r0:
            for r in range(r0 + 2, r1 + 2):
                out[r] = r0 + 1
    return out


@_friendly
def build_plan(
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    column: int | str | None = None,
    max_rows: int = 1_048_576,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    limits: Limits | None = None,
) -> ImportPlan:
    """Read the file and decide, for every data row, its identifier or why it is rejected.

    ``header_row``: None = detect, 0 = no header row, n = row n (1-based). ``column``: 0-based int, a letter
    ("C") or a header text. Raises ``InputError`` (Spanish message) or ``ImportCancelled``.
    """
    with paused_gc():  # 1M+ long-lived cells, no cycles: see core.gc_pause
        return _build_plan(Path(path), sheet, header_row, column, max_rows, progress, cancel, limits)


def _build_plan(
    path: Path,
    sheet: str | None,
    header_row: int | None,
    column: int | str | None,
    max_rows: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    limits: Limits | None,
) -> ImportPlan:
    limits = limits or Limits(max_rows=max_rows)

    def checkpoint() -> None:  # the slow native steps cannot be interrupted; stop between them
        if cancel is not None and cancel.is_set():
            raise ImportCancelled()

    if progress is not None:
        progress(0, None)  # indeterminate until the sheet is parsed
    hashes: list[str] = []

    def between() -> None:  # while the reader child of a big workbook starts and parses
        checkpoint()
        hashes.append(_sha256(path))

    kind, source = _open_checked(path, limits, between)
    source_hash = hashes[0]
    try:
        checkpoint()
        warnings = list(getattr(source, "warnings", []))
        name, sample, layout, more = choose_layout(source, path, sheet, header_row, column)
        checkpoint()
        warnings += more
        col, expect = layout.id_column, layout.expect
        if expect is None and layout.header_index is not None and column is not None:
            expect = detect.header_strength(sample[layout.header_index][col])[1]
        width = max((len(r) for r in sample), default=0)
        merged = _merged_ids(source.merged(name), col)
        anchors: dict[int, Any] = {}
        total = source.height(name)
        rows: list[PlanRow] = []
        skipped: list[SkippedRow] = []
        empty: list[int] = []  # sheet rows kept with an empty identifier cell (maybe an uncached formula)
        skipped_titles = 0
        header_index, data_start, max_data_rows = layout.header_index, layout.data_start, limits.max_rows
        ruc, new_row, add = IdKind.RUC, PlanRow, rows.append  # locals: this loop runs once per row
        for seq, (sheet_row, cells, number) in enumerate(rows_with_ruc(source, name, col)):
            if seq % 1000 == 0:
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled()
                if progress is not None and seq % _PROGRESS_EVERY == 0:
                    progress(seq, total)
            if seq < data_start:
                if seq == header_index:
                    skipped.append(SkippedRow(sheet_row, Skip.HEADER))
                elif any(v is not None and v != "" for v in cells):
                    skipped_titles += 1
                    skipped.append(SkippedRow(sheet_row, Skip.TITLE))
                else:
                    skipped.append(SkippedRow(sheet_row, Skip.BLANK))
                continue
            raw = cells[col] if col < len(cells) else None
            if raw == "":
                raw = None
            if sheet_row in merged and raw is None:
                raw = anchors.get(merged[sheet_row])
                number = ruc_fast(raw)
            elif merged:
                anchors[sheet_row] = raw
            if raw is None and all(v is None or v == "" for v in cells):
                skipped.append(SkippedRow(sheet_row, Skip.BLANK))
                continue
            if len(rows) >= max_data_rows:
                raise InputError(
                    f"«{path.name}» tiene más de {limits.max_rows:,} filas de datos, el máximo permitido. "
                    "Divide los datos en varios archivos.",
                    detail=f"more than {limits.max_rows} rows",
                )
            if len(cells) > width:
                width = len(cells)
            if number is not None:  # ruc_fast(raw): the common cell, without an IdCheck
                add(new_row(len(rows), sheet_row, tuple(cells), raw, ruc, number, None))
                continue
            check = parse_identifier(raw, expect=expect)
            if check.number is None and (raw is None or isinstance(raw, str)) and triage.is_total_row(cells):
                skipped.append(SkippedRow(sheet_row, Skip.TOTAL))
                continue
            if raw is None:
                empty.append(sheet_row)
            rows.append(
                PlanRow(
                    len(rows),
                    sheet_row,
                    tuple(cells),
                    raw,
                    check.kind,
                    check.number,
                    check.reason,
                    check.blank,
                )  # fmt: skip
            )
        if progress is not None:
            progress(len(rows), len(rows))
    finally:
        source.close()
    if kind is FileKind.XLSX:
        rows = triage.mark_uncached_formulas(path, name, col, rows, skipped, empty)
    fold_duplicates(rows)
    for row in rows:
        if len(row.values) < width:
            row.values = row.values + (None,) * (width - len(row.values))
    header_cells = sample[layout.header_index] if layout.header_index is not None else None
    if skipped_titles:
        warnings.append(
            "Se omitió 1 fila de título antes de los datos."
            if skipped_titles == 1
            else f"Se omitieron {fmt_int(skipped_titles)} filas de título antes de los datos."
        )
    if merged:
        warnings.append("La columna de RUC tiene celdas combinadas; se usó el valor de la primera celda.")
    scientific = sum(1 for r in rows if r.reason and r.reason.startswith("Número en notación"))
    if scientific:
        warnings.append(
            f"{plural(scientific, 'fila tiene', 'filas tienen')} el número en notación científica incompleta "
            "(p. ej. 2.01313E+10): "
            "Excel perdió dígitos y no se pueden consultar. Corrige la columna como texto en el archivo "
            "original."
        )
    if not rows:
        warnings.append("La hoja no tiene filas de datos debajo de los encabezados.")
    plan = ImportPlan(
        source=path.absolute(),  # the store keeps it to refuse overwriting the source later
        source_hash=source_hash,
        sheet=name,
        sheets=list(source.sheet_names),
        header_row=layout.header_index + 1 if layout.header_index is not None else None,
        headers=header_names(header_cells, width),
        id_column=col,
        rows=rows,
        warnings=warnings,
        encoding=source.encoding if isinstance(source, TextSource) else None,
        delimiter=source.delimiter if isinstance(source, TextSource) else None,
        skipped=skipped,
    )
    t = plan.totals
    log.info(
        "import %s sheet=%r header=%s col=%d rows=%d ruc=%d dni=%d invalid=%d dup=%d",
        path.name, name, plan.header_row, col, t.rows, t.valid_unique_ruc, t.valid_unique_dni, t.invalid,
        t.duplicates,
    )  # fmt: skip
    return plan


def expect_kind(plan: ImportPlan) -> IdKind | None:
    """The identifier kind the plan's column header names (DNI) or None."""
    return detect.header_strength(plan.id_header)[1]
