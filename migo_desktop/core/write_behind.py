"""Write-behind for a bulk run: answers and row verdicts are persisted in small batches off the request path.

A worker hands its answer over and takes the next row at once. The batch is committed in one transaction
when it holds ``limit`` entries (the run's concurrency) or ``delay`` seconds after its first entry, whichever
comes first, so a hard kill loses at most ``limit`` paid answers — a rerun pays at most N + C. Waiting a
little instead of committing on the next loop turn matters at real latencies: answers arrive one per loop
turn there, and a transaction per answer cost ~0.3 ms of the GUI thread each (``bench/engine.py``).
Rows are counted (and shown) only once their batch is on disk. Every ``CHECKPOINT_EVERY`` batches the log
is checkpointed in a worker thread (the engine turns SQLite's automatic checkpoint off for the run: it ran
inside a commit, on the loop).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from .models import LookupResult, LookupStatus
from .store import Store

__all__ = ["Verdict", "WriteBehind"]

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 50  # batches (≤ C answers each) between two background checkpoints


@dataclass(frozen=True, slots=True)
class Verdict:
    """A final verdict without data: ERROR (with its reason) or INVALID (422)."""

    idx: int
    status: LookupStatus
    reason: str
    error: str = ""


Entry = tuple[int, LookupResult] | Verdict


class WriteBehind:
    def __init__(
        self,
        store: Store,
        job_id: int,
        *,
        on_flushed: Callable[[list[Entry]], None],
        on_failure: Callable[[BaseException], None],
        limit: int,
        delay: float = 0.05,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._store = store
        self._job_id = job_id
        self._on_flushed = on_flushed
        self._on_failure = on_failure
        self._limit = limit
        self._delay = delay
        self._buffer: list[Entry] = []
        self._scheduled: asyncio.TimerHandle | None = None
        self._checkpointing: asyncio.Future[None] | None = None
        self.batches = 0
        self.largest = 0  # the largest batch so far (the crash-loss bound, for tests and benches)

    def __len__(self) -> int:
        return len(self._buffer)

    def answer(self, idx: int, result: LookupResult) -> None:
        self._add((idx, result))

    def verdict(self, verdict: Verdict) -> None:
        self._add(verdict)

    def _add(self, entry: Entry) -> None:
        self._buffer.append(entry)
        if len(self._buffer) >= self._limit:
            self.flush()
        elif self._scheduled is None:
            self._scheduled = asyncio.get_running_loop().call_later(self._delay, self.flush)

    def flush(self) -> None:
        """Commit what is buffered now (also called directly when a run ends)."""
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
        batch, self._buffer = self._buffer, []
        if not batch:
            return
        answers = [e for e in batch if not isinstance(e, Verdict)]
        try:
            if answers:
                self._store.record_answers(self._job_id, answers)
            for v in batch:
                if isinstance(v, Verdict):
                    self._store.mark_row(self._job_id, v.idx, v.status, v.reason, error=v.error)
        except Exception as exc:  # disk full, a locked or corrupt database: the run must stop
            log.error("bulk job %s: could not persist %d answers", self._job_id, len(batch), exc_info=True)
            self._on_failure(exc)
            return
        self.batches += 1
        self.largest = max(self.largest, len(answers))
        if self.batches % CHECKPOINT_EVERY == 0:
            self._checkpoint()
        self._on_flushed(batch)

    def _checkpoint(self) -> None:
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        future = asyncio.get_running_loop().run_in_executor(None, self._store.checkpoint)
        self._checkpointing = future
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # checkpoint() logs its failures
