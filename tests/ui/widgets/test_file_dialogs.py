"""The export-path dialog shared by Masiva and Historial (the native dialog itself is replaced)."""

from __future__ import annotations

from pathlib import Path

from migo_desktop.ui.base.settings_store import Preferences
from migo_desktop.ui.widgets import files


def test_results_path_suggests_source_name_adds_suffix_and_remembers_folder(qapp, tmp_path, monkeypatch):
    prefs = Preferences(tmp_path / "prefs.ini")
    (tmp_path / "out").mkdir()
    seen = {}

    def fake_dialog(parent, title, start, filters):
        seen.update(title=title, start=start, filters=filters)
        return str(tmp_path / "out" / "proveedores"), "CSV (*.csv)"

    monkeypatch.setattr(files.QFileDialog, "getSaveFileName", fake_dialog)
    target = files.ask_results_path(None, prefs, "/datos/proveedores 2026.xlsx")

    assert target == tmp_path / "out" / "proveedores.csv"  # the chosen filter decides the missing suffix
    assert Path(seen["start"]).name == "proveedores 2026_resultados.xlsx"
    assert seen["title"] == "Exportar resultados" and "*.xlsx" in seen["filters"]
    assert prefs.last_folder("export") == str(tmp_path / "out")


def test_results_path_cancelled_returns_none(qapp, tmp_path, monkeypatch):
    prefs = Preferences(tmp_path / "prefs.ini")
    monkeypatch.setattr(files.QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert files.ask_results_path(None, prefs, None) is None
