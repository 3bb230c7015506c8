"""SUNAT exchange rates: latest, one date or a range; copy as TSV and export to .xlsx/.csv.

A day without publication (Sunday, holiday) shows the rate that applies — the last one published before it —
and a range lists every calendar day (``core.exchange_days``). Both cost one call: the range asked for starts
a few days early so the first day has something to carry over.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Coroutine, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ...core.errors import MigoError
from ...core.exchange_days import DayRate, applicable_days, lookback_start
from ...core.numbers import fmt_rate
from ...excel.output import atomic_file, check_target
from ..base.client import SharedClient
from ..base.tasks import TaskOwner

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["MAX_RANGE_DAYS", "ExchangeController", "rates_to_tsv", "write_rates"]

log = logging.getLogger(__name__)

MAX_RANGE_DAYS = 366
HEADERS = ("Fecha", "Compra", "Venta", "Publicado el")


def rates_to_tsv(rates: Sequence[DayRate]) -> str:
    """Tab-separated with a header; dates as DD/MM/YYYY, prices with a dot (as SUNAT shows them); the last
    column says which day SUNAT published the rate (another day for Sundays and holidays)."""
    lines = ["\t".join(HEADERS)]
    lines += [
        f"{r.fecha:%d/%m/%Y}\t{fmt_rate(r.compra)}\t{fmt_rate(r.venta)}\t{r.publicado:%d/%m/%Y}"
        for r in rates
    ]
    return "\n".join(lines) + "\n"


def write_rates(path: Path, rates: Sequence[DayRate]) -> Path:
    """Write .xlsx (numbers with 3 decimals, real dates) or .csv, atomically (``excel.output.atomic_file``).

    Raises ``ExportError`` with a Spanish message when the target is open in Excel, read-only or missing.
    """

    path = check_target(Path(path), None)
    with atomic_file(path) as fh:
        if path.suffix.lower() == ".csv":
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(HEADERS)
            for r in rates:
                writer.writerow(
                    [r.fecha.isoformat(), fmt_rate(r.compra), fmt_rate(r.venta), r.publicado.isoformat()]
                )
            text.flush()
            text.detach()
        else:
            _rates_workbook(rates).save(fh)
    return path


def _rates_workbook(rates: Sequence[DayRate]) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Tipo de cambio"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rates:
        ws.append([r.fecha, float(r.compra), float(r.venta), r.publicado])
        row = ws.max_row
        ws.cell(row, 1).number_format = "DD/MM/YYYY"
        ws.cell(row, 2).number_format = "0.000"
        ws.cell(row, 3).number_format = "0.000"
        ws.cell(row, 4).number_format = "DD/MM/YYYY"
        if r.carried:
            ws.cell(row, 4).font = Font(italic=True)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["D"].width = 14
    ws.freeze_panes = "A2"
    return wb


class ExchangeController(QObject):
    busyChanged = Signal(bool)
    ratesReady = Signal(list)  # list[DayRate], one per calendar day, oldest first
    failed = Signal(str)  # a Spanish message

    def __init__(self, client: SharedClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.tasks = TaskOwner("exchange")
        self.rates: list[DayRate] = []

    @property
    def current_task(self) -> asyncio.Task | None:
        return self.tasks.current("fetch")

    def latest(self) -> asyncio.Task:
        return self._start(self._fetch_latest())

    def on_date(self, day: date) -> asyncio.Task:
        return self._start(self._fetch_date(day))

    def in_range(self, start: date, end: date) -> asyncio.Task | None:
        """None (and ``failed``) when the range is reversed or longer than a year."""
        if end < start:
            self.failed.emit(self.tr("La fecha final es anterior a la inicial."))
            return None
        if (end - start).days > MAX_RANGE_DAYS:
            self.failed.emit(
                self.tr("El rango puede abarcar como máximo un año. Acórtalo y vuelve a consultar.")
            )
            return None
        return self._start(self._fetch_range(start, end))

    def _start(self, coro: Coroutine[Any, Any, list[DayRate]]) -> asyncio.Task[Any]:
        task = self.tasks.spawn(self._run(coro), key="fetch")
        # A newer request may cancel this one before it starts: close the inner coroutine then, or Python
        # warns that it was never awaited (closing a finished one does nothing).
        task.add_done_callback(lambda _task: coro.close())
        return task

    async def _run(self, coro: Coroutine[Any, Any, list[DayRate]]) -> list[DayRate] | None:
        self.busyChanged.emit(True)
        try:
            rates = await coro
        except MigoError as exc:
            self.busyChanged.emit(False)
            self.failed.emit(exc.user_message)
            return None
        except asyncio.CancelledError:
            self.busyChanged.emit(False)
            raise
        self.busyChanged.emit(False)
        self.rates = sorted(rates, key=lambda r: r.fecha)
        self.ratesReady.emit(self.rates)
        return self.rates

    async def _fetch_latest(self) -> list[DayRate]:
        rate = await self._client.get().exchange_latest()
        return [DayRate.of(rate.fecha, rate)]

    async def _fetch_date(self, day: date) -> list[DayRate]:
        days = await self._applicable(day, day)
        if not days:
            raise MigoError(
                self.tr(
                    "SUNAT no publicó tipo de cambio el {0} ni en los días anteriores. Prueba con otra fecha."
                ).format(f"{day:%d/%m/%Y}")
            )
        return days

    async def _fetch_range(self, start: date, end: date) -> list[DayRate]:
        days = await self._applicable(start, end)
        if not days:
            raise MigoError(self.tr("No hay tipos de cambio publicados en ese rango de fechas."))
        return days

    async def _applicable(self, start: date, end: date) -> list[DayRate]:
        published = await self._client.get().exchange_range(lookback_start(start), end)
        return applicable_days(start, end, published)

    # output ------------------------------------------------------------------------------------------
    def as_tsv(self) -> str:
        return rates_to_tsv(self.rates)

    async def export(self, path: Path) -> Path:
        rates = list(self.rates)
        return await asyncio.to_thread(write_rates, Path(path), rates)
