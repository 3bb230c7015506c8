"""Issue 9: the GUI starts — a window and a Spanish diagnosis — with a damaged database, a read-only data
folder or a read-only log folder. The real start-up path (``run``) in a subprocess, offscreen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMessageBox
from migo_desktop.ui.shell.app import run

async def check(shell):
    boxes = [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    Path(sys.argv[1]).write_text(json.dumps({"window": shell.window.isVisible(), "boxes": boxes}))
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox):
            w.close()
    shell.window.close()

sys.exit(run(sys.argv[:1], after_show=check))
"""


def start(tmp_path: Path, data: Path) -> tuple[dict[str, object], subprocess.CompletedProcess[str]]:
    report = tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(data)}
    env.pop("MIGO_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(report)], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return json.loads(report.read_text(encoding="utf-8")), proc


def test_damaged_database(tmp_path: Path) -> None:
    data = tmp_path / "datos"
    (data / "data").mkdir(parents=True)
    (data / "data" / "migo.sqlite3").write_bytes(b"no es sqlite" * 500)
    report, _ = start(tmp_path, data)
    assert report["window"] is True
    (box,) = report["boxes"]
    assert "estaba dañada" in box and "se creó una nueva" in box and "permiso" not in box
    assert list((data / "data").glob("migo.sqlite3.dañada-*"))


@pytest.mark.parametrize("folder", ["data", "logs"])
def test_unwritable_folder(tmp_path: Path, folder: str) -> None:
    data = tmp_path / "datos"
    data.mkdir()
    (data / folder).write_text("un archivo donde debería haber una carpeta")  # unwritable even for root
    report, proc = start(tmp_path, data)
    assert report["window"] is True
    boxes = " ".join(map(str, report["boxes"]))
    if folder == "data":
        assert "la carpeta de datos" in boxes and "MIGO_DATA_DIR" in boxes and "no se guardan" in boxes
    else:
        assert "carpeta de registros" in boxes and "no guardará el registro" in boxes
    leaked = [ln for ln in proc.stderr.splitlines() if ln.strip() and "propagateSizeHints" not in ln]
    assert leaked == []  # nothing (no traceback, no log record) reaches stderr; Qt's offscreen note aside
