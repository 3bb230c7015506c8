"""BulkEngine against the in-process demo API: states, cache, skips, control, stops and progress."""

from __future__ import annotations

import asyncio

import pytest
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core.client import MigoClient
from migo_desktop.core.engine import BulkEngine
from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.pacing import SPREAD
from migo_desktop.core.progress import StopReason
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import DemoApi, FaultPlan, demo_settings

S = LookupStatus


def rucs(n: int, start: int = 100_000) -> list[str]:
    out = []
    for i in range(start, start + n):
        base = "20" + f"{i:08d}"
        out.append(base + stdnum_ruc.calc_check_digit(base))
    return out


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "migo.sqlite3") as s:
        yield s


def settings(**kw):
    base = {"concurrency": 5, "backoff_base": 0.001, "backoff_max": 0.005, "retry_after_cap": 0.01}
    return demo_settings(**{**base, **kw})


async def run_job(store, job_id, api, st, **kw):
    run_kw = {k: kw.pop(k) for k in ("force_refresh", "only_failed") if k in kw}
    async with MigoClient(st, transport=api.transport()) as client:
        engine = BulkEngine(client, store, st, **kw)
        return await engine.run(job_id, **run_kw)


def new_job(store, values, st=None):
    return store.create_job(plan_from_values(values), st or settings())


def test_completes_skipping_invalid_and_duplicates(store):
    numbers = rucs(60)
    values = numbers + ["20123456789", "", numbers[0], numbers[1], "12345678", "12345678"]
    job_id = new_job(store, values)
    api = DemoApi()
    summary = asyncio.run(run_job(store, job_id, api, settings()))
    assert summary.state is JobState.COMPLETED and summary.reason is None
    c = summary.counts
    assert c[S.OK] + c[S.NOT_FOUND] == 61 and c[S.INVALID] == 2 and c[S.DUPLICATE] == 3 and c[S.PENDING] == 0
    snap = api.stats.snapshot()
    assert snap.answered_total == 61 and not snap.answered_more_than_once()  # skipped rows cost nothing
    assert snap.by_endpoint.get("dni") == 1  # DNIs go through client.dni
    assert summary.requests == 61 and summary.cache_hits == 0
    job = store.get_job(job_id)
    assert job.state is JobState.COMPLETED and job.api_calls == 61 and job.finished_at is not None
    rows = list(store.job_results(job_id))
    assert rows[62].status is S.DUPLICATE and rows[62].data == rows[0].data
    assert rows[-1].data is not None and rows[-1].data.nombre  # DNI duplicate carries the person


def test_cache_serves_fresh_answers_and_force_refresh_bypasses(store):
    numbers = rucs(30)
    api = DemoApi()
    asyncio.run(run_job(store, new_job(store, numbers), api, settings()))
    assert api.stats.requests == 30
    again = asyncio.run(run_job(store, new_job(store, numbers + rucs(5, 900_000)), api, settings()))
    assert again.state is JobState.COMPLETED and again.cache_hits == 30 and again.requests == 5
    assert api.stats.requests == 35
    forced = asyncio.run(run_job(store, new_job(store, numbers), api, settings(), force_refresh=True))
    assert forced.cache_hits == 0 and forced.requests == 30
    stale = asyncio.run(
        run_job(store, new_job(store, numbers), api, settings(cache_ttl_found=-1, cache_ttl_not_found=-1))
    )
    assert stale.cache_hits == 0 and stale.requests == 30


def test_completed_job_rerun_makes_no_calls(store):
    job_id = new_job(store, rucs(20))
    api = DemoApi()
    asyncio.run(run_job(store, job_id, api, settings()))
    before = api.stats.requests
    summary = asyncio.run(run_job(store, job_id, api, settings()))
    assert summary.state is JobState.COMPLETED and summary.requests == 0 and api.stats.requests == before


def test_auth_error_stops_after_at_most_concurrency_requests_then_resumes(store):
    job_id = new_job(store, rucs(200))
    api = DemoApi(latency=0.005)
    bad = settings(concurrency=4, token="wrong-token-xyz")
    summary = asyncio.run(run_job(store, job_id, api, bad))
    assert summary.state is JobState.STOPPED and summary.reason == StopReason.AUTH
    assert "token" in summary.message.lower()
    assert api.stats.requests <= 4
    assert summary.counts[S.PENDING] == 200  # nothing lost, nothing marked as error
    assert store.get_job(job_id).state is JobState.STOPPED
    good = asyncio.run(run_job(store, job_id, api, settings(concurrency=4)))
    assert good.state is JobState.COMPLETED and good.counts[S.PENDING] == 0
    assert not api.stats.snapshot().answered_more_than_once()


