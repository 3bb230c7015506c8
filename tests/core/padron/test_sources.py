"""Bulk runs with the padrón as a source, against the demo API, counting the calls paid."""

from __future__ import annotations

import asyncio
import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from migo_desktop.core.client import MigoClient
from migo_desktop.core.engine import BulkEngine
from migo_desktop.core.jobs import export_job, export_rows, plan_from_values
from migo_desktop.core.models import IdKind, LookupStatus
from migo_desktop.core.padron import PadronError, PadronStore, import_padron
from migo_desktop.core.padron.sources import PadronResolver, SourcePolicy, estimate
from migo_desktop.core.store import JobState, Store
from migo_desktop.demo import DemoApi, demo_settings

from ..test_engine import rucs

S = LookupStatus
TODAY = date(2026, 11, 30)
EMPTY = "|".join(["-"] * 10)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "migo.sqlite3") as s:
        yield s


def settings():
    return demo_settings(concurrency=4, backoff_base=0.001, backoff_max=0.005, retry_after_cap=0.01)


def padron_with(tmp_path: Path, numbers: list[str], fecha: date) -> PadronStore:
    text = "\n".join(
        f"{n}|EMPRESA PADRON {i} S.A.C.|ACTIVO|HABIDO|150101|{EMPTY}|" for i, n in enumerate(numbers)
    )
    source = tmp_path / "padron.txt"
    source.write_bytes(text.encode("cp1252") + b"\n")
    padron = PadronStore(tmp_path / "data" / "padron.sqlite3")
    import_padron(source, padron, fecha=fecha)
    return padron


def run(store, job_id, api, padron, policy, **kw):
    async def go():
        st = settings()
        resolver = PadronResolver(padron, store, policy, st, today=lambda: TODAY, **kw)
        async with MigoClient(st, transport=api.transport()) as client:
            summary = await BulkEngine(client, store, st, pre_resolve=resolver).run(job_id)
        return summary, resolver

    return asyncio.run(go())


def test_hybrid_pays_only_for_rows_the_padron_lacks(tmp_path: Path, store: Store) -> None:
    numbers = rucs(40)
    padron = padron_with(tmp_path, numbers[:30], TODAY - timedelta(days=2))
    job_id = store.create_job(plan_from_values([*numbers, numbers[0], "20123456789"]), settings())
    api = DemoApi()
    summary, resolver = run(store, job_id, api, padron, SourcePolicy.HYBRID)
    assert resolver.answered == 30
    assert api.stats.requests == 10 == summary.requests  # a row answered by the padrón costs zero calls
    assert summary.state is JobState.COMPLETED and summary.counts[S.PENDING] == 0
    rows = {r.number: r for r in export_rows(store, job_id)}
    assert rows[numbers[0]].data.razon_social == "EMPRESA PADRON 0 S.A.C."
    assert rows[numbers[0]].source == "Padrón 28/11/2026"
    assert rows[numbers[35]].source == "Migo, en vivo" and rows[numbers[35]].status in (S.OK, S.NOT_FOUND)
    exported = list(export_rows(store, job_id))
    assert exported[40].status is S.DUPLICATE and exported[40].source == "Padrón 28/11/2026"
    assert exported[41].status is S.INVALID and exported[41].source == ""
    with export_job(store, job_id, tmp_path / "salida.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert (
        table[0][-1] == "Fuente" and table[1][-1] == "Padrón 28/11/2026" and table[36][-1] == "Migo, en vivo"
    )
    # the same file again: Migo's answers come from the cache, the padrón's from the padrón — nothing paid
    again, _ = run(
        store, store.create_job(plan_from_values(numbers), settings()), api, padron, SourcePolicy.HYBRID
    )
    assert again.requests == 0 and api.stats.requests == 10 and again.cache_hits == 10


def test_a_stale_padron_sends_every_row_to_migo(tmp_path: Path, store: Store) -> None:
    numbers = rucs(12)
    padron = padron_with(tmp_path, numbers, TODAY - timedelta(days=30))
    job_id = store.create_job(plan_from_values(numbers), settings())
    api = DemoApi()
    summary, resolver = run(store, job_id, api, padron, SourcePolicy.HYBRID, max_age_days=7)
    assert resolver.answered == 0 and api.stats.requests == 12 == summary.requests
    assert {r.source for r in export_rows(store, job_id)} == {"Migo, en vivo"}


