"""What the bulk engine needs from a client, as Protocols (``MigoClient`` is the real one; tests pass fakes).

``LookupClient`` is the minimum: ``ruc`` and ``dni`` coroutines that take the engine's retry hooks. A client
that can also make *one* attempt per call (``single_attempt = True`` and ``retry=False``, as ``MigoClient``)
is a ``SingleAttemptClient``: the engine then re-queues failed rows itself instead of letting the client
sleep through backoff inside a concurrency slot. ``stats.requests`` (optional) counts the requests sent.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .models import LookupResult
from .retry import RetryHooks

__all__ = ["LookupClient", "SingleAttemptClient"]


class LookupClient(Protocol):
    async def ruc(self, ruc: str, *, hooks: RetryHooks | None = None) -> LookupResult: ...

    async def dni(self, dni: str, *, hooks: RetryHooks | None = None) -> LookupResult: ...


@runtime_checkable
class SingleAttemptClient(Protocol):
    single_attempt: bool

    async def ruc(self, ruc: str, *, hooks: RetryHooks | None = None, retry: bool = True) -> LookupResult: ...

    async def dni(self, dni: str, *, hooks: RetryHooks | None = None, retry: bool = True) -> LookupResult: ...
