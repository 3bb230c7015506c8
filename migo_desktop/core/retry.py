"""Retry policy pieces for MigoClient: what is retryable, how long to wait, and the hooks the engine passes.

Backoff is exponential with full jitter: ``random() * min(backoff_max, backoff_base * 2**attempt)``. A
``Retry-After`` header (seconds or an HTTP date, capped) sets a floor: the wait is
``max(retry_after, jittered)``.
"""

from __future__ import annotations

import email.utils
import errno
import time
from dataclasses import dataclass, field
from typing import Protocol

import aiohttp
import httpx

__all__ = [
    "ClientStats",
    "RETRYABLE_EXCEPTIONS",
    "RateHeaderHooks",
    "RetryHooks",
    "backoff_delay",
    "parse_retry_after",
    "retry_reason",
]

# httpx.TimeoutException covers Connect/Read/Write/PoolTimeout; NetworkError covers Connect/Read/Write/
# CloseError; RemoteProtocolError is a server dropping the connection mid-answer (a "reset"). aiohttp errors
# the httpx-aiohttp transport does not map (a garbled status line, say) are retried like a reset.
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    aiohttp.ClientError,
)
_RESET_ERRNOS = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}


class RetryHooks(Protocol):
    """Optional, per call; the bulk engine passes one to share a per-run budget and adapt concurrency."""

    def allow_retry(self) -> bool: ...  # False -> ApiUnavailable(budget_exhausted=True)

    def on_retry(self, reason: str, status: int | None, delay: float) -> None: ...

    def on_throttled(self, retry_after: float | None) -> None: ...  # a 429 was seen


class RateHeaderHooks(Protocol):
    """Optional extra a RetryHooks may have: Laravel's throttle headers on every answer that carries them."""

    def on_rate_headers(self, status: int, limit: int | None, remaining: int | None) -> None: ...


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
    """Short English tag for logs and hooks: timeout, connection_reset or connection_error.

    httpx-aiohttp maps every ``aiohttp.ClientConnectionError`` to ``httpx.ConnectTimeout``, so a server that
    drops a kept-alive connection would read as a timeout: the aiohttp cause decides instead.
    """
    cause = exc if isinstance(exc, aiohttp.ClientError) else exc.__cause__
    if isinstance(cause, aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(cause, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        return "connection_reset"
    if isinstance(cause, aiohttp.ClientConnectorError):
        return "connection_error"
    if isinstance(cause, aiohttp.ClientOSError):
        return "connection_reset" if cause.errno in _RESET_ERRNOS else "connection_error"
    if isinstance(cause, aiohttp.ClientError):
        return "connection_reset"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
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
    jittered = rnd * min(maximum, base * (2.0**attempt))
    if retry_after is not None:
        return max(retry_after, jittered)
    return jittered
