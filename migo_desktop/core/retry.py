"""Retry policy pieces for MigoClient: what is retryable, how long to wait, and the hooks the engine passes.

Backoff is exponential with full jitter: ``random() * min(backoff_max, backoff_base * 2**attempt)``. A
``Retry-After`` header (seconds or an HTTP date, capped) sets a floor: the wait is
``max(retry_after, jittered)``.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = [
    "ClientStats",
    "RETRYABLE_EXCEPTIONS",
    "RetryHooks",
    "backoff_delay",
    "parse_retry_after",
    "retry_reason",
]

# httpx.TimeoutException covers Connect/Read/Write/PoolTimeout; NetworkError covers Connect/Read/Write/
# CloseError; RemoteProtocolError is a server dropping the connection mid-answer (a "reset").
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


class RetryHooks(Protocol):
    """Optional, per call; the bulk engine passes one to share a per-run budget and adapt concurrency."""

    def allow_retry(self) -> bool: ...  # False -> ApiUnavailable(budget_exhausted=True)

    def on_retry(self, reason: str, status: int | None, delay: float) -> None: ...

    def on_throttled(self, retry_after: float | None) -> None: ...  # a 429 was seen


@dataclass
class ClientStats:
    """Counters for one MigoClient (read by the engine and the benchmarks)."""

    requests: int = 0  # HTTP requests sent (including retries)
    retries: int = 0
    failures: int = 0  # requests that ended in an exception or an error status
    by_status: dict[int, int] = field(default_factory=dict)

    def count_status(self, status: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1


def retry_reason(exc: BaseException) -> str:
    """Short English tag for logs and hooks."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection_reset"
    return "connection_error"


def parse_retry_after(value: str | None, *, cap: float, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), capped; None if absent."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(cap, seconds))


def backoff_delay(
    attempt: int, *, base: float, maximum: float, rnd: float, retry_after: float | None = None
) -> float:
    """Full-jitter exponential backoff for retry number ``attempt`` (0-based), floored by Retry-After."""
    jittered = rnd * min(maximum, base * (2**attempt))
    if retry_after is not None:
        return max(retry_after, jittered)
    return jittered
