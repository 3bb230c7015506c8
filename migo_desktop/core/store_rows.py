"""Job-row queries of the local store (table ``job_rows``): pending work, answers, resets, results.

Every answer is written in its own small transaction before the engine counts it done; a row is pending
until then, so crash recovery needs no "running" state.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from .models import IdKind, LookupResult, LookupStatus
from .store_base import StoreBase
from .store_schema import JobResultRow, data_from_payload, decode_values, payload_of, when

__all__ = ["JobRowStore"]


class JobRowStore(StoreBase):
    """The job-rows part of ``core.store.Store``."""

    def pending_rows(self, job_id: int) -> list[tuple[int, IdKind, str]]:
        """(idx, kind, number) of the rows still to look up, in input order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT idx, kind, number FROM job_rows WHERE job_id=? AND state='pending' ORDER BY idx",
                (job_id,),
            ).fetchall()
        return [(i, IdKind(k), n) for i, k, n in rows]

    def duplicates(self, job_id: int) -> dict[int, list[int]]:
        """First-occurrence idx → idx of its duplicates."""
        out: dict[int, list[int]] = {}
        with self._lock:
            rows = self._conn.execute(
                "SELECT duplicate_of, idx FROM job_rows WHERE job_id=? AND duplicate_of IS NOT NULL",
                (job_id,),
            ).fetchall()
        for first, idx in rows:
            out.setdefault(first, []).append(idx)
        return out

    def record_answer(self, job_id: int, idx: int, result: LookupResult, *, cache: bool = True) -> None:
        """Persist one answer (row + cache) in one transaction: call before counting the row done."""
        self.record_answers(job_id, [(idx, result)], cache=cache)

    def record_answers(
        self, job_id: int, answers: list[tuple[int, LookupResult]], *, cache: bool = True
    ) -> None:
        """Persist answers (rows + cache) in one transaction (the engine's group commit)."""
        stmts: list[tuple[str, Any]] = []
        for idx, result in answers:
            fetched = result.fetched_at.timestamp() if result.fetched_at else time.time()
            payload = payload_of(result)
            reason = result.message if result.status is not LookupStatus.OK else ""
            stmts.append((
                "UPDATE job_rows SET state=?, reason=?, payload=?, fetched_at=?, attempts=attempts+?, "
                "last_error='' WHERE job_id=? AND idx=?",
                (result.status.value, reason, payload, fetched, 0 if result.from_cache else 1, job_id, idx),
            ))  # fmt: skip
            if cache and not result.from_cache and result.status in (LookupStatus.OK, LookupStatus.NOT_FOUND):
                stmts.append((
                    "INSERT OR REPLACE INTO cache (kind, number, status, payload, message, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (result.kind.value, result.number, result.status.value, payload, result.message, fetched),
                ))  # fmt: skip
        self._tx(stmts)
        for _, result in answers:  # committed: other processes now find it in the cache
            self.claims.release(result.kind.value, result.number)

    def mark_row(self, job_id: int, idx: int, status: LookupStatus, reason: str, *, error: str = "") -> None:
        """A final local verdict without data: ERROR (retryable with only_failed) or INVALID (422)."""
        self._tx([(
            "UPDATE job_rows SET state=?, reason=?, last_error=?, attempts=attempts+1, fetched_at=? "
            "WHERE job_id=? AND idx=?",
            (status.value, reason, error, time.time(), job_id, idx),
        )])  # fmt: skip
        with self._lock:
            row = self._conn.execute(
                "SELECT kind, number FROM job_rows WHERE job_id=? AND idx=?", (job_id, idx)
            ).fetchone()
        if row is not None and row[0] and row[1]:
            self.claims.release(row[0], row[1])

    def reset_rows(
        self, job_id: int, *, states: Iterable[LookupStatus] = (), idxs: Iterable[int] = ()
    ) -> int:
        """Put rows back to pending (by state, e.g. ERROR for "retry only failed", or by idx)."""
        changed = 0
        with self._lock:
            for st in states:
                changed += self._conn.execute(
                    "UPDATE job_rows SET state='pending', reason='' WHERE job_id=? AND state=?",
                    (job_id, st.value),
                ).rowcount
            for idx in idxs:
                changed += self._conn.execute(
                    "UPDATE job_rows SET state='pending', reason='' WHERE job_id=? AND idx=?", (job_id, idx)
                ).rowcount
        return changed

    def job_results(self, job_id: int, *, chunk: int = 2000) -> Iterator[JobResultRow]:
        """Every row of a job in input order, duplicates resolved to their first occurrence's data."""
        last = -1
        sql = (
            "SELECT r.idx, r.source_row, r.vals, r.raw, r.kind, r.number, r.state, r.reason, r.duplicate_of, "
            "COALESCE(f.payload, r.payload), COALESCE(f.fetched_at, r.fetched_at), f.state, f.source_row "
            "FROM job_rows r LEFT JOIN job_rows f ON f.job_id=r.job_id AND f.idx=r.duplicate_of "
            "WHERE r.job_id=? AND r.idx>? ORDER BY r.idx LIMIT ?"
        )
        while True:
            with self._lock:
                rows = self._conn.execute(sql, (job_id, last, chunk)).fetchall()
            if not rows:
                return
            for idx, src, vals, raw, kind, number, state, reason, dup, payload, fetched, fstate, fsrc in rows:
                status = LookupStatus(state)
                if status is LookupStatus.DUPLICATE and not reason:
                    first = LookupStatus(fstate).label if fstate else ""
                    reason = f"Repite la fila {fsrc}" + (f" ({first})" if first else "")
                raw_cell = decode_values(raw)
                yield JobResultRow(
                    idx=idx,
                    source_row=src,
                    values=decode_values(vals),
                    raw=raw_cell[0] if raw_cell else None,
                    kind=IdKind(kind) if kind else None,
                    number=number,
                    status=status,
                    reason=reason,
                    data=data_from_payload(kind, payload),
                    consulted_at=when(fetched),
                    duplicate_of=dup,
                )
            last = rows[-1][0]
