"""Dev tool ``python -m tests.support.screenshots DIR``: visit every page in demo mode and save PNGs.

Regenerates all the pictures of the user guide (docs/guia.md) from the real app, e.g. under Xvfb::

    Xvfb :99 -screen 0 1400x900x24 &
    env -u MIGO_TOKEN -u MIGO_DEMO DISPLAY=:99 MIGO_DATA_DIR=$(mktemp -d) \
        PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring \
        .venv/bin/python -m tests.support.screenshots docs/img

Besides the pages it takes ``oscuro.png`` (Consulta in the dark look) and ``ventana_1366.png`` (Masiva in a
window sized for a 1366×768 laptop with its taskbar). When ``DIR`` is the guide's ``docs/img`` it also copies
docs/guia.md and the pictures to ``migo_desktop/resources/guia`` (the guide shipped with the app).

The null keyring (no saved token) gives the ordinary demo mode; ``MIGO_DEMO=1`` would also work but shows
its own note in Preferencias. Use an empty ``MIGO_DATA_DIR``: Historial lists the runs made here. Runs inside
the app's main coroutine, so it can await controller tasks. PNGs are shrunk with ``pngquant`` if installed.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QScrollArea, QWidget

__all__ = ["grab", "take_screenshots"]

log = logging.getLogger(__name__)
SAMPLE_RUC = "20131312955"
EXTRA_RUCS = ("20100038146", "20100070970")
WINDOW_SIZE = (1240, 780)


async def _settle(ms: int = 250) -> None:
    """Let Qt lay out and paint: qasync runs Qt's events while this coroutine sleeps. Never call
    processEvents() here: it would run other ready tasks re-entrantly («Cannot enter into task …»)."""
    for _ in range(3):
        await asyncio.sleep(ms / 3000)


async def _until(condition: Callable[[], Any], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot step did not finish in time")
        await asyncio.sleep(0.05)


def _shrink(path: Path) -> None:
    """Lossy palette compression (keeps each picture ~50-150 KB); skipped when pngquant is missing."""
    exe = shutil.which("pngquant")
    if exe is None:
        return
    subprocess.run(
        [exe, "--force", "--skip-if-larger", "--quality=70-95", "--output", str(path), str(path)],
        check=False,
        capture_output=True,
    )


def grab(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    status = getattr(widget, "statusBar", None)
    if status is not None:
        status().clearMessage()
    if widget.grab().save(str(path)):
        _shrink(path)
    else:
        log.warning("Could not save %s", path)
    return path


async def _lookup(shell: Any, w: Any, out: Path) -> Path:
    """Consulta with a (demo) lookup, its legal representatives and a few recent lookups."""
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
    await shell.lookup.load_representatives(SAMPLE_RUC)
    await _settle()
    scroll = page.findChild(QScrollArea)
    if scroll is not None:  # the card's top stays in view, the representatives table comes up into view
        bar = scroll.verticalScrollBar()
        bar.setValue(min(bar.maximum(), 140))
    await _settle()
    return grab(w, out / "consulta.png")


async def _exchange(w: Any, out: Path) -> Path:
    exchange = w.show_page("tipo_cambio")
    today = date.today()
    exchange.set_range(today - timedelta(days=45), today)
    fetch = exchange.fetch()
    if fetch is not None:
        await fetch
    await _settle()
    return grab(w, out / "tipo_cambio.png")


async def _older_runs(shell: Any, page: Any) -> None:
    """Two small finished runs, so Historial has something to list besides the example workbook."""
    from stdnum.pe import ruc

    from migo_desktop.core.jobs import plan_from_values

    store, settings = shell.services.store, shell.services.settings
    for name, values in (("proveedores_2025.xlsx", range(1, 60)), ("clientes_lima.csv", range(300, 330))):
        numbers = [f"20{n:08d}" + ruc.calc_check_digit(f"20{n:08d}") for n in values] + ["20123456789"]
        job_id = await asyncio.to_thread(store.create_job, plan_from_values(numbers, source=name), settings)
        page.open_job(job_id, resume=True)
        await _until(lambda jid=job_id: page.controller.job_id == jid and not page.controller.running)
    page.info_bar.hide()


async def _bulk(shell: Any, w: Any, out: Path) -> list[Path]:
    """Masiva: empty drop zone, the import dialog, a finished run, a filtered view; then Historial."""
    saved: list[Path] = []
    if not shell.services.demo:  # the runs below would be paid lookups with a real token
        log.warning("Not in demo mode: no bulk screenshots (they run lookups)")
        return saved
    page = w.show_page("masiva")
    if page is None or not hasattr(page, "open_file"):
        log.warning("Masiva is not available: no bulk screenshots")
        return saved
    # The pictures show finished runs, where the demo latency leaves no trace: answer them from a quick demo
    # API (seconds saved on every capture), then give the app its usual one back.
    from migo_desktop.demo import DemoApi

    services = shell.services
    usual, services.demo_api = services.demo_api, DemoApi(latency=0.002)
    try:
        saved.extend(await _bulk_pictures(shell, w, page, out))
    finally:
        services.demo_api = usual
    return saved


async def _bulk_pictures(shell: Any, w: Any, page: Any, out: Path) -> list[Path]:
    from migo_desktop.core.models import LookupStatus
    from migo_desktop.ui.bulk.drop_zone import example_workbook
    from migo_desktop.ui.bulk.results_model import COL_REASON

    saved: list[Path] = []
    await _settle()
    saved.append(grab(w, out / "masiva_vacia.png"))
    await _older_runs(shell, page)

    dialog = page.open_file(example_workbook())
    await _until(lambda: dialog.plan is not None or not dialog.error_label.isHidden())
    await _settle()
    saved.append(grab(dialog, out / "importar.png"))
    dialog.import_button.click()  # the controller holds the run task from here on: no race with a quick run
    await _until(lambda: not page.controller.running)
    page.model.flush()
    await _settle()
    saved.append(grab(w, out / "masiva.png"))

    page.info_bar.hide()
    page.status_filter.setCurrentIndex(page.status_filter.findData(LookupStatus.INVALID))
    header = page.table.horizontalHeader()
    width = header.sectionSize(COL_REASON)
    page.table.resizeColumnToContents(COL_REASON)  # as a person would, to read the whole reason
    await _settle()
    saved.append(grab(w, out / "masiva_filtro.png"))
    header.resizeSection(COL_REASON, width)
    page.status_filter.setCurrentIndex(0)
    saved.extend(await _export_pictures(page, out))

    history = w.show_page("historial")
    if history is not None and hasattr(history, "refresh"):
        history.refresh()
        await _settle()
        saved.append(grab(w, out / "historial.png"))
    return saved


async def _padron(shell: Any, w: Any, out: Path) -> list[Path]:
    """Padrón SUNAT after importing a small file in the real format, then Consulta answering from it."""
    import os
    import tempfile

    from tests.core.padron.fixture import write_zip

    folder = Path(tempfile.mkdtemp(prefix="padron-"))
    source = write_zip(folder)
    stamp = time.time() - 2 * 86400
    os.utime(source, (stamp, stamp))
    page = w.show_page("padron")
    await shell.padron.import_file(source)
    await _settle()
    saved = [grab(w, out / "padron.png")]
    w.show_page("consulta")
    lookup, panel = shell.lookup_page, shell.padron_panel
    lookup.field.setText("20330033313")
    task = panel.tasks.current("ruc")
    if task is not None:
        await task
    panel.name_field.setText("garcia")
    panel._search_now()
    task = panel.tasks.current("search")
    if task is not None:
        await task
    await _settle()
    scroll = lookup.findChild(QScrollArea)
    if scroll is not None:  # the card's title and its «Padrón dd/mm/yyyy» note in view
        scroll.verticalScrollBar().setValue(0)
    await _settle()
    saved.append(grab(w, out / "padron_consulta.png"))
    panel.name_field.clear()
    lookup.field.clear()
    panel._timer.stop()  # no search left pending while the window closes
    panel.tasks.cancel_all()
    del page
    return saved


async def _dark(shell: Any, w: Any, out: Path) -> Path:
    """Consulta in the dark look (Preferencias → Apariencia → Oscuro), then back to the user's choice."""
    appearance = shell.appearance
    w.show_page("consulta")
    if appearance is None:
        return grab(w, out / "oscuro.png")
    choice = appearance.choice
    appearance.set_choice("oscuro")
    await _settle()
    try:
        return grab(w, out / "oscuro.png")
    finally:
        appearance.set_choice(choice)
        await _settle()


