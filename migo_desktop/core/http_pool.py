"""A pool of small httpx pools: ``slots`` requests in flight, spread over ``ceil(slots / shard)`` clients.

Why: httpcore 1.0's connection pool does O(requests x connections) work on every request and asks anyio
for each idle connection's socket info while doing it, so one ``AsyncClient`` with 20 connections and 20
requests in flight spends ~4 ms of CPU per request; twenty clients with one connection each spend ~1.8 ms
(measured against the demo HTTP server, see docs/benchmarks.md "Motor"). A request first takes a free slot
(a semaphore plus a free-list of clients, each listed ``shard`` times), so no client ever holds more
requests than connections and the httpx pool never queues — this is DESIGN.md's "semaphore before the httpx
pool". The slot is given back in ``finally``, also when the caller is cancelled.

With an injected transport (tests, the in-process demo) there is a single client: the transport is shared
anyway and has no connection pool to shard.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import httpx

__all__ = ["DEFAULT_SHARD", "HttpPool"]

DEFAULT_SHARD = 1  # connections per AsyncClient; see the module docstring and docs/benchmarks.md


class HttpPool:
    """``slots`` request slots over the given clients; ``client_slots[i]`` slots belong to ``clients[i]``."""

    def __init__(self, clients: Sequence[httpx.AsyncClient], client_slots: Sequence[int]) -> None:
        if not clients or len(clients) != len(client_slots) or min(client_slots) < 1:
            raise ValueError("every client needs at least one slot")
        self.clients: tuple[httpx.AsyncClient, ...] = tuple(clients)
        self.slots = sum(client_slots)
        self._gate = asyncio.Semaphore(self.slots)
        # Spread the free-list so consecutive slots land on different clients.
        free: list[httpx.AsyncClient] = []
        for turn in range(max(client_slots)):
            free.extend(c for c, n in zip(self.clients, client_slots, strict=True) if n > turn)
        self._free = free[::-1]  # a stack: pop() hands out clients[0] first

    @classmethod
    def build(
        cls, make_client: Callable[[int], httpx.AsyncClient], *, slots: int, shard: int = DEFAULT_SHARD
    ) -> HttpPool:
        """``ceil(slots / shard)`` clients from ``make_client(connections)``; the last may get fewer slots."""
        slots, shard = max(1, slots), max(1, shard)
        sizes = [shard] * (slots // shard) + ([slots % shard] if slots % shard else [])
        assert len(sizes) == math.ceil(slots / shard)
        return cls([make_client(n) for n in sizes], sizes)

    @property
    def is_closed(self) -> bool:
        return all(c.is_closed for c in self.clients)

    @property
    def in_flight(self) -> int:
        return self.slots - len(self._free)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[httpx.AsyncClient]:
        """Wait for a free slot and yield its client; the slot is released on exit, whatever happens."""
        async with self._gate:
            client = self._free.pop()
            try:
                yield client
            finally:
                self._free.append(client)

    async def aclose(self) -> None:
        """Close every client (all of them, even if one fails to close)."""
        errors: list[BaseException] = []
        for client in self.clients:
            try:
                await client.aclose()
            except Exception as exc:  # noqa: BLE001 - closing the others matters more; re-raised below
                errors.append(exc)
        if errors:
            raise errors[0]
