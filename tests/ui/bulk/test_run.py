"""Pausar/Reanudar/Cancelar, the start-up resume offer and "Reintentar fallidos", through the widgets."""

from __future__ import annotations

from migo_desktop.core.client import MigoClient
from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.store import JobState
from migo_desktop.demo import DemoApi, FaultPlan
from migo_desktop.ui.bulk.page import BulkPage
from tests.ui.helpers import (
    act,
    drive,
    make_ruc,
    make_services,
    show_bulk_page,
    spin,
    wait_until,
)


def _done(page):
    page.model.flush()
    return page.model.rowCount() - page.model.counts()[LookupStatus.PENDING]


def _paused_and_settled(page, reports):
    if len(reports) < 2:
        return False
    a, b = reports[-2], reports[-1]
    quiet = all(p.state is JobState.PAUSED and p.in_flight == 0 for p in (a, b))
    return quiet and a.done == b.done == _done(page)


def _service_is_back(services):
    healthy = DemoApi()
    services.client_factory = lambda s: MigoClient(s, transport=healthy.transport())


def _teardown(loop, page, services):
    drive(loop, page.controller.aclose())
    services.store.close()


def test_pause_resume_and_cancel(qtbot, loop):
    services = make_services(latency=0.02, concurrency=4)
    page = show_bulk_page(qtbot, services)
    last = []
    page.controller.progressChanged.connect(last.append)
    try:
        plan = plan_from_values([make_ruc(i) for i in range(1, 301)], source="lista.xlsx")
        act(loop, lambda: page.controller.start_plan(plan))
        wait_until(loop, lambda: page.run_panel.pause_button.isEnabled() and _done(page) >= 12)

        act(loop, page.run_panel.pause_button.click)
        assert page.controller.paused and page.run_panel.pause_button.text().replace("&", "") == "Reanudar"
        # Synchronise on the engine's own reports, not on time: two progress reports in a row say "paused,
        # nothing in flight" with the same count, and the table shows that count (rows come before progress).
        wait_until(loop, lambda: _paused_and_settled(page, last))
        frozen = _done(page)
        ticks = len(last)
        wait_until(loop, lambda: len(last) >= ticks + 2)  # two more reports while paused: nothing moved
        assert _done(page) == frozen == last[-1].done < 300
        assert services.store.get_job(page.controller.job_id).state is JobState.PAUSED

        act(loop, page.run_panel.pause_button.click)  # Reanudar
        assert not page.controller.paused
        wait_until(loop, lambda: _done(page) > frozen + 8)

        act(loop, page.run_panel.cancel_button.click)
        wait_until(loop, lambda: not page.controller.running)
        page.model.flush()
        job = services.store.get_job(page.controller.job_id)
        assert job.state is JobState.CANCELLED and 0 < job.pending < 300
        assert page.model.counts()[LookupStatus.PENDING] == job.pending
        assert not page.run_panel.cancel_button.isEnabled()
        assert page.resume_bar.isVisible() and page.resume_bar.button("Reanudar") is not None
        assert page.run_panel.summary.text().startswith(f"{300 - job.pending} de 300")

        act(loop, page.resume_bar.button("Reanudar").click)
        wait_until(loop, lambda: page.controller.running)
        wait_until(loop, lambda: not page.controller.running, timeout=30)
        page.model.flush()
        assert page.model.counts()[LookupStatus.PENDING] == 0
        assert services.store.get_job(page.controller.job_id).state is JobState.COMPLETED
    finally:
        _teardown(loop, page, services)


def test_startup_offers_to_resume_unfinished_run(qtbot, loop):
    services = make_services()
    plan = plan_from_values([make_ruc(i) for i in range(1, 21)], source="pendiente.xlsx")
    job_id = services.store.create_job(plan, services.settings)
    page = show_bulk_page(qtbot, services)
    try:
        wait_until(loop, page.resume_bar.isVisible)  # the page checks the store right after it is shown
        assert "pendiente.xlsx" in page.resume_bar.label.text() and "20 de 20" in page.resume_bar.label.text()
        act(loop, page.resume_bar.button("Reanudar").click)
        wait_until(loop, lambda: page.controller.job_id == job_id and not page.controller.running)
        page.model.flush()
        assert not page.resume_bar.isVisible()
        assert page.model.rowCount() == 20 and page.model.counts()[LookupStatus.PENDING] == 0
        assert services.store.get_job(job_id).state is JobState.COMPLETED
    finally:
        _teardown(loop, page, services)


