"""The Masiva page driven through its widgets on the demo API: import, run, filter, export."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from migo_desktop.core.models import LookupStatus
from migo_desktop.ui.bulk.page import BulkPage
from migo_desktop.ui.bulk.results_columns import COL_APTO, COL_NUMBER, COL_STATUS
from migo_desktop.ui.widgets.export_dialog import ExportChoice
from tests.ui.helpers import (
    act,
    close_loop,
    drive,
    make_ruc,
    make_services,
    new_loop,
    spin,
    wait_until,
    write_workbook,
)


@pytest.fixture
def env(qtbot, qapp, tmp_path):
    loop = new_loop(qapp)
    services = make_services()
    page = BulkPage(services)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    yield loop, services, page
    drive(loop, page.controller.aclose())
    close_loop(loop)
    services.store.close()


def _import(loop, page, path):
    dialog = page.open_file(path)
    assert dialog is not None
    wait_until(loop, lambda: dialog.plan is not None or dialog.error_label.isVisibleTo(dialog))
    return dialog


def test_import_run_filter_export(env, tmp_path):
    loop, services, page = env
    rucs = [make_ruc(i) for i in range(1, 41)]
    values = [*rucs, rucs[0], rucs[1], "20123456789", "abc", None, "12345678"]
    path = write_workbook(tmp_path / "proveedores.xlsx", values)

    dialog = _import(loop, page, path)
    plan = dialog.plan
    assert plan is not None, dialog.error_label.text()
    # title rows skipped, header row 3, numeric RUC column B detected and highlighted
    assert plan.header_row == 3
    assert dialog.highlighted_column() == 1 and dialog.column_combo.currentData() == 1
    assert dialog.table.item(3, 1).background().color().name() == "#fff2c6"
    assert dialog.table.item(3, 0).background().style() == Qt.BrushStyle.NoBrush
    text = dialog.cost_label.text()
    assert "40 RUC y 1 DNI válidos únicos" in text and "2 duplicados" in text and "0 ya en caché" in text
    assert "3 inválidos" in text and "41 consultas a la API" in text
    assert dialog.cost.invalid == 3 and dialog.cost.api_calls == 41
    assert "Dígito verificador incorrecto" in dialog.reasons_label.text()
    # the import report: every row of the sheet in a category, title rows named with their numbers
    assert "Informe de importación: Se consultarán" in dialog.reasons_label.text()
    assert "Omitida × 2: Fila de título (filas 1, 2)" in dialog.reasons_label.text()

    act(loop, dialog.import_button.click)
    wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
    page.model.flush()
    counts = page.model.counts()
    assert page.model.rowCount() == len(values)  # the blank RUC cell is a row too (other cells filled)
    assert counts[LookupStatus.PENDING] == 0
    assert counts[LookupStatus.OK] + counts[LookupStatus.NOT_FOUND] == 41
    assert counts[LookupStatus.DUPLICATE] == 2 and counts[LookupStatus.INVALID] == 3
    assert page.stack.currentIndex() == 1
    dup = next(r for r in page.model.rows() if r.status is LookupStatus.DUPLICATE)
    first = page.model.row_by_idx(0)
    assert dup.number == rucs[0] and dup.reason.startswith("Repite la fila 4")  # 2 title rows + header
    assert dup.data == first.data and (first.status is not LookupStatus.OK or dup.name)
    assert page.chart.counts()[LookupStatus.OK] == counts[LookupStatus.OK]
    assert page.export_button.isEnabled() and not page.retry_button.isEnabled()
    assert services.demo_api.stats.snapshot().requests >= 41

    # filter by result through the combo
    assert page.table.model() is page.model  # unfiltered: no proxy in the way
    page.status_filter.setCurrentIndex(page.status_filter.findData(LookupStatus.INVALID))
    assert page.table.model() is page.proxy and page.table.model().rowCount() == 3
    assert page.shown_label.text() == f"3 de {len(values)}"
    shown = {page.table.model().index(r, COL_STATUS).data() for r in range(page.table.model().rowCount())}
    assert shown == {"INVÁLIDO"}
    page.status_filter.setCurrentIndex(0)
    assert page.table.model() is page.model and page.proxy.sourceModel() is None

    # free-text search (debounced) on an original column
    page.search.setText("Proveedor 7")
    wait_until(loop, lambda: page.table.model().rowCount() == 1)
    assert page.table.model().index(0, COL_NUMBER).data() == rucs[7]
    page.search.clear()
    wait_until(loop, lambda: page.table.model().rowCount() == page.model.rowCount())

    # only "aptos": every shown row is ACTIVO + HABIDO
    page.apto_filter.setCurrentIndex(page.apto_filter.findData(True))
    assert 0 < page.table.model().rowCount() < page.model.rowCount()
    for r in range(page.table.model().rowCount()):
        assert page.table.model().index(r, COL_APTO).data() == "Sí"
    page.apto_filter.setCurrentIndex(0)

    # export to xlsx and read the file back
    out = tmp_path / "salida.xlsx"
    page.ask_export_choice = lambda: ExportChoice(out, "libro")
    act(loop, page.export_button.click)
    wait_until(loop, lambda: "exportados" in page.info_bar.label.text() or page.error_bar.isVisible())
    assert not page.error_bar.isVisible(), page.error_bar.label.text()
    assert out.exists() and page.info_bar.button("Abrir archivo") is not None
    wb = load_workbook(out, read_only=True)
    try:
        sheet = wb.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        wb.close()
    flat = [str(c) for row in rows for c in row if c is not None]
    assert "Resultado (Migo)" in flat  # the default kind: the user's own workbook, columns added
    assert rucs[5] in flat
    assert any("INVÁLIDO" in c for c in flat) and any("DUPLICADO" in c for c in flat)


def test_hostile_file_shows_spanish_message(env, tmp_path):
    loop, _services, page = env
    bad = tmp_path / "roto.xlsx"
    bad.write_bytes(b"this is not a zip file at all")
    dialog = _import(loop, page, bad)
    assert dialog.plan is None
    assert dialog.error_label.isVisibleTo(dialog)
    message = dialog.error_label.text()
    assert message and "Traceback" not in message
    assert not dialog.import_button.isEnabled()


def test_unsupported_extension_is_refused(env, tmp_path):
    _loop, _services, page = env
    assert page.open_file(tmp_path / "foto.png") is None
    assert page.error_bar.isVisible() and "no es un archivo admitido" in page.error_bar.label.text()


def test_shortcuts_and_accessible_names(env, qtbot):
    loop, _services, page = env
    page.activateWindow()
    qtbot.waitExposed(page)
    page.import_button.setFocus()
    QTest.keyClick(page.import_button, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    spin(loop)
    assert QApplication.focusWidget() is page.search
    widgets = [page.import_button, page.export_button, page.retry_button, page.search, page.table]
    widgets += [page.status_filter, page.run_panel.pause_button, page.run_panel.cancel_button]
    for widget in widgets:
        assert widget.accessibleName(), widget
    # tab order: Importar -> Exportar (disabled buttons are skipped) ... -> búsqueda -> tabla
    assert page.import_button.nextInFocusChain() is page.export_button
    assert page.search.nextInFocusChain() is page.table


def test_example_workbook_link_opens_the_import_dialog(env):
    loop, _services, page = env
    assert page.stack.currentIndex() == 0
    act(loop, page.drop_zone.example_button.click)
    dialog = page.import_dialog
    assert dialog is not None and dialog.path.name == "ejemplo_rucs.xlsx"
    wait_until(loop, lambda: dialog.plan is not None or dialog.error_label.isVisibleTo(dialog))
    assert dialog.plan is not None and dialog.plan.header_row == 3 and dialog.plan.id_column == 1
    cost = dialog.cost
    assert cost.valid_ruc > 100 and cost.valid_dni > 0 and cost.duplicates > 0 and cost.invalid > 0
    assert "notación científica" in dialog.reasons_label.text()
    act(loop, dialog.cancel_button.click)
    assert page.import_dialog is None and page.stack.currentIndex() == 0


def test_changing_the_column_replans(env, tmp_path):
    loop, _services, page = env
    path = write_workbook(tmp_path / "dos.xlsx", [make_ruc(i) for i in range(1, 6)])
    dialog = _import(loop, page, path)
    assert dialog.plan.id_column == 1
    first_plan = dialog.plan
    dialog.column_combo.setCurrentIndex(dialog.column_combo.findData(3))  # "Monto": not identifiers
    act(loop, lambda: dialog.column_combo.activated.emit(dialog.column_combo.currentIndex()))
    wait_until(loop, lambda: dialog.plan is not first_plan and not dialog.busy.isVisible())
    assert dialog.plan.id_column == 3
    assert dialog.cost.valid_unique == 0 and dialog.cost.invalid == 5
    assert dialog.table.item(3, 3).background().color().name() == "#fff2c6"


def test_switching_sheet_replans_and_reports_a_sheet_without_rucs(env, tmp_path):
    loop, _services, page = env
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Notas"
    notes.append(["Este libro tiene los RUC en la segunda hoja"])
    data = wb.create_sheet("Clientes")
    data.append(["RUC", "Cliente"])
    for i in range(1, 9):
        data.append([int(make_ruc(i)), f"Cliente {i}"])
    path = tmp_path / "dos_hojas.xlsx"
    wb.save(path)
    wb.close()

    dialog = _import(loop, page, path)
    assert dialog.plan is not None and dialog.plan.sheet == "Clientes"
    assert dialog.sheet_combo.isEnabled() and dialog.sheet_combo.count() == 2
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findText("Notas"))
    act(loop, lambda: dialog.sheet_combo.activated.emit(dialog.sheet_combo.currentIndex()))
    wait_until(loop, lambda: dialog.error_label.isVisibleTo(dialog) or dialog.plan.sheet == "Notas")
    # nothing that looks like RUCs there: a clear message, and nothing to import
    assert dialog.error_label.isVisibleTo(dialog), dialog.cost
    assert "No se encontró una columna con RUC" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled() and dialog.plan is None
    # and back to the right sheet
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findText("Clientes"))
    act(loop, lambda: dialog.sheet_combo.activated.emit(dialog.sheet_combo.currentIndex()))
    wait_until(loop, lambda: dialog.plan is not None)
    assert dialog.plan.sheet == "Clientes" and dialog.cost.valid_ruc == 8 and dialog.import_button.isEnabled()
    assert not dialog.error_label.isVisibleTo(dialog)


def test_no_ruc_column_detected_lets_the_user_choose_it(env, tmp_path):
    """A notes-like column ("Referencia") with a few RUCs: detection rejects it, yet the dialog lists the
    columns by their titles, the user picks it, and the cost appears with Importar enabled."""
    loop, _services, page = env
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Compras"
    ws.append(["Proveedor", "Referencia", "Monto"])
    for i in range(12):
        ws.append([f"Proveedor {i}", make_ruc(i + 1) if i % 4 == 0 else "por confirmar", 100 + i])
    path = tmp_path / "referencias.xlsx"
    wb.save(path)
    wb.close()

    dialog = _import(loop, page, path)
    assert dialog.plan is None and dialog.error_label.isVisibleTo(dialog)
    assert "No se encontró una columna con RUC" in dialog.error_label.text()
    labels = [dialog.column_combo.itemText(i) for i in range(dialog.column_combo.count())]
    assert labels == ["A — Proveedor", "B — Referencia", "C — Monto"]
    assert dialog.column_combo.currentIndex() == -1 and not dialog.import_button.isEnabled()
    assert dialog.sheet_combo.currentText() == "Compras"
    assert dialog.table.rowCount() == 13 and dialog.table.item(1, 1).text() == make_ruc(1)

    dialog.column_combo.setCurrentIndex(1)
    act(loop, lambda: dialog.column_combo.activated.emit(1))
    wait_until(loop, lambda: dialog.plan is not None)
    assert dialog.plan.id_column == 1 and dialog.plan.header_row == 1  # the title row is not data
    assert dialog.cost.valid_ruc == 3 and dialog.cost.invalid == 9 and dialog.cost.api_calls == 3
    assert "3 consultas a la API" in dialog.cost_label.text()
    assert dialog.import_button.isEnabled() and not dialog.error_label.isVisibleTo(dialog)
    assert dialog.table.item(1, 1).background().color().name() == "#fff2c6"


def test_column_titles_without_a_header_row():
    from types import SimpleNamespace

    from migo_desktop.ui.bulk.import_dialog import column_label, column_titles

    numbers = SimpleNamespace(headers=[], header_row=None, rows=[["20131312955", "x"], ["20100038146", "y"]])
    assert [column_label(i, h) for i, h in enumerate(column_titles(numbers))] == ["Columna A", "Columna B"]
    titled = SimpleNamespace(headers=[], header_row=None, rows=[["", ""], ["Nombre", "Doc"], ["a", "1"]])
    assert column_titles(titled) == ["Nombre", "Doc"]
