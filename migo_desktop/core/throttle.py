"""Politeness for bulk runs: an adaptive concurrency limiter, a requests-per-minute cap and the retry budget.

``AdaptiveLimiter`` is an AIMD gate acquired *before* the client (so the httpx pool never queues): a 429
halves the limit (at most once per ``cooldown`` seconds, so one burst of 429s counts once), and every
``recover_every`` successes without a 429 add one slot back, up to the configured maximum.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

__all__ = ["AdaptiveLimiter", "RateCap", "RowHooks", "RunHooks"]


class AdaptiveLimiter:
    def __init__(
        self,
        maximum: int,
        *,
        minimum: int = 1,
        recover_every: int = 10,
        cooldown: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maximum = max(1, maximum)
        self.minimum = max(1, min(minimum, self.maximum))
        self.limit = self.maximum
        self.recover_every = max(1, recover_every)
        self.cooldown = cooldown
        self.cuts = 0
        self._clock = clock
        self._in_use = 0
        self._successes = 0
        self._last_cut = -float("inf")
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def in_use(self) -> int:
        return self._in_use

    async def acquire(self) -> None:
        while self._in_use >= self.limit:
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            except asyncio.CancelledError:
                if fut in self._waiters:
                    self._waiters.remove(fut)
                elif fut.done() and not fut.cancelled():
                    self._wake()  # pass the wake-up on
                raise
        self._in_use += 1

    def release(self) -> None:
        self._in_use -= 1
        self._wake()

    def _wake(self) -> None:
        free = self.limit - self._in_use
        while free > 0 and self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(None)
                free -= 1

    def on_success(self) -> None:
        if self.limit >= self.maximum:
            return
        self._successes += 1
        if self._successes >= self.recover_every:
            self._successes = 0
            self.limit += 1
            self._wake()

    def on_throttled(self) -> None:
        now = self._clock()
        self._successes = 0
        if now - self._last_cut < self.cooldown:
            return
        self._last_cut = now
        new = max(self.minimum, self.limit // 2)
        if new < self.limit:
            self.limit = new
            self.cuts += 1

    async def __aenter__(self) -> AdaptiveLimiter:
        await self.acquire()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release()


class RateCap:
    """Optional requests-per-minute cap: evenly spaced start times (no bursts)."""

    def __init__(self, per_minute: int | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self._clock = clock
        self._next = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class RunHooks:
    """The RetryHooks the engine hands to MigoClient: one retry budget and one limiter for the whole run."""

    def __init__(self, budget: int, limiter: AdaptiveLimiter) -> None:
        self.budget = budget
        self.used = 0
        self.retries = 0
        self.throttled = 0
        self.limiter = limiter

    def allow_retry(self) -> bool:
        if self.used >= self.budget:
            return False
        self.used += 1
        return True

    def on_retry(self, reason: str, status: int | None, delay: float) -> None:
        self.retries += 1

    def on_throttled(self, retry_after: float | None) -> None:
        self.throttled += 1
        self.limiter.on_throttled()


class RowHooks:
    """The hooks for one attempt: the run's budget and counters, plus what this answer's headers said.

    Laravel's rate-limit headers (``X-RateLimit-Limit/Remaining``) mean the service tells us its window:
    the engine paces by them. Whether a 429 cuts the concurrency is the engine's call (``_failed_attempt``).
    """

    __slots__ = ("run", "status", "limit", "remaining")

    def __init__(self, run: RunHooks) -> None:
        self.run = run
        self.status: int | None = None
        self.limit: int | None = None
        self.remaining: int | None = None

    def allow_retry(self) -> bool:
        return self.run.allow_retry()

    def on_retry(self, reason: str, status: int | None, delay: float) -> None:
        self.run.on_retry(reason, status, delay)

    def on_throttled(self, retry_after: float | None) -> None:
        # Counted only: the engine decides whether a 429 cuts the concurrency (not for a lone one).
        self.run.throttled += 1

    def on_rate_headers(self, status: int, limit: int | None, remaining: int | None) -> None:
        self.status, self.limit, self.remaining = status, limit, remaining
