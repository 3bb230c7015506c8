"""The app's event loop: qasync's, with timers that stop when they are cancelled.

qasync runs every ``call_later``/``call_at`` as a Qt timer, and ``cancel()`` only marks the handle: the Qt
timer stays registered until it is due, then fires an event and a Python call that does nothing. A bulk run
cancels three or four such timers per request, due 3 to 60 s later (aiohttp's read timeouts, the request's
total deadline, the engine's slow-request timer). A 10,000-RUC run left ~40,000 live Qt timers behind, and
the next run in the same window paid for each of them: ~17,000 extra events, and a GUI-thread stall p99 of
27–33 ms instead of 15 ms, max 120 ms instead of 30 ms (``bench/ui_responsiveness.py --server both``). Here
a cancelled timer is killed at once.

This reaches into qasync's ``_SimpleTimer`` (qasync 0.27/0.28); if its internals change, ``call_later``
falls back to qasync's own, and ``tests/ui/test_event_loop.py`` says so.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from typing import Any

import qasync

__all__ = ["AppEventLoop", "kills_cancelled_timers"]

_CALLBACKS = "_SimpleTimer__callbacks"  # qasync's private {timer id: handle}


class _TimerHandle(asyncio.Handle):
    """A handle whose ``cancel()`` also stops its Qt timer."""

    __slots__ = ("_kill",)

    def __init__(
        self,
        callback: Callable[..., object],
        args: tuple[Any, ...],
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context | None,
    ) -> None:
        super().__init__(callback, args, loop, context=context)
        self._kill: Callable[[], None] | None = None

    def cancel(self) -> None:
        kill, self._kill = self._kill, None
        super().cancel()
        if kill is not None:
            kill()

    def _run(self) -> None:
        self._kill = None  # it fired: qasync forgets its timer (a cancel from now on kills nothing)
        super()._run()


def kills_cancelled_timers(loop: qasync.QEventLoop) -> bool:
    """True when qasync's internals are the ones this module relies on."""
    timer = getattr(loop, "_timer", None)
    return timer is not None and isinstance(getattr(timer, _CALLBACKS, None), dict)


class AppEventLoop(qasync.QEventLoop):
    def call_later(
        self, delay: float, callback: Callable[..., object], *args: Any, context: Any = None
    ) -> asyncio.Handle:
        if delay <= 0 or not kills_cancelled_timers(self):  # call_soon: due at once, nothing to kill
            handle: asyncio.Handle = super().call_later(delay, callback, *args, context=context)
            return handle
        timer = self._timer
        callbacks: dict[int, asyncio.Handle] = getattr(timer, _CALLBACKS)
        handle = _TimerHandle(callback, args, self, context)
        timer_id = timer.startTimer(int(delay * 1000))
        callbacks[timer_id] = handle

        def kill() -> None:
            if callbacks.get(timer_id) is handle:  # Qt reuses the ids of timers that are gone
                del callbacks[timer_id]
                timer.killTimer(timer_id)

        handle._kill = kill
        return handle
