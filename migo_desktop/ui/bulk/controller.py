"""The bulk page's controller: owns the import, the engine run and the exports; widgets only show signals.

Everything blocking (reading the workbook, inserting 100k job rows, loading results, writing the export)
runs in a worker thread through ``asyncio.to_thread``; the engine runs on the app's qasync loop. Running
tasks are held by a ``TaskOwner`` (qasync does not keep them alive). Failures become Spanish messages on
``errorOccurred``; an authentication or quota stop also offers Preferencias (``preferencesRequested``).

The signal payloads and thread-side steps live in ``bulk_jobs``, the GC handling in ``ui.base.gc_pause``,
reading a file for the import dialog in ``import_preview`` (its signals are forwarded by the controller's).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from ...core.errors import ApiUnavailable, AuthError, MigoError, QuotaExceeded
from ..base.gc_pause import bulk_allocation, no_full_collections, settle_heap
from ..base.running_jobs import RUNNING_JOBS
from ..base.tasks import TaskOwner
from .import_preview import ImportPreviewer
from .jobs import (
    ImportCost,
    JobView,
    PreviewResult,
    compute_cost,
    export_job,
    load_job,
    view_from_plan,
)

__all__ = [
    "BulkController",
    "ImportCost",
    "JobView",
    "PreviewResult",
    "bulk_allocation",
    "compute_cost",
    "export_job",
    "settle_heap",
]

log = logging.getLogger(__name__)

UNFINISHED_STATES = ("pending", "running", "paused", "cancelled", "stopped")
DRAIN_SECONDS = 5.0  # at quit, how long the answers already asked for may take to arrive (they are paid)


def _message_for(exc: BaseException) -> str:
    if isinstance(exc, MigoError):
        return exc.user_message
    return QCoreApplication.translate(
        "BulkController", "Ocurrió un error inesperado. El detalle quedó en el registro de la aplicación."
    )


class BulkController(QObject):
    planProgress = Signal(int, int)  # rows read, total rows (0 when unknown)
    previewReady = Signal(object)  # PreviewResult
    previewFailed = Signal(int, str)  # request id, Spanish message
    jobLoaded = Signal(object)  # JobView (the table is reset from it)
    progressChanged = Signal(object)  # core.progress.Progress
    rowsUpdated = Signal(object)  # list[RowUpdate]
    runningChanged = Signal(bool)
    pausedChanged = Signal(bool)
    runFinished = Signal(object)  # JobSummary
    errorOccurred = Signal(str, bool)  # message, offer Preferencias
    exportFinished = Signal(str)  # path
    exportFailed = Signal(str)
    unfinishedFound = Signal(object)  # list[JobRecord]
    preferencesRequested = Signal()
    busyChanged = Signal(str)  # "" when idle, else a short Spanish description
    stoppingChanged = Signal(bool)  # a quit is draining the requests in flight («Guardando…»)
    representativesReady = Signal(str, list)  # ruc, list[Representative] (the record dialog)
    representativesFailed = Signal(str, str)  # ruc, Spanish message

    def __init__(self, services: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = TaskOwner("bulk")
        self.job_id: int | None = None
        self.last_export: Path | None = None
        self._engine: Any = None
        self._paused = False
        self.stopping = False
        self.previewer = ImportPreviewer(services, self.tasks, self)
        self.previewer.planProgress.connect(self.planProgress)
        self.previewer.previewReady.connect(self.previewReady)
        self.previewer.previewFailed.connect(self.previewFailed)
        self.previewer.busyChanged.connect(self.busyChanged)

    # ---- state ---------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.tasks.current("run") is not None

    @property
    def paused(self) -> bool:
        return self._paused

    # ---- import --------------------------------------------------------------------------------------
    def request_preview(
        self,
        path: str | Path,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        column: int | None = None,
    ) -> int:
        """Read ``path`` (sheet preview + full plan + cost) in a thread; answers on previewReady/Failed."""
        return self.previewer.request(path, sheet=sheet, header_row=header_row, column=column)

    def cancel_preview(self) -> None:
        self.previewer.cancel()

    # ---- jobs ----------------------------------------------------------------------------------------
    def start_plan(self, plan: Any) -> None:
        """Create a job from an import plan (in a thread), show its rows and run it."""
        self.tasks.spawn(self._start_plan(plan), key="run")

    async def _start_plan(self, plan: Any) -> None:
        settings = self.services.settings
        self.busyChanged.emit(self.tr("Preparando la consulta…"))
        try:
            with bulk_allocation():
                job_id = await asyncio.to_thread(self.services.store.create_job, plan, settings)
                view = await asyncio.to_thread(view_from_plan, self.services.store, job_id, plan)
        except MigoError as exc:
            self.errorOccurred.emit(exc.user_message, False)
            return
        finally:
            self.busyChanged.emit("")
        self._show(view)
        await asyncio.sleep(0.05)  # let the filled table paint before the engine's start-up queries
        await self._run(job_id)

    def open_job(self, job_id: int, *, resume: bool = False) -> None:
        """Show a past job's results; with ``resume`` also run what is left."""
        if self.running:
            self.errorOccurred.emit(self.tr("Espera a que termine (o cancela) la consulta en curso."), False)
            return
        self.tasks.spawn(self._open_job(job_id, resume), key="run")

    async def _open_job(self, job_id: int, resume: bool) -> None:
        self.busyChanged.emit(self.tr("Cargando resultados…"))
        try:
            with bulk_allocation():
                view = await asyncio.to_thread(load_job, self.services.store, job_id)
        except MigoError as exc:
            self.errorOccurred.emit(exc.user_message, False)
            return
        finally:
            self.busyChanged.emit("")
        self._show(dataclasses.replace(view, resuming=resume))
        if resume:
            await self._run(job_id)

    def _show(self, view: JobView) -> None:
        self.job_id = view.job_id
        self.last_export = None
        self.jobLoaded.emit(view)
        settle_heap()

    def retry_failed(self) -> None:
        if self.job_id is None or self.running:
            return
        self.tasks.spawn(self._run(self.job_id, only_failed=True), key="run")

    def resume_current(self) -> None:
        if self.job_id is not None and not self.running:
            self.tasks.spawn(self._run(self.job_id), key="run")

    async def _run(self, job_id: int, *, only_failed: bool = False, force_refresh: bool = False) -> Any:
        from ...core.engine import BulkEngine

        services = self.services
        settings = services.settings
        client = services.client_factory(settings)
        sources = services.bulk_sources  # the padrón as a source (ui.padron, set by the shell), if any
        engine = BulkEngine(
            client,
            services.store,
            settings,
            on_progress=self.progressChanged.emit,
            on_rows=self.rowsUpdated.emit,
            pre_resolve=sources.resolver(services.store, settings) if sources is not None else None,
        )
        self._engine = engine
        RUNNING_JOBS.add(job_id)
        self._set_paused(False)
        self.runningChanged.emit(True)
        summary = None
        try:
            # No full GC pass during the run (up to 146 ms on the GUI thread, docs/benchmarks.md «Interfaz»).
            with no_full_collections():
                summary = await engine.run(job_id, force_refresh=force_refresh, only_failed=only_failed)
        except (AuthError, QuotaExceeded) as exc:
            self.errorOccurred.emit(exc.user_message, True)
        except ApiUnavailable as exc:
            self.errorOccurred.emit(exc.user_message, False)
        except MigoError as exc:
            self.errorOccurred.emit(exc.user_message, False)
        except asyncio.CancelledError:
            engine.cancel()
            raise
        except Exception as exc:
            log.exception("Bulk run %s failed", job_id)
            self.errorOccurred.emit(_message_for(exc), False)
        finally:
            self._engine = None
            RUNNING_JOBS.discard(job_id)
            self._set_paused(False)
            try:
                await client.aclose()
            except Exception:  # closing must not hide the run's own outcome
                log.exception("Closing the bulk client failed")
            self.runningChanged.emit(False)
        if summary is not None:  # stops (auth, quota, budget, network, cancel) are told by the summary
            self.runFinished.emit(summary)
            services.events.statusMessage.emit(self.tr("Consulta masiva: %s") % (summary.state.label,))
        return summary

    def requery_rows(self, idxs: list[int]) -> bool:
        """«Consultar de nuevo»: look these rows up again at the API (not from the cache). Only when nothing
        else of the job is pending, so bypassing the cache pays for exactly these rows."""
        if self.job_id is None or self.running or not idxs:
            return False
        self.tasks.spawn(self._requery(self.job_id, sorted(set(idxs))), key="run")
        return True

    async def _requery(self, job_id: int, idxs: list[int]) -> None:
        await asyncio.to_thread(self.services.store.reset_rows, job_id, idxs=idxs)
        await self._run(job_id, force_refresh=True)

    def load_representatives(self, ruc: str) -> None:
        """The record dialog's «Ver representantes legales», on a client of its own (closed after)."""
        self.tasks.spawn(self._representatives(ruc), key="representatives")

    async def _representatives(self, ruc: str) -> None:
        client = self.services.client_factory(self.services.settings)
        try:
            reps = await client.representatives(ruc)
        except MigoError as exc:
            self.representativesFailed.emit(ruc, exc.user_message)
            return
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()
        self.representativesReady.emit(ruc, list(reps))

    def pause(self) -> None:
        if self._engine is not None and not self._paused and not self.stopping:
            self._engine.pause()
            self._set_paused(True)
            # say at once how many answers are still on their way («Pausando… (N consultas en curso)»)
            self.progressChanged.emit(self._engine.snapshot())

    def resume(self) -> None:
        if self._engine is not None and self._paused:
            self._engine.resume()
            self._set_paused(False)

    def cancel(self) -> None:
        if self._engine is not None:
            self._engine.cancel()

    def _set_paused(self, paused: bool) -> None:
        if paused != self._paused:
            self._paused = paused
            self.pausedChanged.emit(paused)

    # ---- unfinished runs at start-up -----------------------------------------------------------------
    def check_unfinished(self) -> list[Any]:
        """Unfinished jobs with rows left (newest first); announced on ``unfinishedFound`` (a quick query)."""
        jobs = self.services.store.list_jobs()
        pending = [
            j for j in jobs if j.state.value in UNFINISHED_STATES and j.pending > 0 and j.id != self.job_id
        ]
        if pending:
            self.unfinishedFound.emit(pending)
        return pending

    # ---- export --------------------------------------------------------------------------------------
    def export(
        self,
        path: str | Path,
        job_id: int | None = None,
        *,
        kind: str = "tabla",
        only: set[int] | None = None,
    ) -> None:
        """Export in the background: ``kind`` "libro" (own workbook) or "tabla"; ``only``: the rows shown."""
        job = job_id if job_id is not None else self.job_id
        if job is None:
            return
        self.tasks.spawn(self._export(job, Path(path), kind, only), key="export")

    async def _export(
        self, job_id: int, path: Path, kind: str = "tabla", only: set[int] | None = None
    ) -> None:
        self.busyChanged.emit(self.tr("Exportando…"))
        try:
            written = await asyncio.to_thread(export_job, self.services.store, job_id, path, kind, only)
        except MigoError as exc:
            self.exportFailed.emit(exc.user_message)
            return
        except OSError as exc:
            log.warning("Export to %s failed: %s", path, exc)
            self.exportFailed.emit(
                self.tr(
                    "No se pudo guardar el archivo (¿está abierto en Excel o la carpeta es de solo lectura?)."
                )
            )
            return
        except Exception:
            log.exception("Export of job %s failed", job_id)
            self.exportFailed.emit(
                self.tr("No se pudo exportar. El detalle quedó en el registro de la aplicación.")
            )
            return
        finally:
            self.busyChanged.emit("")
        self.last_export = Path(written)
        self.exportFinished.emit(str(written))

    def open_last_export(self) -> bool:
        if self.last_export is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export)))

    async def stop_run(self, drain_timeout: float = DRAIN_SECONDS) -> None:
        """Quit or Ctrl-C: start no new row, let the requests already sent answer (up to ``drain_timeout``
        seconds; they are paid for) and store them, then end the run as paused so it can be resumed.

        Bounded: if the run has not ended a little after the drain window, its task is cancelled (the rows
        still in flight stay pending and are asked again on resume)."""
        run = self.tasks.current("run")
        if run is None:
            return
        self.stopping = True
        self.stoppingChanged.emit(True)
        try:
            engine = self._engine
            if engine is not None:
                engine.request_stop(drain_timeout)
                await asyncio.wait({run}, timeout=drain_timeout + 2.0)
            if not run.done():
                run.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await run
        finally:
            self.stopping = False
            self.stoppingChanged.emit(False)

    async def aclose(self) -> None:
        """Stop everything (at quit) and wait until it has stopped.

        A running job is drained (``stop_run``), not cancelled: the answers already asked for are stored and
        the job is saved as paused, so the next start offers to resume it without paying twice.
        """
        self.cancel_preview()
        await self.stop_run()
        tasks = list(self.tasks.running)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
