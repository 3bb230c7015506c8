"""What the start-up leaves for later: the real app, run to its window in a subprocess, has not loaded the
modules only a later page, a dialog or a network call needs (each was measured on the start-up path:
docs/benchmarks.md, «Arranque»). A page built on first visit must still work: the shell tests open them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# module → why it is not needed before the window is on screen
DEFERRED = {
    "httpx": "the HTTP client: the first lookup, the padrón download",
    "aiohttp": "the HTTP transport: the first lookup",
    "migo_desktop.core.client": "the Migo client: the first lookup",
    "migo_desktop.demo": "the simulated API: the first lookup in demo mode",
    "migo_desktop.core.padron.download": "the padrón download (Padrón SUNAT)",
    "migo_desktop.core.padron.importer": "the padrón import (Padrón SUNAT)",
    "migo_desktop.ui.padron.page": "the Padrón SUNAT page",
    "migo_desktop.ui.preferences.dialog": "Preferencias",
    "migo_desktop.ui.shell.help": "the guide and «Acerca de»",
    "migo_desktop.ui.shell.bulk_badge": "Masiva's progress pill (built with Masiva)",
    "migo_desktop.ui.widgets.line_chart": "the exchange-rate chart",
    "migo_desktop.ui.bulk.page": "the Masiva page",
    "migo_desktop.ui.history.page": "the Historial page",
    "migo_desktop.ui.exchange.page": "the Tipo de cambio page",
    "migo_desktop.excel": "the Excel layer",
    "stdnum": "the RUC/DNI check digits: the first keystroke in Consulta",
    "keyring": "the saved token, read once the window is shown (ui/shell/saved_token.py)",
    "openpyxl": "the Excel layer",
}

_SCRIPT = """
import json, sys
from migo_desktop.ui.shell.app import run

async def shown(shell):
    print("MODULES", json.dumps(sorted(sys.modules)), flush=True)
    print("PAGE", shell.window.current_key(), flush=True)
    shell.window.close()

sys.exit(run(sys.argv[:1], after_show=shown))
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MIGO_TOKEN", "MIGO_DEMO")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env["MIGO_DATA_DIR"] = str(tmp_path_factory.mktemp("startup"))
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    return set(json.loads(lines["MODULES"])), lines["PAGE"]


@pytest.mark.parametrize("module", sorted(DEFERRED))
def test_not_loaded_before_the_window_shows(started: tuple[set[str], str], module: str) -> None:
    loaded, page = started
    assert page == "consulta"  # the window did come up, on its first page
    early = sorted(m for m in loaded if m == module or m.startswith(module + "."))
    assert not early, f"{early} loaded at start-up; only {DEFERRED[module]} needs it"
