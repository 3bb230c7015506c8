"""Shared helpers for the bulk/history page tests: Services on the demo API, a qasync loop, workbooks."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import qasync
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core.client import MigoClient
from migo_desktop.core.store import Store
from migo_desktop.demo import DemoApi, FaultPlan, demo_settings
from migo_desktop.paths import app_paths
from migo_desktop.ui.base.event_loop import AppEventLoop
from migo_desktop.ui.base.services import AppEvents, Services
from migo_desktop.ui.base.settings_store import Preferences


def make_ruc(n: int, prefix: str = "20") -> str:
    body = f"{prefix}{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def make_services(*, latency: float = 0.0, concurrency: int = 8, faults: FaultPlan | None = None) -> Services:
    paths = app_paths().ensure()
    api = DemoApi(latency=latency, faults=faults)
    settings = demo_settings(concurrency=concurrency, backoff_base=0.001, backoff_max=0.01)

    def client_factory(s: Any) -> MigoClient:
        return MigoClient(s, transport=api.transport())

    return Services(
        settings=settings,
        store=Store(paths.database),
        client_factory=client_factory,
        paths=paths,
        prefs=Preferences(paths.settings_file),
        events=AppEvents(),
        demo=True,
        demo_api=api,
    )


def drive(loop: qasync.QEventLoop, coro: Any) -> Any:
    """``loop.run_until_complete`` without qasync 0.28's extra ``processEvents`` after the loop stopped.

    That last pass runs ready asyncio callbacks with no running loop set, so an engine worker stepping
    there fails with "no running event loop" (in the app the loop runs forever and this never happens).
    """
    future = asyncio.ensure_future(coro, loop=loop)
    future.add_done_callback(lambda _: loop.stop())
    loop.run_forever()
    return future.result()


class SafeEventLoop(AppEventLoop):
    """The app's loop, whose ``run_until_complete`` is :func:`drive` (no event pass after it stopped)."""

    def run_until_complete(self, future: Any) -> Any:
        return drive(self, future)

    def drive(self, coro: Any) -> Any:
        return drive(self, coro)


def new_loop(qapp: Any) -> SafeEventLoop:
    loop = SafeEventLoop(qapp)
    asyncio.set_event_loop(loop)
    return loop


def close_loop(loop: qasync.QEventLoop) -> None:
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        drive(loop, asyncio.gather(*pending, return_exceptions=True))
    drive(loop, loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)
    gc.unfreeze()  # the page freezes the heap after loading a job (settle_heap); give later tests a normal GC


def wait_until(loop: qasync.QEventLoop, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Run the loop until ``condition()`` holds (polls; never sleeps outside the loop)."""

    async def _poll() -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.01)

    drive(loop, _poll())


def spin(loop: qasync.QEventLoop, seconds: float = 0.05) -> None:
    drive(loop, asyncio.sleep(seconds))


def write_workbook(path: Path, rucs: list[Any], *, titles: int = 2, extra: bool = True) -> Path:
    """An .xlsx with ``titles`` title rows, a header row and a numeric RUC column (column B)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Proveedores"
    for i in range(titles):
        ws.append([f"Reporte de proveedores {2026 + i}" if i == 0 else "Generado por contabilidad"])
    ws.append(["Código", "RUC", "Proveedor", "Monto"])
    for i, value in enumerate(rucs):
        cell = int(value) if isinstance(value, str) and value.isdigit() else value
        ws.append([f"P{i:04d}", cell, f"Proveedor {i}", 100 + i])
    wb.save(path)
    wb.close()
    return path


def act(loop: qasync.QEventLoop, fn: Callable[[], Any]) -> Any:
    """Call ``fn`` (e.g. a button click) with the loop running, as it always is in the app."""

    async def _call() -> Any:
        return fn()

    return drive(loop, _call())


def show_bulk_page(qtbot: Any, services: Any) -> Any:
    """A Masiva page on screen at a desktop size, closed by qtbot at the end of the test."""
    from migo_desktop.ui.bulk.page import BulkPage

    page = BulkPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page
