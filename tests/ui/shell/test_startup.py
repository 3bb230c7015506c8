"""Behaving as an installed app: --version/--help without a display, the app's identity for the desktop,
Ctrl+C closing cleanly, start-up failures that name their cause, and the --smoke-test hook."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

import migo_desktop
from migo_desktop.core.errors import ConfigError
from migo_desktop.paths import app_paths
from migo_desktop.ui.shell.identity import apply_identity, set_windows_app_id
from migo_desktop.ui.shell.options import parse_options
from migo_desktop.ui.shell.startup_errors import describe_startup_failure, folder_failure_text

ROOT = Path(__file__).resolve().parents[3]
HEADLESS = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


def _python(
    code_or_args: list[str], env: dict[str, str], timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code_or_args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


# -- options -------------------------------------------------------------------------------------------------
def test_version_and_help_need_no_display_and_no_qt():
    version = _python(["-m", "migo_desktop", "--version"], HEADLESS)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"Migo Desktop {migo_desktop.__version__}"
    helped = _python(["-m", "migo_desktop", "--help"], HEADLESS)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("Uso: migo-desktop") and "muestra la versión" in helped.stdout
    assert "--smoke-test" not in helped.stdout  # a check for the bundle, not for users
    loaded = _python(
        [
            "-c",
            "import json, sys; import migo_desktop.ui.shell.options; print(json.dumps(sorted(sys.modules)))",
        ],
        HEADLESS,
    )
    assert not [m for m in json.loads(loaded.stdout) if m.startswith("PySide6")]


def test_qt_options_pass_through():
    options, rest = parse_options(["-platform", "offscreen", "--smoke-test", "-style", "fusion"])
    assert options.smoke_test is True
    assert rest == ["-platform", "offscreen", "-style", "fusion"]


# -- identity ------------------------------------------------------------------------------------------------
def test_window_icon_and_desktop_file_name(qapp):
    icon, name = qapp.windowIcon(), QGuiApplication.desktopFileName()
    try:
        apply_identity(qapp)
        assert not qapp.windowIcon().isNull()
        assert QGuiApplication.desktopFileName() == migo_desktop.APP_ID
    finally:  # the QApplication outlives this test: leave it as it was
        qapp.setWindowIcon(icon)
        QGuiApplication.setDesktopFileName(name)


def test_windows_app_user_model_id():
    calls = []

    class Shell32:
        def SetCurrentProcessExplicitAppUserModelID(self, app_id):  # noqa: N802 - the Win32 name
            calls.append(app_id)
            return 0

    assert set_windows_app_id(platform="win32", shell32=Shell32()) is True
    assert calls == [migo_desktop.APP_ID]
    assert set_windows_app_id(platform="linux", shell32=Shell32()) is False
    assert calls == [migo_desktop.APP_ID]


# -- start-up failures ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("exc", "expected", "not_expected"),
    [
        (
            ModuleNotFoundError("No module named 'x'", name="migo_desktop.ui.bulk.page"),
            "instalación está incompleta",
            "carpeta de datos",
        ),
        (sqlite3.OperationalError("database is locked"), "otra copia", "carpeta de datos"),
        (sqlite3.DatabaseError("file is not a database"), "está dañada", "carpeta de datos"),
        (PermissionError(errno.EACCES, "Permission denied"), "carpeta de datos", "inesperado"),
        (
            ConfigError("El archivo de preferencias no se puede leer."),
            "preferencias no se puede leer",
            "carpeta",
        ),
        (ValueError("boom"), "error inesperado (ValueError)", "carpeta de datos"),
    ],
)
def test_startup_failure_names_the_real_cause(exc, expected, not_expected, tmp_path):
    paths = app_paths({"MIGO_DATA_DIR": str(tmp_path)})
    text = describe_startup_failure(exc, paths, tmp_path / "logs" / "migo-desktop.log")
    assert text.startswith("Migo Desktop no pudo iniciarse.")
    assert expected in text and not_expected not in text
    assert "migo-desktop.log" in text


def test_data_folder_failure_says_which_folder_and_why(tmp_path):
    text = folder_failure_text(tmp_path / "x", PermissionError(errno.EACCES, "Permission denied"))
    assert str(tmp_path / "x") in text and "permiso" in text
    assert "disco está lleno" in folder_failure_text(tmp_path, OSError(errno.ENOSPC, "No space left"))


# Prefix of the subprocess scripts below: the error dialog prints its message and closes itself.
DIALOG_SPY = (
    "import sys\n"
    "from migo_desktop.ui.shell import error_dialog\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QMessageBox\n"
    "def show(self, exc):\n"
    "    print('DIALOG:', exc.user_message, flush=True)\n"
    "    box = QMessageBox()\n"
    "    QTimer.singleShot(0, lambda: box.done(0))\n"
    "    return box\n"
    "error_dialog.ExceptHook.show = show\n"
)


def test_damaged_database_is_set_aside_and_the_real_app_says_so(tmp_path):
    """End to end: a damaged database file → the app still opens (a new database) and its notice names the
    cause («dañada», where the old file went), never the generic «carpeta de datos»."""
    data = tmp_path / "data"
    (data / "data").mkdir(parents=True)
    (data / "data" / "migo.sqlite3").write_bytes(b"this is not sqlite" * 100)
    script = DIALOG_SPY + (
        "from migo_desktop.ui.shell.app import run\n"
        "async def close(shell):\n"
        "    shell.window.close()\n"
        "sys.exit(run(sys.argv[:1], after_show=close))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(data)}
    proc = _python(["-c", script], env)
    assert "DIALOG:" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert "dañada" in proc.stdout and "carpeta de datos" not in proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list((data / "data").glob("migo.sqlite3.dañada-*"))  # the damaged file was kept, set aside


def test_a_module_missing_from_a_bundle_is_named_in_the_real_start_up(tmp_path):
    """End to end through run(): a page module a freezer left out → «instalación incompleta», not the data
    folder (what every start-up failure used to say)."""
    script = DIALOG_SPY + (
        "from migo_desktop.ui.shell import app\n"
        "def missing(*args, **kwargs):\n"
        "    raise ModuleNotFoundError('No module named x', name='migo_desktop.ui.bulk.page')\n"
        "app.Shell = missing\n"
        "sys.exit(app.run(sys.argv[:1]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(tmp_path)}
    proc = _python(["-c", script], env)
    assert "DIALOG:" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert "instalación está incompleta" in proc.stdout and "migo_desktop.ui.bulk.page" in proc.stdout
    assert "carpeta de datos" not in proc.stdout
    assert proc.returncode == 1


# -- Ctrl+C and the smoke hook -------------------------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_closes_the_gui_cleanly(tmp_path):
    """SIGINT arrives from another thread while Qt waits for events: the app closes as if the window had been
    closed (state saved, store closed, exit code 0), without a traceback."""
    script = (
        "import os, signal, sys, threading\n"
        "from migo_desktop.ui.shell.app import run\n"
        "async def after_show(shell):\n"
        "    threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()\n"
        "sys.exit(run(sys.argv[:1], after_show=after_show))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(tmp_path)}
    proc = _python(["-c", script], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr
    log = (tmp_path / "logs" / "migo-desktop.log").read_text(encoding="utf-8")
    assert "Interrupted by signal SIGINT" in log and log.rstrip().endswith("Bye")
    assert "ended early" not in log
    assert "geometry" in (tmp_path / "config" / "preferencias.ini").read_text(encoding="utf-8").lower()


def test_smoke_test_option_builds_every_page_and_exits_cleanly(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(tmp_path)}
    proc = _python(["-m", "migo_desktop", "--smoke-test"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = (tmp_path / "logs" / "migo-desktop.log").read_text(encoding="utf-8")
    assert "Smoke test: 5 of 5 pages built, 0 errors" in log and log.rstrip().endswith("Bye")
