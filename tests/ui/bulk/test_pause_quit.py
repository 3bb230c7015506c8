"""Pausar says «Pausando… (N consultas en curso)» until the answers in flight arrive, then «En pausa»; a quit
during a run asks, drains what was already sent («Guardando…») and stores it, so a resume pays each number
once; opening another run leaves nothing of the previous one on screen."""

from __future__ import annotations

from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.store import JobState
from migo_desktop.ui.bulk.results_columns import COL_INDEX, COL_NUMBER
from tests.ui.helpers import (
    act,
    drive,
    make_ruc,
    make_services,
    show_bulk_page,
    wait_until,
)


def _teardown(loop, page, services):
    drive(loop, page.controller.aclose())
    services.store.close()


def _state(page):
    return page.run_panel.state_label.text()


def test_pause_says_pausing_with_the_requests_in_flight_then_paused(qtbot, loop):
    services = make_services(latency=0.15, concurrency=4)
    page = show_bulk_page(qtbot, services)
    reports = []
    page.controller.progressChanged.connect(reports.append)
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 201)])))
        wait_until(loop, lambda: bool(reports) and reports[-1].done >= 4 and reports[-1].in_flight >= 2)

        act(loop, page.run_panel.pause_button.click)
        in_flight = reports[-1].in_flight  # the controller reports at once, before the next tick
        assert reports[-1].state is JobState.PAUSED and in_flight > 0
        assert _state(page) in (
            f"Pausando… ({in_flight} consultas en curso)",
            "Pausando… (1 consulta en curso)",
        )

        wait_until(loop, lambda: _state(page) == "En pausa")
        assert reports[-1].in_flight == 0 and page.run_panel.is_settled_pause()
        shown = page.run_panel.summary.text()
        done = page.model.rowCount() - page.model.counts()[LookupStatus.PENDING]
        assert shown.startswith(f"{done} de 200")
        stored = services.store.count_states(page.controller.job_id)
        assert 200 - stored[LookupStatus.PENDING] == done  # the table shows what is stored: nothing runs on
        ticks = len(reports)
        wait_until(loop, lambda: len(reports) >= ticks + 3)
        assert page.run_panel.summary.text() == shown and _state(page) == "En pausa"
        assert page.model.rowCount() - page.model.counts()[LookupStatus.PENDING] == done

        act(loop, page.run_panel.pause_button.click)  # Reanudar
        assert _state(page) == ""
        wait_until(loop, lambda: reports[-1].done > done)
    finally:
        _teardown(loop, page, services)


def test_quit_asks_then_drains_and_a_resume_pays_each_number_once(qtbot, loop):
    numbers = [make_ruc(i) for i in range(1, 121)]
    services = make_services(latency=0.1, concurrency=6)
    page = show_bulk_page(qtbot, services)
    reports, closed, asked = [], [], []
    page.controller.progressChanged.connect(reports.append)
    states = []
    page.controller.stoppingChanged.connect(
        lambda on: states.append((on, _state(page), page.busy_label.text()))
    )
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values(numbers, source="quit.xlsx")))
        wait_until(loop, lambda: bool(reports) and reports[-1].done >= 12 and reports[-1].in_flight >= 3)
        job_id = page.controller.job_id

        # the person changes their mind: nothing stops
        page.confirm_quit = lambda parent: asked.append("no") or False
        assert page.ready_to_quit(lambda: closed.append(True)) is False
        assert page.controller.running and not page.controller.stopping

        page.confirm_quit = lambda parent: asked.append("yes") or True
        assert act(loop, lambda: page.ready_to_quit(lambda: closed.append(True))) is False
        assert asked == ["no", "yes"] and page.controller.stopping
        assert states[0][0] is True and states[0][1] == "Guardando…" and "Guardando" in states[0][2]
        assert page.ready_to_quit(lambda: closed.append(True)) is False  # a second close does not ask again
        wait_until(loop, lambda: closed == [True])
        assert not page.controller.running and states[-1][0] is False
        assert page.ready_to_quit(lambda: closed.append(True)) is True  # now the window may close

        stats = services.demo_api.stats
        job = services.store.get_job(job_id)
        assert job.state is JobState.PAUSED and 0 < job.pending < len(numbers)
        # every request sent before the quit was answered and stored (none cancelled on its way back)
        assert stats.requests == sum(stats.answered.values()) == len(numbers) - job.pending

        act(loop, lambda: page.open_job(job_id, resume=True))
        wait_until(loop, lambda: services.store.get_job(job_id).state is JobState.COMPLETED, timeout=30)
        wait_until(loop, lambda: not page.controller.running)
        answered = services.demo_api.stats.answered
        assert sorted(answered) == sorted(numbers) and set(answered.values()) == {1}
        assert services.demo_api.stats.requests == len(numbers)
    finally:
        _teardown(loop, page, services)


