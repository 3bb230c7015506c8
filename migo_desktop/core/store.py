"""The local SQLite store (WAL): the lookup cache, bulk jobs and their rows.

One connection (``check_same_thread=False``) guarded by a lock: the engine calls short methods from the
event loop thread, while ``create_job`` (100k-row inserts) is meant for a worker thread
(``asyncio.to_thread``). Every answer is written in its own small transaction before the engine counts it
done, so a hard kill loses only the requests in flight. Rows never hold a "running" state on disk: a row
is pending until its answer is committed, which makes crash recovery automatic.

The token never reaches this file: jobs keep ``ApiSettings.public_dict()`` only.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .migrations import migrate
from .models import IdKind, LookupResult, LookupStatus
from .settings import ApiSettings
from .store_schema import (
    JOB_COLUMNS,
    UNFINISHED,
    JobRecord,
    JobResultRow,
    JobState,
    data_from_payload,
    decode_values,
    encode_values,
    job_from_row,
    payload_of,
    when,
)

__all__ = [
    "JobRecord",
    "JobResultRow",
    "JobState",
    "Store",
    "decode_values",
    "encode_values",
]


class Store:
    """SQLite store. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = self._connect()
        try:
            migrate(self._conn)
        except BaseException:
            self._conn.close()  # e.g. a database from a newer app: do not leak the connection
            raise

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    # -- lifecycle
    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _tx(self, statements: Iterable[tuple[str, Any]]) -> None:
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    conn.execute(sql, params)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- cache
    def cache_get(
        self, kind: IdKind, number: str, *, ttl_found: float, ttl_not_found: float, now: float | None = None
    ) -> LookupResult | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT status, payload, message, fetched_at FROM cache WHERE kind=? AND number=?",
                (kind.value, number),
            ).fetchone()
        if row is None:
            return None
        status = LookupStatus(row[0])
        ttl = ttl_found if status is LookupStatus.OK else ttl_not_found
        if (now if now is not None else time.time()) - row[3] > ttl:
            return None
        return LookupResult(
            kind, number, status, data_from_payload(kind.value, row[1]), row[2], when(row[3]), True
        )

    @staticmethod
    def _cache_stmt(result: LookupResult, fetched: float) -> tuple[str, tuple]:
        return (
            "INSERT OR REPLACE INTO cache (kind, number, status, payload, message, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                result.kind.value,
                result.number,
                result.status.value,
                payload_of(result),
                result.message,
                fetched,
            ),
        )

    def cache_put(self, result: LookupResult) -> None:
        """Cache an answer (OK/NOT_FOUND only; anything else is ignored: errors are never cached)."""
        if result.status not in (LookupStatus.OK, LookupStatus.NOT_FOUND):
            return
        fetched = result.fetched_at.timestamp() if result.fetched_at else time.time()
        self._tx([self._cache_stmt(result, fetched)])

    def recent_lookups(self, limit: int = 50) -> list[LookupResult]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT kind, number, status, payload, message, fetched_at FROM cache "
                "ORDER BY fetched_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            LookupResult(IdKind(k), n, LookupStatus(s), data_from_payload(k, p), m, when(f), True)
            for k, n, s, p, m, f in rows
        ]

    def cache_count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM cache").fetchone()[0]

    def cache_clear(self) -> int:
        with self._lock:
            return self._conn.execute("DELETE FROM cache").rowcount

    # -- jobs
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
        conn = self._connect() if own else self._conn
        try:
            with contextlib.nullcontext() if own else self._lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    cur = conn.execute(
                        "INSERT INTO jobs (source_name, source_path, source_hash, sheet, header_row, "
                        "id_column, headers, settings, state, created_at, updated_at, total, counts) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (source.name, str(source), plan.source_hash, plan.sheet, plan.header_row,
                         plan.id_column, json.dumps(list(plan.headers), default=str),
                         json.dumps(public, default=str), JobState.PENDING.value, now, now, len(rows),
                         json.dumps(counts)),
                    )  # fmt: skip
                    job_id = cur.lastrowid
                    conn.executemany(
                        "INSERT INTO job_rows (job_id, idx, source_row, vals, raw, kind, number, state, "
                        f"reason, duplicate_of) VALUES ({int(job_id)}, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        finally:
            if own:
                conn.close()
        return int(job_id)

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id=?", (job_id,)).fetchone()
        return job_from_row(row) if row else None

    def list_jobs(self, limit: int = 100) -> list[JobRecord]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [job_from_row(r) for r in rows]

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
        params: list[Any] = [now, json.dumps(counts), add_api_calls, add_cache_hits, add_retries]
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

    # -- rows
    def count_states(self, job_id: int) -> dict[LookupStatus, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) FROM job_rows WHERE job_id=? GROUP BY state", (job_id,)
            ).fetchall()
        counts = {s: 0 for s in LookupStatus}
        counts.update({LookupStatus(s): n for s, n in rows})
        return counts

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

    def mark_row(self, job_id: int, idx: int, status: LookupStatus, reason: str, *, error: str = "") -> None:
        """A final local verdict without data: ERROR (retryable with only_failed) or INVALID (422)."""
        self._tx([(
            "UPDATE job_rows SET state=?, reason=?, last_error=?, attempts=attempts+1, fetched_at=? "
            "WHERE job_id=? AND idx=?",
            (status.value, reason, error, time.time(), job_id, idx),
        )])  # fmt: skip

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
