"""«Mi archivo con columnas nuevas»: the user's own .xlsx/.xlsm back, with the result columns added.

Every part of the package is copied as it was (same bytes once decompressed: other sheets, shared strings,
charts, images, comments, macros, defined names…) except three: the imported sheet, whose XML is streamed
through ``sheet_rewrite`` (new cells to the right of its used range, on the same rows); styles.xml, which
gains our formats at its end (``styles.merge_styles``: none of theirs moves); and — for the optional «Resumen
Migo» sheet, appended after the user's sheets — workbook.xml, its relationships and [Content_Types].xml.

Why not openpyxl: load-and-save drops charts and images and re-types cells, and took tens of seconds at
100k rows; this takes a few (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .added_parts import CT_STYLES, REL_STYLES, PartAdditions
from .output import ExportError, Progress, Ticker, atomic_file, check_target
from .package import Package, PackageError
from .results import (
    OWN_HEADERS,
    ExportRow,
    ExportSummary,
    attention_reason,
    column_widths,
    enrichment,
    enrichment_cells,
)
from .sheet_rewrite import Collision, SheetRewrite, column_number, scan_extent
from .styles import STYLES_XML, MergedStyles, Style, merge_styles
from .summary_sheet import Tally, summary_rows
from .xlsx_stream import COMPRESS_LEVEL, SheetPart, cell_xml, column_letters, text_cell, write_part

__all__ = ["OWN_SUFFIXES", "export_own_workbook"]

log = logging.getLogger(__name__)

OWN_SUFFIXES = (".xlsx", ".xlsm")
SUMMARY_SHEET = "Resumen Migo"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _source_problem(source: Path, source_hash: str | None) -> ExportError | None:
    if not source.is_file():
        return ExportError(
            f"No se encontró «{source.name}» en {source.parent}: para devolverte tu propio archivo con "
            "las columnas nuevas lo necesito en su lugar. Devuélvelo a esa carpeta o elige «Tabla de "
            "resultados».",
            detail="source missing",
        )
    if source_hash and _sha256(source) != source_hash:
        return ExportError(
            f"«{source.name}» cambió desde que lo importaste, así que los resultados podrían quedar en filas "
            "equivocadas. Elige «Tabla de resultados», o vuelve a importar el archivo.",
            detail="source hash changed",
        )
    return None


def _dimension(head: bytes) -> tuple[int, int] | None:
    m = re.search(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"', head)
    if m is None:
        return None
    end = m.group(1).split(b":")[-1].replace(b"$", b"")
    letters = re.match(rb"[A-Z]+", end)
    digits = re.search(rb"\d+", end)
    if letters is None or digits is None:
        return None
    return column_number(letters.group(0)), int(digits.group(0))


def export_own_workbook(
    path: str | Path,
    source: str | Path,
    sheet: str | None,
    rows: Iterable[ExportRow],
    summary: ExportSummary,
    *,
    header_row: int | None,
    data_width: int = 0,
    source_hash: str | None = None,
    add_summary: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    total: int | None = None,
) -> Path:
    """Write the user's workbook with the result columns added on each row's own line. Blocking.

    ``rows`` carry ``source_row`` (rows without one are skipped) in ascending order. Raises ExportError.
    """
    source = Path(source)
    target = check_target(Path(path), source)
    suffix = source.suffix.lower()
    if suffix not in OWN_SUFFIXES:
        raise ExportError("Solo un libro .xlsx o .xlsm puede devolverse con columnas nuevas.")
    if target.suffix.lower() != suffix:
        raise ExportError(
            f"Guarda el resultado con la misma extensión que tu archivo ({suffix}): Excel no abre un "
            f"{suffix} con otra extensión.",
            detail=f"target suffix {target.suffix}",
        )
    problem = _source_problem(source, source_hash)
    if problem is not None:
        raise problem
    ordered = sorted((r for r in rows if r.source_row is not None), key=lambda r: r.source_row or 0)
    try:
        with zipfile.ZipFile(source) as zin:
            return _write(target, zin, sheet, ordered, summary, header_row, data_width, add_summary,
                          Ticker(progress, cancel, total))  # fmt: skip
    except (PackageError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        log.warning("own-workbook export of %s failed: %r", source.name, exc)
        raise ExportError(
            f"No pude añadir columnas a «{source.name}»: su estructura interna es inusual. Elige «Tabla de "
            "resultados» para guardar los resultados en un libro nuevo.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def _write(
    target: Path,
    zin: zipfile.ZipFile,
    sheet: str | None,
    rows: list[ExportRow],
    summary: ExportSummary,
    header_row: int | None,
    data_width: int,
    add_summary: bool,
    ticker: Ticker,
) -> Path:
    package = Package(zin)
    ref = package.sheet(sheet)
    additions = PartAdditions(package)
    styles_part = package.part_of_type("/styles")
    if styles_part is None:  # a generated file without styles: ours become its style sheet
        merged = MergedStyles(STYLES_XML.encode(), 0)
        additions.add_part("xl/styles{}.xml", CT_STYLES, REL_STYLES, merged.xml, preferred="xl/styles.xml")
    else:
        merged = merge_styles(zin.read(styles_part))
    with zin.open(ref.part) as fh:
        head = fh.read(1 << 16)
    # The used range: the <dimension> Excel and LibreOffice write, or (absent: openpyxl's write-only mode)
    # the readers' data width. Every row that gets cells is checked as it streams; a cell where ours would
    # go (a styled blank beyond the data) means a full scan and a second pass.
    extent = _dimension(head) or (0, 0)
    last_row = max([extent[1], *(r.source_row or 0 for r in rows)])
    first_col = max(extent[0], data_width) + 1
    header_at = header_row if header_row else (min((r.source_row or 2 for r in rows), default=2) - 1)
    tally = Tally()
    with tempfile.TemporaryFile() as sheet_xml:
        for attempt in range(2):
            if first_col + len(OWN_HEADERS) - 1 > 16384:
                raise ExportError("La hoja ya usa casi todas las columnas de Excel: no hay lugar para los "
                                  "resultados. Elige «Tabla de resultados».")  # fmt: skip
            sheet_xml.seek(0)
            sheet_xml.truncate()
            tally = Tally()
            rewrite = SheetRewrite(first_col, len(OWN_HEADERS), column_widths(), last_row)
            cells = _cells(rows, first_col, header_at, merged.base, tally, ticker)
            try:
                with zin.open(ref.part) as fh:
                    rewrite.run(fh, sheet_xml, cells)
                break
            except Collision as exc:  # the dimension under-reported the used range: measure it, once
                if attempt:
                    raise
                log.info("dimension of %s under-reports (cell at column %s); scanning", ref.name, exc)
                with zin.open(ref.part) as fh:
                    extent = scan_extent(fh)
                first_col = max(extent[0], data_width) + 1
        with (
            atomic_file(target) as out,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zout,
        ):
            if add_summary:
                additions.add_sheet(SUMMARY_SHEET, _summary_sheet(summary, tally, merged.base))
            extra = additions.result()
            for info in zin.infolist():
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.external_attr, copy.compress_type = info.external_attr, info.compress_type
                if info.filename == ref.part:
                    copy.compress_type = zipfile.ZIP_DEFLATED
                    with zout.open(copy, "w", force_zip64=True) as member:
                        sheet_xml.seek(0)
                        while chunk := sheet_xml.read(1 << 20):
                            member.write(chunk)
                    continue
                if info.filename == styles_part:
                    data = merged.xml
                elif info.filename in extra:
                    data = extra.pop(info.filename)
                else:
                    data = zin.read(info)
                zout.writestr(copy, data, compresslevel=COMPRESS_LEVEL)
            for name, data in extra.items():  # the new parts (summary sheet, styles)
                zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
    log.info("own workbook %s: %d rows answered, columns from %s", target.name, rewrite.rows_done,
             column_letters(first_col - 1))  # fmt: skip
    return target


def _cells(
    rows: list[ExportRow], first_col: int, header_at: int, base: int, tally: Tally, ticker: Ticker
) -> Iterator[tuple[int, bytes]]:
    letters = [column_letters(first_col - 1 + j) for j in range(len(OWN_HEADERS))]
    header = "".join(
        cell_xml(f"{c}{header_at}", h, Style.MIGO_HEADER, base)
        for c, h in zip(letters, OWN_HEADERS, strict=True)
    )
    header_done = header_at < 1
    done = 0
    for row in rows:
        n = row.source_row or 0
        if not header_done and header_at < n:
            yield header_at, header.encode()
            header_done = True
        if header_done is False and header_at == n:  # the header row cannot also be a data row
            header_done = True
        values = enrichment(row)
        tally.add(row, values, attention_reason(row, values) is not None)
        r = str(n)
        xml = "".join(
            [
                (text_cell(c + r, v, s, base) if type(v) is str else cell_xml(c + r, v, s, base))
                for c, (v, s) in zip(letters, enrichment_cells(row, values), strict=True)
                if v is not None
            ]
        )
        yield n, xml.encode("utf-8", "replace")
        done += 1  # noqa: SIM113 - counts rows yielded, not loop turns (the header is yielded too)
        ticker.tick(done)
    if not header_done:
        yield header_at, header.encode()


def _summary_sheet(summary: ExportSummary, tally: Tally, base: int) -> bytes:
    """The «Resumen Migo» sheet's XML, in the user's styles (our formats start at ``base``)."""
    with tempfile.TemporaryFile() as body, tempfile.TemporaryFile() as whole:
        sheet = SheetPart(body, widths=[34, 40], freeze_header=False, autofilter=False, base=base,
                          tab_color="FF0000" if summary.demo else None)  # fmt: skip
        for cells in summary_rows(summary, tally):
            sheet.append(cells)
        sheet.finish()
        write_part(whole, sheet, body)
        whole.seek(0)
        return whole.read()
