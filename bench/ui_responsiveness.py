"""GUI responsiveness during a bulk run and a big import (DESIGN.md §1: the GUI thread never blocks > ~50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_responsiveness.py [--rucs 10000] [--rows 100000]
        [--latency 0.02] [--concurrency 20] [--write-docs]

With the real main window (Shell) when available, else the bulk page alone:
1. a 10,000-RUC run on the embedded demo API (latency 20 ms, concurrency 20) while the results table is
   scrolled programmatically every 100 ms (--scroll-ms);
2. the import of a generated 100,000-row .xlsx (reading + plan + cost in worker threads), then the job
   creation and the table fill.
A QTimer probe fires every 10 ms on the GUI thread; its lateness is the stall. Reports p50/p99/max per phase.
``--write-docs`` replaces the "Interfaz" section of docs/benchmarks.md (other sections are left alone).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MIGO_DATA_DIR", tempfile.mkdtemp(prefix="migo-bench-ui-"))

import qasync  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stdnum.pe import ruc as stdnum_ruc  # noqa: E402

from migo_desktop.core.client import MigoClient  # noqa: E402
from migo_desktop.core.jobs import plan_from_values  # noqa: E402
from migo_desktop.core.models import LookupStatus  # noqa: E402
from migo_desktop.demo import DemoApi, demo_settings  # noqa: E402
from migo_desktop.paths import app_paths  # noqa: E402
from migo_desktop.ui.settings_store import Preferences  # noqa: E402

PROBE_MS = 10


class Probe:
    """Lateness of a 10 ms timer on the GUI thread, in milliseconds."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._last = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.samples = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.samples

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self._last) * 1000 - PROBE_MS))
        self._last = now


def stats(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50": statistics.median(ordered), "p99": pick(0.99), "max": ordered[-1]}


def make_ruc(n: int) -> str:
    body = f"20{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def write_big_xlsx(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Datos")
    ws.append(["Reporte de proveedores (generado para el benchmark)"])
    ws.append(["Código", "RUC", "Proveedor", "Monto"])
    for i in range(rows):
        ws.append([f"P{i:06d}", int(make_ruc(1_000_000 + i)), f"Proveedor {i}", i % 1000])
    wb.save(path)
    return path


def build(services_latency: float, concurrency: int):
    """Services on the demo API; the real Shell/MainWindow when it imports, else the bulk page alone."""
    from migo_desktop.core.store import Store
    from migo_desktop.ui.app import Shell, build_services

    paths = app_paths().ensure()
    prefs = Preferences(paths.settings_file)
    api = DemoApi(latency=services_latency)
    services = build_services(
        paths, prefs, environ={"MIGO_DEMO": "1"}, store=Store(paths.database), demo_api=api
    )
    services.settings = demo_settings(concurrency=concurrency)
    services.client_factory = lambda s: MigoClient(s, transport=api.transport())
    shell = Shell(services)
    window = shell.window
    window.resize(1280, 800)
    window.show()
    page = window.show_page("masiva")
    return services, shell, window, page


async def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish in time")
        await asyncio.sleep(0.02)


