"""Bundle smoke test: run the frozen executables the way a user would, in demo mode, in a scratch folder.

    python packaging/smoke.py [BUNDLE_DIR]      # default: dist/migo-desktop (dist/Migo Desktop.app on macOS)

1. `migo --version` prints the version of this source tree (the frozen CLI starts);
2. `migo ruc 20131312955 --demo --json` prints a JSON answer for that RUC;
3. `migo bulk` of the example workbook shipped inside the bundle, in demo mode, and the export is re-read:
   every input row is in it, with the result columns filled;
4. the frozen GUI, offscreen, with `--smoke-test`: the window is shown (the launch-to-window time is
   printed), every page is built (a module or plug-in missing from the bundle shows here), then the app
   closes itself cleanly: exit code 0 and «Bye» last in its log.

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
import zipfile
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


def check_version(migo: Path, env: dict[str, str]) -> str:
    out = run([str(migo), "--version"], env).stdout.strip()
    if not out.endswith(cfg["version"]()):
        raise SmokeFailure(f"migo --version dice «{out}»; se esperaba {cfg['version']()}")
    return out


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
    # «tabla»: a new results workbook, re-read below. The own-workbook kind («libro», the default for .xlsx)
    # is pure Python over the zip package (no native part the bundle could lose); tests/excel covers it.
    run([str(migo), "bulk", str(source), "-o", str(out), "--como", "tabla", "--demo"], env)
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


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def write_ods(path: Path, rows: list[list[str]]) -> None:
    """A minimal OpenDocument spreadsheet (text cells only), written with the standard library."""
    from xml.sax.saxutils import escape

    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
            for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Hoja1">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        ods.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        ods.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def check_isolated_reader(migo: Path, env: dict[str, str], work: Path) -> str:
    """An .ods is always parsed in a `spawn`-ed child (excel.isolated): in a frozen app that child is the
    executable itself, which works only with multiprocessing.freeze_support() in the entry point."""
    source = work / "proveedores.ods"
    rucs = ["20131312955", "20100070970", "20100038146"]
    write_ods(source, [["RUC proveedor", "Nota"], *([ruc, f"fila {i}"] for i, ruc in enumerate(rucs, 1))])
    out = work / "proveedores.csv"
    run([str(migo), "bulk", str(source), "-o", str(out), "--demo"], env)
    lines = [line for line in out.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    if len(lines) != len(rucs) + 1 or not all(ruc in out.read_text(encoding="utf-8-sig") for ruc in rucs):
        raise SmokeFailure(
            f"la exportación del .ods no tiene las {len(rucs)} filas:\n" + "\n".join(lines[:10])
        )
    return f"bulk .ods (lector aislado): {len(rucs)} filas → {out.name}"


def _table(sheet: object) -> tuple[list[str], list[tuple[object, ...]]]:
    """(header, data rows) of a sheet whose header row holds 'RUC proveedor' (the example's RUC column)."""
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]  # type: ignore[attr-defined]
    for i, row in enumerate(rows):
        if "RUC proveedor" in row:
            return [str(v) for v in row if v is not None], rows[i + 1 :]
    raise SmokeFailure("no se encontró la fila de títulos con «RUC proveedor»")


def check_gui(gui: Path, env: dict[str, str], data_dir: Path) -> str:
    """`migo-desktop --smoke-test`; the launch-to-window time comes from the log line's own timestamp
    (logging's asctime, in ms), so it does not depend on how this side waits."""
    log_file = data_dir / "logs" / "migo-desktop.log"
    launched = datetime.now()
    proc = subprocess.run(
        [str(gui), "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=GUI_TIMEOUT,
    )
    log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else "(sin registro)"
    shown = next((line for line in log.splitlines() if "Window shown" in line), None)
    smoke = next((line for line in log.splitlines() if "Smoke test:" in line), "")
    if proc.returncode != 0 or shown is None or not log.rstrip().endswith("Bye") or " 0 errors" not in smoke:
        raise SmokeFailure(
            f"la aplicación no abrió y cerró limpiamente (código {proc.returncode}):\n"
            f"{proc.stdout[-1000:]}{proc.stderr[-2000:]}\n{log[-3000:]}"
        )
    seconds = (datetime.strptime(shown[:23], "%Y-%m-%d %H:%M:%S,%f") - launched).total_seconds()
    inside = shown.split("Window shown")[-1].strip()
    pages = smoke.split("Smoke test:")[-1].strip()
    return f"ventana mostrada {seconds * 1000:.0f} ms después de lanzar el ejecutable ({inside}); {pages}"


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
            ("version", lambda d: check_version(migo, scratch_env(d))),
            ("ruc", lambda d: check_ruc(migo, scratch_env(d))),
            ("bulk", lambda d: check_bulk(migo, scratch_env(d), d)),
            ("ods", lambda d: check_isolated_reader(migo, scratch_env(d), d)),
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