def test_quota_exhausted_stops_the_run(store):
    job_id = new_job(store, rucs(50))
    api = DemoApi(faults=FaultPlan(quota=10))
    summary = asyncio.run(run_job(store, job_id, api, settings(concurrency=3)))
    assert summary.state is JobState.STOPPED and summary.reason == StopReason.QUOTA
    assert "saldo" in summary.message
    assert summary.counts[S.OK] + summary.counts[S.NOT_FOUND] == 10 and summary.counts[S.PENDING] == 40


def test_retry_budget_exhausted_pauses_with_a_reason(store):
    job_id = new_job(store, rucs(100))
    api = DemoApi(faults=FaultPlan(p_server_error=0.6), seed=3)
    summary = asyncio.run(run_job(store, job_id, api, settings(retry_budget=5, max_retries=3)))
    assert summary.state is JobState.PAUSED and summary.reason == StopReason.BUDGET
    assert "reintentos" in summary.message and summary.retries <= 5
    assert summary.counts[S.PENDING] > 0
    job = store.get_job(job_id)
    assert job.state is JobState.PAUSED and "reintentos" in job.last_message


def test_single_row_errors_then_only_failed_retries_them(store):
    job_id = new_job(store, rucs(80))
    flaky = DemoApi(faults=FaultPlan(p_server_error=0.3), seed=11)
    first = asyncio.run(run_job(store, job_id, flaky, settings(max_retries=0)))
    assert first.state is JobState.COMPLETED
    errors = first.counts[S.ERROR]
    assert errors > 0 and sum(first.errors.values()) == errors
    rows = [r for r in store.job_results(job_id) if r.status is S.ERROR]
    assert rows and all(r.reason.startswith("Servicio de Migo no disponible") for r in rows)
    healthy = DemoApi()
    second = asyncio.run(run_job(store, job_id, healthy, settings(), only_failed=True))
    assert second.state is JobState.COMPLETED and second.counts[S.ERROR] == 0
    assert healthy.stats.requests == errors  # only the failed rows were asked again


def test_network_down_pauses_instead_of_marking_everything_error(store):
    job_id = new_job(store, rucs(300))
    api = DemoApi(faults=FaultPlan(p_reset=1.0))
    summary = asyncio.run(run_job(store, job_id, api, settings(max_retries=1, retry_budget=10_000)))
    assert summary.state is JobState.PAUSED and summary.reason == StopReason.NETWORK
    assert "conexión" in summary.message
    assert summary.counts[S.ERROR] == 0 and summary.counts[S.PENDING] == 300
    assert api.stats.requests < 100


def test_invalid_request_marks_the_row_invalid(store):
    class Refusing(MigoClient):
        async def ruc(self, ruc, *, hooks=None):
            from migo_desktop.core.errors import InvalidRequest

            raise InvalidRequest("La API rechazó el número.", status=422)

    job_id = new_job(store, rucs(3))
    st = settings()

    async def main():
        async with Refusing(st, transport=DemoApi().transport()) as client:
            return await BulkEngine(client, store, st).run(job_id)

    summary = asyncio.run(main())
    assert summary.state is JobState.COMPLETED and summary.counts[S.INVALID] == 3
    assert {r.reason for r in store.job_results(job_id)} == {"La API rechazó el número."}


def test_pause_resume_and_cancel(store):
    job_id = new_job(store, rucs(400))
    api = DemoApi(latency=0.002)
    st = settings(concurrency=4)

    async def main():
        reached = asyncio.Event()
        done_counts: list[int] = []

        def on_progress(p):
            done_counts.append(p.done)
            if p.done >= 40:
                reached.set()

        async with MigoClient(st, transport=api.transport()) as client:
            engine = BulkEngine(client, store, st, on_progress=on_progress, progress_interval=0.01)
            task = asyncio.create_task(engine.run(job_id))
            await reached.wait()
            engine.pause()
            assert store.get_job(job_id).state is JobState.PAUSED
            while engine.in_flight:  # in-flight requests finish; nothing new starts
                await asyncio.sleep(0.005)
            frozen = api.stats.requests
            for _ in range(5):
                await asyncio.sleep(0.01)
            assert api.stats.requests == frozen and not task.done()
            engine.resume()
            while engine.counts[S.PENDING] > 200:
                await asyncio.sleep(0.005)
            engine.cancel()
            summary = await task
        return summary

    summary = asyncio.run(main())
    assert summary.state is JobState.CANCELLED and summary.reason == StopReason.CANCELLED
    assert 0 < summary.counts[S.PENDING] <= 200
    assert store.get_job(job_id).state is JobState.CANCELLED
    final = asyncio.run(run_job(store, job_id, api, st))
    assert final.state is JobState.COMPLETED
    snap = api.stats.snapshot()
    assert snap.answered_total == 400 and not snap.answered_more_than_once()


