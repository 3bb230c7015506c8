"""PadronController: downloads, imports and removes the padrón in worker threads; answers RUC and name
look-ups from it. Qt signals only; the work itself is core/padron (Qt-free).

One long task at a time (``key="update"``), cancellable: the core's :class:`Cancel` is set and the thread
stops between chunks, leaving the padrón in use untouched. Progress arrives from the worker thread and is
handed to the GUI thread through the event loop, at most ~5 times a second (the core's RateMeter).

The worker thread never holds a Qt object: its work is a plain function over the (Qt-free) store and a relay
that keeps only a weak reference to the controller. A QObject whose last reference died in a worker thread
would be destroyed there ("Timers cannot be stopped from another thread"), and the process could crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core.models import LookupResult
from ...core.padron import (
    Cancel,
    PadronCancelled,
    PadronError,
    PadronInfo,
    PadronStore,
    Progress,
    SearchResult,
    not_in_padron,
    to_result,
)
from ..base.gc_pause import bulk_allocation
from ..base.services import Services
from ..base.tasks import TaskOwner

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
        from ...core.padron.download import DEFAULT_URL  # download/import load on first use (start-up)

        return str(self.services.prefs.value(PREF_URL, DEFAULT_URL) or DEFAULT_URL)

    # -- long work -------------------------------------------------------------------------------------
    def download(self) -> asyncio.Task[Any]:
        from ...core.padron.download import download_padron

        url, store = self.url, self.store
        return self._start(
            lambda cancel, relay: download_padron(store, url, on_progress=relay, cancel=cancel)[1]
        )

    def import_file(self, path: Path) -> asyncio.Task[Any]:
        from ...core.padron.importer import import_padron

        store = self.store
        return self._start(lambda cancel, relay: import_padron(path, store, on_progress=relay, cancel=cancel))

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def remove(self) -> bool:
        if self.busy:
            return False
        removed = self.store.remove()
        self.infoChanged.emit(None)
        return removed

    def _relay(self) -> Callable[[Progress], None]:
        """A progress callback for the worker thread that holds no Qt object (see the module docstring)."""
        loop = asyncio.get_running_loop()
        owner = weakref.ref(self)

        def relay(p: Progress) -> None:  # worker thread
            if loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile (quitting)
                loop.call_soon_threadsafe(_deliver_progress, owner, p)

        return relay

    def _start(self, work: Any) -> asyncio.Task[Any]:
        cancel = self._cancel = Cancel()
        task = self.tasks.spawn(self._run(work, cancel), key="update")
        self.busyChanged.emit(True)
        return task

    async def _run(self, work: Any, cancel: Cancel) -> None:
        try:
            with bulk_allocation():  # no cyclic GC in the worker: it would free Qt objects there
                report = await asyncio.to_thread(work, cancel, self._relay())
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


def _deliver_progress(owner: weakref.ref[PadronController], p: Progress) -> None:  # GUI thread (the loop)
    controller = owner()
    if controller is not None and controller._cancel is not None:  # a late sample after the end is dropped
        controller.progress.emit(p)
