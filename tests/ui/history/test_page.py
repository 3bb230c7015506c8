"""Historial: lists past runs with counts; reopen in Masiva, export again, delete (inline confirmation)."""

from __future__ import annotations

import csv

import pytest

from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.ui.bulk.page import BulkPage
from migo_desktop.ui.history.page import HistoryPage
from migo_desktop.ui.widgets.export_dialog import ExportChoice
from tests.ui.helpers import act, close_loop, drive, make_ruc, make_services, new_loop, wait_until


@pytest.fixture
def env(qtbot, qapp):
    loop = new_loop(qapp)
    services = make_services()
    bulk = BulkPage(services)
    history = HistoryPage(services)
    for w in (bulk, history):
        qtbot.addWidget(w)
        w.resize(1100, 600)
    yield loop, services, bulk, history
    drive(loop, bulk.controller.aclose())
    drive(loop, history.aclose())
    close_loop(loop)
    services.store.close()


def _run_job(loop, bulk, values, source):
    act(loop, lambda: bulk.controller.start_plan(plan_from_values(values, source=source)))
    wait_until(loop, lambda: bulk.controller.job_id is not None and not bulk.controller.running)
    return bulk.controller.job_id


def test_history_lists_reopens_exports_and_deletes(env, tmp_path):
    loop, services, bulk, history = env
    history.show()
    assert history.empty_label.isVisibleTo(history) and not history.open_button.isEnabled()
    first = _run_job(loop, bulk, [make_ruc(i) for i in range(1, 11)] + ["123"], "enero.xlsx")
    second = _run_job(loop, bulk, [make_ruc(i) for i in range(20, 25)], "febrero.xlsx")

    history.refresh()
    assert history.job_ids() == [second, first]  # newest first
    row = [history.model.item(1, c).text() for c in range(history.model.columnCount())]
    assert row[1] == "enero.xlsx" and row[3] == "Terminado" and row[4] == "11"
    ok, nf, inv = int(row[5]), int(row[6]), int(row[7])
    assert ok + nf == 10 and inv == 1
    assert history.selected_job() == second

    # reopen: the signal carries the job id and the bulk page shows its rows
    reopened = []
    history.reopenRequested.connect(reopened.append)
    history.reopenRequested.connect(bulk.open_job)
    assert history.select_job(first)
    act(loop, history.open_button.click)
    assert reopened == [first]
    wait_until(loop, lambda: bulk.controller.job_id == first and bulk.model.rowCount() == 11)
    assert bulk.model.counts()[LookupStatus.INVALID] == 1
    assert "enero.xlsx" in bulk.title.text()

    # export again, as CSV, and read it back
    out = tmp_path / "enero.csv"
    history.ask_export_choice = lambda job: ExportChoice(out, "tabla")
    act(loop, history.export_button.click)
    wait_until(loop, lambda: history.last_export is not None or "No se pudo" in history.bar.label.text())
    assert history.bar.button("Abrir archivo") is not None
    with out.open(encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    assert make_ruc(3) in text and "INVÁLIDO" in text
    rows = list(csv.reader(text.splitlines(), delimiter=","))
    assert len(rows) >= 12  # header + 11 rows

    # delete asks first (inline), then removes the job and its rows
    act(loop, history.delete_button.click)
    assert "¿Eliminar la consulta masiva n.º" in history.bar.label.text()
    assert history.job_ids() == [second, first]
    act(loop, history.bar.button("Eliminar").click)
    assert history.job_ids() == [second]
    assert services.store.get_job(first) is None
    assert list(services.store.job_results(first)) == []


def test_delete_can_be_declined(env):
    loop, services, bulk, history = env
    job = _run_job(loop, bulk, [make_ruc(1)], "uno.xlsx")
    history.refresh()
    act(loop, history.delete_button.click)
    act(loop, history.bar.button("No eliminar").click)
    assert not history.bar.isVisible()
    assert history.job_ids() == [job] and services.store.get_job(job) is not None


def test_a_running_job_cannot_be_deleted(qtbot, qapp):
    loop = new_loop(qapp)
    services = make_services(latency=0.02, concurrency=2)
    bulk, history = BulkPage(services), HistoryPage(services)
    for w in (bulk, history):
        qtbot.addWidget(w)
    try:
        act(loop, lambda: bulk.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 200)])))
        wait_until(loop, lambda: bulk.run_panel.cancel_button.isEnabled())  # the engine runs
        history.refresh()
        job = history.selected_job()
        assert job == bulk.controller.job_id
        act(loop, history.delete_button.click)
        assert "está en curso" in history.bar.label.text() and history.bar.button("Eliminar") is None
        act(loop, bulk.run_panel.cancel_button.click)
        wait_until(loop, lambda: not bulk.controller.running)
        act(loop, history.delete_button.click)  # now it can go
        act(loop, history.bar.button("Eliminar").click)
        assert services.store.get_job(job) is None
    finally:
        drive(loop, bulk.controller.aclose())
        drive(loop, history.aclose())
        close_loop(loop)
        services.store.close()