def test_padron_only_is_free_and_says_what_it_does_not_know(tmp_path: Path, store: Store) -> None:
    numbers = rucs(10)
    padron = padron_with(tmp_path, numbers[:6], TODAY - timedelta(days=400))  # old, but it is all we want
    job_id = store.create_job(plan_from_values([*numbers, "12345678"]), settings())
    api = DemoApi()
    summary, _ = run(store, job_id, api, padron, SourcePolicy.PADRON)
    assert api.stats.requests == 0 and summary.state is JobState.COMPLETED
    c = summary.counts
    assert (c[S.OK], c[S.NOT_FOUND], c[S.ERROR]) == (6, 4, 1)
    rows = list(export_rows(store, job_id))
    assert rows[7].reason == "No figura en el padrón SUNAT" and rows[7].source.startswith("Padrón ")
    assert "no tiene DNI" in rows[10].reason


def test_padron_only_without_a_padron_is_a_clear_error_and_nothing_is_paid(
    tmp_path: Path, store: Store
) -> None:
    job_id = store.create_job(plan_from_values(rucs(3)), settings())
    api = DemoApi()
    with pytest.raises(PadronError, match="No hay un padrón SUNAT"):
        run(store, job_id, api, PadronStore(tmp_path / "none.sqlite3"), SourcePolicy.PADRON)
    assert api.stats.requests == 0 and store.count_states(job_id)[S.PENDING] == 3


def test_migo_only_ignores_the_padron_and_a_later_migo_answer_replaces_the_padron_label(
    tmp_path: Path, store: Store
) -> None:
    numbers = rucs(5)
    padron = padron_with(tmp_path, numbers, TODAY)
    job_id = store.create_job(plan_from_values(numbers), settings())
    api = DemoApi()
    run(store, job_id, api, padron, SourcePolicy.PADRON)
    store.reset_rows(job_id, states=[S.OK])  # e.g. «Consultar en vivo» for the whole job
    summary, _ = run(store, job_id, api, padron, SourcePolicy.MIGO)
    assert summary.requests == 5 and {r.source for r in export_rows(store, job_id)} == {"Migo, en vivo"}


def test_hybrid_prefers_a_fresh_migo_answer_in_the_cache_over_the_padron(
    tmp_path: Path, store: Store
) -> None:
    numbers = rucs(6)
    padron = padron_with(tmp_path, numbers, TODAY)
    api = DemoApi()
    first = store.create_job(plan_from_values(numbers[:2]), settings())
    run(store, first, api, padron, SourcePolicy.MIGO)  # two answers from Migo, now in the cache
    job_id = store.create_job(plan_from_values(numbers), settings())
    summary, resolver = run(store, job_id, api, padron, SourcePolicy.HYBRID)
    assert resolver.answered == 4 and summary.cache_hits == 2 and summary.requests == 0
    sources = {r.number: r.source for r in export_rows(store, job_id)}
    assert [sources[n] for n in numbers] == ["Migo, en vivo"] * 2 + ["Padrón 30/11/2026"] * 4


def test_estimate_counts_the_calls_saved(tmp_path: Path) -> None:
    numbers = rucs(20)
    padron = padron_with(tmp_path, numbers[:15], TODAY)
    items = [(IdKind.RUC, n) for n in numbers] + [(IdKind.DNI, "12345678")]
    hybrid = estimate(padron, items, SourcePolicy.HYBRID, today=TODAY)
    assert (hybrid.lookups, hybrid.from_padron, hybrid.paid) == (21, 15, 6)
    assert estimate(padron, items, SourcePolicy.PADRON, today=TODAY).paid == 0
    assert estimate(padron, items, SourcePolicy.MIGO, today=TODAY).paid == 21
    stale = estimate(padron, items, SourcePolicy.HYBRID, today=TODAY + timedelta(days=30))
    assert stale.paid == 21