def test_no_offer_when_everything_finished(qtbot, loop):
    services = make_services()
    page = show_bulk_page(qtbot, services)
    try:
        spin(loop)
        assert not page.resume_bar.isVisible()
        assert page.stack.currentIndex() == 0  # the empty state (drop zone)
    finally:
        _teardown(loop, page, services)


def test_retry_failed_rows(qtbot, loop):
    services = make_services(faults=FaultPlan(p_server_error=1.0))
    services.settings = services.settings.with_(max_retries=0, retry_budget=1000)
    page = show_bulk_page(qtbot, services)
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 6)])))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        page.model.flush()
        assert page.model.counts()[LookupStatus.ERROR] == 5
        assert page.retry_button.isEnabled()
        assert "Servicio de Migo" in page.model.row_at(0).reason or page.model.row_at(0).reason

        _service_is_back(services)
        act(loop, page.retry_button.click)
        wait_until(loop, lambda: page.controller.running)
        wait_until(loop, lambda: not page.controller.running)
        page.model.flush()
        counts = page.model.counts()
        assert counts[LookupStatus.ERROR] == 0
        assert counts[LookupStatus.OK] + counts[LookupStatus.NOT_FOUND] == 5
        assert not page.retry_button.isEnabled()
    finally:
        _teardown(loop, page, services)


def test_auth_stop_offers_preferences(qtbot, loop):
    services = make_services()
    services.settings = services.settings.with_(token="wrong-token")
    page = show_bulk_page(qtbot, services)
    opened = []
    services.events.openPreferences.connect(lambda: opened.append(True))
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 6)])))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        assert page.error_bar.isVisible()
        assert "token" in page.error_bar.label.text().lower()
        button = page.error_bar.button("Abrir Preferencias")
        assert button is not None and page.error_bar.button("Reanudar") is not None
        act(loop, button.click)
        assert opened == [True]
        assert services.store.get_job(page.controller.job_id).state is JobState.STOPPED
    finally:
        _teardown(loop, page, services)


def test_service_down_pauses_with_a_resume_button(qtbot, loop):
    services = make_services(concurrency=2, faults=FaultPlan(p_server_error=1.0))
    services.settings = services.settings.with_(max_retries=0, retry_budget=1000)
    page = show_bulk_page(qtbot, services)
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 61)])))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        job = services.store.get_job(page.controller.job_id)
        assert job.state is JobState.PAUSED and job.pending > 0
        assert page.error_bar.isVisible() and "reanuda" in page.error_bar.label.text().lower()
        assert page.error_bar.button("Abrir Preferencias") is None
        resume = page.error_bar.button("Reanudar")
        assert resume is not None

        _service_is_back(services)
        act(loop, resume.click)
        wait_until(loop, lambda: page.controller.running)
        wait_until(loop, lambda: not page.controller.running)
        assert services.store.get_job(page.controller.job_id).pending == 0
        page.model.flush()
        assert page.model.counts()[LookupStatus.PENDING] == 0
    finally:
        _teardown(loop, page, services)


def test_main_window_builds_masiva_at_startup_when_a_run_is_unfinished(qtbot, loop):
    from migo_desktop.ui.shell.app import Shell

    services = make_services()
    services.store.create_job(plan_from_values([make_ruc(i) for i in range(1, 4)], source="a_medias.xlsx"),
                              services.settings)  # fmt: skip
    shell = Shell(services)
    qtbot.addWidget(shell.window)
    messages = []
    services.events.statusMessage.connect(messages.append)
    page = None
    try:
        # nobody asked for the page: only a page built at start-up can have spoken
        wait_until(loop, lambda: any("sin terminar" in m for m in messages))
        page = shell.window.page("masiva")
        assert isinstance(page, BulkPage)
        assert page.resume_bar.label.text().startswith(
            "Hay una consulta masiva sin terminar: «a_medias.xlsx»"
        )
    finally:
        if page is not None:
            drive(loop, page.controller.aclose())
        drive(loop, shell.aclose())
        services.store.close()


