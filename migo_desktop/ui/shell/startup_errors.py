"""When the app cannot start, the dialog names the real cause and what to do about it.

Before, every failure read «revisa la carpeta de datos», even a missing module in a bundle or a database
damaged by a disk error. The details always go to the log; this text is for the person.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ... import APP_NAME
from ...core.errors import MigoError
from ...paths import AppPaths

__all__ = ["describe_startup_failure", "folder_failure_text", "show_folder_failure"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Startup", text)


def folder_failure_text(folder: Path, exc: OSError) -> str:
    """The data folder itself cannot be created or written (before the log exists)."""
    if exc.errno == errno.ENOSPC:
        reason = _tr("el disco está lleno")
    elif isinstance(exc, PermissionError):
        reason = _tr("no tienes permiso para escribir ahí")
    else:
        reason = exc.strerror or type(exc).__name__
    return _tr(
        "Migo Desktop no pudo iniciarse: no se pudo usar la carpeta de datos {0} ({1}). Revisa que exista y "
        "que puedas escribir en ella, o elige otra con la variable MIGO_DATA_DIR."
    ).format(str(folder), reason)


def describe_startup_failure(exc: BaseException, paths: AppPaths, log_file: Path) -> str:
    """A Spanish explanation of why start-up failed, ending with where the details are."""
    database = paths.database
    message = str(exc).lower()
    if isinstance(exc, MigoError) and exc.user_message:
        cause = exc.user_message
    elif isinstance(exc, ImportError):
        missing = getattr(exc, "name", None) or _tr("un módulo")
        cause = _tr(
            "La instalación está incompleta (falta {0}). Vuelve a instalar Migo Desktop desde el instalador "
            "oficial."
        ).format(missing)
    elif isinstance(exc, sqlite3.OperationalError) and "locked" in message:
        cause = _tr(
            "La base de datos ({0}) está en uso por otra copia de Migo Desktop. Cierra la otra ventana y "
            "vuelve a abrir la aplicación."
        ).format(str(database))
    elif isinstance(exc, sqlite3.DatabaseError) and ("not a database" in message or "malformed" in message):
        cause = _tr(
            "La base de datos del historial ({0}) está dañada. Cierra la aplicación, cámbiale el nombre a "
            "ese archivo (por ejemplo, agrégale «.dañado») y vuelve a abrirla: se creará una nueva y la "
            "anterior queda guardada."
        ).format(str(database))
    elif isinstance(exc, sqlite3.Error | PermissionError) or (
        isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC)
    ):
        cause = _tr(
            "No se pudo abrir ni escribir la carpeta de datos ({0}). Revisa que exista, que tengas permiso "
            "para escribir en ella y que el disco no esté lleno."
        ).format(str(paths.data_dir))
    else:
        cause = _tr("Ocurrió un error inesperado ({0}).").format(type(exc).__name__)
    return _tr("Migo Desktop no pudo iniciarse. {0}\n\nDetalles en el registro: {1}").format(
        cause, str(log_file)
    )


def show_folder_failure(app: QApplication, paths: AppPaths, exc: OSError) -> int:
    """The data folder cannot be used, so there is no log either: say so in a dialog; exit code 1."""
    folder = Path(exc.filename) if exc.filename else paths.data_dir
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, folder_failure_text(folder, exc))
    box.exec()  # before any event loop runs: nothing to nest
    return 1
