"""Reading a file for the import dialog: the sheet preview, the full import plan and its cost, in threads.

``ImportPreviewer`` belongs to ``BulkController`` (which forwards its signals and shares its ``TaskOwner``).
Only the newest request answers: an older one is cancelled, and its result, if any, is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ...core.errors import InputError, MigoError
from ..base.gc_pause import bulk_allocation
from ..base.tasks import TaskOwner
from .jobs import PreviewResult, compute_cost

__all__ = ["ImportPreviewer"]

log = logging.getLogger(__name__)


class ImportPreviewer(QObject):
    planProgress = Signal(int, int)  # rows read, total rows (0 when unknown)
    previewReady = Signal(object)  # PreviewResult
    previewFailed = Signal(int, str)  # request id, Spanish message
    busyChanged = Signal(str)  # "" when idle, else a short Spanish description

    def __init__(self, services: Any, tasks: TaskOwner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._preview_seq = 0
        self._preview_cancel: threading.Event | None = None
        self._progress_value: tuple[int, int] | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(100)
        self._progress_timer.timeout.connect(self._emit_plan_progress)

    def request(
        self,
        path: str | Path,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        column: int | None = None,
    ) -> int:
        """Read ``path`` (sheet preview + full plan + cost) in a thread; answers on previewReady/Failed."""
        self.cancel()
        self._preview_seq += 1
        cancel = self._preview_cancel = threading.Event()
        self.tasks.spawn(
            self._preview(self._preview_seq, Path(path), sheet, header_row, column, cancel), key="preview"
        )
        return self._preview_seq

    def cancel(self) -> None:
        if self._preview_cancel is not None:
            self._preview_cancel.set()
        self.tasks.cancel("preview")

    def _on_plan_progress(self, *args: Any) -> None:  # worker thread: just remember the latest value
        done = int(args[0]) if args else 0
        total = int(args[1]) if len(args) > 1 and args[1] else 0
        self._progress_value = (done, total)

    def _emit_plan_progress(self) -> None:
        if self._progress_value is not None:
            self.planProgress.emit(*self._progress_value)

    async def _preview(
        self,
        seq: int,
        path: Path,
        sheet: str | None,
        header_row: int | None,
        column: int | None,
        cancel: threading.Event,
    ) -> None:
        self.busyChanged.emit(self.tr("Leyendo el archivo…"))
        self._progress_value = None
        self._progress_timer.start()
        try:
            with bulk_allocation():
                preview, plan, cost, message = await self._read(path, sheet, header_row, column, cancel)
            if plan is None and not message:
                return
        except asyncio.CancelledError:
            cancel.set()
            raise
        except MigoError as exc:
            if not cancel.is_set():
                self.previewFailed.emit(seq, exc.user_message)
            return
        except Exception as exc:  # a hostile or broken file must never reach the user as a traceback
            log.exception("Import preview failed")
            if not cancel.is_set():
                self.previewFailed.emit(seq, self._unreadable_message(exc))
            return
        finally:
            self._progress_timer.stop()
            self.busyChanged.emit("")
        if not cancel.is_set() and seq == self._preview_seq:
            self.previewReady.emit(PreviewResult(seq, path, preview, plan, cost, message))

    async def _read(
        self,
        path: Path,
        sheet: str | None,
        header_row: int | None,
        column: int | None,
        cancel: threading.Event,
    ) -> tuple[Any, Any, Any, str]:  # (SheetPreview, plan | None, ImportCost | None, message)
        from ...excel import reader

        services = self.services
        preview = await asyncio.to_thread(reader.preview, path, sheet=sheet, rows=50)
        try:
            plan = await asyncio.to_thread(
                reader.build_plan,
                path,
                sheet=sheet,
                header_row=header_row,
                column=column,
                progress=self._on_plan_progress,
                cancel=cancel,
            )
        except InputError as exc:  # the file is readable (we have its preview) but needs the user's choice
            if cancel.is_set():
                return preview, None, None, ""
            return preview, None, None, exc.user_message
        if cancel.is_set():
            return preview, None, None, ""
        cost = await asyncio.to_thread(compute_cost, plan, services.store, services.settings, cancel)
        return preview, plan, cost, ""

    def _unreadable_message(self, exc: BaseException) -> str:
        return self.tr(
            "No se pudo leer el archivo. Comprueba que sea un Excel, CSV o TXT válido y que no esté dañado."
        )
