"""Politeness parts of the engine: AIMD limiter, per-minute cap, retry budget, rate meter."""

from __future__ import annotations

import asyncio

from migo_desktop.core.progress import RateMeter
from migo_desktop.core.throttle import AdaptiveLimiter, RateCap, RunHooks


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_limiter_halves_on_429_once_per_cooldown_and_recovers_slowly():
    clock = Clock()
    lim = AdaptiveLimiter(16, recover_every=3, cooldown=1.0, clock=clock)
    lim.on_throttled()
    assert lim.limit == 8
    lim.on_throttled()  # same burst: ignored
    assert lim.limit == 8 and lim.cuts == 1
    clock.now += 1.5
    lim.on_throttled()
    assert lim.limit == 4 and lim.cuts == 2
    for _ in range(2):
        lim.on_success()
    assert lim.limit == 4
    lim.on_success()
    assert lim.limit == 5  # +1 per 3 successes
    for _ in range(100):
        lim.on_success()
    assert lim.limit == 16  # never above the configured maximum
    for _ in range(10):
        clock.now += 2
        lim.on_throttled()
    assert lim.limit == 1  # never below one


def test_limiter_blocks_beyond_the_limit_and_wakes_on_release():
    async def main():
        lim = AdaptiveLimiter(2)
        await lim.acquire()
        await lim.acquire()
        third = asyncio.create_task(lim.acquire())
        await asyncio.sleep(0)
        assert not third.done() and lim.in_use == 2
        lim.release()
        await asyncio.wait_for(third, 1)
        assert lim.in_use == 2
        # a cut below the slots in use holds new acquirers until enough are released
        lim.limit = 1
        fourth = asyncio.create_task(lim.acquire())
        lim.release()
        await asyncio.sleep(0)
        assert not fourth.done()
        lim.release()
        await asyncio.wait_for(fourth, 1)
        fourth_cancelled = asyncio.create_task(lim.acquire())
        await asyncio.sleep(0)
        fourth_cancelled.cancel()
        await asyncio.gather(fourth_cancelled, return_exceptions=True)
        assert lim.in_use == 1

    asyncio.run(main())


def test_retry_budget_and_throttle_hooks():
    lim = AdaptiveLimiter(10, clock=Clock())
    hooks = RunHooks(3, lim)
    assert [hooks.allow_retry() for _ in range(5)] == [True, True, True, False, False]
    hooks.on_retry("server_error", 503, 0.1)
    hooks.on_throttled(1.0)
    assert hooks.retries == 1 and hooks.throttled == 1 and lim.limit == 5


def test_rate_cap_spaces_starts_evenly():
    async def main():
        cap = RateCap(6000)  # one start every 10 ms
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for _ in range(6):
            await cap.wait()
        return loop.time() - t0

    assert asyncio.run(main()) >= 0.045
    assert RateCap(None).interval == 0


def test_rate_meter_uses_a_sliding_window():
    clock = Clock()
    meter = RateMeter(window=5.0, clock=clock)
    clock.now += 10
    for _ in range(50):
        meter.add()
    clock.now += 1
    assert meter.rate() == 10.0  # 50 events over the 5-second window
    clock.now += 10
    assert meter.rate() == 0.0
