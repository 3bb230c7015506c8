"""The bulk run's work queue: rows ready now, rows waiting for a not-before time, and rows being served.

A row that failed an attempt goes back with a not-before time (its backoff or ``Retry-After``) and the slot
that served it takes the next ready row meanwhile: nobody sleeps while holding a slot. ``take()`` returns
None only when nothing is ready, nothing is waiting and no row is being served (a served row may still come
back), or when the queue is closed (a stop: workers finish what they hold and take nothing new).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import IdKind

__all__ = ["QueuedRow", "RowQueue"]


@dataclass(slots=True)
class QueuedRow:
    idx: int
    kind: IdKind
    number: str
    failures: int = 0  # failed attempts (5xx, timeouts, resets) in the current round
    throttled: int = 0  # 429s seen (not failures of the service: they do not use up attempts)
    last_round: bool = False  # already sent back once at the end of the run
    reason: str = ""  # why the last attempt failed (the ERROR reason if it never succeeds)


class RowQueue:
    def __init__(self, rows: Iterable[QueuedRow], *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._ready: deque[QueuedRow] = deque(rows)
        self._later: list[tuple[float, int, QueuedRow]] = []
        self._seq = itertools.count()
        self._waiters: list[asyncio.Future[None]] = []
        self.busy = 0  # rows taken and not yet settled
        self.closed = False

    def __len__(self) -> int:
        """Rows waiting (ready or for their not-before time), not counting those being served."""
        return len(self._ready) + len(self._later)

    @property
    def waiting_later(self) -> int:
        return len(self._later)

    def put(self, row: QueuedRow, *, delay: float = 0.0, front: bool = False) -> None:
        """Give a row back: ready now (``front``: served next) or after ``delay`` seconds."""
        if delay > 0:
            heapq.heappush(self._later, (self._clock() + delay, next(self._seq), row))
        elif front:
            self._ready.appendleft(row)
        else:
            self._ready.append(row)
        self._notify()

    def extend(self, rows: Iterable[QueuedRow]) -> None:
        self._ready.extend(rows)
        self._notify()

    def settle(self) -> None:
        """The row last taken by a worker is done with (answered, failed for good, or put back first)."""
        self.busy -= 1
        self._notify()

    def close(self) -> None:
        """Nothing more is handed out; waiting workers wake up and leave."""
        self.closed = True
        self._notify()

    def notify(self) -> None:
        self._notify()

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    def _due(self, now: float) -> None:
        later = self._later
        while later and later[0][0] <= now:
            self._ready.append(heapq.heappop(later)[2])

    async def take(self, *, idle: Callable[[], bool] = lambda: True) -> QueuedRow | None:
        """The next ready row (waiting for one if rows are delayed or still being served), or None.

        ``idle()`` is asked when nothing is left at all: True ends the run; False means it put rows back
        (the engine's end-of-run round does that through ``extend``).
        """
        while not self.closed:
            now = self._clock()
            self._due(now)
            if self._ready:
                self.busy += 1
                return self._ready.popleft()
            if not self._later and self.busy == 0:
                if idle():
                    return None
                continue
            timeout = self._later[0][0] - now if self._later else None
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await asyncio.wait((fut,), timeout=timeout)
            finally:
                if not fut.done():
                    fut.cancel()
        return None
