"""Launch-to-window time of the frozen app (the bundle `python3 dev.py bundle` left in dist/).

    python3 dev.py bench bench/bundle_startup.py [RUNS]       # default 5 runs

Each run starts `migo-desktop --smoke-test` offscreen with a fresh data folder and reads the «Window shown»
line's own timestamp from the app's log (so the figure includes the bootloader, the Python start and every
import, and not how this script waits). Prints each run and the median. The machine is shared: run it
when nothing else is running, and expect noise.
"""

from __future__ import annotations

import runpy
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
smoke = runpy.run_path(str(ROOT / "packaging" / "smoke.py"))
cfg = smoke["cfg"]


def main(runs: int) -> int:
    gui = cfg["executable"](cfg["GUI_EXE"])
    if not gui.exists():
        print(f"No hay paquete en {gui}: corre primero `python3 dev.py bundle`.")
        return 2
    times = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="migo-start-") as tmp:
            detail = smoke["check_gui"](gui, smoke["scratch_env"](Path(tmp)), Path(tmp))
        ms = float(detail.split(" ms ")[0].split()[-1])
        times.append(ms)
        print(f"run {i + 1}: {detail}")
    median = statistics.median(times)
    print(f"median launch → window shown: {median:.0f} ms (min {min(times):.0f}, max {max(times):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