def test_unfinished_jobs_resume_from_historial(qtbot, qapp):
    """Two unfinished runs: the older one reopened from Historial offers Reanudar in Masiva and completes;
    Historial's own Reanudar runs the other one (not only the newest is resumable)."""
    from migo_desktop.core.store import JobState
    from migo_desktop.ui.shell.app import Shell

    loop = new_loop(qapp)
    services = make_services()
    store = services.store
    older = store.create_job(plan_from_values([make_ruc(i) for i in range(1, 16)], source="enero.xlsx"),
                             services.settings)  # fmt: skip
    newer = store.create_job(plan_from_values([make_ruc(i) for i in range(30, 40)], source="febrero.xlsx"),
                             services.settings)  # fmt: skip
    shell = Shell(services)
    qtbot.addWidget(shell.window)
    shell.window.resize(1240, 780)
    shell.window.show()
    try:
        bulk = shell.window.page("masiva")
        wait_until(loop, lambda: not bulk.resume_bar.isHidden())  # start-up offer: the newest one only
        assert "febrero.xlsx" in bulk.resume_bar.label.text()

        history = shell.window.show_page("historial")
        assert history.select_job(older)
        assert history.resume_button.isEnabled()
        act(loop, history.open_button.click)  # "Abrir resultados": shows it without running it
        wait_until(loop, lambda: bulk.controller.job_id == older and bulk.model.rowCount() == 15)
        assert shell.window.current_key() == "masiva" and not bulk.controller.running
        assert bulk.resume_bar.isVisible() and "15 de 15 filas pendientes" in bulk.resume_bar.label.text()
        act(loop, bulk.resume_bar.button("Reanudar").click)
        wait_until(loop, lambda: not bulk.resume_bar.isVisible() and not bulk.controller.running)
        assert store.get_job(older).state is JobState.COMPLETED and store.get_job(older).pending == 0
        assert store.get_job(newer).pending == 10

        history = shell.window.show_page("historial")
        assert history.select_job(older) and not history.resume_button.isEnabled()  # nothing left there
        assert history.select_job(newer) and history.resume_button.isEnabled()
        act(loop, history.resume_button.click)
        assert shell.window.current_key() == "masiva"
        wait_until(loop, lambda: bulk.controller.job_id == newer and store.get_job(newer).pending == 0)
        wait_until(loop, lambda: not bulk.controller.running)
        bulk.model.flush()
        assert store.get_job(newer).state is JobState.COMPLETED
        assert bulk.model.counts()[LookupStatus.PENDING] == 0 and not bulk.resume_bar.isVisible()
    finally:
        drive(loop, shell.aclose())
        close_loop(loop)
        store.close()


