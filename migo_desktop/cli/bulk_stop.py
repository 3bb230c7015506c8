"""Ctrl-C during `migo bulk`: drain what was already paid for, then stop (BulkEngine.stop's contract).

The first Ctrl-C starts no new lookup and gives the requests in flight up to ``DRAIN_SECONDS`` to answer;
their answers are saved, so a resume never pays for them again. A second Ctrl-C stops at once (what is still
in flight stays pending). Where the loop cannot take signal handlers (Windows, or not the main thread),
Ctrl-C cancels the run as before: the state is saved and in-flight rows stay pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Iterator

from ..core.engine import BulkEngine

__all__ = ["DRAIN_SECONDS", "INTERRUPTED", "ctrl_c_drains"]

DRAIN_SECONDS = 5.0
INTERRUPTED = "Interrumpido. Lo ya consultado queda guardado: «migo resume» o el mismo comando lo continúan."


@contextlib.contextmanager
def ctrl_c_drains(engine: BulkEngine) -> Iterator[None]:
    """Install the two-step Ctrl-C for the block (see the module docstring)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def on_sigint() -> None:
        if engine.stopping:
            if task is not None:
                task.cancel()
            return
        wait = f"{DRAIN_SECONDS:g} s"
        print(f"\nDeteniendo: se esperan las consultas en curso (hasta {wait}) para no perder lo ya pagado. "
              "Ctrl+C otra vez para salir ya.", file=sys.stderr)  # fmt: skip
        engine.request_stop(DRAIN_SECONDS)

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
