"""BulkController helpers that need no widgets."""

from __future__ import annotations

import gc

from migo_desktop.ui.bulk.controller import bulk_allocation


def test_bulk_allocation_pauses_the_gc_and_restores_it():
    assert gc.isenabled()
    try:
        with bulk_allocation():
            assert not gc.isenabled()
            with bulk_allocation():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer one still runs
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_import_cost_counts_fresh_cache_hits_and_can_be_cancelled(tmp_path):
    import threading

    from migo_desktop.core.jobs import plan_from_values
    from migo_desktop.core.models import IdKind, LookupResult, LookupStatus
    from migo_desktop.core.store import Store
    from migo_desktop.demo import demo_settings
    from migo_desktop.ui.bulk.jobs import compute_cost
    from tests.core.test_engine import rucs

    numbers = rucs(2500)  # more than one batch of the cache query
    with Store(tmp_path / "c.db") as store:
        for n in numbers[::5]:
            store.cache_put(LookupResult(IdKind.RUC, n, LookupStatus.NOT_FOUND, message="No existe"))
        plan = plan_from_values(numbers + numbers[:3])  # duplicates are not looked up twice
        cost = compute_cost(plan, store, demo_settings())
        assert (cost.valid_unique, cost.cached, cost.api_calls) == (2500, 500, 2000)
        cancelled = threading.Event()
        cancelled.set()
        assert compute_cost(plan, store, demo_settings(), cancelled).cached == 0
