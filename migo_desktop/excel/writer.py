"""The results workbook («Tabla de resultados»): a styled .xlsx (Resultados, Resumen, Requieren atención) or
a .csv.

Every exported row, in its original order, with «Fila» (its row number in the source file), all its original
columns, then the result columns. Values are sanitised (``cells``); files are written to a temporary file in
the target folder and renamed, so a failure never leaves half a file, and the source file is never
overwritten. The user's own workbook with result columns added is ``own_workbook``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import logging
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from . import detect
from .cells import csv_id, csv_text, display_text, id_text
from .output import ExportCancelled, ExportError, Progress, Ticker, atomic_file, check_target
from .results import (
    ATTENTION_REASON,
    ATTENTION_SHEET,
    ENRICHMENT_HEADERS,
    FILA,
    TEXT_ENRICHMENT,
    ExportRow,
    ExportSummary,
    attention_reason,
    enrichment_cells,
    enrichment_styles,
)
from .results import enrichment as _enrichment
from .styles import Style
from .summary_sheet import Tally, summary_rows
from .xlsx_stream import SheetPart, XlsxBook

__all__ = [
    "ENRICHMENT_HEADERS",
    "MAX_SHEET_ROWS",
    "ExportCancelled",
    "ExportError",
    "ExportRow",
    "ExportSummary",
    "export_csv",
    "export_xlsx",
    "needs_attention",
]

log = logging.getLogger(__name__)

MAX_SHEET_ROWS = 1_048_576  # Excel's limit, header included
_TEXT_ENRICHMENT = TEXT_ENRICHMENT


def needs_attention(row: ExportRow, enrich: list[Any] | None = None) -> bool:
    """Rows for «Requieren atención»: not answered OK, or a taxpayer that is not apto para facturar."""
    return attention_reason(row, enrich) is not None


def _id_columns(headers: Sequence[str], id_column: int | None) -> set[int]:
    cols = {i for i, h in enumerate(headers) if detect.header_strength(h)[0]}
    if id_column is not None:
        cols.add(id_column)
    return cols


# ---------------------------------------------------------------------------------------------- xlsx
def _widths(headers: Sequence[str], sample: list[list[Any]]) -> list[float]:
    widths = [len(h) for h in headers]
    for row in sample:
        for i, v in enumerate(row[: len(widths)]):
            n = 19 if isinstance(v, datetime) else len(display_text(v))
            widths[i] = max(widths[i], n)
    return [min(max(w + 2, 8), 60) for w in widths]


def export_xlsx(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[ExportRow],
    summary: ExportSummary,
    *,
    source_path: str | Path | None = None,
    id_column: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total: int | None = None,
    max_sheet_rows: int = MAX_SHEET_ROWS,
) -> Path:
    """Write the styled workbook atomically; returns the path. Raises ExportError / ExportCancelled.

    Sheets: «Resultados» («Fila» = the row in the source file, the original columns, the enrichment
    columns), «Resumen», «Requieren atención» (one reason per row).
    """
    target = check_target(Path(path), source_path)
    headers = list(headers)
    all_headers = [FILA, *headers, *ENRICHMENT_HEADERS]
    n_orig = len(headers)
    text_cols = {c + 1 for c in _id_columns(headers, id_column)} | {1 + n_orig + i for i in _TEXT_ENRICHMENT}
    header_cells = [(h, Style.HEADER) for h in all_headers]
    ticker = Ticker(progress, cancel, total)
    tally = Tally()

    styles = enrichment_styles({j for j in range(len(ENRICHMENT_HEADERS)) if 1 + n_orig + j in text_cols})

    def styled(row: ExportRow, enrich: list[Any]) -> list[tuple[Any, int]]:
        out: list[tuple[Any, int]] = [(row.source_row, 0)]
        for i, v in enumerate(row.values):
            if i >= n_orig:
                break
            out.append((id_text(v), Style.TEXT) if i + 1 in text_cols else (v, 0))
        out += [(None, 0)] * (n_orig + 1 - len(out))
        out += enrichment_cells(row, enrich, styles)
        return out

    it = iter(rows)
    sample: list[ExportRow] = []
    for row in it:
        sample.append(row)
        if len(sample) >= 200:
            break
    widths = _widths(all_headers, [[r.source_row, *r.values, *_enrichment(r)] for r in sample])
    attention_widths = [widths[0], 44, *widths[1:]]
    attention_head = [header_cells[0], (ATTENTION_REASON, Style.HEADER), *header_cells[1:]]

    def all_rows() -> Iterator[ExportRow]:
        yield from sample
        yield from it

    result_names: list[str] = []
    attention_parts: list[tuple[IO[bytes], SheetPart]] = []
    with atomic_file(target) as fh, contextlib.ExitStack() as stack:
        book = XlsxBook(fh, title=f"Resultados de {summary.source_name}")
        attention: SheetPart | None = None
        errors = 0
        source = all_rows()
        done = 0
        finished = False

        def new_attention() -> SheetPart:
            body = stack.enter_context(tempfile.TemporaryFile())
            part = SheetPart(body, widths=attention_widths)
            part.append(attention_head)
            attention_parts.append((body, part))
            return part

        try:
            while not finished:
                name = "Resultados" if not result_names else f"Resultados ({len(result_names) + 1})"
                result_names.append(name)

                def build(part: SheetPart) -> None:
                    nonlocal done, finished, errors, attention, source
                    part.append(header_cells)
                    for row in source:
                        enrich = _enrichment(row)
                        cells = styled(row, enrich)
                        part.append(cells)
                        reason = attention_reason(row, enrich)
                        tally.add(row, enrich, reason is not None)
                        done += 1
                        if reason is not None:
                            if attention is None or attention.rows >= max_sheet_rows:
                                attention = new_attention()
                            attention.append([cells[0], (reason, 0), *cells[1:]])
                            errors += 1
                        ticker.tick(done)
                        if part.rows >= max_sheet_rows:
                            following = next(source, None)
                            if following is not None:  # more rows: they go on the next sheet
                                source = itertools.chain([following], source)
                                return
                            break
                    finished = True

                book.write_sheet(name, build, widths=widths, selected=not result_names[:-1])
            if attention is None:
                new_attention()
            book.write_sheet(
                "Resumen",
                lambda part: part.extend(summary_rows(summary, tally)),
                widths=[32, 40],
                freeze_header=False,
                autofilter=False,
                tab_color="FF0000" if summary.demo else None,
            )
            names = [ATTENTION_SHEET] + [
                f"{ATTENTION_SHEET} ({i + 2})" for i in range(len(attention_parts) - 1)
            ]
            for aname, (body, part) in zip(names, attention_parts, strict=True):
                book.copy_sheet(aname, body, part)
            book.close([*result_names, "Resumen", *names])
        except BaseException:
            book.abort()
            raise
    if progress is not None:
        progress(done, done)
    log.info("exported %d rows to %s (%d need attention)", done, target.name, errors)
    return target


# ---------------------------------------------------------------------------------------------- csv
def export_csv(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[ExportRow],
    *,
    delimiter: str = ",",
    source_path: str | Path | None = None,
    id_column: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total: int | None = None,
) -> Path:
    """UTF-8 with BOM (Excel recognises it); ``delimiter=";"`` for Spanish-locale Excel (decimal commas).

    Identifier columns (the RUC column, «RUC normalizado», «Ubigeo») are written as ``="20131312955"``:
    Excel opens that as the text 20131312955 — never 2.01313E+10, never a lost leading zero — and, being a
    string literal, it cannot run anything (docs/contracts.md, «CSV»).
    """
    if delimiter not in (",", ";", "\t", "|"):
        raise ExportError("El separador debe ser coma, punto y coma, tabulador o barra vertical.")
    target = check_target(Path(path), source_path)
    comma = delimiter == ";"
    headers = list(headers)
    n_orig = len(headers)
    id_cols = _id_columns(headers, id_column) | {n_orig + i for i in _TEXT_ENRICHMENT}
    ticker = Ticker(progress, cancel, total)
    done = 0
    with atomic_file(target) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([csv_text(h) for h in [FILA, *headers, *ENRICHMENT_HEADERS]])
        for row in rows:
            values = list(row.values[:n_orig]) + [None] * (n_orig - len(row.values))
            cells = [
                csv_id(v) if i in id_cols else csv_text(v, decimal_comma=comma)
                for i, v in enumerate(values + _enrichment(row))
            ]
            writer.writerow(["" if row.source_row is None else str(row.source_row), *cells])
            done += 1
            ticker.tick(done)
        text.flush()
        text.detach()
    if progress is not None:
        progress(done, done)
    log.info("exported %d rows to %s (csv, delimiter %r)", done, target.name, delimiter)
    return target
