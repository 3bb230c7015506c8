"""Dev option ``python -m migo_desktop --screenshot DIR``: visit each page, do a demo lookup, save PNGs.

Used for the user guide (docs/img). Runs inside the app's main coroutine, so it can await controller tasks.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["grab", "take_screenshots"]

log = logging.getLogger(__name__)
SAMPLE_RUC = "20131312955"
EXTRA_RUCS = ("20100038146", "20100070970")


async def _settle(ms: int = 250) -> None:
    for _ in range(3):
        QApplication.processEvents()
        await asyncio.sleep(ms / 3000)


def grab(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    status = getattr(widget, "statusBar", None)
    if status is not None:
        status().clearMessage()
    if not widget.grab().save(str(path)):
        log.warning("Could not save %s", path)
    return path


async def take_screenshots(shell: Any, out: Path) -> list[Path]:
    saved: list[Path] = []
    w = shell.window
    w.resize(1240, 780)
    # Consulta with a real (demo) lookup and its representatives
    w.show_page("consulta")
    page = shell.lookup_page
    for other in EXTRA_RUCS:  # fill "Consultas recientes"
        earlier = shell.lookup.search(other)
        if earlier is not None:
            await earlier
    page.field.setText(SAMPLE_RUC)
    task = shell.lookup.search(SAMPLE_RUC, force_refresh=True)
    if task is not None:
        await task
    reps = shell.lookup.load_representatives(SAMPLE_RUC)
    await reps
    await _settle()
    saved.append(grab(w, out / "consulta.png"))
    # Tipo de cambio: the last 45 days
    exchange = w.show_page("tipo_cambio")
    today = date.today()
    exchange.set_range(today - timedelta(days=45), today)
    fetch = exchange.fetch()
    if fetch is not None:
        await fetch
    await _settle()
    saved.append(grab(w, out / "tipo_cambio.png"))
    for key in ("masiva", "historial"):
        w.show_page(key)
        await _settle()
        saved.append(grab(w, out / f"{key}.png"))
    w.show_page("consulta")
    dialog = shell.open_preferences()
    await _settle()
    saved.append(grab(dialog, out / "preferencias.png"))
    dialog.reject()
    log.info("Screenshots saved: %s", ", ".join(str(p) for p in saved))
    return saved
