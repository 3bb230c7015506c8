"""BulkEngine: runs a stored job's pending rows through MigoClient, politely and crash-proof.

A fixed pool of ``settings.concurrency`` worker tasks pulls rows from one queue. Each worker serves fresh
cache hits without a call; otherwise it acquires the adaptive limiter (and the optional per-minute cap)
*before* calling the client. Each answer is written to the store before it is counted. Rows never hold a
"running" state on disk, so a crash, a quit or a stop leaves in-flight rows pending for the next run.

Run outcomes (``JobSummary.state``):
- completed — no pending rows left (rows may be OK, NOT_FOUND, INVALID, DUPLICATE or ERROR);
- stopped   — 401/403 or quota: every worker is cancelled at once (at most the requests already in flight);
- paused    — the run's retry budget is spent, or many consecutive rows found the service unavailable
              (network down), or the task running ``run()`` was cancelled (quit/Ctrl-C); run again to resume;
- cancelled — ``cancel()``; run again to resume.
``pause()`` keeps ``run()`` alive (in-flight requests finish, workers wait) until ``resume()``/``cancel()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .errors import ApiError, ApiUnavailable, AuthError, InputError, InvalidRequest, QuotaExceeded
from .models import IdKind, LookupResult, LookupStatus
from .progress import JobSummary, Progress, RateMeter, RowUpdate, StopReason
from .settings import ApiSettings
from .store import JobState, Store
from .throttle import AdaptiveLimiter, RateCap, RunHooks

__all__ = ["BulkEngine", "JobSummary", "Progress", "RowUpdate", "StopReason"]

log = logging.getLogger(__name__)

MSG_DONE = "Consulta terminada."
MSG_CANCELLED = "Consulta cancelada. Puedes reanudarla cuando quieras: lo ya consultado queda guardado."
MSG_INTERRUPTED = "Consulta interrumpida. Puedes reanudarla: lo ya consultado queda guardado."
MSG_PAUSED = "Consulta en pausa."
MSG_NETWORK = (
    "La consulta se pausó: {n} consultas seguidas fallaron porque el servicio de Migo no responde "
    "(¿sin conexión a internet?). Revisa tu conexión y reanuda: lo ya consultado queda guardado."
)


class BulkEngine:
    def __init__(
        self,
        client: Any,
        store: Store,
        settings: ApiSettings,
        *,
        on_progress: Callable[[Progress], None] | None = None,
        on_rows: Callable[[list[RowUpdate]], None] | None = None,
        progress_interval: float = 0.2,
        network_pause_after: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        pre_resolve: Callable[[int], list[tuple[int, LookupResult]]] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.settings = settings
        self.on_progress = on_progress
        self.on_rows = on_rows
        self.progress_interval = progress_interval
        self.network_pause_after = network_pause_after or max(10, 2 * settings.concurrency)
        self._clock = clock
        # Answers rows before any call (the offline padrón, core/padron/sources.py); runs in a thread, after
        # "only failed" resets and before the pending rows are read, and returns what it recorded.
        self.pre_resolve = pre_resolve
        self.state = JobState.PENDING
        self.job_id: int | None = None
        self._gate: asyncio.Event | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._halted: tuple[JobState, str, str] | None = None
        self.limiter = AdaptiveLimiter(settings.concurrency)
        self.hooks = RunHooks(settings.retry_budget, self.limiter)
        # readable before run() starts (a GUI may ask for a snapshot)
        self.total = 0
        self.counts: dict[LookupStatus, int] = {s: 0 for s in LookupStatus}
        self.in_flight = 0
        self.cache_hits = 0
        self._meter = RateMeter(clock=clock)
        self._started = clock()
        self._requests0 = 0

    # -- control (call from the loop thread) ------------------------------------------------------------
    def pause(self) -> None:
        if self.state is JobState.RUNNING and self._gate is not None and self._halted is None:
            self._gate.clear()
            self.state = JobState.PAUSED
            self.store.update_job(self.job_id, state=JobState.PAUSED, message=MSG_PAUSED)

    def resume(self) -> None:
        if self.state is JobState.PAUSED and self._gate is not None and self._halted is None:
            self.state = JobState.RUNNING
            self.store.update_job(self.job_id, state=JobState.RUNNING, message="")
            self._gate.set()

    def cancel(self) -> None:
        if self._workers:
            self._halt(JobState.CANCELLED, MSG_CANCELLED, StopReason.CANCELLED)

    def _halt(self, state: JobState, message: str, reason: str) -> None:
        """Stop every worker now; the first reason wins. Rows in flight stay pending on disk."""
        if self._halted is not None:
            return
        self._halted = (state, message, reason)
        me = asyncio.current_task()
        for task in self._workers:
            if task is not me:
                task.cancel()
        if self._gate is not None:
            self._gate.set()

    # -- the run ---------------------------------------------------------------------------------------------
    async def run(self, job_id: int, *, force_refresh: bool = False, only_failed: bool = False) -> JobSummary:
        job = self.store.get_job(job_id)
        if job is None:
            raise InputError(f"No existe la ejecución {job_id}. Usa «migo jobs» para ver las que hay.")
        self.store.lock_job(job_id)  # one process per job (JobBusy names the holder); released in _finish
        self.job_id = job_id
        self._force = force_refresh
        # Whole-job queries (100k rows: ~0.5 s) run in a thread so a GUI loop never stalls on them.
        store = self.store
        if only_failed:
            await asyncio.to_thread(store.reset_rows, job_id, states=[LookupStatus.ERROR])
        pre = await asyncio.to_thread(self.pre_resolve, job_id) if self.pre_resolve else []
        self.total = job.total
        self.counts = await asyncio.to_thread(store.count_states, job_id)
        self._queue: deque[tuple[int, IdKind, str]] = deque(
            await asyncio.to_thread(store.pending_rows, job_id)
        )
        self._dups = await asyncio.to_thread(store.duplicates, job_id) if self.on_rows else {}
        self._updates: list[RowUpdate] = []
        for idx, result in pre if self.on_rows else ():
            self._updates.append(RowUpdate(idx, result.status, result, result.message))
            self._updates += [RowUpdate(d, LookupStatus.DUPLICATE, result) for d in self._dups.get(idx, ())]
        self._wbuf: list[tuple[int, LookupResult]] = []
        self._flush_fut: asyncio.Future[None] | None = None
        self._streak: list[tuple[int, str]] = []
        self._errors: dict[str, int] = {}
        self.cache_hits = 0
        self.in_flight = 0
        self._meter = RateMeter(clock=self._clock)
        self._ratecap = RateCap(self.settings.requests_per_minute, clock=self._clock)
        self._gate = asyncio.Event()
        self._gate.set()
        self._halted = None
        self._started = self._clock()
        self._requests0 = self._client_requests()
        self.limiter = AdaptiveLimiter(self.settings.concurrency)  # fresh per run: budget and limit
        self.hooks = RunHooks(self.settings.retry_budget, self.limiter)
        self.state = JobState.RUNNING
        await asyncio.to_thread(store.update_job, job_id, state=JobState.RUNNING, message="")
        workers = min(self.settings.concurrency, max(1, len(self._queue)))
        self._workers = [asyncio.create_task(self._worker(), name=f"bulk-worker-{i}") for i in range(workers)]
        ticker = asyncio.create_task(self._ticker(), name="bulk-progress")
        interrupted = False
        failure: BaseException | None = None
        try:
            await asyncio.wait(self._workers)
        except asyncio.CancelledError:
            interrupted = True
            self._halt(JobState.PAUSED, MSG_INTERRUPTED, StopReason.CANCELLED)
            raise
        finally:
            for task in self._workers:
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            for task in self._workers:
                if not task.cancelled() and task.exception() is not None and failure is None:
                    failure = task.exception()
            self._workers = []
            if self._wbuf:  # answers received but not yet committed: persist them before the summary
                self._flush()
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            summary = self._finish(failure)
            if interrupted:
                log.info("bulk job %s interrupted; state saved", job_id)
        if failure is not None:
            raise failure
        return summary

    def _finish(self, failure: BaseException | None) -> JobSummary:
        if failure is not None and self._halted is None:
            log.error("bulk job %s failed", self.job_id, exc_info=failure)
            self._halted = (
                JobState.PAUSED,
                f"Error inesperado: {type(failure).__name__}.",
                StopReason.FAILED,
            )
        pending = self.counts[LookupStatus.PENDING]
        if self._halted is not None:
            state, message, reason = self._halted
        elif pending == 0:
            state, message, reason = JobState.COMPLETED, MSG_DONE, None
        else:  # all workers ended with rows left: only possible if rows were re-queued during a stop
            state, message, reason = JobState.PAUSED, MSG_INTERRUPTED, StopReason.CANCELLED
        if state is not JobState.COMPLETED and pending == 0 and reason == StopReason.CANCELLED:
            state, message, reason = JobState.COMPLETED, MSG_DONE, None
        self.state = state
        requests = self._client_requests() - self._requests0
        self.store.update_job(self.job_id, state=state, message=message, add_api_calls=requests,
                              add_cache_hits=self.cache_hits, add_retries=self.hooks.retries,
                              finished=state is JobState.COMPLETED)  # fmt: skip
        self.counts = self.store.count_states(self.job_id)
        self.store.unlock_job(self.job_id)
        self._emit(message)
        return JobSummary(
            job_id=self.job_id, state=state, total=self.total, counts=dict(self.counts), requests=requests,
            cache_hits=self.cache_hits, retries=self.hooks.retries, elapsed=self._clock() - self._started,
            message=message, reason=reason, errors=dict(self._errors),
        )  # fmt: skip

    def _client_requests(self) -> int:
        stats = getattr(self.client, "stats", None)
        return int(getattr(stats, "requests", 0))

    # -- workers ---------------------------------------------------------------------------------------------
    async def _worker(self) -> None:
        gate, queue, s = self._gate, self._queue, self.settings
        while self._halted is None:
            if not gate.is_set():
                await gate.wait()
                continue
            if not queue:
                return
            item = queue.popleft()
            idx, kind, number = item
            if not self._force:
                hit = self.store.cache_get(
                    kind, number, ttl_found=s.cache_ttl_found, ttl_not_found=s.cache_ttl_not_found
                )
                if hit is not None:
                    await self._answer(idx, hit)
                    continue
            await self.limiter.acquire()
            try:
                if self._halted is not None or not gate.is_set():
                    queue.appendleft(item)
                    continue
                await self._ratecap.wait()
                if self._halted is not None:
                    return
                await self._lookup(idx, kind, number)
            finally:
                self.limiter.release()

    async def _lookup(self, idx: int, kind: IdKind, number: str) -> None:
        call = self.client.ruc if kind is IdKind.RUC else self.client.dni
        self.in_flight += 1
        try:
            result: LookupResult = await call(number, hooks=self.hooks)
        except (AuthError, QuotaExceeded) as exc:
            reason = StopReason.QUOTA if isinstance(exc, QuotaExceeded) else StopReason.AUTH
            self._halt(JobState.STOPPED, exc.user_message, reason)
            return
        except ApiUnavailable as exc:
            if exc.budget_exhausted:
                self._halt(JobState.PAUSED, exc.user_message, StopReason.BUDGET)
                return
            self._row_error(idx, LookupStatus.ERROR, _short_reason(exc), exc)
            self._streak.append((idx, _short_reason(exc)))
            if len(self._streak) >= self.network_pause_after:
                # Network down, not thousands of bad rows: the streak goes back to pending, the job pauses.
                self.store.reset_rows(self.job_id, idxs=[i for i, _ in self._streak])
                for i, why in self._streak:
                    self._count(LookupStatus.ERROR, LookupStatus.PENDING)
                    self._errors[why] -= 1
                    self._updates.append(RowUpdate(i, LookupStatus.PENDING))
                self._errors = {k: v for k, v in self._errors.items() if v > 0}
                self._halt(JobState.PAUSED, MSG_NETWORK.format(n=len(self._streak)), StopReason.NETWORK)
            return
        except InvalidRequest as exc:
            self._row_error(idx, LookupStatus.INVALID, exc.user_message, exc)
            return
        except ApiError as exc:  # ApiFailure and anything else the API said: this row only
            self._row_error(idx, LookupStatus.ERROR, exc.user_message, exc)
            return
        finally:
            self.in_flight -= 1
        await self._answer(idx, result)

    # -- bookkeeping (persist first, then count) ---------------------------------------------------------
    def _count(self, old: LookupStatus, new: LookupStatus) -> None:
        self.counts[old] -= 1
        self.counts[new] += 1

    async def _answer(self, idx: int, result: LookupResult) -> None:
        """Queue the answer for the next group commit and wait until it is on disk; it is counted then.

        A worker holds its answer until it is persisted, so at most ``concurrency`` paid answers can be
        lost to a hard kill (those in flight or awaiting this commit).
        """
        self._wbuf.append((idx, result))
        fut = self._flush_fut
        if fut is None:
            fut = self._flush_fut = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(self._flush)
        await asyncio.shield(fut)

    def _flush(self) -> None:
        batch, self._wbuf = self._wbuf, []
        fut, self._flush_fut = self._flush_fut, None
        try:
            self.store.record_answers(self.job_id, batch)
        except Exception as exc:
            if fut is not None and not fut.done():
                fut.set_exception(exc)
                fut.exception()  # retrieved: the workers re-raise it
            return
        for idx, result in batch:
            self._count(LookupStatus.PENDING, result.status)
            if result.from_cache:
                self.cache_hits += 1
            else:
                self._meter.add()
                self.limiter.on_success()
                self._streak.clear()
            if self.on_rows is not None:
                self._updates.append(RowUpdate(idx, result.status, result, result.message))
                for dup in self._dups.get(idx, ()):
                    self._updates.append(RowUpdate(dup, LookupStatus.DUPLICATE, result))
        if fut is not None and not fut.done():
            fut.set_result(None)

    def _row_error(self, idx: int, status: LookupStatus, reason: str, exc: Exception) -> None:
        self.store.mark_row(
            self.job_id, idx, status, reason, error=f"{type(exc).__name__}: {exc.detail or ''}"
        )
        self._count(LookupStatus.PENDING, status)
        self._meter.add()
        if status is LookupStatus.ERROR:
            self._errors[reason] = self._errors.get(reason, 0) + 1
        if self.on_rows is not None:
            self._updates.append(RowUpdate(idx, status, None, reason))

    # -- progress -------------------------------------------------------------------------------------------
    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.progress_interval)
            self._emit("")

    def snapshot(self, message: str = "") -> Progress:
        pending = self.counts[LookupStatus.PENDING]
        rate = self._meter.rate()
        return Progress(
            job_id=self.job_id, total=self.total, counts=dict(self.counts), done=self.total - pending,
            in_flight=self.in_flight, requests=self._client_requests() - self._requests0,
            cache_hits=self.cache_hits, retries=self.hooks.retries, rate=rate,
            eta_seconds=(pending / rate) if rate > 0 else (0.0 if pending == 0 else None),
            concurrency=self.limiter.limit, state=self.state, message=message,
            elapsed=self._clock() - self._started,
        )  # fmt: skip

    def _emit(self, message: str) -> None:
        if self.on_rows is not None and self._updates:
            batch, self._updates = self._updates, []
            self._safe(self.on_rows, batch)
        if self.on_progress is not None:
            self._safe(self.on_progress, self.snapshot(message))

    @staticmethod
    def _safe(callback: Callable[[Any], None], arg: Any) -> None:
        try:
            callback(arg)
        except Exception:  # a broken listener must not kill the run
            log.exception("progress listener failed")


def _short_reason(exc: ApiUnavailable) -> str:
    base = "Servicio de Migo no disponible"
    return f"{base} ({exc.detail})" if exc.detail else base
