"""Fault injection through the transport: rates, reproducibility, 429/5xx shapes, resets, hangs, latency."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from migo_desktop.demo import DEMO_BASE_URL, DemoApi, Fault, FaultPlan, Reply

from .helpers import apost, handle, post, valid_rucs


def outcome(reply) -> str:
    return str(reply.status) if isinstance(reply, Reply) else reply.fault.value


def test_fault_rates_are_within_tolerance():
    plan = FaultPlan(p_server_error=0.10, p_rate_limit=0.08, p_reset=0.05, p_hang=0.04)
    api = DemoApi(faults=plan, seed=1)
    n = 2000
    seen = Counter(outcome(handle(api, "ruc", ruc=r)) for r in valid_rucs(n))
    server_errors = sum(seen[s] for s in ("500", "502", "503", "504"))
    assert 0.07 <= server_errors / n <= 0.13
    assert 0.055 <= seen["429"] / n <= 0.105
    assert 0.03 <= seen["reset"] / n <= 0.07
    assert 0.02 <= seen["hang"] / n <= 0.06
    assert 0.68 <= (seen["200"] + seen["404"]) / n <= 0.78
    faults = api.stats.snapshot().faults
    assert (
        faults["reset"] == seen["reset"]
        and faults["hang"] == seen["hang"]
        and faults["rate_limit"] == seen["429"]
    )
    assert api.stats.snapshot().answered_total == seen["200"] + seen["404"]


def test_faults_hit_only_lookups_by_default():
    api = DemoApi(faults=FaultPlan(p_server_error=1.0))
    assert post(api, "exchange/latest").status_code == 200
    assert post(api, "account").status_code == 200
    assert post(api, "ruc", ruc="20131312955").status_code >= 500
    assert post(api, "dni", dni="45678912").status_code >= 500
    everywhere = DemoApi(faults=FaultPlan(p_server_error=1.0, endpoints=frozenset({"exchange/latest"})))
    assert post(everywhere, "exchange/latest").status_code >= 500
    assert post(everywhere, "ruc", ruc="20131312955").status_code == 200


def test_same_seed_same_faults_other_seed_other_faults_same_data():
    plan = FaultPlan(p_server_error=0.2, p_rate_limit=0.1, p_reset=0.1)
    rucs = valid_rucs(300)

    def run(seed: int) -> list:
        api = DemoApi(faults=plan, seed=seed)
        return [handle(api, "ruc", ruc=r) for r in rucs]

    first, again, other = run(3), run(3), run(4)
    assert [outcome(x) for x in first] == [outcome(x) for x in again]
    assert [outcome(x) for x in first] != [outcome(x) for x in other]
    both_ok = [(a, b) for a, b in zip(first, other, strict=True) if outcome(a) == outcome(b) == "200"]
    assert len(both_ok) > 50 and all(a.body == b.body for a, b in both_ok)


def test_retries_of_one_number_draw_afresh_and_order_does_not_matter():
    api = DemoApi(faults=FaultPlan(p_server_error=0.5), seed=2)
    outcomes = {outcome(handle(api, "ruc", ruc="20131312955")) for _ in range(30)}
    assert "200" in outcomes and len(outcomes) >= 2
    rucs = valid_rucs(50)
    forward = DemoApi(faults=FaultPlan(p_reset=0.3), seed=9)
    backward = DemoApi(faults=FaultPlan(p_reset=0.3), seed=9)
    a = {r: outcome(handle(forward, "ruc", ruc=r)) for r in rucs}
    b = {r: outcome(handle(backward, "ruc", ruc=r)) for r in reversed(rucs)}
    assert a == b  # keyed by number and attempt, not by arrival order


def test_rate_limit_carries_retry_after_seconds_or_nothing():
    r = post(DemoApi(faults=FaultPlan(p_rate_limit=1.0, retry_after=2.5)), "ruc", ruc="20131312955")
    assert r.status_code == 429 and r.headers["retry-after"] == "3" and r.json()["message"]
    zero = post(DemoApi(faults=FaultPlan(p_rate_limit=1.0, retry_after=0)), "ruc", ruc="20131312955")
    assert zero.headers["retry-after"] == "0"
    none = post(DemoApi(faults=FaultPlan(p_rate_limit=1.0, retry_after=None)), "ruc", ruc="20131312955")
    assert none.status_code == 429 and "retry-after" not in none.headers


def test_server_errors_sometimes_come_as_html():
    html = post(DemoApi(faults=FaultPlan(p_server_error=1.0, html_share=1.0)), "ruc", ruc="20131312955")
    assert html.status_code in (500, 502, 503, 504) and html.headers["content-type"] == "text/html"
    assert "<html>" in html.text and "nginx" in html.text
    plain = post(DemoApi(faults=FaultPlan(p_server_error=1.0, html_share=0.0)), "ruc", ruc="20131312955")
    assert plain.json() == {"message": "Server Error"}


def test_fault_plan_validation():
    with pytest.raises(ValueError):
        FaultPlan(p_server_error=0.6, p_reset=0.5)
    with pytest.raises(ValueError):
        FaultPlan(p_hang=-0.1)
    with pytest.raises(ValueError):
        FaultPlan(quota=-1)
    assert not FaultPlan().active and FaultPlan(p_hang=0.1).active


async def _client_call(api: DemoApi, timeout: float | None = 5.0, **body):
    async with httpx.AsyncClient(
        transport=api.transport(), base_url=DEMO_BASE_URL, timeout=timeout
    ) as client:
        return await apost(client, "ruc", **body)


def test_resets_raise_transport_errors_like_a_real_connection():
    api = DemoApi(faults=FaultPlan(p_reset=1.0), seed=1)

    async def main() -> Counter:
        kinds: Counter = Counter()
        for ruc in valid_rucs(30):
            with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)) as info:
                await _client_call(api, ruc=ruc)
            kinds[type(info.value).__name__] += 1
        return kinds

    kinds = asyncio.run(main())
    assert set(kinds) == {"ReadError", "RemoteProtocolError"}
    assert api.stats.snapshot().answered == {} and api.stats.snapshot().faults == {"reset": 30}


def test_hang_ends_in_the_clients_read_timeout_and_leaves_no_tasks():
    api = DemoApi(faults=FaultPlan(p_hang=1.0, hang_seconds=30.0))

    async def main() -> float:
        start = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            await _client_call(api, timeout=0.05, ruc="20131312955")
        elapsed = time.monotonic() - start
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return elapsed

    assert asyncio.run(main()) < 5.0
    assert api.stats.snapshot().faults == {"hang": 1} and api.stats.answered == {}


def test_hang_without_timeout_ends_when_the_server_gives_up():
    api = DemoApi(faults=FaultPlan(p_hang=1.0, hang_seconds=0.01))
    with pytest.raises(httpx.RemoteProtocolError):
        asyncio.run(_client_call(api, timeout=None, ruc="20131312955"))


def test_a_hang_is_cancellable():
    api = DemoApi(faults=FaultPlan(p_hang=1.0, hang_seconds=30.0))

    async def main() -> None:
        async with asyncio.timeout(5.0):
            task = asyncio.create_task(_client_call(api, timeout=None, ruc="20131312955"))
            while not api.stats.snapshot().faults:  # wait until the request is hanging
                await asyncio.sleep(0.001)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert asyncio.all_tasks() == {asyncio.current_task()}

    asyncio.run(main())


def test_latency_is_applied_and_a_timeout_during_it_answers_nothing():
    api = DemoApi(latency=0.05)

    async def timed() -> float:
        start = time.monotonic()
        r = await _client_call(api, ruc="20131312955")
        assert r.status_code == 200
        return time.monotonic() - start

    assert asyncio.run(timed()) >= 0.05
    slow = DemoApi(latency=10.0)
    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(_client_call(slow, timeout=0.05, ruc="20131312955"))
    snap = slow.stats.snapshot()
    assert snap.requests == 1 and snap.answered == {} and snap.by_status == {}


def test_jitter_is_bounded_and_reproducible():
    a = [DemoApi(latency=0.1, jitter=0.05, seed=5).delay() for _ in range(1)]
    api, twin, other = (DemoApi(latency=0.1, jitter=0.05, seed=s) for s in (5, 5, 6))
    seq = [api.delay() for _ in range(50)]
    assert seq == [twin.delay() for _ in range(50)] and seq != [other.delay() for _ in range(50)]
    assert all(0.1 <= d <= 0.15 for d in seq) and a[0] == seq[0]
    assert DemoApi(latency=0.2).delay() == 0.2
    with pytest.raises(ValueError):
        DemoApi(latency=-1)


def test_fault_enum_values_are_what_stats_report():
    assert {f.value for f in Fault} == {"none", "server_error", "rate_limit", "reset", "hang"}
