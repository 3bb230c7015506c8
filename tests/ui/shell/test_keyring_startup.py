"""Start-up does not wait for the keyring: the app shows as without a saved token, the demo banner waits for
the keyring's answer, and a saved token switches the app when it arrives; the Tipo de cambio page and the
Excel layer load on first use."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future

from migo_desktop.ui.shell.saved_token import token_arrived


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


def test_the_banner_waits_for_the_keyring_and_shows_when_it_holds_no_token(
    shell, services, loop, monkeypatch
):
    from migo_desktop import credentials
    from migo_desktop.ui.shell.saved_token import keyring_needed, read_saved_token

    w = shell.window
    assert keyring_needed(services)
    monkeypatch.setattr(credentials, "get_token", lambda: None)
    w.set_demo(services.demo, known=False)
    assert not w.banner.isVisibleTo(w) and "demostración" not in w.windowTitle()
    loop.run_until_complete(read_saved_token(services, w))
    assert services.demo and w.banner.isVisibleTo(w) and "demostración" in w.windowTitle()


def test_a_saved_token_read_after_the_window_never_shows_the_banner(shell, services, loop, monkeypatch):
    from migo_desktop import credentials
    from migo_desktop.ui.shell.saved_token import read_saved_token

    w = shell.window
    seen: list[bool] = []
    services.events.demoChanged.connect(lambda _demo: seen.append(w.banner.isVisibleTo(w)))
    monkeypatch.setattr(credentials, "get_token", lambda: "tok-saved-keyring-5678")
    w.set_demo(services.demo, known=False)
    loop.run_until_complete(read_saved_token(services, w))
    assert not services.demo and services.settings.token == "tok-saved-keyring-5678"
    assert seen == [False] and not w.banner.isVisibleTo(w)


def test_migo_token_or_a_forced_demo_need_no_keyring(services):
    from migo_desktop.ui.shell.saved_token import keyring_needed

    services.token_from_env = True
    assert not keyring_needed(services)
    services.token_from_env, services.demo_forced = False, True
    assert not keyring_needed(services)


def test_a_keyring_still_busy_after_the_grace_shows_the_banner_and_a_late_token_still_switches(
    shell, services, loop, qtbot, monkeypatch
):
    import asyncio
    import threading

    from migo_desktop import credentials
    from migo_desktop.ui.shell.saved_token import read_saved_token

    w = shell.window
    release = threading.Event()

    def slow_keyring() -> str:
        release.wait(30)
        return "tok-slow-keyring-9012"

    monkeypatch.setattr(credentials, "get_token", slow_keyring)
    w.set_demo(services.demo, known=False)
    task = asyncio.ensure_future(read_saved_token(services, w, grace_ms=20), loop=loop)
    qtbot.waitUntil(lambda: w.banner.isVisibleTo(w), timeout=5000)  # the grace passed: demo says so
    assert services.demo and not task.done()
    release.set()
    loop.run_until_complete(task)
    assert not services.demo and not w.banner.isVisibleTo(w)
