"""Jobs glue: plans from a plain list of identifiers, and a stored job → the Excel writer's rows.

``plan_from_values`` serves pasted lists (GUI), tests and benchmarks; real files go through
``excel.build_plan``. ``export_job`` writes a job's results with ``excel.writer`` (xlsx or csv) without the
source file: job rows keep the original cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..excel.plan import ImportPlan, PlanRow, fold_duplicates
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


def _writer():
    from ..excel import writer  # imported late: the writer (openpyxl) is only needed to export

    return writer


def export_rows(store: Store, job_id: int) -> Iterator[Any]:
    """The job's rows as ``excel.writer.ExportRow`` (duplicates carry their first occurrence's data)."""
    export_row = _writer().ExportRow
    for r in store.job_results(job_id):
        yield export_row(
            values=r.values,
            number=r.number or "",
            status=r.status,
            reason=r.reason,
            data=r.data,
            consulted_at=r.consulted_at,
        )


def export_summary(job: JobRecord) -> Any:
    summary = _writer().ExportSummary
    fields = set(getattr(summary, "__dataclass_fields__", {}))
    wanted: dict[str, Any] = {
        "source_name": job.source_name,
        "created_at": job.created_at,
        "api_calls": job.api_calls,
        "cache_hits": job.cache_hits,
        "counts": dict(job.counts),
        "total": job.total,
        "job_id": job.id,
        "sheet": job.sheet,
        "id_header": job.headers[job.id_column] if job.id_column < len(job.headers) else "",
        "finished_at": job.finished_at,
        "state": job.state.label,
        "complete": job.pending == 0,
    }
    return summary(**{k: v for k, v in wanted.items() if not fields or k in fields})


def export_job(store: Store, job_id: int, path: str | Path, *, delimiter: str = ",") -> Path:
    """Write job ``job_id`` to ``path`` (.xlsx, or .csv/.txt with ``delimiter``). Blocking: use a thread."""
    job = store.get_job(job_id)
    if job is None:
        raise InputError(f"No existe la ejecución {job_id}. Usa «migo jobs» para ver las que hay.")
    path = Path(path)
    writer = _writer()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return Path(
            writer.export_csv(path, job.headers, export_rows(store, job_id), delimiter=delimiter) or path
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError("El archivo de salida debe terminar en .xlsx o .csv.")
    return Path(
        writer.export_xlsx(path, job.headers, export_rows(store, job_id), export_summary(job)) or path
    )
