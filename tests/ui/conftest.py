"""Fixtures for the desktop shell tests: a qasync loop per test, Services on a temp Store and the demo API.

Per DESIGN.md §5: coroutines are driven on the test's loop; no modal ``exec()`` anywhere. The ``loop``
fixture is a ``SafeEventLoop``: its ``run_until_complete`` (and ``loop.drive``) stops without qasync 0.28's
extra event pass with no running loop, where an engine worker would fail with "no running event loop".
"""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from migo_desktop.core.client import MigoClient
from migo_desktop.core.settings import DEMO_TOKEN
from migo_desktop.core.store import Store
from migo_desktop.demo import DemoApi
from migo_desktop.paths import app_paths
from migo_desktop.ui.base.settings_store import Preferences
from migo_desktop.ui.shell.app import Shell, build_services

from .helpers import close_loop, drive, new_loop

GOOD_TOKEN = "tok-good-0123456789"  # accepted by the test DemoApi besides DEMO_TOKEN


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.data.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def loop(qapp):
    ev_loop = new_loop(qapp)
    yield ev_loop
    close_loop(ev_loop)


@pytest.fixture
def demo_api():
    return DemoApi(tokens=frozenset({DEMO_TOKEN, GOOD_TOKEN}))


@pytest.fixture
def paths():
    return app_paths().ensure()


@pytest.fixture
def services(paths, demo_api, loop):
    prefs = Preferences(paths.settings_file)
    store = Store(paths.database)
    svc = build_services(paths, prefs, environ={}, store=store, demo_api=demo_api)
    # Real or demo settings alike go to the in-process demo API: no network in tests.
    svc.client_factory = lambda settings: MigoClient(settings, transport=demo_api.transport())
    yield svc
    store.close()


@pytest.fixture
def shell(services, loop, qtbot):
    sh = Shell(services)
    qtbot.addWidget(sh.window)
    yield sh
    if sh.dialog is not None:
        sh.dialog.reject()
    loop.run_until_complete(sh.aclose())


def run(loop, task):
    """Drive a controller task (or coroutine) to completion on the test's qasync loop."""
    assert task is not None, "no task was started"
    return drive(loop, task)
