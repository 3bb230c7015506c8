"""The results table as a person uses it: frozen first columns, columns shown/hidden and remembered, Ctrl+C
as tab-separated text for Excel, the context menu, Enter/double-click opening the record, Tab leaving."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.ui.bulk.column_chooser import ColumnChooser
from migo_desktop.ui.bulk.page import BulkPage
from migo_desktop.ui.bulk.results_columns import (
    COL_ADDRESS,
    COL_CONDICION,
    COL_ESTADO,
    COL_INDEX,
    COL_NAME,
    COL_NUMBER,
    COL_RAW,
    COL_STATUS,
    FROZEN_COLUMNS,
)
from migo_desktop.ui.bulk.table_copy import tsv_cell
from tests.ui.helpers import act, close_loop, drive, make_ruc, make_services, new_loop, wait_until


@pytest.fixture
def env(qtbot, qapp):
    loop = new_loop(qapp)
    services = make_services()
    page = BulkPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    yield loop, services, page
    drive(loop, page.controller.aclose())
    close_loop(loop)
    services.store.close()


def _run(loop, page, values, source="lista.xlsx"):
    act(loop, lambda: page.controller.start_plan(plan_from_values(values, source=source)))
    wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
    page.model.flush()
    return page.controller.job_id


def _headers(page):
    model = page.table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_priority_columns_come_first_and_stay_frozen_when_scrolling_right(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 31)])
    assert _headers(page)[:FROZEN_COLUMNS] == ["Fila", "RUC / DNI", "Razón social / Nombre", "Estado",
                                              "Condición", "Apto"]  # fmt: skip
    table, frozen = page.table, page.table.frozen
    shown = [c for c in range(page.model.columnCount()) if not frozen.isColumnHidden(c)]
    assert shown == list(range(FROZEN_COLUMNS))
    assert frozen.model() is table.model() and frozen.selectionModel() is table.selectionModel()
    assert frozen.width() == table.frozen_width() == sum(table.columnWidth(c) for c in range(FROZEN_COLUMNS))

    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    # the main view scrolled (its first column went off the left edge); the overlay did not move
    assert table.columnViewportPosition(COL_INDEX) < 0
    assert frozen.columnViewportPosition(COL_INDEX) == 0 and frozen.geometry().x() <= table.frameWidth()
    assert frozen.isVisible()

    # the two views move together vertically, and a width change in the overlay reaches the main view
    table.verticalScrollBar().setValue(5 * 24)
    assert frozen.verticalScrollBar().value() == table.verticalScrollBar().value()
    frozen.horizontalHeader().resizeSection(COL_NAME, 300)
    assert table.columnWidth(COL_NAME) == 300 and frozen.width() == table.frozen_width()

    # sorting from the overlay's header sorts once, through the main view, and both show the indicator
    frozen.horizontalHeader().setSortIndicator(COL_NUMBER, Qt.SortOrder.DescendingOrder)
    assert table.horizontalHeader().sortIndicatorSection() == COL_NUMBER
    assert page.model.row_at(0).number == max(r.number for r in page.model.rows())


def test_state_columns_fit_their_values_at_the_default_width(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 80)])
    metrics = page.table.fontMetrics()
    for column in (COL_ESTADO, COL_CONDICION):
        longest = max(metrics.horizontalAdvance(page.model.index(r, column).data() or "")
                      for r in range(page.model.rowCount()))  # fmt: skip
        assert longest > 0 and page.table.columnWidth(column) > longest + 8
    assert page.table.columnWidth(COL_ESTADO) > metrics.horizontalAdvance("SUSPENSION TEMPORAL")
    assert page.table.columnWidth(COL_CONDICION) > metrics.horizontalAdvance("NO HABIDO")


def test_original_value_is_shown_only_when_it_differs(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 6)])
    assert page.table.isColumnHidden(COL_RAW)  # every cell was the RUC as it is: nothing to add

    spaced = make_ruc(7)
    _run(loop, page, [make_ruc(1), f" {spaced[:2]}-{spaced[2:]} ", "abc"], source="sucio.xlsx")
    assert not page.table.isColumnHidden(COL_RAW)
    cells = {page.model.index(r, COL_NUMBER).data(): page.model.index(r, COL_RAW).data()
             for r in range(page.model.rowCount())}  # fmt: skip
    assert cells[make_ruc(1)] == ""  # the same as the normalised number: left blank
    assert cells[spaced].strip() == f"{spaced[:2]}-{spaced[2:]}"
    assert cells[""] == "abc"


def test_columns_hidden_from_the_header_menu_are_remembered(env, qtbot):
    loop, services, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 6)])
    menu = page.columns.build_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert not actions["Fila"].isEnabled() and not actions["RUC / DNI"].isEnabled()
    actions["Dirección"].trigger()  # unchecks
    actions["Condición"].trigger()
    assert page.table.isColumnHidden(COL_ADDRESS) and page.table.isColumnHidden(COL_CONDICION)
    assert page.table.frozen.isColumnHidden(COL_CONDICION)  # the overlay follows, and narrows
    assert page.table.frozen.width() == page.table.frozen_width()
    edge, frozen = page.table.frozen_edge, page.table.frozen
    assert edge.isVisible() and edge.width() == 1  # its border moves with it
    assert edge.x() == frozen.geometry().right() + 1 and edge.height() == frozen.height()

    # a new page (as after a restart) reads the same preferences
    again = BulkPage(services)
    qtbot.addWidget(again)
    _run(loop, again, [make_ruc(i) for i in range(10, 14)])
    assert again.table.isColumnHidden(COL_ADDRESS) and again.table.isColumnHidden(COL_CONDICION)
    assert not again.table.isColumnHidden(COL_STATUS)
    chooser = ColumnChooser(again.table, again.model, services.prefs)
    assert chooser.hidden == {"direccion", "condicion"}
    again.columns.show_all()
    assert not again.table.isColumnHidden(COL_ADDRESS)
    drive(loop, again.controller.aclose())


def test_ctrl_c_copies_the_selected_rows_as_tab_separated_text_with_headers(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 6)])
    page.columns.set_shown(COL_ADDRESS, False)
    table = page.table
    table.setFocus()
    table.selectRow(1)
    table.selectionModel().select(
        table.model().index(3, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    QTest.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().split("\r\n")
    assert lines[-1] == "" and len(lines) == 4  # headers, two rows, the final line break
    header = lines[0].split("\t")
    assert header[:6] == ["Fila", "RUC / DNI", "Razón social / Nombre", "Estado", "Condición", "Apto"]
    assert "Dirección" not in header and "Valor original" not in header  # hidden columns are left out
    rows = [line.split("\t") for line in lines[1:3]]
    assert [r[0] for r in rows] == ["3", "5"]  # «Fila»: the file's own row (titles in row 1)
    assert rows[0][1] == page.model.row_at(1).number and rows[0][2] == page.model.row_at(1).name
    assert "mso-number-format" in mime.html()  # Excel keeps 11-digit numbers as text


def test_copied_cells_cannot_become_formulas_or_break_rows():
    assert tsv_cell('=HYPERLINK("x")') == '"\'=HYPERLINK(""x"")"'
    assert tsv_cell("+51 1 234") == "'+51 1 234"
    assert tsv_cell("línea\nsiguiente") == '"línea\nsiguiente"'
    assert tsv_cell("a\tb") == "a b"
    assert tsv_cell("ACME S.A.C.") == "ACME S.A.C."


def test_context_menu_copy_ruc_and_record(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 6)])
    page.table.clearSelection()
    rect = page.table.visualRect(page.table.model().index(0, COL_STATUS))
    page.table_actions.show_menu(rect.center())  # a right click on a row selects it
    menu = page.table_actions.menu
    menu.close()
    names = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert names == ["Copiar", "Copiar RUC", "Ver ficha", "Consultar de nuevo"]
    assert [a.text() for a in menu.actions() if a.text() and not a.isEnabled()] == []

    page.table_actions.copy_ruc_action.trigger()
    assert QGuiApplication.clipboard().text() == page.model.row_at(0).number + "\r\n"


def test_enter_and_double_click_open_the_record_with_its_representatives(env):
    loop, services, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 12)])
    position = next(i for i, r in enumerate(page.model.rows()) if r.taxpayer is not None)
    row = page.model.row_at(position)
    page.table.setFocus()
    page.table.setCurrentIndex(page.table.model().index(position, COL_STATUS))
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.record_dialog
    assert dialog is not None and dialog.row is row
    assert dialog.card.title.text() == row.taxpayer.razon_social
    assert dialog.card.values["ruc"].text() == row.number

    before = services.demo_api.stats.by_endpoint
    act(loop, dialog.card.reps_button.click)
    wait_until(loop, lambda: dialog.reps_title.isVisibleTo(dialog))
    assert services.demo_api.stats.by_endpoint.get("representatives", 0) > before.get(
        "representatives", 0
    ) or (sum(services.demo_api.stats.by_endpoint.values()) > sum(before.values()))
    assert "Representantes legales" in dialog.reps_title.text()
    dialog.close()

    # a double-click on the frozen part opens the record of that row too
    frozen = page.table.frozen
    rect = frozen.visualRect(frozen.model().index(0, COL_NAME))
    QTest.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.record_dialog is not None and page.record_dialog.row is page.model.row_at(0)


def test_a_row_without_data_says_why_it_has_no_record(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(1), "abc"])
    invalid = next(r for r in page.model.rows() if r.status is LookupStatus.INVALID)
    dialog = page.open_record(invalid)
    assert dialog.card.isHidden() and "INVÁLIDO" in dialog.message.text()


def test_tab_leaves_the_table(env):
    loop, _, page = env
    _run(loop, page, [make_ruc(i) for i in range(1, 6)])
    assert not page.table.tabKeyNavigation()
    page.search.setFocus()
    QTest.keyClick(page.search, Qt.Key.Key_Tab)
    assert page.table.hasFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus() and not isinstance(QApplication.focusWidget(), type(None))
    assert QApplication.focusWidget() is not page.table.frozen
    assert isinstance(page.search, QLineEdit)


def test_consultar_de_nuevo_asks_the_api_again_for_those_rows_only(env):
    loop, services, page = env
    numbers = [make_ruc(i) for i in range(1, 6)]
    _run(loop, page, [*numbers, numbers[0]])
    answered = dict(services.demo_api.stats.answered)
    page.table.selectRow(5)  # the duplicate stands for its first occurrence
    page.table_actions.requery_selection()
    wait_until(loop, lambda: not page.controller.running)
    wait_until(loop, lambda: services.demo_api.stats.answered.get(numbers[0], 0) == answered[numbers[0]] + 1)
    again = services.demo_api.stats.answered
    assert all(again[n] == answered[n] for n in numbers[1:])
    page.model.flush()
    assert page.model.counts()[LookupStatus.PENDING] == 0
