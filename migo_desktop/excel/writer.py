"""Exports people can use at once: a styled .xlsx (Resultados, Resumen, Errores) or a .csv.

Every input row, in its original order with all its original columns, then the enrichment columns. Values
are sanitised (``cells``); files are written to a temporary file in the target folder and renamed, so a
failure never leaves half a file, and the source file is never overwritten.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import logging
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from ..core.models import LookupStatus, Person, Taxpayer
from . import detect
from .cells import csv_text, display_text, id_text
from .output import ExportCancelled, ExportError, Progress, Ticker, atomic_file, check_target
from .styles import STATUS_STYLE, Style
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
]

log = logging.getLogger(__name__)

MAX_SHEET_ROWS = 1_048_576  # Excel's limit, header included
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
_TEXT_ENRICHMENT = {0, 11}  # RUC normalizado, Ubigeo
DEMO_NOTE = "Datos de demostración"


@dataclass(frozen=True, slots=True)
class ExportRow:
    values: Sequence[Any]  # the original cells
    number: str | None  # normalised RUC/DNI ('' or None when invalid)
    status: LookupStatus
    reason: str = ""
    data: Taxpayer | Person | None = None
    consulted_at: datetime | None = None
    source: str = ""  # «Padrón 28/11/2026» / «Migo, en vivo»; '' when the row has no answer


@dataclass(frozen=True, slots=True)
class ExportSummary:
    source_name: str
    created_at: datetime
    api_calls: int
    cache_hits: int
    demo: bool = False
    job_id: int | None = None


def _enrichment(row: ExportRow) -> list[Any]:
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


_ATTENTION = frozenset(
    {LookupStatus.INVALID, LookupStatus.NOT_FOUND, LookupStatus.ERROR, LookupStatus.PENDING}
)
_APTO = 6  # index of "Apto para facturar" in the enrichment columns


def needs_attention(row: ExportRow, enrich: list[Any] | None = None) -> bool:
    """Rows for the Errores sheet: not answered OK, or a taxpayer that is not apto para facturar."""
    if row.status in _ATTENTION:
        return True
    if enrich is not None:
        return enrich[_APTO] == "No"
    return isinstance(row.data, Taxpayer) and not row.data.apto_para_facturar


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


class _Tally:
    def __init__(self) -> None:
        self.status: Counter[LookupStatus] = Counter()
        self.estado: Counter[str] = Counter()
        self.condicion: Counter[str] = Counter()
        self.apto: Counter[str] = Counter()
        self.rows = 0

    def add(self, row: ExportRow, enrich: list[Any]) -> None:
        self.rows += 1
        self.status[row.status] += 1
        if isinstance(row.data, Taxpayer):
            self.estado[row.data.estado or "(sin dato)"] += 1
            self.condicion[row.data.condicion or "(sin dato)"] += 1
            self.apto[enrich[_APTO]] += 1


def _summary_rows(summary: ExportSummary, tally: _Tally, errors: int) -> list[list[tuple[Any, int]]]:
    out: list[list[tuple[Any, int]]] = []
    if summary.demo:
        out.append([(DEMO_NOTE, Style.DEMO)])
        out.append([("Estos datos son simulados (modo demostración); no provienen de SUNAT.", Style.DEMO)])
        out.append([])
    out.append([("Resumen de la consulta", Style.TITLE)])
    out.append([("Archivo de origen", Style.HEADER), (summary.source_name, Style.TEXT)])
    out.append([("Fecha de exportación", Style.HEADER), (summary.created_at, 0)])
    if summary.job_id is not None:
        out.append([("Proceso N°", Style.HEADER), (summary.job_id, 0)])
    out.append([("Filas", Style.HEADER), (tally.rows, 0)])
    out.append([])
    out.append([("Resultado", Style.HEADER), ("Filas", Style.HEADER)])
    for status in LookupStatus:
        out.append([(status.label, STATUS_STYLE[status]), (tally.status.get(status, 0), 0)])
    for title, counter in (("Estado", tally.estado), ("Condición", tally.condicion), ("Apto", tally.apto)):
        out.append([])
        out.append(
            [("Apto para facturar" if title == "Apto" else title, Style.HEADER), ("Filas", Style.HEADER)]
        )
        for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append([(key, 0), (count, 0)])
    out.append([])
    out.append([("Consultas a la API", Style.HEADER), (summary.api_calls, 0)])
    out.append([("Respuestas desde la caché", Style.HEADER), (summary.cache_hits, 0)])
    out.append([("Filas que requieren atención", Style.HEADER), (errors, 0)])
    return out


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
    """Write the styled workbook atomically; returns the path. Raises ExportError / ExportCancelled."""
    target = check_target(Path(path), source_path)
    headers = list(headers)
    all_headers = headers + list(ENRICHMENT_HEADERS)
    n_orig = len(headers)
    text_cols = _id_columns(headers, id_column) | {n_orig + i for i in _TEXT_ENRICHMENT}
    header_cells = [(h, Style.HEADER) for h in all_headers]
    ticker = Ticker(progress, cancel, total)
    tally = _Tally()

    def styled(values: Sequence[Any], enrich: list[Any], status: LookupStatus) -> list[tuple[Any, int]]:
        out = []
        for i, v in enumerate(values):
            if i >= n_orig:
                break
            out.append((id_text(v), Style.TEXT) if i in text_cols else (v, 0))
        out += [(None, 0)] * (n_orig - len(out))
        for j, v in enumerate(enrich):
            style = Style.TEXT if n_orig + j in text_cols else 0
            if j == 1:
                style = STATUS_STYLE[status]
            elif j == 6 and v is not None:
                style = Style.OK if v == "Sí" else Style.BAD
            out.append((v, style))
        return out

    it = iter(rows)
    sample: list[ExportRow] = []
    for row in it:
        sample.append(row)
        if len(sample) >= 200:
            break
    widths = _widths(all_headers, [list(r.values) + _enrichment(r) for r in sample])

    def all_rows() -> Iterator[ExportRow]:
        yield from sample
        yield from it

    result_names: list[str] = []
    error_parts: list[tuple[IO[bytes], str | None]] = []
    with atomic_file(target) as fh, contextlib.ExitStack() as stack:
        book = XlsxBook(fh)
        errors_part: SheetPart | None = None
        errors_file: IO[bytes] | None = None
        errors = 0
        source = all_rows()
        done = 0
        finished = False
        try:
            while not finished:
                name = "Resultados" if not result_names else f"Resultados ({len(result_names) + 1})"
                result_names.append(name)

                def build(part: SheetPart) -> None:
                    nonlocal done, finished, errors, errors_part, errors_file, source
                    part.append(header_cells)
                    for row in source:
                        enrich = _enrichment(row)
                        cells = styled(row.values, enrich, row.status)
                        part.append(cells)
                        tally.add(row, enrich)
                        done += 1
                        if needs_attention(row, enrich):
                            if errors_part is None or errors_part.rows >= max_sheet_rows:
                                if errors_part is not None and errors_file is not None:
                                    error_parts.append((errors_file, errors_part.finish()))
                                errors_file = stack.enter_context(tempfile.TemporaryFile())
                                errors_part = SheetPart(errors_file, widths=[8, *widths])
                                errors_part.append([("Fila en Resultados", Style.HEADER), *header_cells])
                            errors_part.append([(part.rows, 0), *cells])
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
            if errors_part is None:
                errors_file = stack.enter_context(tempfile.TemporaryFile())
                errors_part = SheetPart(errors_file, widths=[8, *widths])
                errors_part.append([("Fila en Resultados", Style.HEADER), *header_cells])
            error_parts.append((errors_file, errors_part.finish()))
            book.write_sheet(
                "Resumen",
                lambda part: [part.append(r) for r in _summary_rows(summary, tally, errors)],
                widths=[32, 40],
                freeze_header=False,
                autofilter=False,
                tab_color="FF0000" if summary.demo else None,
            )
            error_names = ["Errores"] + [f"Errores ({i + 2})" for i in range(len(error_parts) - 1)]
            for ename, (efile, ref) in zip(error_names, error_parts, strict=True):
                book.copy_sheet(ename, efile, ref)
            book.close([*result_names, "Resumen", *error_names])
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
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total: int | None = None,
) -> Path:
    """UTF-8 with BOM (Excel recognises it); ``delimiter=";"`` for Spanish-locale Excel (decimal commas)."""
    if delimiter not in (",", ";", "\t", "|"):
        raise ExportError("El separador debe ser coma, punto y coma, tabulador o barra vertical.")
    target = check_target(Path(path), source_path)
    comma = delimiter == ";"
    n_orig = len(headers)
    ticker = Ticker(progress, cancel, total)
    done = 0
    with atomic_file(target) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([csv_text(h) for h in [*headers, *ENRICHMENT_HEADERS]])
        for row in rows:
            values = list(row.values[:n_orig]) + [None] * (n_orig - len(row.values))
            enrich = _enrichment(row)
            writer.writerow([csv_text(v, decimal_comma=comma) for v in values + enrich])
            done += 1
            ticker.tick(done)
        text.flush()
        text.detach()
    if progress is not None:
        progress(done, done)
    log.info("exported %d rows to %s (csv, delimiter %r)", done, target.name, delimiter)
    return target
