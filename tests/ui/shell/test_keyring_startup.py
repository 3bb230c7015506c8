"""Start-up does not wait for a slow keyring: the app shows as without a saved token and switches when the
keyring answers; the Tipo de cambio page and the Excel layer load on first use."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future

from migo_desktop.ui.shell.app import token_arrived


def test_a_late_keyring_token_leaves_demo_mode(shell, services, loop):
    assert services.demo
    switched: list[bool] = []
    services.events.demoChanged.connect(switched.append)
    pending: Future[str | None] = Future()
    pending.set_result("tok-late-keyring-1234")
    loop.run_until_complete(token_arrived(services, pending))
    assert not services.demo and services.settings.token == "tok-late-keyring-1234" and switched == [False]
    assert not shell.window.banner.isVisibleTo(shell.window)


def test_a_late_keyring_does_not_override_a_forced_demo_or_no_token(services, loop):
    services.demo_forced = True
    pending: Future[str | None] = Future()
    pending.set_result("tok-late-keyring-1234")
    loop.run_until_complete(token_arrived(services, pending))
    assert services.demo
    services.demo_forced = False
    empty: Future[str | None] = Future()
    empty.set_result(None)
    loop.run_until_complete(token_arrived(services, empty))
    assert services.demo


def test_the_exchange_page_and_the_excel_layer_are_not_loaded_at_start_up():
    code = (
        "import sys; import migo_desktop.ui.shell.app as a; "
        "print([m for m in ('migo_desktop.excel', 'migo_desktop.ui.exchange.page', 'openpyxl', "
        "'migo_desktop.demo.data') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]"