def test_quit_pauses_and_saves_a_running_job(qtbot, loop):
    """Shell.aclose (the quit path) waits for Masiva: the job is saved as paused, in-flight rows pending."""
    from migo_desktop.ui.base.running_jobs import running_jobs
    from migo_desktop.ui.shell.app import Shell

    services = make_services(latency=0.05, concurrency=4)
    shell = Shell(services)
    qtbot.addWidget(shell.window)
    page = shell.window.show_page("masiva")
    reports = []
    page.controller.progressChanged.connect(reports.append)
    try:
        act(loop, lambda: page.controller.start_plan(plan_from_values([make_ruc(i) for i in range(1, 201)])))
        wait_until(loop, lambda: bool(reports) and reports[-1].done >= 8 and reports[-1].in_flight > 0)
        job_id = page.controller.job_id
        run_task = page.controller.tasks.current("run")
        assert services.store.get_job(job_id).state is JobState.RUNNING

        drive(loop, shell.aclose())

        assert run_task.done() and not page.controller.running and job_id not in running_jobs()
        job = services.store.get_job(job_id)
        assert job.state is JobState.PAUSED  # interrupted, not cancelled: the next start offers to resume
        assert 0 < job.pending < 200
        assert sum(job.counts.values()) == 200  # every row in exactly one state; none stuck "in flight"
        assert len(services.store.pending_rows(job_id)) == job.pending
    finally:
        drive(loop, shell.aclose())
        services.store.close()


def test_duplicate_reason_reads_the_same_fresh_and_reopened(qtbot, loop):
    """'Repite la fila N (RESULTADO)' during the run, after it, and when the job is reopened (store text)."""
    from migo_desktop.demo import data

    services = make_services()
    page = show_bulk_page(qtbot, services)
    rucs = [make_ruc(i) for i in range(1, 400)]
    found = next(r for r in rucs if not data.taxpayer_not_found(r))
    missing = next(r for r in rucs if data.taxpayer_not_found(r))  # the demo API answers "not found"
    try:
        plan = plan_from_values([found, missing, found, missing, found], source="dups.xlsx")
        fresh_before = {}

        def loaded(view):
            fresh_before.update({r.idx: r.reason for r in view.rows if r.duplicate_of is not None})

        page.controller.jobLoaded.connect(loaded)
        act(loop, lambda: page.controller.start_plan(plan))
        wait_until(loop, lambda: page.controller.job_id is not None and not page.controller.running)
        page.model.flush()
        assert fresh_before == {2: "Repite la fila 2 (PENDIENTE)", 3: "Repite la fila 3 (PENDIENTE)",
                                4: "Repite la fila 2 (PENDIENTE)"}  # fmt: skip
        fresh = {r.idx: r.reason for r in page.model.rows() if r.status is LookupStatus.DUPLICATE}
        assert fresh == {2: "Repite la fila 2 (OK)", 3: "Repite la fila 3 (NO ENCONTRADO)",
                         4: "Repite la fila 2 (OK)"}  # fmt: skip

        job_id = page.controller.job_id
        fresh_before.clear()
        act(loop, lambda: page.controller.open_job(job_id))
        wait_until(loop, lambda: bool(fresh_before) and page.controller.tasks.current("run") is None)
        reopened = {r.idx: r.reason for r in page.model.rows() if r.status is LookupStatus.DUPLICATE}
        assert reopened == fresh == fresh_before
    finally:
        _teardown(loop, page, services)


def test_duplicates_follow_a_first_occurrence_that_fails():
    from migo_desktop.ui.bulk.results_model import ResultRow, ResultsModel, duplicate_reason

    model = ResultsModel()
    first = ResultRow(idx=0, number="20131312955")
    dup = ResultRow(idx=1, number="20131312955", status=LookupStatus.DUPLICATE, duplicate_of=0,
                    reason=duplicate_reason(2, LookupStatus.PENDING))  # fmt: skip
    model.set_rows([first, dup])
    model.queue_updates([(0, LookupStatus.ERROR, None, "Servicio de Migo no disponible")])  # no dup update
    model.flush()
    assert model.row_by_idx(1).reason == "Repite la fila 2 (ERROR)"
    model.queue_updates([(0, LookupStatus.PENDING, None, "")])  # "Reintentar fallidos"
    model.flush()
    assert model.row_by_idx(1).reason == "Repite la fila 2 (PENDIENTE)"
