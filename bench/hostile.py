"""Every hostile file: the process survives, peak memory < 800 MB, an answer in < 60 s, exit 0 or exit 2 with
a Spanish message (issue 9). Generates the set with tests/excel/hostile_gen.py, runs `migo bulk FILE --demo`
on each in a fresh process and reports its peak RSS (the largest of migo and its reader child, via
RUSAGE_CHILDREN of a per-file wrapper), wall time and exit code.

    .venv/bin/python bench/hostile.py [--out DIR] [--only NAME] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.excel import hostile_gen as gen  # noqa: E402

LIMIT_MB, LIMIT_S = 800, 60
# Legitimate but big: the import path alone (a 700k-row bulk run and its export are bench/engine.py's
# business, and take minutes with the in-process demo API).
IMPORT_ONLY = {"xlsx_columna_700001"}
_IMPORT = """
import sys
from migo_desktop.core.errors import InputError
from migo_desktop.excel.reader import build_plan
try:
    plan = build_plan(sys.argv[1])
except InputError as exc:
    print("Error:", exc.user_message, file=sys.stderr)
    sys.exit(2)
print(f"  {len(plan.rows):,} filas importadas", file=sys.stderr)
"""


def build(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for shape in sorted(gen.XLSX_BYPASSES):
        files[f"xlsx_{shape}"] = gen.xlsx_bypass(folder / f"{shape}.xlsx", shape)
    files["xlsx_columna_700001"] = gen.xlsx_column(folder / "columna_700001.xlsx", 700_001)
    files["xls_iv65536"] = gen.xls_far_cell(folder / "iv65536.xls")
    good = gen.xls_far_cell(folder / "base.xls", row=2000, col=5)
    for seed in range(20):
        files[f"xls_corrupto_{seed:02d}"] = gen.xls_corrupted(folder / f"corrupto{seed:02d}.xls", good, seed)
    files["ods_bomba_200k_x_100"] = gen.ods_bomb(folder / "bomba.ods")
    files["ods_2M_filas"] = gen.ods_rows(folder / "dos_millones.ods", 2_000_000)
    files["csv_linea_200MB"] = gen.csv_one_line(folder / "linea.csv", 200)
    files["csv_16385_columnas"] = gen.csv_wide(folder / "ancho.csv", 16_385)
    files["csv_10M_filas"] = gen.csv_many_rows(folder / "filas.csv", 10_000_000)
    files["csv_utf8_y_cp1252"] = gen.csv_mixed_encodings(folder / "mezcla.csv")
    return files


def one(path: Path, out: Path, data_dir: Path) -> dict[str, object]:
    """Run migo bulk on ``path`` (called in a fresh wrapper process, so RUSAGE_CHILDREN is this file's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MIGO_TOKEN", "MIGO_BASE_URL")}
    env.update(MIGO_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "migo_desktop.cli", "bulk", str(path), "-o", str(out), "--demo"]
    if data_dir.name in IMPORT_ONLY:
        cmd = [sys.executable, "-c", _IMPORT, str(path)]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=LIMIT_S * 3)
        code, err = done.returncode, done.stderr
    except subprocess.TimeoutExpired:
        code, err = None, "timeout"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = [ln for ln in err.splitlines() if ln.startswith("Error")] or err.splitlines()[-1:]
    message = " ".join(lines)[:160]
    return {"exit": code, "seconds": round(seconds, 2), "peak_mb": round(peak), "message": message,
            "traceback": "Traceback" in err}  # fmt: skip


_STARTUP = """
import sys, time
from pathlib import Path
from migo_desktop.excel.guards import FileKind, Limits
from migo_desktop.excel.isolated import IsolatedSource
from migo_desktop.excel.workbook_sources import open_workbook

def timed(opener, path):
    start = time.perf_counter()
    source = opener(path, FileKind.XLSX, Limits())
    n = sum(1 for _ in source.rows(None))
    source.close()
    return (time.perf_counter() - start) * 1000, n

for arg in sys.argv[1:]:
    path = Path(arg)
    for label, opener in (("en proceso", open_workbook), ("hijo nuevo", IsolatedSource)):
        runs = sorted(timed(opener, path)[0] for _ in range(5))
        print(f"{path.name:18} {label:16} mediana {runs[2]:6.0f} ms")
    timed(IsolatedSource.open, path)  # the preview: starts a child and keeps it
    runs = sorted(timed(IsolatedSource.open, path)[0] for _ in range(5))
    print(f"{path.name:18} {'hijo reutilizado':16} mediana {runs[2]:6.0f} ms")
"""


def startup(folder: Path) -> None:
    """What the child costs an ordinary small file (the import preview is interactive): open + read all rows
    in-process, in a new child, and in the child kept from the previous read of the same file (preview, then
    import). Run from ``python -c`` so the spawned child does not re-import this script as its main module."""
    paths = [str(gen.xlsx_column(folder / f"chico_{n}.xlsx", n)) for n in (200, 20_000)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", _STARTUP, *paths], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--startup", action="store_true", help="only the child start-up cost")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*(Path(p) for p in args.one))))
        return 0
    work = Path(args.out or tempfile.mkdtemp(prefix="hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.startup:
        startup(work)
        return 0
    files = build(work)
    results, failures = {}, 0
    for name, path in files.items():
        if args.only and args.only not in name:
            continue
        wrapper = [
            sys.executable,
            __file__,
            "--one",
            str(path),
            str(work / f"{name}_res.xlsx"),
            str(work / name),
        ]
        res = json.loads(subprocess.run(wrapper, capture_output=True, text=True, check=True).stdout)
        ok = (res["exit"] in (0, 2) and not res["traceback"] and res["peak_mb"] < LIMIT_MB
              and res["seconds"] < LIMIT_S)  # fmt: skip
        failures += not ok
        res["ok"] = ok
        res["size_kb"] = round(path.stat().st_size / 1024)
        results[name] = res
        if not args.json:
            mark = "ok " if ok else "MAL"
            line = (
                f"{mark} {name:28} {res['size_kb']:>8} KB  exit {res['exit']!s:>4}  {res['seconds']:6.1f} s"
            )
            print(f"{line}  {res['peak_mb']:5} MB  {res['message'][:100]}", flush=True)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"{len(results) - failures}/{len(results)} dentro de los límites ({LIMIT_MB} MB, {LIMIT_S} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
