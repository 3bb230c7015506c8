"""Store: schema migrations, WAL, cache freshness, job creation/persistence and job results."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from migo_desktop.core.errors import ConfigError
from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.migrations import MIGRATIONS, SCHEMA_VERSION
from migo_desktop.core.models import IdKind, LookupResult, LookupStatus, Person, Taxpayer
from migo_desktop.core.settings import ApiSettings
from migo_desktop.core.store import JobState, Store, decode_values, encode_values
from migo_desktop.core.store_base import AUTOCHECKPOINT_PAGES

RUC_A, RUC_B, RUC_C = "20131312955", "20100070970", "20100038146"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "migo.sqlite3") as s:
        yield s


def _ok(number: str, when: datetime | None = None) -> LookupResult:
    tp = Taxpayer(ruc=number, razon_social=f"EMPRESA {number}", estado="ACTIVO", condicion="HABIDO",
                  actualizado_en=datetime(2026, 1, 2, 3, 4, 5))  # fmt: skip
    return LookupResult(IdKind.RUC, number, LookupStatus.OK, tp, fetched_at=when or datetime.now())


def test_new_database_is_wal_and_at_latest_version(tmp_path):
    path = tmp_path / "db.sqlite3"
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_migrates_an_old_database_keeping_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for sql in MIGRATIONS[0][1]:
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO cache (kind, number, status, payload, message, fetched_at) "
        "VALUES ('ruc', ?, 'not_found', NULL, 'no', 1.0)",
        (RUC_A,),
    )
    conn.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION > 1
        assert s.cache_count() == 1
        job_id = s.create_job(plan_from_values([RUC_A]), ApiSettings(token="t" * 10))
        s.set_output(job_id, tmp_path / "out.xlsx")
        assert s.get_job(job_id).output_path.endswith("out.xlsx")


def test_refuses_a_database_from_a_newer_app(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ConfigError, match="versión más nueva"):
        Store(path)


def test_cache_freshness_and_what_is_cached(store):
    now = datetime.now()
    store.cache_put(_ok(RUC_A, now))
    store.cache_put(
        LookupResult(IdKind.RUC, RUC_B, LookupStatus.NOT_FOUND, message="No existe", fetched_at=now)
    )
    store.cache_put(LookupResult(IdKind.RUC, RUC_C, LookupStatus.ERROR, message="HTTP 503"))
    assert store.cache_count() == 2  # errors are never cached
    hit = store.cache_get(IdKind.RUC, RUC_A, ttl_found=60, ttl_not_found=60)
    assert hit is not None and hit.from_cache and hit.status is LookupStatus.OK
    assert hit.taxpayer.razon_social == f"EMPRESA {RUC_A}"
    assert hit.taxpayer.actualizado_en == datetime(2026, 1, 2, 3, 4, 5)
    later = now.timestamp() + 120
    assert store.cache_get(IdKind.RUC, RUC_A, ttl_found=60, ttl_not_found=600, now=later) is None
    nf = store.cache_get(IdKind.RUC, RUC_B, ttl_found=60, ttl_not_found=600, now=later)
    assert nf is not None and nf.status is LookupStatus.NOT_FOUND and nf.message == "No existe"
    assert store.cache_get(IdKind.DNI, RUC_A, ttl_found=60, ttl_not_found=60) is None
    assert [r.number for r in store.recent_lookups(5)] in ([RUC_A, RUC_B], [RUC_B, RUC_A])
    assert store.cache_clear() == 2 and store.cache_count() == 0


def test_person_payload_round_trips(store):
    store.cache_put(LookupResult(IdKind.DNI, "12345678", LookupStatus.OK, Person("12345678", "PEREZ JUAN")))
    hit = store.cache_get(IdKind.DNI, "12345678", ttl_found=60, ttl_not_found=60)
    assert hit.person == Person("12345678", "PEREZ JUAN")


def test_cell_values_round_trip_losslessly():
    values = (datetime(2026, 3, 4, 5, 6, 7), date(2026, 1, 31), time(8, 30), Decimal("12.50"), 3, 2.5, None,
              True, "=CMD()", "ñandú")  # fmt: skip
    assert decode_values(encode_values(values)) == values


def test_create_job_states_settings_and_results(store):
    secret = "super-secret-token-123"
    plan = plan_from_values([RUC_A, "20123456789", RUC_B, RUC_A, "", "12345678"], source="clientes.xlsx")
    job_id = store.create_job(plan, ApiSettings(token=secret, concurrency=7))
    job = store.get_job(job_id)
    assert job.state is JobState.PENDING and job.total == 6 and job.source_name == "clientes.xlsx"
    assert job.settings["concurrency"] == 7 and "token" not in job.settings
    counts = store.count_states(job_id)
    assert counts[LookupStatus.PENDING] == 3  # A, B and the DNI
    assert counts[LookupStatus.INVALID] == 2 and counts[LookupStatus.DUPLICATE] == 1
    assert [(i, k, n) for i, k, n in store.pending_rows(job_id)] == [
        (0, IdKind.RUC, RUC_A), (2, IdKind.RUC, RUC_B), (5, IdKind.DNI, "12345678"),
    ]  # fmt: skip
    assert store.duplicates(job_id) == {0: [3]}

    store.record_answer(job_id, 0, _ok(RUC_A))
    store.mark_row(job_id, 2, LookupStatus.ERROR, "Servicio no disponible", error="ApiUnavailable")
    results = list(store.job_results(job_id, chunk=2))  # small chunks: paging must not skip rows
    assert [r.status for r in results] == [
        LookupStatus.OK, LookupStatus.INVALID, LookupStatus.ERROR, LookupStatus.DUPLICATE,
        LookupStatus.INVALID, LookupStatus.PENDING,
    ]  # fmt: skip
    dup = results[3]
    assert dup.data == results[0].data and dup.data.razon_social == f"EMPRESA {RUC_A}"
    assert dup.consulted_at is not None and "fila 2" in dup.reason
    assert results[1].reason == "Dígito verificador incorrecto" and results[1].values == ("20123456789",)
    assert results[4].reason == "Celda vacía"
    assert results[2].reason == "Servicio no disponible"
    # the cache was fed by the answer
    assert store.cache_get(IdKind.RUC, RUC_A, ttl_found=60, ttl_not_found=60) is not None
    # "retry only failed" puts ERROR rows back to pending
    assert store.reset_rows(job_id, states=[LookupStatus.ERROR]) == 1
    assert store.count_states(job_id)[LookupStatus.PENDING] == 2
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        raw = conn.execute("SELECT settings FROM jobs").fetchone()[0]
    assert secret not in raw


def test_answers_survive_reopen(tmp_path):
    path = tmp_path / "db.sqlite3"
    with Store(path) as s:
        job_id = s.create_job(plan_from_values([RUC_A, RUC_B]), {"concurrency": 3})
        s.record_answers(job_id, [(0, _ok(RUC_A))])
        s.update_job(job_id, state=JobState.RUNNING, add_api_calls=1)
    with Store(path) as s:  # a crash leaves the job "running" and the unanswered row pending
        job = s.get_job(job_id)
        assert job.state is JobState.RUNNING and job.api_calls == 1
        assert job.counts[LookupStatus.OK] == 1 and job.pending == 1
        assert s.pending_rows(job_id) == [(1, IdKind.RUC, RUC_B)]
        assert s.find_resumable(job.source_hash, job.sheet, job.id_column).id == job_id
        s.update_job(job_id, state=JobState.COMPLETED, finished=True)
        assert s.find_resumable(job.source_hash, job.sheet, job.id_column) is None
        assert s.get_job(job_id).finished_at is not None
        assert [j.id for j in s.list_jobs()] == [job_id]
        assert s.delete_job(job_id) and s.get_job(job_id) is None


def test_create_job_runs_in_a_worker_thread(store):
    plan = plan_from_values([f"{i:08d}" for i in range(5000)])

    async def main() -> int:
        return await asyncio.to_thread(store.create_job, plan, {"concurrency": 1})

    job_id = asyncio.run(main())
    assert store.get_job(job_id).total == 5000
    assert store.count_states(job_id)[LookupStatus.PENDING] == 5000


def test_a_bulk_run_checkpoints_from_a_thread_not_inside_its_commits(tmp_path: Path) -> None:
    def fill(store: Store, start: int) -> None:
        for i in range(start, start + 1200):  # one commit each, like answers arriving one per loop turn
            store.cache_put(
                LookupResult(IdKind.RUC, f"20{i:09d}", LookupStatus.NOT_FOUND, message="x" * 2000)
            )

    path = tmp_path / "c.db"
    with Store(path) as store:
        store.defer_checkpoints()
        fill(store, 0)
        size = (path.parent / (path.name + "-wal")).stat().st_size
        assert (
            size > 2 * AUTOCHECKPOINT_PAGES * 4096
        )  # no automatic checkpoint meanwhile: the log kept growing
        before = path.stat().st_size  # the database file itself: nothing copied into it yet
        store.checkpoint()  # what the write-behind runs in a worker thread
        assert path.stat().st_size > before + 1200 * 2000
        store.restore_checkpoints()
        assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == AUTOCHECKPOINT_PAGES
