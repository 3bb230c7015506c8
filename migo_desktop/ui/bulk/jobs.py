"""What the bulk controller hands the widgets (``PreviewResult``, ``ImportCost``, ``JobView``) and the
blocking steps it runs in worker threads (cost of a plan, loading a job, the rows of a new job, the export).

Split out of ``bulk_controller`` (which re-exports these names); nothing here touches Qt.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import InputError
from ...core.models import LookupStatus
from .result_rows import ResultRow, duplicate_reason, row_from_any

__all__ = [
    "ImportCost",
    "JobView",
    "PreviewResult",
    "compute_cost",
    "export_job",
    "load_job",
    "view_from_plan",
]


@dataclass(frozen=True, slots=True)
class ImportCost:
    rows: int
    valid_unique: int  # RUC + DNI
    valid_ruc: int
    valid_dni: int
    invalid: int
    duplicates: int
    blank: int
    cached: int
    api_calls: int
    invalid_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PreviewResult:
    """The sheet preview, and the plan with its cost, or (plan None) why no plan could be made from the
    choices so far (e.g. no RUC column detected): the dialog still shows the sheet so the user can choose."""

    request_id: int
    path: Path
    preview: Any  # excel.reader.SheetPreview
    plan: Any  # excel.plan.ImportPlan | None
    cost: ImportCost | None
    message: str = ""  # Spanish, when plan is None


@dataclass(frozen=True, slots=True)
class JobView:
    job_id: int
    record: Any  # core.store.JobRecord
    rows: list[ResultRow]
    headers: list[str]
    resuming: bool = False  # the controller runs the job right after showing it (no resume offer needed)
    raw_differs: bool = True  # some cell as typed says more than its normalised number («Valor original»)


def any_raw_differs(rows: list[ResultRow]) -> bool:
    """Worth a «Valor original» column? (Scans every row: run it in the loading thread, not the GUI's.)"""
    return any(not row.raw_matches_number() for row in rows)


def compute_cost(plan: Any, store: Any, settings: Any, cancel: threading.Event | None = None) -> ImportCost:
    """What a run of ``plan`` will cost: unique valid lookups minus fresh cache hits. Blocking (thread)."""
    totals = plan.totals
    cached = 0
    lookups = plan.unique_lookups()
    for start in range(0, len(lookups), 1000):  # a few queries per 1,000 numbers; cancellable between them
        if cancel is not None and cancel.is_set():
            break
        cached += len(
            store.cache_get_many(
                lookups[start : start + 1000],
                ttl_found=settings.cache_ttl_found,
                ttl_not_found=settings.cache_ttl_not_found,
            )
        )
    unique = len(lookups)
    return ImportCost(
        rows=totals.rows,
        valid_unique=unique,
        valid_ruc=totals.valid_unique_ruc,
        valid_dni=totals.valid_unique_dni,
        invalid=totals.invalid,
        duplicates=totals.duplicates,
        blank=totals.blank,
        cached=cached,
        api_calls=unique - cached,
        invalid_by_reason=dict(totals.invalid_by_reason),
    )


def load_job(store: Any, job_id: int) -> JobView:
    record = store.get_job(job_id)
    if record is None:
        raise InputError("Esa consulta masiva ya no existe en el historial.")
    rows = [row_from_any(r) for r in store.job_results(job_id)]
    return JobView(job_id, record, rows, list(record.headers), raw_differs=any_raw_differs(rows))


def view_from_plan(store: Any, job_id: int, plan: Any) -> JobView:
    """The new job's rows straight from the plan (no need to read back and decode what was just written)."""
    record = store.get_job(job_id)
    by_index = {r.index: r for r in plan.rows}
    rows = []
    for r in plan.rows:
        if r.number is None:
            status, reason = LookupStatus.INVALID, r.reason or ""
        elif r.duplicate_of is not None:
            first = by_index.get(r.duplicate_of)
            # every first occurrence of a new job is still pending (as the store says when it is reopened)
            status = LookupStatus.DUPLICATE
            reason = duplicate_reason(first.source_row, LookupStatus.PENDING) if first else ""
        else:
            status, reason = LookupStatus.PENDING, ""
        rows.append(ResultRow(idx=r.index, number=r.number or "", status=status, reason=reason, raw=r.raw,
                              values=tuple(r.values), kind=r.kind, duplicate_of=r.duplicate_of,
                              source_row=r.source_row))  # fmt: skip
    return JobView(
        job_id, record, rows, list(record.headers), resuming=True, raw_differs=any_raw_differs(rows)
    )


def export_job(
    store: Any, job_id: int, path: Path, kind: str = "tabla", only: set[int] | None = None
) -> Path:
    """Write a job's results to ``path`` in ``kind`` ("libro": the user's own workbook; "tabla": the results
    workbook; a .csv path: CSV), only the ``only`` rows when given. Blocking: run it in a thread."""
    from ...core import jobs

    return jobs.export_job(store, job_id, path, kind=kind, only=only)
