"""The sharded HTTP pool: slots bound requests in flight, are released on cancellation, all shards close."""

from __future__ import annotations

import asyncio
import ssl
from collections import Counter

import httpx
import pytest
import respx

from migo_desktop.core.client import USER_AGENT, MigoClient
from migo_desktop.core.http_pool import HttpPool

from .client_helpers import RUC, RUC_BODY, V1, FakeSleep, settings


class Tracker:
    """A respx side effect that counts requests in flight and can hold them until released."""

    def __init__(self, *, hold: bool = False) -> None:
        self.in_flight = 0
        self.peak = 0
        self.started = 0
        self.release = asyncio.Event()
        if not hold:
            self.release.set()
        self.arrived = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.started += 1
        self.peak = max(self.peak, self.in_flight)
        self.arrived.set()
        try:
            await asyncio.sleep(0)
            await self.release.wait()
            await asyncio.sleep(0)
            return httpx.Response(200, json=RUC_BODY)
        finally:
            self.in_flight -= 1


async def until(predicate, rounds: int = 200) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition not reached")


@pytest.mark.parametrize(
    ("concurrency", "shard", "sizes"), [(20, 1, [1] * 20), (7, 2, [2, 2, 2, 1]), (3, 5, [3])]
)
def test_shards_split_the_concurrency(concurrency, shard, sizes):
    async def main():
        client = MigoClient(settings(concurrency=concurrency), shard=shard)
        async with client:
            pool = client._http
            assert pool is not None and pool.slots == concurrency
            assert [c._transport._pool._max_connections - 1 for c in pool.clients] == sizes
            for c in pool.clients:
                assert c.headers["User-Agent"] == USER_AGENT and c.follow_redirects is False
                assert c.timeout == httpx.Timeout(connect=10.0, read=20.0, write=20.0, pool=20.0)
        return pool

    assert asyncio.run(main()).is_closed


@pytest.mark.parametrize("shard", [1, 2])
def test_in_flight_never_exceeds_concurrency_or_a_shards_connections(shard):
    tracker = Tracker()
    per_client_peak: Counter[int] = Counter()

    async def main():
        async with MigoClient(settings(concurrency=4), sleep=FakeSleep(), shard=shard) as client:
            pool = client._http
            assert pool is not None
            busy: Counter[int] = Counter()
            real_slot = pool.slot

            def counting_slot():
                outer = real_slot()

                class Wrapped:
                    async def __aenter__(self):
                        c = await outer.__aenter__()
                        busy[id(c)] += 1
                        per_client_peak[id(c)] = max(per_client_peak[id(c)], busy[id(c)])
                        self.c = c
                        return c

                    async def __aexit__(self, *exc):
                        busy[id(self.c)] -= 1
                        return await outer.__aexit__(*exc)

                return Wrapped()

            pool.slot = counting_slot
            with respx.mock(assert_all_called=True) as router:
                router.post(f"{V1}/ruc").mock(side_effect=tracker)
                results = await asyncio.gather(*(client.ruc(RUC) for _ in range(20)))  # 5x the slots
            assert pool.in_flight == 0
            return results

    results = asyncio.run(main())
    assert len(results) == 20 and all(r.taxpayer is not None for r in results)
    assert tracker.peak == 4 and tracker.started == 20
    assert max(per_client_peak.values()) <= shard and len(per_client_peak) == 4 // shard


def test_a_cancelled_caller_releases_its_slot():
    tracker = Tracker(hold=True)

    async def main():
        async with MigoClient(settings(concurrency=2), sleep=FakeSleep()) as client:
            pool = client._http
            assert pool is not None
            with respx.mock() as router:
                router.post(f"{V1}/ruc").mock(side_effect=tracker)
                running = [asyncio.create_task(client.ruc(RUC)) for _ in range(2)]
                await until(lambda: tracker.in_flight == 2)
                waiting = asyncio.create_task(client.ruc(RUC))  # no free slot: waits at the gate
                await until(lambda: pool.in_flight == 2 and tracker.started == 2)
                running[0].cancel()  # in flight
                waiting.cancel()  # still queued for a slot
                await asyncio.gather(running[0], waiting, return_exceptions=True)
                assert running[0].cancelled() and waiting.cancelled()
                assert pool.in_flight == 1 and tracker.in_flight == 1
                # Both freed slots are usable: two more callers get in flight alongside the survivor.
                more = [asyncio.create_task(client.ruc(RUC)) for _ in range(2)]
                await until(lambda: tracker.in_flight == 2)
                assert pool.in_flight == 2
                tracker.release.set()
                done = await asyncio.gather(running[1], *more)
                assert len(done) == 3 and pool.in_flight == 0
                again = await asyncio.gather(*(client.ruc(RUC) for _ in range(2)))
            return again

    assert len(asyncio.run(main())) == 2
    assert tracker.peak == 2


def test_aclose_closes_every_shard_even_if_one_fails():
    closed: list[int] = []

    class Flaky(httpx.AsyncClient):
        async def aclose(self) -> None:
            await super().aclose()
            closed.append(id(self))
            if len(closed) == 2:
                raise RuntimeError("boom")

    async def main():
        pool = HttpPool.build(
            lambda n: Flaky(transport=httpx.MockTransport(lambda r: None)), slots=5, shard=2
        )
        assert len(pool.clients) == 3
        with pytest.raises(RuntimeError, match="boom"):
            await pool.aclose()
        return pool

    pool = asyncio.run(main())
    assert pool.is_closed and len(closed) == 3


def test_migo_client_aclose_closes_all_shards():
    async def main():
        client = MigoClient(settings(concurrency=6), sleep=FakeSleep(), shard=2)
        with respx.mock() as router:
            router.post(f"{V1}/ruc").mock(return_value=httpx.Response(200, json=RUC_BODY))
            await asyncio.gather(*(client.ruc(RUC) for _ in range(6)))
        pool = client._http
        assert pool is not None and len(pool.clients) == 3 and not any(c.is_closed for c in pool.clients)
        await client.aclose()
        return client, pool

    client, pool = asyncio.run(main())
    assert client._http is None and all(c.is_closed for c in pool.clients)


def test_the_ssl_context_is_created_once_and_shared(monkeypatch):
    made: list[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        ctx = real(*args, **kwargs)
        made.append(ctx)
        return ctx

    monkeypatch.setattr(ssl, "create_default_context", counting)

    async def main():
        async with MigoClient(settings(concurrency=20), shard=1) as client:
            pool = client._http
            assert pool is not None and len(pool.clients) == 20
            return {id(c._transport._pool._ssl_context) for c in pool.clients}

    contexts = asyncio.run(main())
    assert len(made) == 1 and contexts == {id(made[0])}


def test_build_rejects_nothing_to_pool():
    with pytest.raises(ValueError):
        HttpPool([], [])
