"""Bundle smoke test: run the frozen executables the way a user would, in demo mode, in a scratch folder.

    python packaging/smoke.py [BUNDLE_DIR]      # default: dist/migo-desktop (dist/Migo Desktop.app on macOS)

1. `migo --help` answers (the frozen CLI starts and finds its modules);
2. `migo ruc 20131312955 --demo --json` prints a JSON answer for that RUC;
3. `migo bulk` of the example workbook shipped inside the bundle, in demo mode, and the export is re-read:
   every input row is in it, with the result columns filled;
4. the frozen GUI, offscreen, until its log says the window is shown (the launch-to-window time is printed),
   then stopped.

Each step prints OK or what went wrong; exit code 0 only if all pass. Uses a fresh MIGO_DATA_DIR and the
null keyring, so the user's data and saved token are never touched. Needs openpyxl (a dependency of the
app, so the bundle venv has it) to re-read the export.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
cfg = runpy.run_path(str(HERE / "bundle_config.py"))
SAMPLE_RUC = "20131312955"
GUI_TIMEOUT = 60.0  # seconds; a cold first start on a busy CI machine is far below this
CLI_TIMEOUT = 300.0


class SmokeFailure(Exception):
    pass


def scratch_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MIGO_TOKEN", "MIGO_DEMO", "MIGO_BASE_URL")}
    env.update(
        MIGO_DATA_DIR=str(data_dir),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        args, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=CLI_TIMEOUT
    )
    if proc.returncode != 0:
        raise SmokeFailure(
            f"{Path(args[0]).name} {' '.join(args[1:])} → {proc.returncode}\n{proc.stderr[-2000:]}"
        )
    return proc


def check_cli_starts(migo: Path, env: dict[str, str]) -> str:
    out = run([str(migo), "--help"], env).stdout
    if "bulk" not in out or "ruc" not in out:
        raise SmokeFailure(f"migo --help sin los comandos esperados:\n{out[:500]}")
    return "migo --help"


def check_ruc(migo: Path, env: dict[str, str]) -> str:
    out = run([str(migo), "ruc", SAMPLE_RUC, "--demo", "--json"], env).stdout
    answer = json.loads(out)
    first = answer[0] if isinstance(answer, list) else answer
    if first.get("numero") != SAMPLE_RUC or first.get("resultado") != "OK":
        raise SmokeFailure(f"respuesta inesperada: {out[:500]}")
    return f"ruc {SAMPLE_RUC}: {first['datos']['razon_social'][:40]}"


def example_workbook() -> Path:
    found = sorted(cfg["bundle_dir"]().rglob("ejemplo_rucs.xlsx"))
    if not found:
        raise SmokeFailure("el libro de ejemplo no está en el paquete (datos del paquete sin recoger)")
    return found[0]


def check_bulk(migo: Path, env: dict[str, str], work: Path) -> str:
    from openpyxl import load_workbook

    source = work / "ejemplo_rucs.xlsx"
    source.write_bytes(example_workbook().read_bytes())
    before = source.read_bytes()
    out = work / "ejemplo_resultados.xlsx"
    run([str(migo), "bulk", str(source), "-o", str(out), "--demo"], env)
    if source.read_bytes() != before:
        raise SmokeFailure("migo bulk modificó el archivo de entrada")
    header_in, rows_in = _table(load_workbook(source, read_only=True).worksheets[0])
    header_out, rows_out = _table(load_workbook(out, read_only=True).worksheets[0])
    if len(rows_out) != len(rows_in):
        raise SmokeFailure(f"la exportación tiene {len(rows_out)} filas; la entrada, {len(rows_in)}")
    if "Resultado" not in header_out or not set(header_in) <= set(header_out):
        raise SmokeFailure(f"columnas inesperadas en la exportación: {header_out}")
    states = [row[header_out.index("Resultado")] for row in rows_out]
    if not all(states) or "OK" not in states:
        raise SmokeFailure(f"filas sin resultado en la exportación: {states.count(None)}")
    return f"bulk: {len(rows_in)} filas → {out.name}, {states.count('OK')} OK, ninguna vacía"


def _table(sheet: object) -> tuple[list[str], list[tuple[object, ...]]]:
    """(header, data rows) of a sheet whose header row holds 'RUC proveedor' (the example's RUC column)."""
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]  # type: ignore[attr-defined]
    for i, row in enumerate(rows):
        if "RUC proveedor" in row:
            return [str(v) for v in row if v is not None], rows[i + 1 :]
    raise SmokeFailure("no se encontró la fila de títulos con «RUC proveedor»")


def launch_until_shown(
    gui: Path, env: dict[str, str], log_file: Path
) -> tuple[float, subprocess.Popen[bytes]]:
    """Start the GUI; return (seconds from launch to the logged «Window shown», the running process).

    The time comes from the log line's own timestamp (logging's asctime, in ms), so how often this side
    looks at the file does not change the figure.
    """
    launched = datetime.now()
    proc = subprocess.Popen([str(gui)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + GUI_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        line = _shown_line(log_file)
        if line is not None:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            return (stamp - launched).total_seconds(), proc
        time.sleep(0.02)  # polling a log from outside the process: there is nothing to wait on
    log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else "(sin registro)"
    if proc.poll() is None:
        proc.kill()
    output = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    raise SmokeFailure(
        f"la ventana no se mostró (código {proc.returncode}):\n{output[-2000:]}\n{log[-3000:]}"
    )


def _shown_line(log_file: Path) -> str | None:
    if not log_file.exists():
        return None
    text = log_file.read_text(encoding="utf-8", errors="replace")
    return next((x for x in text.splitlines() if "Window shown" in x), None)


def check_gui(gui: Path, env: dict[str, str], data_dir: Path) -> str:
    log_file = data_dir / "logs" / "migo-desktop.log"
    shown, proc = launch_until_shown(gui, env, log_file)
    proc.terminate()
    proc.communicate(timeout=30)
    inside = (_shown_line(log_file) or "").split("Window shown")[-1].strip()
    return f"ventana mostrada {shown * 1000:.0f} ms después de lanzar el ejecutable ({inside})"


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else cfg["bundle_dir"]()
    if argv:
        cfg["bundle_dir"] = lambda: bundle
    exe_dir = bundle / "Contents" / "MacOS" if bundle.suffix == ".app" else bundle
    suffix = ".exe" if cfg["platform_tag"]() == "windows" else ""
    migo, gui = exe_dir / (cfg["CLI_EXE"] + suffix), exe_dir / (cfg["GUI_EXE"] + suffix)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="migo-smoke-") as tmp:
        root = Path(tmp)
        steps = (
            ("cli", lambda d: check_cli_starts(migo, scratch_env(d))),
            ("ruc", lambda d: check_ruc(migo, scratch_env(d))),
            ("bulk", lambda d: check_bulk(migo, scratch_env(d), d)),
            ("gui", lambda d: check_gui(gui, scratch_env(d), d)),
        )
        for name, step in steps:
            data_dir = root / name
            data_dir.mkdir()
            began = time.perf_counter()
            try:
                detail = step(data_dir)
            except (SmokeFailure, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as exc:
                failures += 1
                print(f"FALLÓ {name}: {exc}", flush=True)
            else:
                print(f"OK    {name} ({time.perf_counter() - began:.1f} s): {detail}", flush=True)
    print(f"smoke: {len(steps) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
