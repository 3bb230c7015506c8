"""Jobs glue: plans from a plain list of identifiers, and a stored job → the Excel writer's rows.

``plan_from_values`` serves pasted lists (GUI), tests and benchmarks; real files go through
``excel.build_plan``. ``export_job`` writes a job's results with ``excel.writer`` (xlsx or csv) without the
source file: job rows keep the original cells.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..excel.plan import ImportPlan, PlanRow, fold_duplicates
from ..excel.writer import ExportRow, ExportSummary, export_csv, export_xlsx
from .errors import InputError
from .ids import parse_identifier
from .store import JobRecord, Store

__all__ = ["export_job", "export_rows", "export_summary", "plan_from_values"]


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


def export_rows(store: Store, job_id: int) -> Iterator[ExportRow]:
    """The job's rows as ``excel.writer.ExportRow`` (duplicates carry their first occurrence's data)."""
    sources = store.row_sources(job_id)
    for r in store.job_results(job_id):
        yield ExportRow(
            values=r.values,
            number=r.number or "",
            status=r.status,
            reason=r.reason,
            data=r.data,
            consulted_at=r.consulted_at,
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
    delimiter: str = ",",
    progress: Callable[..., Any] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write job ``job_id`` to ``path`` (.xlsx, or .csv/.txt with ``delimiter``). Blocking: use a thread.

    Works without the source file (job rows keep the original cells); refuses to overwrite the source.
    """
    job = store.get_job(job_id)
    if job is None:
        raise InputError(f"No existe la ejecución {job_id}. Usa «migo jobs» para ver las que hay.")
    path = Path(path)
    common: dict[str, Any] = {"source_path": job.source_path, "progress": progress, "cancel": cancel,
                              "total": job.total}  # fmt: skip
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return export_csv(path, job.headers, export_rows(store, job_id), delimiter=delimiter, **common)
    if suffix != ".xlsx":
        raise InputError("El archivo de salida debe terminar en .xlsx o .csv.")
    return export_xlsx(
        path, job.headers, export_rows(store, job_id), export_summary(job), id_column=job.id_column, **common
    )
