"""What a bulk run tells the outside world: progress snapshots, row updates and the final summary."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .models import LookupResult, LookupStatus
from .store import JobState

__all__ = ["JobSummary", "Progress", "RateMeter", "RowUpdate", "StopReason"]


class StopReason:
    """Why a run ended before completing (``JobSummary.reason``)."""

    AUTH = "auth"
    QUOTA = "quota"
    BUDGET = "budget"
    NETWORK = "network"
    CANCELLED = "cancelled"
    FAILED = "failed"  # an unexpected exception


@dataclass(frozen=True, slots=True)
class Progress:
    job_id: int
    total: int
    counts: dict[LookupStatus, int]
    done: int  # rows in a final state (everything but PENDING)
    in_flight: int
    requests: int  # HTTP requests sent in this run (retries included)
    cache_hits: int
    retries: int
    rate: float  # rows answered by the API per second, over a sliding window
    eta_seconds: float | None
    concurrency: int  # the adaptive limit right now
    state: JobState
    message: str = ""
    elapsed: float = 0.0

    @property
    def pending(self) -> int:
        return self.counts.get(LookupStatus.PENDING, 0)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class RowUpdate:
    """One row changed (for a GUI table): its idx in the job, new status, and the answer if any."""

    idx: int
    status: LookupStatus
    result: LookupResult | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class JobSummary:
    job_id: int
    state: JobState
    total: int
    counts: dict[LookupStatus, int]
    requests: int
    cache_hits: int
    retries: int
    elapsed: float
    message: str = ""
    reason: str | None = None  # a StopReason when the run did not complete
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        return self.counts.get(LookupStatus.PENDING, 0)

    @property
    def completed(self) -> bool:
        return self.state is JobState.COMPLETED


class RateMeter:
    """Events per second over the last ``window`` seconds (bucketed per 0.25 s, O(1) per event)."""

    def __init__(self, window: float = 5.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._start = clock()
        self._buckets: deque[list[float]] = deque()  # [bucket_start, count]

    def add(self, n: int = 1) -> None:
        now = self._clock()
        key = now - (now % 0.25)
        if self._buckets and self._buckets[-1][0] == key:
            self._buckets[-1][1] += n
        else:
            self._buckets.append([key, n])

    def rate(self) -> float:
        now = self._clock()
        while self._buckets and self._buckets[0][0] < now - self.window:
            self._buckets.popleft()
        if not self._buckets:
            return 0.0
        span = min(self.window, max(now - self._start, 0.25))
        return sum(c for _, c in self._buckets) / span
