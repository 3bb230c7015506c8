"""The bulk engine's control and bookkeeping half: pause/resume/cancel/stop, counting what the write-behind
persisted, progress snapshots and the final summary. ``BulkEngine`` (engine.py) adds the workers.

``stop(drain_timeout)`` is the clean way out for a quit or a Ctrl-C: no new row is started, the requests in
flight get up to ``drain_timeout`` seconds to answer and their answers are persisted (they were paid for);
whatever is still in flight after that is abandoned and stays pending, so a resume asks for it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from .errors import ApiUnavailable, MigoError
from .lookup_client import LookupClient
from .models import LookupResult, LookupStatus
from .progress import JobSummary, Progress, RateMeter, RowUpdate, StopReason
from .settings import ApiSettings
from .store import JobState, Store
from .throttle import AdaptiveLimiter, RunHooks
from .write_behind import Entry, Verdict

__all__ = ["EngineState", "MSG_CANCELLED", "MSG_DONE", "MSG_INTERRUPTED", "MSG_PAUSED", "short_reason"]

log = logging.getLogger(__name__)

MSG_DONE = "Consulta terminada."
MSG_CANCELLED = "Consulta cancelada. Puedes reanudarla cuando quieras: lo ya consultado queda guardado."
MSG_INTERRUPTED = "Consulta interrumpida. Puedes reanudarla: lo ya consultado queda guardado."
MSG_PAUSED = "Consulta en pausa."
MSG_STORE = "No se pudo guardar el avance en la base de datos local: {why}. La consulta se detuvo."


def short_reason(exc: ApiUnavailable) -> str:
    base = "Servicio de Migo no disponible"
    return f"{base} ({exc.detail})" if exc.detail else base


class EngineState:
    job_id: Any
    client: LookupClient

    def __init__(
        self,
        store: Store,
        settings: ApiSettings,
        on_progress: Callable[[Progress], None] | None,
        on_rows: Callable[[list[RowUpdate]], None] | None,
        progress_interval: float,
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self.settings = settings
        self.on_progress = on_progress
        self.on_rows = on_rows
        self.progress_interval = progress_interval
        self._clock = clock
        self.state = JobState.PENDING
        self.job_id = None
        self._gate = asyncio.Event()
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
        self._draining = False
        self._drain_timer: asyncio.TimerHandle | None = None
        self._finished: asyncio.Future[JobSummary] | None = None
        self._store_error: BaseException | None = None
        self._notice = ""
        self._notice_until = 0.0
        self._dups: dict[int, list[int]] = {}
        self._updates: list[RowUpdate] = []
        self._errors: dict[str, int] = {}

    def _reset_run_state(self) -> None:
        self._updates = []
        self._errors = {}
        self.cache_hits = 0
        self.in_flight = 0
        self._meter = RateMeter(clock=self._clock)
        self._gate = asyncio.Event()
        self._gate.set()
        self._halted = None
        self._draining = False
        self._drain_timer = None
        self._store_error = None
        self._notice, self._notice_until = "", 0.0
        self._finished = asyncio.get_running_loop().create_future()
        self._started = self._clock()

    # -- control (call from the loop thread) ------------------------------------------------------------
    def pause(self) -> None:
        if self.state is JobState.RUNNING and self._workers and self._halted is None and not self._draining:
            self._gate.clear()
            self.state = JobState.PAUSED
            self.store.update_job(self.job_id, state=JobState.PAUSED, message=MSG_PAUSED)

    def resume(self) -> None:
        if self.state is JobState.PAUSED and self._workers and self._halted is None and not self._draining:
            self.state = JobState.RUNNING
            self.store.update_job(self.job_id, state=JobState.RUNNING, message="")
            self._gate.set()

    def cancel(self) -> None:
        if self._workers:
            self._halt(JobState.CANCELLED, MSG_CANCELLED, StopReason.CANCELLED)

    def request_stop(self, drain_timeout: float = 5.0) -> None:
        """Take no new row; in-flight answers get ``drain_timeout`` s, then the rest is left pending."""
        if not self._workers or self._draining or self._halted is not None:
            return
        self._draining = True
        self._queue.close()
        self._gate.set()  # paused workers wake up and leave
        loop = asyncio.get_running_loop()
        self._drain_timer = loop.call_later(
            max(0.0, drain_timeout), self._halt, JobState.PAUSED, MSG_INTERRUPTED, StopReason.CANCELLED
        )

    async def stop(self, drain_timeout: float = 5.0) -> JobSummary | None:
        """``request_stop`` and wait for ``run()`` to end; returns its summary (None if no run was going)."""
        finished = self._finished
        if finished is None or finished.done() or not self._workers:
            return finished.result() if finished is not None and finished.done() else None
        self.request_stop(drain_timeout)
        return await asyncio.shield(finished)

    def _halt(self, state: JobState, message: str, reason: str) -> None:
        """Stop every worker now; the first reason wins. Rows in flight stay pending on disk."""
        if self._halted is not None:
            return
        self._halted = (state, message, reason)
        me = asyncio.current_task()
        for task in self._workers:
            if task is not me:
                task.cancel()
        self._gate.set()

    def _done(self, summary: JobSummary) -> None:
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(summary)

    # -- bookkeeping (what the write-behind persisted) ------------------------------------------------------
    _queue: Any

    def _count(self, old: LookupStatus, new: LookupStatus) -> None:
        self.counts[old] -= 1
        self.counts[new] += 1

    def _flushed(self, batch: list[Entry]) -> None:
        for entry in batch:
            if isinstance(entry, Verdict):
                self._count(LookupStatus.PENDING, entry.status)
                self._meter.add()
                if entry.status is LookupStatus.ERROR:
                    self._errors[entry.reason] = self._errors.get(entry.reason, 0) + 1
                if self.on_rows is not None:
                    self._updates.append(RowUpdate(entry.idx, entry.status, None, entry.reason))
                continue
            idx, result = entry
            self._answered_row(idx, result)

    def _answered_row(self, idx: int, result: LookupResult) -> None:
        self._count(LookupStatus.PENDING, result.status)
        if result.from_cache:
            self.cache_hits += 1
        else:
            self._meter.add()
        if self.on_rows is not None:
            self._updates.append(RowUpdate(idx, result.status, result, result.message))
            for dup in self._dups.get(idx, ()):
                self._updates.append(RowUpdate(dup, LookupStatus.DUPLICATE, result))

    def _store_failed(self, exc: BaseException) -> None:
        self._store_error = self._store_error or exc
        why = exc.user_message if isinstance(exc, MigoError) else type(exc).__name__
        self._halt(JobState.PAUSED, MSG_STORE.format(why=why), StopReason.FAILED)

    def _client_requests(self) -> int:
        raise NotImplementedError

    def _finish(self, failure: BaseException | None) -> JobSummary:
        if failure is not None and (self._halted is None or failure is self._store_error):
            log.error("bulk job %s failed", self.job_id, exc_info=failure)
            if self._halted is None:
                self._halted = (JobState.PAUSED, f"Error inesperado: {type(failure).__name__}.",
                                StopReason.FAILED)  # fmt: skip
        pending = self.counts[LookupStatus.PENDING]
        if self._halted is not None:
            state, message, reason = self._halted
        elif pending == 0:
            state, message, reason = JobState.COMPLETED, MSG_DONE, None
        else:  # workers ended with rows left: a stop() drained them
            state, message, reason = JobState.PAUSED, MSG_INTERRUPTED, StopReason.CANCELLED
        if state is not JobState.COMPLETED and pending == 0 and reason == StopReason.CANCELLED:
            state, message, reason = JobState.COMPLETED, MSG_DONE, None
        self.state = state
        requests = self._client_requests() - self._requests0
        try:
            self.store.update_job(self.job_id, state=state, message=message, add_api_calls=requests,
                                  add_cache_hits=self.cache_hits, add_retries=self.hooks.retries,
                                  finished=state is JobState.COMPLETED)  # fmt: skip
            self.counts = self.store.count_states(self.job_id)
        except Exception:
            if self._store_error is None:
                raise
            log.warning("bulk job %s: the final update failed too", self.job_id)
        finally:
            self.store.unlock_job(self.job_id)
        self._emit(message)
        return JobSummary(
            job_id=self.job_id, state=state, total=self.total, counts=dict(self.counts), requests=requests,
            cache_hits=self.cache_hits, retries=self.hooks.retries, elapsed=self._clock() - self._started,
            message=message, reason=reason, errors=dict(self._errors),
        )  # fmt: skip

    # -- progress -------------------------------------------------------------------------------------------
    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.progress_interval)
            notice = self._notice if self._clock() < self._notice_until else ""
            self._emit(notice)

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

    @property
    def stopping(self) -> bool:
        """True once ``stop()``/``request_stop()`` was called for the current run."""
        return self._draining