def test_every_column_fits_at_1240_px(qtbot, qapp):
    """At the guide's window size (1240 px) no column is cut off: numbers sized to contents, the file
    name takes what is left, and sorting by another column (its arrow) keeps everything in view."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontMetrics

    from migo_desktop.ui.base.theme import apply_theme
    from migo_desktop.ui.shell.app import Shell

    loop = new_loop(qapp)
    services = make_services()
    long_name = "proveedores_2025_enero_a_diciembre_consolidado_final.xlsx"
    for name in (long_name, "clientes.csv"):
        plan = plan_from_values([make_ruc(i) for i in range(1, 1500)], source=name)
        plan.sheet = "Compras enero-febrero 2026 (consolidado)"
        services.store.create_job(plan, services.settings)
    style = qapp.style().name()
    apply_theme(qapp)  # the app's look (Fusion, header padding), as in the guide's screenshots
    shell = Shell(services)
    qtbot.addWidget(shell.window)
    shell.window.resize(1240, 780)
    shell.window.show()
    try:
        history = shell.window.show_page("historial")
        qtbot.waitExposed(shell.window)
        header = history.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)  # the titles of a selected row's columns are drawn bold
        fm = QFontMetrics(bold)

        def check() -> None:
            assert header.length() <= history.table.viewport().width()
            assert not history.table.horizontalScrollBar().isVisible()
            assert header.sectionSize(1) >= 90  # the file name keeps a useful width (elided, tooltip whole)
            for col in range(history.model.columnCount()):
                title = history.model.headerData(col, Qt.Orientation.Horizontal)
                assert header.sectionViewportPosition(col) + header.sectionSize(col) <= header.length()
                if col != 1:
                    widest = max(fm.horizontalAdvance(line) for line in title.split("\n"))
                    assert header.sectionSize(col) >= widest + 12, title  # the title is not cut (6 px sides)
                    # as QHeaderView paints: with eliding on, the whole title is elided as if on one line
                    mode = header.textElideMode()
                    room = header.sectionSize(col) - 12
                    assert mode == Qt.TextElideMode.ElideNone or fm.elidedText(title, mode, room) == title, (
                        title
                    )

        check()
        titles = [history.model.headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
        assert titles[-4:] == ["Error", "Pendiente", "Consultas\na la API", "Desde\ncaché"]
        history.table.sortByColumn(len(titles) - 2, Qt.SortOrder.DescendingOrder)  # the arrow moves there
        qapp.processEvents()
        check()
    finally:
        drive(loop, shell.aclose())
        close_loop(loop)
        services.store.close()
        qapp.setStyleSheet("")
        qapp.setStyle(style)


def test_a_running_jobs_row_updates_live_and_actualizar_counts_its_rows(qtbot, qapp):
    from PySide6.QtCore import Qt

    from migo_desktop.ui.shell.bulk_badge import BulkBadge

    class Sidebar:
        def set_badge(self, key, text, tooltip=""):
            self.text = text

    loop = new_loop(qapp)
    services = make_services(latency=0.02, concurrency=2)
    bulk, history = BulkPage(services), HistoryPage(services)
    for w in (bulk, history):
        qtbot.addWidget(w)
    BulkBadge(Sidebar(), bulk.controller, services.events)  # the shell's forwarder: progress -> jobChanged
    history.show()
    qtbot.waitExposed(history)
    try:
        act(loop, lambda: bulk.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 300)])))
        wait_until(loop, lambda: bulk.run_panel.cancel_button.isEnabled())
        history.refresh()
        assert history.model.item(0, 5).text() == "0"  # OK: nothing answered yet when the run started
        # the row follows the run without touching anything (forwarded progress, at most once a second)
        wait_until(loop, lambda: int(history.model.item(0, 5).text().replace(",", "")) > 0)
        assert bulk.controller.running
        act(loop, bulk.run_panel.pause_button.click)
        wait_until(loop, lambda: not bulk.controller.running or bulk.controller.paused)
        # Actualizar re-reads the rows of a job that is still open in Masiva
        history.refresh_button.click()
        job = services.store.get_job(history.selected_job())
        done = services.store.count_states(job.id)[LookupStatus.OK]
        assert int(history.model.item(0, 5).text().replace(",", "")) == done
        # the file name elides in the middle and its tooltip has the whole path
        assert history.table.textElideMode() == Qt.TextElideMode.ElideMiddle
        assert job.source_name in history.model.item(0, 1).toolTip()
    finally:
        drive(loop, bulk.controller.aclose())
        drive(loop, history.aclose())
        close_loop(loop)
        services.store.close()
