"""BulkEngine: runs a stored job's pending rows through MigoClient: polite, crash-proof, never paying twice.

``settings.concurrency`` worker tasks take rows from a ``RowQueue``. Each serves fresh cache hits without a
call; otherwise it is admitted (the global ``Pacer``: holds, Laravel-window pacing and starts spread evenly
over the round trip; the adaptive limiter; the optional per-minute cap) and makes **one** attempt. A failed
attempt (5xx, timeout, reset, 429) puts the row back with a not-before time — its backoff or
``Retry-After`` — and the worker serves another row at once: no slot is held while a row waits, and a hung
request holds only its own slot. Rows that used up their attempts while the service was answering others
get one more round at the end of the run before they become ERROR. Answers go to the store by write-behind
(``write_behind.py``): at most ``concurrency`` paid answers can be lost to a hard kill. Rows never hold a
"running" state on disk.

Run outcomes (``JobSummary.state``):
- completed — no pending rows left (rows may be OK, NOT_FOUND, INVALID, DUPLICATE or ERROR);
- stopped   — 401/403 or quota: every worker is cancelled at once (at most the requests already in flight);
- paused    — the run's retry budget is spent, or many consecutive rows found the service unavailable
              (network down), or ``stop()`` / the task running ``run()`` was cancelled (quit/Ctrl-C);
- cancelled — ``cancel()``; run again to resume.
``pause()`` keeps ``run()`` alive (in-flight requests finish, workers wait) until ``resume()``/``cancel()``.
A bad answer (unreadable, too large, absurdly nested, wrong shape) is an ERROR on its row with the reason;
a resume does not retry ERROR rows unless asked (``only_failed=True``, ``migo bulk --reintentar-fallidos``).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import random
import time
from collections.abc import Callable

from .client import format_wait
from .engine_state import MSG_INTERRUPTED, EngineState, short_reason
from .errors import ApiError, ApiUnavailable, AuthError, InputError, InvalidRequest, QuotaExceeded
from .lookup_client import LookupClient, SingleAttemptClient
from .models import IdKind, LookupResult, LookupStatus
from .pacing import Pacer
from .progress import JobSummary, Progress, RowUpdate, StopReason
from .retry import backoff_delay
from .row_queue import QueuedRow, RowQueue
from .settings import ApiSettings
from .store import JobState, Store
from .throttle import AdaptiveLimiter, RateCap, RowHooks, RunHooks
from .write_behind import Verdict, WriteBehind

__all__ = ["BulkEngine", "JobSummary", "Progress", "RowUpdate", "StopReason"]

log = logging.getLogger(__name__)

CLAIMED_RETRY = 0.5  # seconds before a row another process is paying for is looked at again
MAX_THROTTLED = 50  # 429s one row may see before they count as failed attempts
SLOW_REQUEST = 3.0  # seconds after which a request stops counting against the adaptive limit (the client's
# semaphore still bounds real connections at ``concurrency``): hung requests cannot starve a reduced limit
MSG_LONG_WAIT = "El servicio de Migo pidió esperar {asked}; se reintentará en {wait} (máximo configurado)."
MSG_UNEXPECTED = "La respuesta de la API no se pudo procesar ({kind}). Fila marcada como ERROR."


class BulkEngine(EngineState):
    def __init__(
        self,
        client: LookupClient,
        store: Store,
        settings: ApiSettings,
        *,
        on_progress: Callable[[Progress], None] | None = None,
        on_rows: Callable[[list[RowUpdate]], None] | None = None,
        progress_interval: float = 0.2,
        network_pause_after: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        rnd: Callable[[], float] = random.random,
        pre_resolve: Callable[[int], list[tuple[int, LookupResult]]] | None = None,
    ) -> None:
        super().__init__(store, settings, on_progress, on_rows, progress_interval, clock)
        self.client = client
        # Answers rows before any call (the offline padrón, core/padron/sources.py); runs in a thread, after
        # "only failed" resets and before the pending rows are read, and returns what it recorded.
        self.pre_resolve = pre_resolve
        self.network_pause_after = network_pause_after or max(10, 2 * settings.concurrency)
        self._rnd = rnd
        # Clients that can make one attempt per call (MigoClient) let the engine re-queue rows itself.
        self._single: SingleAttemptClient | None = (
            client
            if isinstance(client, SingleAttemptClient)
            and client.single_attempt
            and "retry" in inspect.signature(client.ruc).parameters
            else None
        )

    # -- the run ---------------------------------------------------------------------------------------------
    async def run(self, job_id: int, *, force_refresh: bool = False, only_failed: bool = False) -> JobSummary:
        job = self.store.get_job(job_id)
        if job is None:
            raise InputError(
                f"No existe la consulta masiva n.º {job_id}. Usa «migo jobs» para ver las que hay."
            )
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
        pending = await asyncio.to_thread(store.pending_rows, job_id)
        self._dups = await asyncio.to_thread(store.duplicates, job_id) if self.on_rows else {}
        # Fresh cache hits are answered before the run, in one pass in a thread (a rerun of 100k rows does
        # not go through the workers one by one); the rest are looked up again right before paying, since
        # another process may have paid for them meanwhile.
        cached = [] if force_refresh else await asyncio.to_thread(self._answer_from_cache, job_id, pending)
        served = {idx for idx, _ in cached}
        self._queue = RowQueue(
            (QueuedRow(i, k, n) for i, k, n in pending if i not in served), clock=self._clock
        )
        self._wb = WriteBehind(
            store,
            job_id,
            on_flushed=self._flushed,
            on_failure=self._store_failed,
            limit=self.settings.concurrency,
        )
        self._reset_run_state()
        self._flushed(list(cached))  # counted (and shown) like any answer on disk
        for idx, result in pre if self.on_rows else ():
            self._updates.append(RowUpdate(idx, result.status, result, result.message))
            self._updates += [RowUpdate(d, LookupStatus.DUPLICATE, result) for d in self._dups.get(idx, ())]
        self.pacer = Pacer(clock=self._clock, concurrency=self.settings.concurrency)
        self.limiter = AdaptiveLimiter(self.settings.concurrency)  # fresh per run: budget and limit
        self.hooks = RunHooks(self.settings.retry_budget, self.limiter)
        self._ratecap = RateCap(self.settings.requests_per_minute, clock=self._clock)
        self._last_round: list[QueuedRow] = []
        self._streak = 0
        self._answered = 0  # API answers this run (the service is "otherwise answering")
        self._requests0 = self._client_requests()
        self.state = JobState.RUNNING
        await asyncio.to_thread(store.update_job, job_id, state=JobState.RUNNING, message="")
        workers = min(self.settings.concurrency, max(1, len(pending)))
        self._workers = [asyncio.create_task(self._worker(), name=f"bulk-worker-{i}") for i in range(workers)]
        ticker = asyncio.create_task(self._ticker(), name="bulk-progress")
        failure: BaseException | None = None
        # WAL checkpoints (copying the log into the database, with an fsync) ran inside a commit on the loop
        # now and then, 20-30 ms each: during a run the write-behind runs them in a thread (Store.checkpoint).
        store.defer_checkpoints()
        try:
            await asyncio.wait(self._workers)
        except asyncio.CancelledError:
            self._halt(JobState.PAUSED, MSG_INTERRUPTED, StopReason.CANCELLED)
            log.info("bulk job %s interrupted; state saved", job_id)
            raise
        finally:
            for task in self._workers:
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            for task in self._workers:
                if not task.cancelled() and task.exception() is not None and failure is None:
                    failure = task.exception()
            self._workers = []
            if self._drain_timer is not None:
                self._drain_timer.cancel()
            self._wb.flush()  # answers received but not yet committed: persist them before the summary
            store.restore_checkpoints()
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            failure = failure or self._store_error
            summary = self._finish(failure)
            self._done(summary)
        if failure is not None:
            raise failure
        return summary

    # -- workers ---------------------------------------------------------------------------------------------
    async def _worker(self) -> None:
        gate, queue, s = self._gate, self._queue, self.settings
        while self._halted is None and not self._draining:
            if not gate.is_set():
                await gate.wait()
                continue
            row = await queue.take(idle=self._idle)
            if row is None:
                return
            try:
                if not self._force and not row.last_round:
                    # Another process may have paid for it since the run's cache check (or be paying now).
                    hit = self.store.cache_get(
                        row.kind, row.number, ttl_found=s.cache_ttl_found, ttl_not_found=s.cache_ttl_not_found
                    )
                    if hit is not None:
                        self._wb.answer(row.idx, hit)
                        continue
                if not self.store.claim_lookup(row.kind, row.number):  # another process is paying for it:
                    queue.put(row, delay=CLAIMED_RETRY)  # back when its answer is in the shared cache
                    continue
                await self._serve(row)
            finally:
                queue.settle()

    async def _serve(self, row: QueuedRow) -> None:
        await self.limiter.acquire()
        held = [True]

        def let_go() -> None:  # a request this slow is probably hung: it must not shrink the others' room
            if held[0]:
                held[0] = False
                self.limiter.release()

        timer: asyncio.TimerHandle | None = None
        try:
            await self._ratecap.wait()
            sent = await self.pacer.admit(self._left)  # global holds and Laravel-window pacing
            if self._halted is not None or self._draining or not self._gate.is_set():
                self._queue.put(row, front=True)
                return
            timer = asyncio.get_running_loop().call_later(SLOW_REQUEST, let_go)
            await self._attempt(row, sent)
        finally:
            if timer is not None:
                timer.cancel()
            let_go()

    async def _attempt(self, row: QueuedRow, sent: float) -> None:
        hooks = RowHooks(self.hooks)
        self.in_flight += 1
        try:
            result: LookupResult
            if self._single is not None:
                one = self._single.ruc if row.kind is IdKind.RUC else self._single.dni
                result = await one(row.number, hooks=hooks, retry=False)
            else:
                call = self.client.ruc if row.kind is IdKind.RUC else self.client.dni
                result = await call(row.number, hooks=hooks)
        except (AuthError, QuotaExceeded) as exc:
            reason = StopReason.QUOTA if isinstance(exc, QuotaExceeded) else StopReason.AUTH
            self._halt(JobState.STOPPED, exc.user_message, reason)
            return
        except ApiUnavailable as exc:
            self.pacer.on_answer(sent, exc.status or 0, hooks.limit, hooks.remaining)
            if exc.budget_exhausted:
                self._halt(JobState.PAUSED, exc.user_message, StopReason.BUDGET)
            else:
                self._failed_attempt(row, exc, sent)
            return
        except InvalidRequest as exc:
            self._answered += 1
            self._verdict(row.idx, LookupStatus.INVALID, exc.user_message, exc)
            return
        except ApiError as exc:  # ApiFailure and anything else the API said: this row only
            self._answered += 1
            self._verdict(row.idx, LookupStatus.ERROR, exc.user_message, exc)
            return
        except Exception as exc:  # a poisoned answer must not kill the run: an ERROR on its row
            log.exception("bulk job %s: unexpected failure on row %d", self.job_id, row.idx)
            self._verdict(row.idx, LookupStatus.ERROR, MSG_UNEXPECTED.format(kind=type(exc).__name__), exc)
            return
        finally:
            self.in_flight -= 1
        self.pacer.on_answer(sent, hooks.status or 200, hooks.limit, hooks.remaining)
        self._answered += 1
        self._streak = 0
        self.limiter.on_success()
        self._wb.answer(row.idx, result)

    def _failed_attempt(self, row: QueuedRow, exc: ApiUnavailable, sent: float) -> None:
        """Put the row back for later (backoff / Retry-After), or give up on it for this round."""
        s = self.settings
        row.reason = short_reason(exc)
        if exc.reason == "throttled" and row.throttled < MAX_THROTTLED:
            row.throttled += 1
            spent = self.pacer.on_throttled(sent, exc.retry_after, spent=exc.window_spent)
            if not spent and self.pacer.limit is None and self.pacer.recent_throttled() >= 2:
                # Without rate headers, 429s that are not lone mean "slower": halve the concurrency (at
                # most once a second; successes give it back). A lone 429 only re-queues its row.
                self.limiter.on_throttled()
            if exc.asked_wait is not None and exc.asked_wait > s.retry_after_cap:
                wait = exc.retry_after if exc.retry_after is not None else s.retry_after_cap
                self._notice = MSG_LONG_WAIT.format(asked=format_wait(exc.asked_wait), wait=format_wait(wait))
                self._notice_until = self._clock() + wait
            if exc.retry_after is not None:
                delay = exc.retry_after
            else:
                delay = backoff_delay(min(row.throttled, 6), base=s.backoff_base, maximum=s.backoff_max,
                                      rnd=self._rnd())  # fmt: skip
            self.hooks.on_retry("throttled", 429, delay)
            self._queue.put(row, delay=delay)
            return
        row.failures = row.failures + 1 if self._single else s.max_retries + 1
        self._streak += 1  # failed attempts in a row, across rows; any answer resets it
        if self._streak >= self.network_pause_after:
            # Network down, not thousands of bad rows: the rows stay pending, the job pauses.
            self._queue.put(row, front=True)
            self._halt(JobState.PAUSED, _NETWORK_MESSAGE.format(n=self._streak), StopReason.NETWORK)
            return
        if row.failures <= s.max_retries:
            if not self.hooks.allow_retry():
                self._queue.put(row, front=True)  # stays pending: the run pauses
                self._halt(JobState.PAUSED, _BUDGET_MESSAGE, StopReason.BUDGET)
                return
            delay = backoff_delay(row.failures - 1, base=s.backoff_base, maximum=s.backoff_max,
                                  rnd=self._rnd(), retry_after=exc.retry_after)  # fmt: skip
            self.hooks.on_retry(exc.reason or "error", exc.status, delay)
            self._queue.put(row, delay=delay)
            return
        if row.last_round:
            self._verdict(row.idx, LookupStatus.ERROR, row.reason, exc)
        else:
            self._last_round.append(row)

    def _answer_from_cache(
        self, job_id: int, pending: list[tuple[int, IdKind, str]]
    ) -> list[tuple[int, LookupResult]]:
        """In a worker thread: record the pending rows the cache answers (fresh entries only)."""
        s = self.settings
        hits = self.store.cache_get_many(
            ((k, n) for _, k, n in pending), ttl_found=s.cache_ttl_found, ttl_not_found=s.cache_ttl_not_found
        )
        answered = [(i, hits[(k, n)]) for i, k, n in pending if (k, n) in hits]
        if answered:
            self.store.record_answers(job_id, answered)
        return answered

    def _left(self) -> int:
        return len(self._queue) + 1 + len(self._last_round)

    def _idle(self) -> bool:
        """Nothing left to serve: send the rows that ran out of attempts round once more, or end."""
        rows, self._last_round = self._last_round, []
        if not rows or self._halted is not None or self._draining:
            return True
        if self._answered == 0:  # the service answered nothing at all this run: no point insisting
            for row in rows:
                self._verdict(row.idx, LookupStatus.ERROR, row.reason, None)
            return True
        log.info("bulk job %s: %d rows get one more round at the end", self.job_id, len(rows))
        for row in rows:
            row.failures, row.last_round = 0, True
        self._queue.extend(rows)
        return False

    def _verdict(self, idx: int, status: LookupStatus, reason: str, exc: BaseException | None) -> None:
        detail = getattr(exc, "detail", None) or ""
        error = f"{type(exc).__name__}: {detail}" if exc is not None else ""
        self._wb.verdict(Verdict(idx, status, reason, error))

    def _client_requests(self) -> int:
        stats = getattr(self.client, "stats", None)
        return int(getattr(stats, "requests", 0))


_BUDGET_MESSAGE = (
    "Se agotó el margen de reintentos de esta ejecución porque el servicio de Migo falla demasiado. "
    "La ejecución quedó en pausa: reanúdala en unos minutos."
)
_NETWORK_MESSAGE = (
    "La consulta se pausó: {n} consultas seguidas fallaron porque el servicio de Migo no responde "
    "(¿sin conexión a internet?). Revisa tu conexión y reanuda: lo ya consultado queda guardado."
)
