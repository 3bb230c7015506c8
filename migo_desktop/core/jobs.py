"""Jobs glue: plans from a plain list of identifiers, and a stored job → the Excel writer's rows.

``plan_from_values`` serves pasted lists (GUI), tests and benchmarks; real files go through
``excel.build_plan``. ``export_job`` writes a job's results in one of two kinds:

- ``ExportKind.LIBRO`` («Mi archivo con columnas nuevas»): the user's own .xlsx/.xlsm with the result columns
  added on each row (``excel.own_workbook``), or, for .xls/.ods/.csv/.txt sources, a new .xlsx with every row
  at its original position (``excel.positional``). Needs the source file, unchanged since the import.
- ``ExportKind.TABLA`` («Tabla de resultados»): ``excel.writer``'s results workbook, or CSV; works without the
  source file (job rows keep the original cells).

A target ending in .csv/.txt always writes the CSV table.
"""

from __future__ import annotations

import enum
import hashlib
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..excel.own_workbook import OWN_SUFFIXES, export_own_workbook
from ..excel.plan import ImportPlan, PlanRow, fold_duplicates
from ..excel.positional import export_positional
from ..excel.writer import ExportRow, ExportSummary, export_csv, export_xlsx
from .errors import InputError
from .ids import parse_identifier
from .store import JobRecord, Store

__all__ = [
    "ExportKind",
    "default_output",
    "export_job",
    "export_rows",
    "export_summary",
    "plan_from_values",
]


class ExportKind(enum.StrEnum):
    LIBRO = "libro"  # «Mi archivo con columnas nuevas»
    TABLA = "tabla"  # «Tabla de resultados»

    @property
    def label(self) -> str:
        return "Mi archivo con columnas nuevas" if self is ExportKind.LIBRO else "Tabla de resultados"


def default_output(source: str | Path, kind: ExportKind = ExportKind.LIBRO) -> Path:
    """`<source>_resultados.xlsx` beside the source (.xlsm for a macro workbook returned as itself)."""
    source = Path(source)
    suffix = ".xlsm" if kind is ExportKind.LIBRO and source.suffix.lower() == ".xlsm" else ".xlsx"
    return source.with_name(f"{source.stem}_resultados{suffix}")


def plan_from_values(
    values: Iterable[Any],
    *,
    source: str | Path = "lista.txt",
    header: str = "RUC",
    source_hash: str | None = None,
) -> ImportPlan:
    """One identifier per row (header row 1, data from row 2), validated and de-duplicated like a file."""
    rows = []
    digest = hashlib.sha256()
    for i, cell in enumerate(values):
        digest.update(repr(cell).encode() + b"\n")
        rows.append(PlanRow.from_check(i, i + 2, (cell,), cell, parse_identifier(cell)))
    fold_duplicates(rows)
    return ImportPlan(
        source=Path(source),
        source_hash=source_hash or digest.hexdigest(),
        sheet=None,
        sheets=[],
        header_row=1,
        headers=[header],
        id_column=0,
        rows=rows,
    )


def export_rows(store: Store, job_id: int, only: Collection[int] | None = None) -> Iterator[ExportRow]:
    """The job's rows as ``excel.writer.ExportRow`` (duplicates carry their first occurrence's data).

    ``only``: the row indexes to keep (the rows the GUI's filter shows); None keeps every row.
    """
    sources = store.row_sources(job_id)
    for r in store.job_results(job_id):
        if only is not None and r.idx not in only:
            continue
        yield ExportRow(
            values=r.values,
            number=r.number or "",
            status=r.status,
            reason=r.reason,
            data=r.data,
            consulted_at=r.consulted_at,
            source_row=r.source_row,
            source=sources.get(r.idx, ""),
        )


def export_summary(job: JobRecord) -> ExportSummary:
    return ExportSummary(
        source_name=job.source_name,
        created_at=job.created_at,
        api_calls=job.api_calls,
        cache_hits=job.cache_hits,
        demo=bool(job.settings.get("demo")),
        job_id=job.id,
    )


def export_job(
    store: Store,
    job_id: int,
    path: str | Path,
    *,
    kind: ExportKind | str = ExportKind.TABLA,
    delimiter: str = ",",
    only: Collection[int] | None = None,
    progress: Callable[..., Any] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write job ``job_id`` to ``path`` in ``kind`` (see the module docstring). Blocking: use a thread.

    ``only``: row indexes to export (the filtered rows); None = all. Refuses to overwrite the source.
    """
    job = store.get_job(job_id)
    if job is None:
        raise InputError(f"No existe la consulta masiva n.º {job_id}. Usa «migo jobs» para ver las que hay.")
    kind = ExportKind(kind)
    path = Path(path)
    total = len(only) if only is not None else job.total
    common: dict[str, Any] = {"progress": progress, "cancel": cancel, "total": total}
    rows = export_rows(store, job_id, only)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return export_csv(path, job.headers, rows, delimiter=delimiter, source_path=job.source_path,
                          id_column=job.id_column, **common)  # fmt: skip
    if kind is ExportKind.LIBRO:
        source = Path(job.source_path)
        where: dict[str, Any] = {"header_row": job.header_row, "data_width": len(job.headers)}
        summary = export_summary(job)
        if source.suffix.lower() in OWN_SUFFIXES:
            return export_own_workbook(path, source, job.sheet, rows, summary, source_hash=job.source_hash,
                                       **where, **common)  # fmt: skip
        return export_positional(path, source, job.sheet, rows, summary, **where, **common)
    if suffix != ".xlsx":
        raise InputError("El archivo de salida debe terminar en .xlsx o .csv.")
    return export_xlsx(path, job.headers, rows, export_summary(job), source_path=job.source_path,
                       id_column=job.id_column, **common)  # fmt: skip
