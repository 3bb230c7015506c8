"""BulkEngine.stop(drain_timeout): a quit or Ctrl-C keeps the answers already paid for (none paid twice)."""

from __future__ import annotations

import asyncio

from migo_desktop.core.client import MigoClient
from migo_desktop.core.engine import BulkEngine
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import DemoApi

from .test_engine import new_job, rucs, settings


async def _stop_midway(store: Store, job_id: int, api: DemoApi, drain: float) -> tuple[object, int]:
    st = settings(concurrency=6)
    async with MigoClient(st, transport=api.transport()) as client:
        engine = BulkEngine(client, store, st, progress_interval=0.01)
        run = asyncio.create_task(engine.run(job_id))
        while engine.counts[LookupStatus.PENDING] > 60 - 12 or engine.in_flight == 0:
            await asyncio.sleep(0.005)
        in_flight = engine.in_flight
        summary = await engine.stop(drain_timeout=drain)
        assert run.done() and run.result() is summary
        return summary, in_flight


def test_stop_drains_in_flight_answers_and_resume_pays_each_number_once(tmp_path):
    numbers = rucs(60)
    with Store(tmp_path / "migo.sqlite3") as store:
        job_id = new_job(store, numbers)
        api = DemoApi(latency=0.03)
        summary, in_flight = asyncio.run(_stop_midway(store, job_id, api, drain=5.0))
        assert in_flight > 0
        assert summary.state is JobState.PAUSED
        assert summary.counts[LookupStatus.PENDING] > 0
        # every request sent before the stop was answered and stored: nothing received went unanswered
        left = summary.counts[LookupStatus.PENDING]
        assert api.stats.requests == sum(api.stats.answered.values()) == 60 - left

        async def resume() -> object:
            st = settings(concurrency=6)
            async with MigoClient(st, transport=api.transport()) as client:
                return await BulkEngine(client, store, st).run(job_id)

        final = asyncio.run(resume())
        assert final.state is JobState.COMPLETED
        answered = api.stats.answered
        assert sorted(answered) == sorted(numbers) and set(answered.values()) == {1}
        assert api.stats.requests == 60


def test_stop_with_a_short_drain_abandons_what_is_still_in_flight(tmp_path):
    with Store(tmp_path / "migo.sqlite3") as store:
        job_id = new_job(store, rucs(60))
        api = DemoApi(latency=2.0)  # nothing answers within the drain window
        summary, in_flight = asyncio.run(_stop_midway_slow(store, job_id, api))
        assert summary.state is JobState.PAUSED and summary.counts[LookupStatus.PENDING] == 60
        assert store.get_job(job_id).state is JobState.PAUSED


async def _stop_midway_slow(store: Store, job_id: int, api: DemoApi) -> tuple[object, int]:
    st = settings(concurrency=6)
    async with MigoClient(st, transport=api.transport()) as client:
        engine = BulkEngine(client, store, st)
        run = asyncio.create_task(engine.run(job_id))
        while engine.in_flight < 6:
            await asyncio.sleep(0.005)
        summary = await engine.stop(drain_timeout=0.05)
        assert run.done()
        return summary, 6
