"""Rate limits of the simulated service: a per-second token bucket, and Laravel's fixed-window throttle.

Laravel (``ThrottleRequests``): a window of ``limit`` requests that starts at the first request after the
previous window expired; every answer carries ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining``; past the
limit the answer is 429 «Too Many Attempts.» with ``Retry-After`` (whole seconds until the window ends),
``X-RateLimit-Reset`` and ``Remaining: 0``. A throttled request is refused before the controller runs, so
it is never billed. The token bucket refuses with 429 + ``Retry-After`` and no rate headers.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Admission", "RateLimitPlan", "RateLimiter"]

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RateLimitPlan:
    per_second: float | None = None  # token bucket: refill rate (requests per second)
    burst: int | None = None  # token bucket size (default: one second's worth)
    window_limit: int | None = None  # Laravel fixed window: requests per window
    window_seconds: float = 60.0
    headers: bool = True  # send X-RateLimit-* with the fixed window

    def __post_init__(self) -> None:
        if self.per_second is not None and self.per_second <= 0:
            raise ValueError("per_second must be positive")
        if self.window_limit is not None and (self.window_limit < 1 or self.window_seconds <= 0):
            raise ValueError("window_limit and window_seconds must be positive")

    @property
    def active(self) -> bool:
        return self.per_second is not None or self.window_limit is not None


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    headers: Headers = ()  # to add to the answer (allowed) or the 429 (refused)


class RateLimiter:
    """Thread-safe; ``reset()`` forgets the window and refills the bucket."""

    def __init__(self, plan: RateLimitPlan, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.plan = plan
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            plan = self.plan
            self._capacity = float(plan.burst or max(1, math.ceil(plan.per_second or 1)))
            self._tokens = self._capacity
            self._refilled = self._clock()
            self._window_end = -math.inf
            self._hits = 0

    def admit(self) -> Admission:
        with self._lock:
            now = self._clock()
            headers: Headers = ()
            if self.plan.window_limit is not None:
                window = self._window(now)
                if not window.allowed:
                    return window
                headers = window.headers
            if self.plan.per_second is not None:
                rate = self.plan.per_second
                self._tokens = min(self._capacity, self._tokens + (now - self._refilled) * rate)
                self._refilled = now
                if self._tokens < 1.0:
                    wait = max(1, math.ceil((1.0 - self._tokens) / rate))
                    return Admission(False, (("retry-after", str(wait)),))
                self._tokens -= 1.0
            return Admission(True, headers)

    def _window(self, now: float) -> Admission:
        plan = self.plan
        limit = plan.window_limit
        assert limit is not None
        if now >= self._window_end:  # the first hit after expiry opens a new window
            self._window_end = now + plan.window_seconds
            self._hits = 0
        if self._hits >= limit:
            wait = max(1, math.ceil(self._window_end - now))
            headers: Headers = (("retry-after", str(wait)),)
            if plan.headers:
                reset = str(int(time.time() + wait))
                headers += (("x-ratelimit-limit", str(limit)), ("x-ratelimit-remaining", "0"),
                            ("x-ratelimit-reset", reset))  # fmt: skip
            return Admission(False, headers)
        self._hits += 1
        if not plan.headers:
            return Admission(True)
        return Admission(True, (("x-ratelimit-limit", str(limit)),
                                ("x-ratelimit-remaining", str(limit - self._hits))))  # fmt: skip
