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
