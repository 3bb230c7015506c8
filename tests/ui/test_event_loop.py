"""The app's event loop kills a cancelled timer's Qt timer at once (qasync alone lets it fire later)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QAbstractEventDispatcher

from migo_desktop.ui.base.event_loop import AppEventLoop, kills_cancelled_timers

from .helpers import close_loop, drive, new_loop


def _live_qt_timers(loop: AppEventLoop) -> int:
    return len(QAbstractEventDispatcher.instance().registeredTimers(loop._timer))


def test_cancelled_timers_leave_no_qt_timer_behind(qapp):
    loop = new_loop(qapp)
    try:
        assert isinstance(loop, AppEventLoop) and kills_cancelled_timers(
            loop
        )  # qasync's internals as expected
        before = _live_qt_timers(loop)
        handles = [loop.call_later(60, lambda: None) for _ in range(500)]  # like a request's read timeouts
        assert _live_qt_timers(loop) == before + 500
        for handle in handles:
            handle.cancel()
        assert _live_qt_timers(loop) == before  # gone now, not in 60 s

        async def timeouts() -> None:
            for _ in range(200):  # asyncio.timeout() schedules and cancels one per request
                async with asyncio.timeout(60):
                    await asyncio.sleep(0)

        drive(loop, timeouts())
        assert _live_qt_timers(loop) == before
    finally:
        close_loop(loop)


def test_timers_still_fire_and_a_late_cancel_kills_nothing_else(qapp):
    loop = new_loop(qapp)
    try:
        fired: list[str] = []

        async def scenario() -> None:
            first = loop.call_later(0.01, fired.append, "first")
            await asyncio.sleep(0.05)
            second = loop.call_later(60, fired.append, "second")  # may get the first one's Qt timer id
            first.cancel()  # after it fired: must not kill the second timer
            third = loop.call_later(0.01, fired.append, "third")
            await asyncio.sleep(0.05)
            assert not second.cancelled() and third is not None
            second.cancel()

        drive(loop, scenario())
        assert fired == ["first", "third"]
    finally:
        close_loop(loop)