async def _laptop(w: Any, out: Path) -> Path:
    """The window as it opens on a 1366×768 laptop (taskbar of 40 px): Masiva with a finished run."""
    from PySide6.QtCore import QRect

    from migo_desktop.ui.shell.geometry import fit_new_window

    before = w.geometry()
    w.setGeometry(fit_new_window(QRect(0, 0, 1366, 728)))
    w.show_page("masiva")
    await _settle()
    try:
        return grab(w, out / "ventana_1366.png")
    finally:
        w.setGeometry(before)
        await _settle()


def sync_shipped_guide(out: Path) -> None:
    """docs/img was regenerated: ship the guide and its pictures with the app (resources/guia)."""
    root = Path(__file__).resolve().parents[2]
    if out.resolve() != (root / "docs" / "img").resolve():
        return
    target = root / "migo_desktop" / "resources" / "guia"
    (target / "img").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "docs" / "guia.md", target / "guia.md")
    for old in (target / "img").glob("*.png"):
        if not (out / old.name).exists():
            old.unlink()
    for picture in out.glob("*.png"):
        shutil.copyfile(picture, target / "img" / picture.name)


async def _export_pictures(page: Any, out: Path) -> list[Path]:
    """The export dialog (both kinds), then each kind's file as written, drawn cell by cell from the file."""
    import tempfile

    from migo_desktop.ui.widgets.export_dialog import ExportDialog

    saved: list[Path] = []
    record = page._job_view.record
    dialog = ExportDialog(
        page, page.services.prefs, record.source_path, filtered=None, total=page.model.rowCount()
    )
    dialog.show()
    await _settle()
    saved.append(grab(dialog, out / "exportar.png"))
    dialog.reject()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, name, sheet in (("libro", "exportado_libro.png", 0), ("tabla", "exportado_tabla.png", 0)):
            target = Path(tmp) / f"{kind}.xlsx"
            page.controller.export(target, kind=kind)
            await _until(lambda t=target: t.exists())
            await _settle()
            saved.append(grab(_sheet_view(target, sheet, first_col=2 if kind == "libro" else 0), out / name))
    return saved


