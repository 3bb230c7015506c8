"""Job queries of the local store (table ``jobs``): create a job with all its rows, read, find, update."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from .models import IdKind, LookupStatus
from .settings import ApiSettings
from .store_base import StoreBase, write_transaction
from .store_errors import translate
from .store_schema import JOB_COLUMNS, UNFINISHED, JobRecord, JobState, encode_values, job_from_row

__all__ = ["JobStore"]


class JobStore(StoreBase):
    """The jobs part of ``core.store.Store``; a job keeps ``ApiSettings.public_dict()``, never the token."""

    def create_job(self, plan: Any, settings: ApiSettings | dict[str, Any]) -> int:
        """Insert a job and all its rows from an ``excel.plan.ImportPlan``. Blocking: run it in a thread."""
        public = settings.public_dict() if isinstance(settings, ApiSettings) else dict(settings)
        public.pop("token", None)
        now = time.time()
        source = Path(plan.source)
        rows = []
        counts: dict[str, int] = {}
        for r in plan.rows:
            if r.number is None:
                state = LookupStatus.INVALID
            elif r.duplicate_of is not None:
                state = LookupStatus.DUPLICATE
            else:
                state = LookupStatus.PENDING
            counts[state.value] = counts.get(state.value, 0) + 1
            kind = r.kind.value if r.kind is not None else None
            reason = r.reason or ""
            values, raw = encode_values(r.values), encode_values([r.raw])
            rows.append(
                (r.index, r.source_row, values, raw, kind, r.number, state.value, reason, r.duplicate_of)
            )
        # A connection of its own (WAL): the event loop thread keeps reading the cache and jobs meanwhile.
        own = str(self.path) != ":memory:"
        try:
            conn = self._connect() if own else self._conn
        except sqlite3.Error as exc:
            raise (translate(exc, self.path) or exc) from exc
        try:
            with contextlib.nullcontext() if own else self._lock, write_transaction(conn, self.path):
                cur = conn.execute(
                    "INSERT INTO jobs (source_name, source_path, source_hash, sheet, header_row, "
                    "id_column, headers, settings, state, created_at, updated_at, total, counts) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (source.name, str(source), plan.source_hash, plan.sheet, plan.header_row,
                     plan.id_column, json.dumps(list(plan.headers), default=str),
                     json.dumps(public, default=str), JobState.PENDING.value, now, now, len(rows),
                     json.dumps(counts)),
                )  # fmt: skip
                job_id = int(cur.lastrowid or 0)
                conn.executemany(
                    "INSERT INTO job_rows (job_id, idx, source_row, vals, raw, kind, number, state, "
                    f"reason, duplicate_of) VALUES ({int(job_id)}, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        finally:
            if own:
                conn.close()
        return int(job_id)

    # -- one process per job (core/store_locks.py)
    def lock_job(self, job_id: int) -> None:
        """Claim the job for this process; ``JobBusy`` (Spanish, names the holder) if another runs it."""
        self.job_locks.acquire(job_id)

    def unlock_job(self, job_id: int) -> None:
        self.job_locks.release(job_id)
        self.claims.close()  # the run is over: no number of this process is in flight any more

    def claim_lookup(self, kind: IdKind, number: str) -> bool:
        """False while another process is paying for this number (defer the row; its answer will be in the
        cache). Released by ``record_answers``/``mark_row`` once the outcome is committed."""
        return self.claims.claim(kind.value, number)

    def _paid_calls(self, job_id: int) -> int:
        """API answers recorded on the job's rows (a kill -9 loses the run's counter, never the rows)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT COALESCE(SUM(attempts), 0) FROM job_rows WHERE job_id=?", (job_id,)
            ).fetchone()
        return int(row[0])

    def _with_paid_calls(self, job: JobRecord) -> JobRecord:
        if job.state is not JobState.RUNNING:
            return job
        paid = self._paid_calls(job.id)  # "running" on disk with no live run: it was killed
        return dataclasses.replace(job, api_calls=paid) if paid > job.api_calls else job

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id=?", (job_id,)).fetchone()
        return self._with_paid_calls(job_from_row(row)) if row else None

    def list_jobs(self, limit: int = 100) -> list[JobRecord]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [self._with_paid_calls(job_from_row(r)) for r in rows]

    def set_output(self, job_id: int, path: str | Path) -> None:
        self._tx([("UPDATE jobs SET output_path=? WHERE id=?", (str(path), job_id))])

    def delete_job(self, job_id: int) -> bool:
        with self._lock:
            return self._conn.execute("DELETE FROM jobs WHERE id=?", (job_id,)).rowcount > 0

    def find_resumable(self, source_hash: str, sheet: str | None, id_column: int) -> JobRecord | None:
        """The newest unfinished job for the same file, sheet and column ("rerun the command resumes")."""
        marks = ",".join("?" * len(UNFINISHED))
        with self._lock:
            row = self._conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE source_hash=? AND sheet IS ? AND id_column=? "
                f"AND state IN ({marks}) ORDER BY id DESC LIMIT 1",
                (source_hash, sheet, id_column, *(s.value for s in UNFINISHED)),
            ).fetchone()
        return job_from_row(row) if row else None

    def update_job(self, job_id: int, *, state: JobState | None = None, message: str | None = None,
                   add_api_calls: int = 0, add_cache_hits: int = 0, add_retries: int = 0,
                   finished: bool = False) -> None:  # fmt: skip
        """Refresh the job's counts from its rows and apply the given changes, in one transaction."""
        now = time.time()
        sets = [
            "updated_at=?",
            "counts=?",
            "api_calls=api_calls+?",
            "cache_hits=cache_hits+?",
            "retries=retries+?",
        ]
        counts = {s.value: n for s, n in self.count_states(job_id).items()}
        sets[2] = "api_calls=MAX(api_calls+?, ?)"  # never below what the rows prove was paid
        params: list[Any] = [now, json.dumps(counts), add_api_calls, self._paid_calls(job_id), add_cache_hits,
                             add_retries]  # fmt: skip
        if state is not None:
            sets.append("state=?")
            params.append(state.value)
        if message is not None:
            sets.append("last_message=?")
            params.append(message)
        sets.append("finished_at=?" if finished else "finished_at=finished_at")
        if finished:
            params.append(now)
        self._tx([(f"UPDATE jobs SET {', '.join(sets)} WHERE id=?", (*params, job_id))])

    def count_states(self, job_id: int) -> dict[LookupStatus, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) FROM job_rows WHERE job_id=? GROUP BY state", (job_id,)
            ).fetchall()
        counts = {s: 0 for s in LookupStatus}
        counts.update({LookupStatus(s): n for s, n in rows})
        return counts