def test_quit_mid_run_saves_state_and_in_flight_rows_go_back_to_pending(store):
    job_id = new_job(store, rucs(300))
    api = DemoApi(latency=0.003)
    st = settings(concurrency=6)

    async def main():
        half = asyncio.Event()

        def on_progress(p):
            if p.done >= 150:
                half.set()

        async with MigoClient(st, transport=api.transport()) as client:
            engine = BulkEngine(client, store, st, on_progress=on_progress, progress_interval=0.01)
            task = asyncio.create_task(engine.run(job_id))
            await half.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    job = store.get_job(job_id)
    assert job.state is JobState.PAUSED and job.pending > 0
    assert job.counts[S.OK] + job.counts[S.NOT_FOUND] + job.pending == 300
    final = asyncio.run(run_job(store, job_id, api, st))
    assert final.state is JobState.COMPLETED
    assert not api.stats.snapshot().answered_more_than_once()


def test_adaptive_concurrency_cuts_on_429(store):
    job_id = new_job(store, rucs(300))
    api = DemoApi(latency=0.002, faults=FaultPlan(p_rate_limit=0.15, retry_after=0), seed=5)
    seen: list[int] = []
    summary = asyncio.run(
        run_job(
            store,
            job_id,
            api,
            settings(concurrency=16, max_retries=8),
            on_progress=lambda p: seen.append(p.concurrency),
            progress_interval=0.005,
        )
    )
    assert summary.state is JobState.COMPLETED
    assert min(seen) < 16


def test_progress_is_throttled_with_a_final_event_and_row_batches(store):
    values = rucs(150)
    job_id = new_job(store, values + values[:10])
    api = DemoApi(latency=0.004)
    events, batches = [], []
    st = settings(concurrency=3)
    summary = asyncio.run(
        run_job(
            store, job_id, api, st, on_progress=events.append, on_rows=batches.append, progress_interval=0.05
        )
    )
    ticks = summary.elapsed / 0.05
    assert 2 <= len(events) <= ticks + 2
    last = events[-1]
    assert last.state is JobState.COMPLETED and last.done == last.total == 160 and last.message
    assert last.counts[S.PENDING] == 0 and last.requests == 150
    assert any(e.rate > 0 for e in events) and any(e.eta_seconds for e in events[:-1])
    updates = [u for b in batches for u in b]
    assert len(batches) < len(updates)  # batched, not one call per row
    assert sorted(u.idx for u in updates) == list(range(160))  # duplicates included once their original lands
    assert {u.status for u in updates if u.idx >= 150} == {S.DUPLICATE}


def test_requests_per_minute_cap_spaces_requests(store):
    job_id = new_job(store, rucs(6))
    summary = asyncio.run(
        run_job(store, job_id, DemoApi(), settings(concurrency=6, requests_per_minute=1200))
    )
    assert summary.state is JobState.COMPLETED and summary.elapsed >= 0.24  # 6 starts, 50 ms apart


def test_request_starts_are_spread_over_the_round_trip(store):
    """The run learns the round trip from its answers and spaces starts by it (core/pacing.py, «Spread»)."""
    api = DemoApi(latency=0.02)
    st = settings(concurrency=4)
    job_id = new_job(store, rucs(40, 700_000), st)

    async def run():
        async with MigoClient(st, transport=api.transport()) as client:
            engine = BulkEngine(client, store, st)
            summary = await engine.run(job_id)
            return summary, engine.pacer.spacing

    summary, spacing = asyncio.run(run())
    assert summary.state is JobState.COMPLETED and summary.counts[S.PENDING] == 0
    assert api.stats.snapshot().answered_total == 40
    assert SPREAD * 0.02 / 4 <= spacing < 0.02  # at least the latency's share; never a whole round trip