async def bench(args: argparse.Namespace) -> dict:
    services, shell, window, page = build(args.latency, args.concurrency)
    probe = Probe()
    results: dict = {"window": type(window).__name__}
    await asyncio.sleep(0.3)

    # ---- 0. baseline: the window open and idle (what the machine itself adds) -------------------------
    probe.start()
    await asyncio.sleep(5)
    results["idle"] = {"seconds": 5.0, **stats(probe.stop())}
    print("idle:", results["idle"], flush=True)

    # ---- 1. the run, with the table scrolled every N ms ---------------------------------------------
    plan = plan_from_values([make_ruc(i) for i in range(1, args.rucs + 1)], source="bench.xlsx")
    scrolls = [0]
    rng = random.Random(1)

    def scroll() -> None:
        bar = page.table.verticalScrollBar()
        if bar.maximum() > 0:
            bar.setValue(rng.randrange(0, bar.maximum() + 1))
            scrolls[0] += 1

    scroller = QTimer()
    scroller.setInterval(args.scroll_ms)
    scroller.timeout.connect(scroll)
    probe.start()
    scroller.start()
    started = time.perf_counter()
    page.controller.start_plan(plan)
    await wait_for(lambda: page.controller.job_id is not None and page.controller.running, 60)
    await wait_for(lambda: not page.controller.running, 600)
    run_s = time.perf_counter() - started
    scroller.stop()
    samples = probe.stop()
    page.model.flush()
    counts = page.model.counts()
    results["run"] = {
        "rucs": args.rucs,
        "latency_ms": args.latency * 1000,
        "concurrency": args.concurrency,
        "seconds": run_s,
        "rate": args.rucs / run_s,
        "pending_left": counts[LookupStatus.PENDING],
        "scrolls": scrolls[0],
        "scroll_ms": args.scroll_ms,
        **stats(samples),
    }
    print("run:", results["run"], flush=True)

    # ---- 2. import a 100k-row workbook --------------------------------------------------------------
    big = Path(tempfile.mkdtemp(prefix="migo-bench-xlsx-")) / "cien_mil.xlsx"
    t0 = time.perf_counter()
    write_big_xlsx(big, args.rows)
    print(f"generated {big.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    probe.start()
    started = time.perf_counter()
    dialog = page.open_file(big)
    await wait_for(lambda: dialog.plan is not None or dialog.error_label.isVisibleTo(dialog), 600)
    read_s = time.perf_counter() - started
    samples = probe.stop()
    if dialog.plan is None:
        raise RuntimeError(dialog.error_label.text())
    results["import"] = {"rows": args.rows, "seconds": read_s, **stats(samples)}
    print("import:", results["import"], flush=True)

    # ---- 3. create the job and fill the table (then cancel the run right away) -----------------------
    probe.start()
    started = time.perf_counter()
    dialog.import_button.click()
    await wait_for(lambda: page.model.rowCount() == args.rows, 600)
    fill_s = time.perf_counter() - started
    page.controller.cancel()
    await wait_for(lambda: not page.controller.running, 120)
    samples = probe.stop()
    results["fill"] = {"rows": args.rows, "seconds": fill_s, **stats(samples)}
    print("fill:", results["fill"], flush=True)

    await shell.aclose()
    await page.controller.aclose()
    window.close()
    services.store.close()
    return results


def _row(phase: str, work: str, took: str, st: dict) -> str:
    cells = [phase, work, took, str(st["n"]), *(f"{st[k]:.1f} ms" for k in ("p50", "p99", "max"))]
    return "| " + " | ".join(cells) + " |"


def markdown(r: dict) -> str:
    run, imp, fill, idle = r["run"], r["import"], r["fill"], r["idle"]
    run_work = f"{run['rucs']:,} RUC, latency {run['latency_ms']:.0f} ms, concurrency {run['concurrency']}"
    run_time = f"{run['seconds']:.1f} s ({run['rate']:.0f} RUC/s)"
    ok = run["p99"] <= 50 and run["max"] <= 200
    return f"""## Interfaz

`QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_responsiveness.py --write-docs` — {r["window"]} with the
Masiva page, demo API in-process, a 10 ms QTimer probe on the GUI thread (lateness = stall).
Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {r["when"]}.

| phase | work | time | probe ticks | stall p50 | stall p99 | stall max |
|---|---|---|---|---|---|---|
{_row("idle window (baseline: the machine itself)", "nothing", "5.0 s", idle)}
{_row(f"bulk run (table scrolled every {run['scroll_ms']} ms)", run_work, run_time, run)}
{_row("import dialog: read + plan + cost", f"{imp['rows']:,}-row .xlsx", f"{imp['seconds']:.1f} s", imp)}
{_row("create job + fill the table", f"{fill['rows']:,} rows", f"{fill['seconds']:.1f} s", fill)}

Target for the run: p99 ≤ 50 ms and max ≤ 200 ms → **{"met" if ok else "NOT met"}**; the table was scrolled
{run["scrolls"]} times during the run; rows left pending: {run["pending_left"]}.
Where the time goes: answers reach the table through `ResultsModel.queue_updates` and are applied every
100 ms in one batch (`dataChanged` per run of nearby rows), progress snapshots arrive every 200 ms, and all
file and bulk-SQLite work (read, plan, cache check, job creation, loading results, export) runs in worker
threads. The remaining stalls come from the GIL: a worker thread running pure-Python code (the plan, the
100k-row insert) can hold the GUI thread up to the interpreter's switch interval at a time.
"""


def write_docs(section: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find("## Interfaz")
    if start >= 0:
        nxt = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[nxt + 1 :] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rucs", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--scroll-ms", type=int, default=100, help="scroll the table every N ms during the run"
    )
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        results = loop.run_until_complete(bench(args))
    finally:
        loop.close()
    results["when"] = time.strftime("%Y-%m-%d")
    section = markdown(results)
    print(section)
    if args.write_docs:
        print("wrote", write_docs(section))
    run = results["run"]
    return 0 if run["p99"] <= 50 and run["max"] <= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
