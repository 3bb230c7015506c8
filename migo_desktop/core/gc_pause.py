"""``paused_gc``: no cyclic garbage collection while 100k-row structures are built (an import, a job).

Reading a 100k × 12 sheet allocates ~1.3 M objects that all stay alive (cells, row tuples, ``PlanRow``s),
none in a reference cycle. With the collector on, each of those allocations counts towards a pass that then
walks everything alive, over and over: ~0.4-0.5 s of a 1.2 s ``build_plan`` here (docs/benchmarks.md,
«Excel»). Reference counting still frees everything as usual; cycles made meanwhile wait for the next pass.
What is alive when the last pause ends is frozen (``gc.freeze``), as the GUI does after its own pauses.
The reader pauses it for every caller (the CLI, scripts); the GUI's worker threads use the same pause
(``ui.base.gc_pause.bulk_allocation``). Overlapping pauses, from any thread, turn the collector back on when
the last one ends, and only if it was on when the first began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                # Out of the collector's reach for good, like the GUI's ``settle_heap``: otherwise the first
                # young pass after this walks all of them once (~70 ms for 100k rows), and every full pass
                # after that again. Reference counting still frees them.
                gc.freeze()
                if _was_enabled:
                    gc.enable()
