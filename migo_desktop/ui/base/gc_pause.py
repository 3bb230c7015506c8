"""Keeping the cyclic GC off the GUI thread's back while 100k-row structures are built and shown."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from ...core.gc_pause import paused_gc

__all__ = ["bulk_allocation", "no_full_collections", "settle_heap"]


def settle_heap() -> None:
    """Move everything alive now (the app, the job's rows) out of the cyclic GC's reach.

    A full collection walks every tracked object: with the app loaded that took 70-110 ms on the GUI thread
    here, and more with 100k rows in the table, several times during a run. Frozen objects are still freed
    by reference counting (the rows hold no cycles), so loading another job releases the previous one.
    """
    gc.freeze()


def bulk_allocation() -> contextlib.AbstractContextManager[None]:
    """Pause the cyclic GC while a worker thread builds 100k-row structures, then freeze the survivors.

    A collection triggered by the worker holds the GIL for its whole pass: measured here, a 440 ms freeze of
    the GUI thread while a 100k-row plan was built. It would also free Qt objects off the GUI thread. The
    structures built here hold no reference cycles, so nothing is lost by collecting later. The same pause
    as the reader's (``core.gc_pause``): overlapping uses restore the GC when the last one ends.
    """
    return paused_gc()


@contextlib.contextmanager
def no_full_collections() -> Iterator[None]:
    """During a bulk run: young collections go on, full (generation 2) passes wait until the run ends.

    A full pass walks everything the run has kept so far (answers, rows): measured against the HTTP demo
    server, up to 146 ms on the GUI thread. Afterwards the survivors are frozen (``settle_heap``), so the
    postponed pass does not land on the GUI thread later either.
    """
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, 1_000_000)
    try:
        yield
    finally:
        now = gc.get_threshold()
        gc.set_threshold(now[0], now[1], third)
        settle_heap()
