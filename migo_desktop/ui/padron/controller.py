"""PadronController: downloads, imports and removes the padrón in worker threads; answers RUC and name
look-ups from it. Qt signals only; the work itself is core/padron (Qt-free).

One long task at a time (``key="update"``), cancellable: the core's :class:`Cancel` is set and the thread
stops between chunks, leaving the padrón in use untouched. Progress arrives from the worker thread and is
handed to the GUI loop with ``call_soon_threadsafe`` (no Qt call from the worker thread), at most ~5 times a
second (the core's RateMeter).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core.models import LookupResult
from ...core.padron import (
    DEFAULT_URL,
    Cancel,
    PadronCancelled,
    PadronError,
    PadronInfo,
    PadronStore,
    Progress,
    SearchResult,
    download_padron,
    import_padron,
    not_in_padron,
    to_result,
)
from ..base.services import Services
from ..base.tasks import TaskOwner, current_loop

__all__ = ["DEFAULT_STALE_DAYS", "PadronController"]

log = logging.getLogger(__name__)

DEFAULT_STALE_DAYS = 7
PREF_STALE_DAYS = "padron/avisar_dias"
PREF_URL = "padron/url"


class PadronController(QObject):
    infoChanged = Signal(object)  # PadronInfo | None
    progress = Signal(object)  # core.padron.Progress
    busyChanged = Signal(bool)
    finished = Signal(object)  # ImportReport
    failed = Signal(str)  # Spanish message

    def __init__(self, services: Services, store: PadronStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.store = store
        self.tasks = TaskOwner("padron")
        self._cancel: Cancel | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- state -----------------------------------------------------------------------------------------
    def info(self) -> PadronInfo | None:
        return self.store.info()

    @property
    def busy(self) -> bool:
        return self.tasks.current("update") is not None

    @property
    def stale_days(self) -> int:
        return self.services.prefs.get_int(PREF_STALE_DAYS, DEFAULT_STALE_DAYS)

    def set_stale_days(self, days: int) -> None:
        self.services.prefs.set_value(PREF_STALE_DAYS, int(days))
        self.infoChanged.emit(self.info())

    def is_stale(self, today: date | None = None) -> bool:
        info = self.info()
        age = info.age_days(today or date.today()) if info else None
        return age is not None and age > self.stale_days

    @property
    def url(self) -> str:
        return str(self.services.prefs.value(PREF_URL, DEFAULT_URL) or DEFAULT_URL)

    # -- long work -------------------------------------------------------------------------------------
    def download(self) -> asyncio.Task[Any]:
        url = self.url
        return self._start(
            lambda cancel: download_padron(self.store, url, on_progress=self._emit, cancel=cancel)[1]
        )

    def import_file(self, path: Path) -> asyncio.Task[Any]:
        return self._start(
            lambda cancel: import_padron(path, self.store, on_progress=self._emit, cancel=cancel)
        )

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def remove(self) -> bool:
        if self.busy:
            return False
        removed = self.store.remove()
        self.infoChanged.emit(None)
        return removed

    def _emit(self, p: Progress) -> None:  # worker thread: hand over to the GUI loop, no Qt call here
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile (quitting)
            loop.call_soon_threadsafe(self._forward, p)

    def _forward(self, p: Progress) -> None:
        if self._cancel is not None:  # still running: a late sample after the end is dropped
            self.progress.emit(p)

    def _start(self, work: Any) -> asyncio.Task[Any]:
        cancel = self._cancel = Cancel()
        self._loop = current_loop()
        task = self.tasks.spawn(self._run(work, cancel), key="update")
        self.busyChanged.emit(True)
        return task

    async def _run(self, work: Any, cancel: Cancel) -> None:
        try:
            report = await asyncio.to_thread(work, cancel)
        except asyncio.CancelledError:
            cancel.set()  # the thread stops at its next chunk; the padrón in use stays
            raise
        except PadronCancelled as exc:
            self.failed.emit(exc.user_message)
            return
        except PadronError as exc:
            log.warning("padrón update failed: %s", exc)
            self.failed.emit(exc.user_message)
            return
        finally:
            self._cancel = None
            self.busyChanged.emit(False)
            self.infoChanged.emit(self.info())
        self.finished.emit(report)

    # -- answers ---------------------------------------------------------------------------------------
    async def lookup(self, ruc: str) -> LookupResult | None:
        """The padrón's answer for a valid RUC (NO ENCONTRADO when absent), or None without a padrón."""
        info = self.info()
        if info is None:
            return None
        record = await asyncio.to_thread(self.store.lookup, ruc)
        return to_result(record, info.fecha) if record else not_in_padron(ruc, info.fecha)

    async def search(self, text: str, limit: int = 30) -> SearchResult:
        return await asyncio.to_thread(self.store.search, text, limit)

    def result_for(self, record: Any) -> LookupResult:
        return to_result(record, self.store.fecha)
