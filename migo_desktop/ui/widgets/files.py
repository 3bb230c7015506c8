"""File dialogs that remember the last folder per purpose (Preferences.last_folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from ..base.settings_store import Preferences

__all__ = ["IMPORT_FILTER", "ask_open_file", "ask_results_path", "ask_save_file"]

IMPORT_FILTER = "Hojas de cálculo y texto (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;Todos los archivos (*)"


def ask_open_file(
    parent: QWidget | None, prefs: Preferences, title: str, filters: str, *, kind: str = "import"
) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, prefs.last_folder(kind), filters)
    if not path:
        return None
    prefs.set_last_folder(kind, path)
    return Path(path)


def ask_save_file(
    parent: QWidget | None,
    prefs: Preferences,
    title: str,
    suggested: str,
    filters: str,
    *,
    kind: str = "export",
) -> Path | None:
    start = str(Path(prefs.last_folder(kind)) / suggested)
    path, chosen = QFileDialog.getSaveFileName(parent, title, start, filters)
    if not path:
        return None
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    prefs.set_last_folder(kind, target)
    return target


def ask_results_path(parent: QWidget | None, prefs: Preferences, source_name: str | None) -> Path | None:
    """Where to export a bulk run's results (.xlsx or .csv), suggesting ``<source>_resultados.xlsx``."""
    name = Path(source_name).stem if source_name else "resultados"
    return ask_save_file(
        parent,
        prefs,
        QCoreApplication.translate("files", "Exportar resultados"),
        f"{name}_resultados.xlsx",
        QCoreApplication.translate("files", "Libro de Excel (*.xlsx);;CSV (*.csv)"),
    )
