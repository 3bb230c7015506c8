"""Issue 9: a job already running in another process (the CLI, another window) is not run twice: the bulk
page shows who holds it, in Spanish, and nothing is paid."""

from __future__ import annotations

import os

from migo_desktop.core.jobs import plan_from_values
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.store import Store
from tests.ui.helpers import act, drive, make_ruc, make_services, wait_until


def test_a_job_held_elsewhere_shows_the_holder_and_pays_nothing(qtbot, loop):
    from migo_desktop.ui.bulk.page import BulkPage

    services = make_services()
    page = BulkPage(services)
    qtbot.addWidget(page)
    page.show()
    errors: list[str] = []
    page.controller.errorOccurred.connect(lambda message, _prefs: errors.append(message))
    other = Store(services.paths.database)  # its own lock file description: as good as another process
    try:
        plan = plan_from_values([make_ruc(i) for i in range(1, 21)], source="lista.xlsx")
        job_id = services.store.create_job(plan, services.settings)
        other.lock_job(job_id)
        act(loop, lambda: page.controller.open_job(job_id, resume=True))
        wait_until(loop, lambda: bool(errors))
        wait_until(loop, lambda: not page.controller.running)
        assert (
            f"La consulta masiva n.º {job_id} ya está en curso" in errors[0]
            and f"(proceso {os.getpid()}" in errors[0]
        )
        assert services.demo_api.stats.snapshot().requests == 0
        assert services.store.count_states(job_id)[LookupStatus.PENDING] == 20
    finally:
        other.close()
        drive(loop, page.controller.aclose())
        services.store.close()