def _sheet_view(path: Path, sheet: int, *, first_col: int, rows: int = 14, cols: int = 8) -> QWidget:
    """A read-only grid of a workbook's first cells (values and fills), like a spreadsheet shows them."""
    import openpyxl
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    wb = openpyxl.load_workbook(path)
    try:
        ws = wb.worksheets[sheet]
        grid = QTableWidget(rows, cols)
        grid.setWindowTitle(f"{path.name} — {ws.title}")
        grid.setHorizontalHeaderLabels(
            [openpyxl.utils.get_column_letter(first_col + c + 1) for c in range(cols)]
        )
        for r in range(rows):
            for c in range(cols):
                cell = ws.cell(r + 1, first_col + c + 1)
                value = cell.value
                text = (
                    ""
                    if value is None
                    else (f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else str(value))
                )
                item = QTableWidgetItem(text)
                rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
                if isinstance(rgb, str) and len(rgb) == 8:
                    item.setBackground(QColor("#" + rgb[2:]))
                    if rgb[2:] == "1F6E43":
                        item.setForeground(QColor("white"))
                grid.setItem(r, c, item)
        grid.resizeColumnsToContents()
        grid.resize(1100, 470)
        grid.show()
        return grid
    finally:
        wb.close()


async def take_screenshots(shell: Any, out: Path) -> list[Path]:
    saved: list[Path] = []
    if shell.keyring_task is not None:  # the demo banner shows once the keyring has answered
        await shell.keyring_task
    w = shell.window
    w.resize(*WINDOW_SIZE)
    saved.append(await _lookup(shell, w, out))
    if shell.services.demo:
        saved.append(grab(w.banner, out / "banner.png"))
    saved.append(await _dark(shell, w, out))
    saved.append(await _exchange(w, out))
    saved.extend(await _bulk(shell, w, out))
    saved.extend(await _padron(shell, w, out))
    saved.append(await _laptop(w, out))
    w.show_page("consulta")
    dialog = shell.open_preferences()
    await _settle()
    saved.append(grab(dialog, out / "preferencias.png"))
    dialog.reject()
    sync_shipped_guide(out)
    log.info("Screenshots saved: %s", ", ".join(str(p) for p in saved))
    return saved


def main(argv: list[str]) -> int:
    """Start the real app (its own start-up path), photograph every page, then close the window."""
    from migo_desktop.ui.shell.app import run

    out = Path(argv[1] if len(argv) > 1 else "docs/img")

    async def photograph(shell: Any) -> None:
        await take_screenshots(shell, out)
        shell.window.close()

    return run(argv[:1], after_show=photograph)


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv))
