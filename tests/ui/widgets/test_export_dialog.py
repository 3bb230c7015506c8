"""The export dialog: own workbook first (when the source is there), table otherwise, the filtered rows
option, the source's folder as the default, .xlsm kept for a macro workbook returned as itself."""

from __future__ import annotations

from pathlib import Path

from migo_desktop.ui.base.settings_store import Preferences
from migo_desktop.ui.widgets.export_dialog import ExportDialog


def test_defaults_to_the_own_workbook_beside_the_source(qtbot, tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "prefs.ini")
    source = tmp_path / "compras" / "noviembre.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"x")
    dialog = ExportDialog(None, prefs, source, filtered=3, total=10)
    qtbot.addWidget(dialog)
    choice = dialog.choice()
    assert choice is not None and choice.kind == "libro" and not choice.only_filtered
    assert choice.path == source.parent / "noviembre_resultados.xlsx"  # the source's own folder
    assert "3 de 10" in dialog.only_filtered.text()
    dialog.only_filtered.setChecked(True)
    dialog.table.setChecked(True)
    choice = dialog.choice()
    assert choice is not None and choice.kind == "tabla" and choice.only_filtered


def test_macro_workbook_keeps_xlsm_and_a_missing_source_offers_only_the_table(qtbot, tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "prefs.ini")
    macro = tmp_path / "libro.xlsm"
    macro.write_bytes(b"x")
    dialog = ExportDialog(None, prefs, macro)
    qtbot.addWidget(dialog)
    assert dialog.path_edit.text().endswith("libro_resultados.xlsm")
    assert dialog.only_filtered.isHidden()  # nothing filtered: no such option
    dialog.table.setChecked(True)
    assert dialog.path_edit.text().endswith("libro_resultados.xlsx")
    gone = ExportDialog(None, prefs, tmp_path / "movido.xlsx")
    qtbot.addWidget(gone)
    assert not gone.own.isEnabled() and gone.table.isChecked()
