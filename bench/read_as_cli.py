"""The big read as `migo bulk` starts it: like the `migo` console script, this file imports
``migo_desktop.cli`` at its top, and the workbook-reader child (spawned) runs it again before parsing.

    .venv/bin/python bench/read_as_cli.py bench/out/compras_100000x12_openpyxl.xlsx  # file: bench/excel_io.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from migo_desktop.cli import main  # noqa: E402,F401 - what the console script imports, for the child to redo

if __name__ == "__main__":
    import time

    from migo_desktop.excel.reader import build_plan

    t = time.perf_counter()
    plan = build_plan(sys.argv[1])
    print(f"{len(plan.rows):,} rows in {time.perf_counter() - t:.2f} s")
