"""Faults cost only what they must (issue 14): a failed attempt frees its slot, a hung request holds only its
own, a spent window pauses everybody, a lone 429 does not shrink the concurrency, rows that ran out of
attempts get one more round at the end, poisoned answers stay on their row, and stop() keeps what was paid."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx

from migo_desktop.core.client import MigoClient
from migo_desktop.core.engine import BulkEngine
from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import IdKind, LookupResult, LookupStatus
from migo_desktop.core.progress import StopReason
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import DEMO_BASE_URL, demo_settings

from .client_helpers import RUC_BODY
from .test_engine import rucs

S = LookupStatus
Reply = httpx.Response | None  # None: answer normally


class Scripted:
    """An in-process API whose answer for (ruc, attempt) comes from ``script``; records what it saw."""

    def __init__(self, script: Callable[[str, int, Scripted], Awaitable[Reply]] | None = None) -> None:
        self.script = script
        self.attempts: Counter[str] = Counter()
        self.order: list[str] = []
        self.times: list[tuple[float, str, int]] = []  # (monotonic, ruc, status)
        self.answered: Counter[str] = Counter()
        self.in_flight = 0
        self.peak = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        ruc = json.loads(request.content)["ruc"]
        attempt = self.attempts[ruc]
        self.attempts[ruc] += 1
        self.order.append(ruc)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            reply = await self.script(ruc, attempt, self) if self.script else None
            await asyncio.sleep(0)
        finally:
            self.in_flight -= 1
        if reply is None:
            self.answered[ruc] += 1
            reply = httpx.Response(200, json={**RUC_BODY, "ruc": ruc})
        self.times.append((time.monotonic(), ruc, reply.status_code))
        return reply

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def settings(**kw):
    base = {"concurrency": 2, "backoff_base": 0.01, "backoff_max": 0.02, "retry_after_cap": 5.0}
    return demo_settings(**{**base, **kw})


def run(tmp_path, numbers, api: Scripted, st=None, *, engine_kw=None, during=None):
    st = st or settings()
    with Store(tmp_path / "r.db") as store:
        job_id = store.create_job(plan_from_values(numbers), st)

        async def main():
            async with MigoClient(st, transport=api.transport()) as client:
                engine = BulkEngine(client, store, st, **(engine_kw or {}))
                task = asyncio.create_task(engine.run(job_id))
                if during is not None:
                    await during(engine, task)
                return engine, await task

        engine, summary = asyncio.run(main())
        rows = {r.number: r for r in store.job_results(job_id)}
    return engine, summary, rows


def test_a_row_waiting_for_its_retry_does_not_hold_the_slot(tmp_path):
    first, second = rucs(2)

    async def script(ruc, attempt, api):
        if ruc == first and attempt == 0:
            return httpx.Response(503, headers={"Retry-After": "0.3"}, text="<html>503</html>")
        return None

    api = Scripted(script)
    _, summary, _ = run(tmp_path, [first, second], api, settings(concurrency=1))
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 2
    assert api.order == [first, second, first]  # the one slot served the other row meanwhile
    failed_at = api.times[0][0]
    assert api.times[1][0] - failed_at < 0.25 and api.times[2][0] - failed_at >= 0.3


def test_a_hung_request_holds_only_its_own_slot(tmp_path):
    numbers = rucs(12)
    hung = numbers[0]
    others_done = asyncio.Event()

    async def script(ruc, attempt, api):
        if ruc == hung:
            await asyncio.wait_for(others_done.wait(), timeout=10)  # answers once all the others are in
        elif sum(api.answered.values()) >= len(numbers) - 2:
            others_done.set()
        return None

    api = Scripted(script)
    _, summary, _ = run(tmp_path, numbers, api, settings(concurrency=2))
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 12
    assert api.order[-1] != hung and api.answered[hung] == 1 and api.attempts[hung] == 1


def test_a_spent_window_pauses_every_slot_until_retry_after(tmp_path):
    numbers = rucs(10)
    state = {"spent_at": None}

    async def script(ruc, attempt, api):
        n = len(api.order)  # this request's number, 1-based
        if n <= 4:
            return httpx.Response(200, json={**RUC_BODY, "ruc": ruc}, headers={
                "X-RateLimit-Limit": "4", "X-RateLimit-Remaining": str(4 - n)})  # fmt: skip
        if state["spent_at"] is None:
            state["spent_at"] = time.monotonic()
            return httpx.Response(429, json={"message": "Too Many Attempts."}, headers={
                "Retry-After": "0.4", "X-RateLimit-Limit": "4", "X-RateLimit-Remaining": "0"})  # fmt: skip
        return None

    api = Scripted(script)
    engine, summary, _ = run(tmp_path, numbers, api, settings(concurrency=3))
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 10
    spent = state["spent_at"]
    after = [t for t, _, _ in api.times if t > spent + 0.01]
    assert after and min(after) >= spent + 0.38  # nobody asked while the window was spent
    assert sum(1 for *_, status in api.times if status == 429) <= 2 and engine.pacer.holds >= 1
    assert all(v == 1 for v in api.answered.values())


def test_a_lone_429_requeues_its_row_and_keeps_the_concurrency(tmp_path):
    numbers = rucs(80)
    lone = numbers[5]

    async def script(ruc, attempt, api):
        if ruc == lone and attempt == 0:
            return httpx.Response(
                429, json={"message": "Too Many Attempts."}, headers={"Retry-After": "0.05"}
            )
        await asyncio.sleep(0.002)
        return None

    api = Scripted(script)
    engine, summary, _ = run(tmp_path, numbers, api, settings(concurrency=8))
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 80
    assert api.attempts[lone] == 2 and engine.pacer.holds == 0
    assert engine.limiter.limit >= 4 and api.peak == 8  # halved at most once, and back to full width


def test_rows_out_of_attempts_get_one_more_round_at_the_end(tmp_path):
    numbers = rucs(20)
    stubborn, hopeless = numbers[3], numbers[4]

    async def script(ruc, attempt, api):
        if ruc == hopeless or (ruc == stubborn and attempt < 3):
            return httpx.Response(502, text="<html>Bad Gateway</html>")
        return None

    api = Scripted(script)
    _, summary, rows = run(tmp_path, numbers, api, settings(max_retries=2))
    assert summary.state is JobState.COMPLETED
    assert rows[stubborn].status is S.OK and api.attempts[stubborn] == 4  # 3 failed, 1 more at the end
    assert rows[hopeless].status is S.ERROR and "no disponible" in rows[hopeless].reason
    assert api.attempts[hopeless] == 6  # two rounds of max_retries + 1, then ERROR
    last_try = [i for i, n in enumerate(api.order) if n == stubborn][3]
    assert last_try > max(api.order.index(n) for n in numbers if n not in (stubborn, hopeless))
    assert all(v == 1 for v in api.answered.values())  # nothing paid twice


def test_a_poisoned_answer_is_an_error_on_its_row_and_the_run_goes_on(tmp_path):
    numbers = rucs(6)
    nested, odd = numbers[1], numbers[2]

    async def script(ruc, attempt, api):
        if ruc == nested:
            return httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000)
        if ruc == odd:
            return httpx.Response(200, json=[{"success": True, "ruc": ruc}])  # a list where an object goes
        return None

    api = Scripted(script)
    _, summary, rows = run(tmp_path, numbers, api)
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 4 and summary.counts[S.ERROR] == 2
    assert "no se pudo leer" in rows[nested].reason and rows[odd].status is S.ERROR
    assert api.attempts[nested] == 1 and api.attempts[odd] == 1  # a bad answer is final: not re-paid


def test_stop_drains_in_flight_answers_and_starts_nothing_new(tmp_path):
    numbers = rucs(30)
    release = asyncio.Event()
    started = asyncio.Event()

    async def script(ruc, attempt, api):
        if len(api.order) >= 3:
            started.set()
            await release.wait()
        return None

    async def during(engine, task):
        await started.wait()
        stopping = asyncio.create_task(engine.stop(drain_timeout=5.0))
        await asyncio.sleep(0)
        release.set()
        summary = await stopping
        assert summary is not None and summary.state is JobState.PAUSED

    api = Scripted(script)
    _, summary, rows = run(tmp_path, numbers, api, settings(concurrency=3), during=during)
    assert summary.state is JobState.PAUSED and summary.reason == StopReason.CANCELLED
    sent = len(api.order)
    assert sent < len(numbers) and sum(api.answered.values()) == sent  # every answer that came back...
    assert sum(1 for r in rows.values() if r.status is S.OK) == sent  # ...is on disk
    assert summary.counts[S.PENDING] == len(numbers) - sent


def test_stop_gives_up_on_what_does_not_answer_within_the_drain_timeout(tmp_path):
    numbers = rucs(4)

    async def script(ruc, attempt, api):
        if ruc == numbers[1]:
            await asyncio.sleep(30)
        return None

    async def during(engine, task):
        while sum(api.answered.values()) < 1 or api.in_flight == 0:
            await asyncio.sleep(0.01)
        await engine.stop(drain_timeout=0.2)

    api = Scripted(script)
    _, summary, rows = run(tmp_path, numbers, api, settings(concurrency=2), during=during)
    assert summary.state is JobState.PAUSED and rows[numbers[1]].status is S.PENDING


def test_write_behind_never_holds_more_than_the_concurrency(tmp_path):
    numbers = rucs(200)
    api = Scripted()
    engine, summary, _ = run(tmp_path, numbers, api, settings(concurrency=6))
    assert summary.counts[S.OK] == 200 and 1 <= engine._wb.largest <= 6


def test_an_absurd_retry_after_is_capped_and_told_to_the_user(tmp_path):
    numbers = rucs(3)
    messages: list[str] = []

    async def script(ruc, attempt, api):
        if attempt == 0 and ruc == numbers[0]:
            return httpx.Response(
                429, json={"message": "Too Many Attempts."}, headers={"Retry-After": "999999"}
            )
        return None

    api = Scripted(script)
    st = settings(concurrency=1, retry_after_cap=0.3)
    engine_kw = {"on_progress": lambda p: messages.append(p.message), "progress_interval": 0.05}
    _, summary, _ = run(tmp_path, numbers, api, st, engine_kw=engine_kw)
    assert summary.state is JobState.COMPLETED and api.attempts[numbers[0]] == 2
    assert any("pidió esperar" in m and "días" in m for m in messages)


def test_the_in_process_demo_base_url_is_what_the_scripted_api_serves():
    assert DEMO_BASE_URL.endswith("/api/v1")


def test_a_hung_request_does_not_starve_a_reduced_concurrency(tmp_path, monkeypatch):
    """429s halve the limit to 1 while a hung request holds a slot: after SLOW_REQUEST it stops counting."""
    from migo_desktop.core import engine as engine_module

    monkeypatch.setattr(engine_module, "SLOW_REQUEST", 0.05)
    numbers = rucs(10)
    hung, throttled = numbers[0], set(numbers[1:3])
    others_done = asyncio.Event()

    async def script(ruc, attempt, api):
        if ruc == hung:
            await asyncio.wait_for(others_done.wait(), timeout=10)
        elif ruc in throttled and attempt == 0:
            return httpx.Response(
                429, json={"message": "Too Many Attempts."}, headers={"Retry-After": "0.01"}
            )
        elif sum(api.answered.values()) >= len(numbers) - 2:
            others_done.set()
        return None

    api = Scripted(script)
    engine, summary, _ = run(tmp_path, numbers, api, settings(concurrency=2))
    assert summary.state is JobState.COMPLETED and summary.counts[S.OK] == 10
    assert engine.limiter.cuts >= 1 and api.order[-1] != hung and api.attempts[hung] == 1


def test_cached_rows_are_answered_before_the_run_without_a_call(tmp_path):
    numbers = rucs(6)
    api = Scripted()
    st = settings(concurrency=2)
    with Store(tmp_path / "r.db") as store:
        for number in numbers[:4]:  # answered by an earlier run
            store.cache_put(LookupResult(IdKind.RUC, number, S.NOT_FOUND, message="No existe"))
    _, summary, rows = run(tmp_path, numbers, api, st)
    assert sorted(api.order) == sorted(numbers[4:])  # only the two the cache does not know
    assert summary.cache_hits == 4 and summary.counts[S.NOT_FOUND] == 4 and summary.counts[S.OK] == 2
    assert all(rows[n].status is S.NOT_FOUND for n in numbers[:4])


def test_an_answer_another_process_caches_during_the_run_is_not_paid_again(tmp_path):
    """Another process (another connection to the same database) answers the last row while this run is on
    its first: the run's look in the cache right before paying finds it."""
    numbers = rucs(4)
    other = Store(tmp_path / "r.db")

    async def script(ruc, attempt, api):
        if ruc == numbers[0]:
            other.cache_put(LookupResult(IdKind.RUC, numbers[-1], S.NOT_FOUND, message="No existe"))
        return None

    api = Scripted(script)
    try:
        _, summary, rows = run(tmp_path, numbers, api, settings(concurrency=1))
    finally:
        other.close()
    assert numbers[-1] not in api.order and api.order == numbers[:-1]
    assert rows[numbers[-1]].status is S.NOT_FOUND
    assert summary.cache_hits == 1
