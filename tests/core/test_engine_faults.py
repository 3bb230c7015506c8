"""The must-show fault run: 5,000 RUCs against the HTTP fake server (a subprocess) with 5% 5xx, 3% 429
(Retry-After 1 s, capped small by the client), 1% connection resets and 0.5% hanging requests.

Every valid RUC must end OK or NO ENCONTRADO, no row may be lost, and no RUC may be answered twice.
"""

from __future__ import annotations

import asyncio

import pytest

from migo_desktop.core.client import MigoClient
from migo_desktop.core.engine import BulkEngine
from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.settings import DEMO_TOKEN, ApiSettings
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import DEMO_BASE_URL, DemoApi, FaultPlan
from tests.support.harness import fetch_stats, server_process

from .test_engine import rucs

FAULTS = {"p_5xx": 0.05, "p_429": 0.03, "retry_after": 1, "p_reset": 0.01, "p_hang": 0.005}


def fault_settings(base_url: str, read_timeout: float) -> ApiSettings:
    return ApiSettings(
        token=DEMO_TOKEN, base_url=base_url, concurrency=20, read_timeout=read_timeout, connect_timeout=2.0,
        max_retries=8, backoff_base=0.02, backoff_max=0.2, retry_after_cap=0.05, retry_budget=5000,
    )  # fmt: skip


def run_faulty(store: Store, settings: ApiSettings, numbers: list[str], transport=None):
    values = numbers + ["20123456789", numbers[7]]  # one invalid, one duplicate: never sent
    job_id = store.create_job(plan_from_values(values), settings)

    async def main():
        async with MigoClient(settings, transport=transport) as client:
            return await BulkEngine(client, store, settings).run(job_id)

    return job_id, asyncio.run(main())


def check(store: Store, job_id: int, summary, stats, numbers: list[str]) -> None:
    n = len(numbers)
    counts = summary.counts
    assert summary.state is JobState.COMPLETED, summary.message
    assert counts[LookupStatus.OK] + counts[LookupStatus.NOT_FOUND] == n
    assert counts[LookupStatus.ERROR] == 0 and counts[LookupStatus.PENDING] == 0
    assert counts[LookupStatus.INVALID] == 1 and counts[LookupStatus.DUPLICATE] == 1
    rows = list(store.job_results(job_id))
    assert len(rows) == n + 2  # no row lost
    assert all(r.data is not None for r in rows if r.status is LookupStatus.OK)
    for kind in ("server_error", "rate_limit", "reset", "hang"):  # every fault kind really happened
        assert stats.faults.get(kind, 0) > 0, kind
    assert stats.answered_more_than_once() == {}  # each number billed exactly once
    assert set(stats.answered) == set(numbers) and stats.answered_total == n
    assert summary.retries > 0 and summary.requests == stats.requests


def test_fault_mix_5000_rucs_in_process(tmp_path):
    """The full 5,000 with the in-process transport (it acts out resets and hangs like a socket)."""
    numbers = rucs(5000, start=3_000_000)
    plan = FaultPlan(p_server_error=0.05, p_rate_limit=0.03, retry_after=1, p_reset=0.01, p_hang=0.005,
                     hang_seconds=2)  # fmt: skip
    api = DemoApi(faults=plan, seed=7)
    with Store(tmp_path / "m.db") as store:
        settings = fault_settings(DEMO_BASE_URL, read_timeout=0.3)
        job_id, summary = run_faulty(store, settings, numbers, api.transport())
        check(store, job_id, summary, api.stats.snapshot(), numbers)


@pytest.mark.slow
def test_fault_mix_over_http_subprocess(tmp_path):
    """The same mix over real sockets (the bench runs the full 5,000 this way; here 800 keep it short)."""
    numbers = rucs(800, start=4_000_000)
    with (
        server_process(hang_seconds=3, seed=7, **FAULTS) as (_proc, base_url),
        Store(tmp_path / "m.db") as store,
    ):
        job_id, summary = run_faulty(store, fault_settings(base_url, read_timeout=1.0), numbers)
        check(store, job_id, summary, fetch_stats(base_url), numbers)
