"""Ctrl+C in the terminal (and SIGTERM from a session logout) closes the app the way its window would.

Python runs signal handlers only between bytecodes, and while Qt waits for events no Python runs, so a
plain handler would fire only at the next mouse move. ``signal.set_wakeup_fd`` makes the C-level handler
write a byte to a socket that a QSocketNotifier watches: Qt wakes up, Python runs the handler, and the
handler asks the app to quit (windows closed, bulk run paused and saved, store closed). A second Ctrl+C
gets Python's default behaviour, so a stuck app can still be stopped.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QSocketNotifier

__all__ = ["InterruptHandler"]

log = logging.getLogger(__name__)


class InterruptHandler:
    def __init__(self, on_interrupt: Callable[[], None]) -> None:
        self.on_interrupt = on_interrupt
        self.interrupted = False
        self._reader, self._writer = socket.socketpair()
        for sock in (self._reader, self._writer):
            sock.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._signals = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
        self._old_handlers = {sig: signal.signal(sig, self._handle) for sig in self._signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._reader.recv(64):
                pass

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.interrupted:
            return
        self.interrupted = True
        log.info("Interrupted by signal %s: closing", signal.Signals(signum).name)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl+C stops at once
        self.on_interrupt()

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        with contextlib.suppress(ValueError):  # not the main thread any more: nothing to restore
            signal.set_wakeup_fd(self._old_fd)
            for sig, handler in self._old_handlers.items():
                signal.signal(sig, handler)
        self._reader.close()
        self._writer.close()
