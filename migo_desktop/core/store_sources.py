"""Job rows answered by another source than Migo — the offline SUNAT padrón — and each row's source.

Kept apart from ``store_rows`` on purpose: these answers never enter the Migo cache (the cache holds only
what Migo said), and they mark the row with ``source='padron'`` and the padrón's date, which the exports'
«Fuente» column and the GUI show as «Padrón 28/11/2026». Rows without a source were answered by Migo.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from .models import LookupResult, LookupStatus, ResultSource, source_label
from .store_base import StoreBase
from .store_schema import payload_of

__all__ = ["SourceStore"]


class SourceStore(StoreBase):
    """The row-source part of ``core.store.Store``."""

    def forget_pending_sources(self, job_id: int) -> None:
        """A pending row is about to be answered again: drop the source an earlier run gave it."""
        self._tx([(
            "UPDATE job_rows SET source=NULL, source_date=NULL "
            "WHERE job_id=? AND state='pending' AND source IS NOT NULL",
            (job_id,),
        )])  # fmt: skip

    def record_source_answers(self, job_id: int, answers: list[tuple[int, LookupResult]]) -> None:
        """Persist answers that did not come from Migo (rows only, never the cache), in one transaction."""
        stmts: list[tuple[str, Any]] = []
        for idx, result in answers:
            fetched = result.fetched_at.timestamp() if result.fetched_at else time.time()
            reason = result.message if result.status is not LookupStatus.OK else ""
            when = result.source_date.isoformat() if result.source_date else None
            stmts.append((
                "UPDATE job_rows SET state=?, reason=?, payload=?, fetched_at=?, source=?, source_date=?, "
                "last_error='' WHERE job_id=? AND idx=? AND state='pending'",
                (result.status.value, reason, payload_of(result), fetched, result.source.value, when,
                 job_id, idx),
            ))  # fmt: skip
        self._tx(stmts)

    def row_sources(self, job_id: int) -> dict[int, str]:
        """idx → «Padrón dd/mm/yyyy» or «Migo, en vivo» for every answered row (duplicates follow their
        first occurrence); rows without an answer are absent."""
        sql = (
            "SELECT r.idx, COALESCE(f.source, r.source), COALESCE(f.source_date, r.source_date) "
            "FROM job_rows r LEFT JOIN job_rows f ON f.job_id=r.job_id AND f.idx=r.duplicate_of "
            "WHERE r.job_id=? AND COALESCE(f.state, r.state) IN ('ok', 'not_found')"
        )
        with self._lock:
            rows = self._conn.execute(sql, (job_id,)).fetchall()
        out: dict[int, str] = {}
        for idx, source, when in rows:
            kind = ResultSource.PADRON if source == ResultSource.PADRON.value else ResultSource.MIGO
            out[idx] = source_label(kind, date.fromisoformat(when) if when else None)
        return out
