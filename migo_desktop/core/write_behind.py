"""Write-behind for a bulk run: answers and row verdicts are persisted off the request path, by group commit.

A worker hands its answer over and takes the next row at once. A writer thread commits what has arrived, in
one transaction; answers that arrive while it is busy form the next batch, sent as soon as it is free. So
batches grow with the load by themselves, the event loop (the GUI thread, in the app) never waits for
SQLite, and the answers off disk at any moment are only those of the commit in progress and the next one —
usually one or two. ``bench/ui_responsiveness.py``: the commits had cost ~80 ms of the GUI thread per 1,000
answers, and a WAL checkpoint inside one could hold it for 20 ms.

Crash-loss bound: the batch being committed and the one filling up never hold more than ``limit`` (the run's
concurrency) between them. When an answer brings them to ``limit`` while the writer is still busy (a disk
slower than the answers arrive), the loop waits for the commit in progress: a hard kill loses at most
``limit`` paid answers — a rerun pays at most N + C. Rows are counted (and shown) only once their batch is on
disk, in the order they came.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from .models import LookupResult, LookupStatus
from .store import Store

__all__ = ["Verdict", "WriteBehind"]

log = logging.getLogger(__name__)


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
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._store = store
        self._job_id = job_id
        self._on_flushed = on_flushed
        self._on_failure = on_failure
        self._limit = limit
        self._buffer: list[Entry] = []
        self._writer: ThreadPoolExecutor | None = None
        self._committing: tuple[Future[None], list[Entry]] | None = None
        self._failed = False
        self.batches = 0
        # The most entries off disk at once (the crash-loss bound, for tests and benches).
        self.largest = 0

    def __len__(self) -> int:
        """Entries not yet on disk (the one being committed included)."""
        return len(self._buffer) + (len(self._committing[1]) if self._committing else 0)

    def answer(self, idx: int, result: LookupResult) -> None:
        self._add((idx, result))

    def verdict(self, verdict: Verdict) -> None:
        self._add(verdict)

    def _add(self, entry: Entry) -> None:
        self._buffer.append(entry)
        self.largest = max(self.largest, len(self))
        self._flush(wait=len(self) >= self._limit)

    def flush(self) -> None:
        """Send what is buffered to the writer now, or as soon as the commit in progress ends."""
        self._flush(wait=False)

    def _flush(self, *, wait: bool) -> None:
        """``wait``: the bound is reached — block until what is on its way to disk is there, so that no
        more than ``limit`` answers are ever off disk at once."""
        if self._committing is not None:
            if not self._committing[0].done() and not wait:
                return  # _committed() sends the buffer when the writer is free
            self._committing[0].exception()  # blocks until the commit ends
            self._settle()
        if self._failed:
            self._buffer = []
            return
        if self._buffer:
            batch, self._buffer = self._buffer, []
            if self._writer is None:
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="migo-write-behind")
            loop = asyncio.get_running_loop()
            future = self._writer.submit(self._write, batch)
            self._committing = (future, batch)
            future.add_done_callback(lambda f: loop.call_soon_threadsafe(self._committed, f))
        if wait and self._committing is not None and len(self) >= self._limit:
            self._committing[0].exception()  # a full batch was just sent (limit 1, or a slow writer)
            self._settle()

    async def drain(self) -> None:
        """Commit everything (the run is ending) without blocking the loop, then stop the writer thread."""
        try:
            self.flush()
            while self._committing is not None:
                future = self._committing[0]
                await asyncio.wrap_future(future)
                if self._committing is not None and self._committing[0] is future:
                    self._settle()
                self.flush()
        finally:
            self.close()  # cancelled meanwhile (quit): what is left is committed before the summary anyway

    def close(self) -> None:
        """Commit everything now, waiting for the writer, and stop it."""
        while self._committing is not None or (self._buffer and not self._failed):
            if self._committing is not None:
                self._committing[0].exception()
                self._settle()
            self.flush()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def _committed(self, future: Future[None]) -> None:
        if self._committing is None or self._committing[0] is not future:
            return  # already settled by a waiting flush()
        self._settle()
        self.flush()  # what arrived meanwhile: the next batch

    def _settle(self) -> None:
        """Report the batch whose commit ended (in order, on the loop) and free the writer."""
        assert self._committing is not None
        future, batch = self._committing
        self._committing = None
        exc = future.exception()
        if exc is not None:
            self._failed = True  # the run stops: nothing more is written
            self._on_failure(exc)
            return
        self.batches += 1
        self._on_flushed(batch)

    def _write(self, batch: list[Entry]) -> None:
        """In the writer thread: one transaction for the answers, then the verdicts."""
        answers = [e for e in batch if not isinstance(e, Verdict)]
        try:
            if answers:
                self._store.record_answers(self._job_id, answers)
            for v in batch:
                if isinstance(v, Verdict):
                    self._store.mark_row(self._job_id, v.idx, v.status, v.reason, error=v.error)
        except Exception:  # disk full, a locked or corrupt database: the run must stop
            log.error("bulk job %s: could not persist %d answers", self._job_id, len(batch), exc_info=True)
            raise
