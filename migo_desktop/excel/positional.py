"""«Mi archivo con columnas nuevas» for sources that are not .xlsx/.xlsm (.xls, .ods, .csv, .txt): a new
.xlsx in which every row of the source sits at its original row number — title, blank and total rows
included — with the result columns to the right, so a column can be pasted back. Dates stay real dates
(dd/mm/yyyy); numbers stay numbers; text stays text (a CSV's cells are text: nothing is guessed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from .guards import Limits, check_file
from .output import ExportError, Progress, Ticker, atomic_file, check_target
from .results import (
    OWN_HEADERS,
    ExportRow,
    ExportSummary,
    attention_reason,
    column_widths,
    enrichment,
    enrichment_cells,
)
from .sources import open_source
from .styles import Style
from .summary_sheet import Tally, summary_rows
from .xlsx_stream import SheetPart, XlsxBook

__all__ = ["export_positional"]

log = logging.getLogger(__name__)


def export_positional(
    path: str | Path,
    source: str | Path,
    sheet: str | None,
    rows: Iterable[ExportRow],
    summary: ExportSummary,
    *,
    header_row: int | None,
    data_width: int = 0,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total: int | None = None,
) -> Path:
    """Write the source's rows in place plus the result columns. Blocking. Raises ExportError."""
    source = Path(source)
    target = check_target(Path(path), source)
    if target.suffix.lower() != ".xlsx":
        raise ExportError("Guarda el resultado como .xlsx (por ejemplo: compras_resultados.xlsx).")
    if not source.is_file():
        raise ExportError(
            f"No se encontró «{source.name}» en {source.parent}: para devolverte tus filas en su lugar lo "
            "necesito. Devuélvelo a esa carpeta o elige «Tabla de resultados».",
            detail="source missing",
        )
    by_row = {r.source_row: r for r in rows if r.source_row is not None}
    limits = Limits()
    reader = open_source(source, check_file(source, limits), limits)
    ticker = Ticker(progress, cancel, total)
    tally = Tally()
    try:
        lines = list(reader.rows(sheet))
    finally:
        reader.close()
    width = max([data_width, *(len(c) for _, c in lines)])
    header_at = header_row if header_row else (min(by_row, default=2) - 1)
    last = max([len(lines), *by_row])
    widths = [12.0] * width + column_widths()
    done = 0

    def build(part: SheetPart) -> None:
        nonlocal done
        for n in range(1, last + 1):
            cells = lines[n - 1][1] if n <= len(lines) else []
            out: list[tuple[object, int]] = [(None if v == "" else v, 0) for v in cells]
            out += [(None, 0)] * (width - len(out))
            row = by_row.get(n)
            if row is not None:
                values = enrichment(row)
                tally.add(row, values, attention_reason(row, values) is not None)
                out += enrichment_cells(row, values)
                done += 1
                ticker.tick(done)
            elif n == header_at:
                out += [(h, Style.MIGO_HEADER) for h in OWN_HEADERS]
            part.append(out)

    with atomic_file(target) as fh:
        book = XlsxBook(fh, title=f"Resultados de {summary.source_name}")
        try:
            name = (sheet or source.stem)[:31]
            book.write_sheet(name, build, widths=widths, freeze_header=False, autofilter=False,
                             selected=True)  # fmt: skip
            book.write_sheet(
                "Resumen Migo",
                lambda part: part.extend(summary_rows(summary, tally)),
                widths=[34, 40],
                freeze_header=False,
                autofilter=False,
                tab_color="FF0000" if summary.demo else None,
            )
            book.close([name, "Resumen Migo"])
        except BaseException:
            book.abort()
            raise
    log.info("positional export of %s: %d rows answered in %d", source.name, done, last)
    return target
