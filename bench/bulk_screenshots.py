"""Screenshots of the Masiva and Historial pages for the user guide (docs/img/).

    DISPLAY=:99 .venv/bin/python bench/bulk_screenshots.py      # under Xvfb (or QT_QPA_PLATFORM=offscreen)

Runs the real main window in demo mode on a throw-away data folder: imports resources/ejemplo_rucs.xlsx
through the import dialog (importar.png), runs it and filters nothing (masiva.png), adds two more runs and
shows Historial (historial.png).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MIGO_DATA_DIR", tempfile.mkdtemp(prefix="migo-shots-"))

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from migo_desktop.core.client import MigoClient  # noqa: E402
from migo_desktop.core.jobs import plan_from_values  # noqa: E402
from migo_desktop.core.store import Store  # noqa: E402
from migo_desktop.demo import DemoApi, demo_settings  # noqa: E402
from migo_desktop.paths import app_paths  # noqa: E402
from migo_desktop.ui.bulk_widgets import example_workbook  # noqa: E402
from migo_desktop.ui.settings_store import Preferences  # noqa: E402

OUT = ROOT / "docs" / "img"


async def until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)


async def settle(seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)


async def main() -> None:
    from migo_desktop.ui.app import Shell, build_services
    from migo_desktop.ui.theme import apply_theme

    apply_theme(QApplication.instance())
    paths = app_paths().ensure()
    api = DemoApi(latency=0.01)
    services = build_services(
        paths, Preferences(paths.settings_file), environ={"MIGO_DEMO": "1"}, store=Store(paths.database),
        demo_api=api,
    )  # fmt: skip
    services.settings = demo_settings(concurrency=8)
    services.client_factory = lambda s: MigoClient(s, transport=api.transport())
    # two older runs for the history
    for name, values in (("proveedores_2025.xlsx", range(1, 120)), ("clientes_lima.csv", range(300, 340))):
        from stdnum.pe import ruc

        numbers = [f"20{n:08d}" + ruc.calc_check_digit(f"20{n:08d}") for n in values] + ["20123456789"]
        services.store.create_job(plan_from_values(numbers, source=name), services.settings)
    shell = Shell(services)
    window = shell.window
    window.resize(1360, 860)
    window.show()
    page = window.show_page("masiva")
    await settle()
    # finish the two older runs quietly
    page.resume_bar.hide()
    for job in services.store.list_jobs():
        page.controller.open_job(job.id, resume=True)
        await until(lambda jid=job.id: page.controller.job_id == jid and not page.controller.running)
    page.controller.job_id = None
    page.stack.setCurrentIndex(0)
    page.info_bar.hide()
    await settle()
    OUT.mkdir(parents=True, exist_ok=True)

    dialog = page.open_file(example_workbook())
    await until(lambda: dialog.plan is not None)
    await settle()
    dialog.grab().save(str(OUT / "importar.png"))
    dialog.import_button.click()
    await until(lambda: page.controller.running)
    await until(lambda: not page.controller.running)
    page.model.flush()
    await settle()
    window.grab().save(str(OUT / "masiva.png"))

    history = window.show_page("historial")
    history.refresh()
    await settle()
    window.grab().save(str(OUT / "historial.png"))
    await shell.aclose()
    await page.controller.aclose()
    window.close()
    services.store.close()


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main())
    print("saved to", OUT)