def test_closing_the_main_window_during_a_run_waits_for_the_drain(qtbot, qapp, loop):
    from migo_desktop.ui.shell.app import Shell

    qapp.setQuitOnLastWindowClosed(False)  # as the app does: closing the window must not stop the loop

    services = make_services(latency=0.1, concurrency=4)
    shell = Shell(services)
    window = shell.window
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("masiva")
    reports = []
    page.controller.progressChanged.connect(reports.append)
    try:
        page.confirm_quit = lambda parent: True
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 101)])))
        wait_until(loop, lambda: bool(reports) and reports[-1].in_flight > 0 and reports[-1].done >= 4)
        act(loop, window.close)
        assert window.isVisible() and page.controller.stopping  # kept open while it saves
        wait_until(loop, lambda: not window.isVisible())
        assert services.store.get_job(page.controller.job_id).state is JobState.PAUSED
    finally:
        qapp.setQuitOnLastWindowClosed(True)
        drive(loop, shell.aclose())
        services.store.close()


def test_opening_another_run_resets_sort_scroll_selection_and_messages(qtbot, loop):
    services = make_services()
    page = show_bulk_page(qtbot, services)
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 120)])))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        first = page.controller.job_id
        assert page.info_bar.isVisible()  # «Consulta terminada.» about the first run
        page.table.sortByColumn(
            COL_NUMBER, page.table.horizontalHeader().sortIndicatorOrder().DescendingOrder
        )
        page.table.verticalScrollBar().setValue(page.table.verticalScrollBar().maximum())
        page.table.horizontalScrollBar().setValue(page.table.horizontalScrollBar().maximum())
        page.table.selectRow(3)
        page.notices.show_error("Un error de la primera consulta.")
        assert [b is page.error_bar for b in page.notices.visible_bars()] == [True]  # bars never stack

        plan = plan_from_values([make_ruc(i) for i in range(500, 530)], source="otra.xlsx")
        second = services.store.create_job(plan, services.settings)
        act(loop, lambda: page.open_job(second))
        wait_until(
            loop, lambda: page.controller.job_id == second and page.controller.tasks.current("run") is None
        )
        assert first != second
        header = page.table.horizontalHeader()
        assert header.sortIndicatorSection() == COL_INDEX
        assert [page.model.row_at(i).idx for i in range(page.model.rowCount())] == list(range(30))
        assert page.table.verticalScrollBar().value() == 0 and page.table.horizontalScrollBar().value() == 0
        assert not page.table.selectionModel().hasSelection()
        # the only message is the one about this run (it has rows left)
        assert page.notices.visible_bars() == [page.resume_bar] and "30 de 30" in page.resume_bar.label.text()
    finally:
        _teardown(loop, page, services)


def test_counters_legend_and_exported_summary_agree_including_cache_hits(qtbot, loop, tmp_path):
    from openpyxl import load_workbook

    services = make_services()
    page = show_bulk_page(qtbot, services)
    numbers = [make_ruc(i) for i in range(1, 41)]
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values(numbers[:20], source="a.xlsx")))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        # the second run: half of it from the cache
        act(loop, lambda: page.controller.start_plan(plan_from_values(numbers[10:], source="b.xlsx")))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        job = services.store.get_job(page.controller.job_id)
        assert job.cache_hits == 10 and job.api_calls == 20
        assert page.run_panel.speed.text() == "20 a la API · 10 desde caché"
        counts = page.model.counts()
        legend = page.run_panel.counts.text()
        for status in LookupStatus:
            assert f"<b>{counts.get(status, 0)}</b>" in legend
        assert {s: n for s, n in page.chart.counts().items() if n} == {s: n for s, n in counts.items() if n}

        out = tmp_path / "b.xlsx"
        drive(loop, page.controller._export(page.controller.job_id, out, "tabla"))
        sheet = load_workbook(out)["Resumen"]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
        assert values["Consultas a la API"] == 20 and values["Respuestas desde la caché"] == 10
        for status in LookupStatus:
            assert values[status.label] == counts.get(status, 0)
    finally:
        _teardown(loop, page, services)
