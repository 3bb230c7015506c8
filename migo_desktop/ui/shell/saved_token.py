"""The saved token, read from the OS keyring once the window is on screen.

    shell.window.set_demo(services.demo, known=False)   # before show(): the banner waits for the answer
    shell.keyring_task = asyncio.ensure_future(read_saved_token(services, shell.window))  # after show()

Loading ``keyring`` and letting it find its backend costs ~100 ms of CPU (entry points, a library search,
D-Bus), and a locked keyring can take seconds: the window never waits for it. Until it answers the app runs
as without a saved token (demo settings) but the window stays neutral, so a person with a saved token never
sees «modo demostración» flash by: the demo banner shows once the keyring says there is no token, or after
``KEYRING_GRACE_MS`` if it is still busy (a token arriving later still switches the app, as before).
``MIGO_TOKEN`` or ``MIGO_DEMO=1`` decide the mode without the keyring (``keyring_needed``).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, QTimer

from ...core.settings import ApiSettings, demo_settings
from ...logs import register_secret
from ..base.services import Services
from ..base.settings_store import Preferences
from ..preferences.controller import credentials_api

__all__ = ["KEYRING_GRACE_MS", "keyring_needed", "read_saved_token", "settings_for", "token_arrived"]

log = logging.getLogger(__name__)
KEYRING_GRACE_MS = 1000  # a keyring still busy after this: show the demo banner meanwhile


class ShowsMode(Protocol):
    def set_demo(self, demo: bool, *, known: bool = True) -> None: ...


def settings_for(
    token: str, prefs: Preferences, environ: dict[str, str] | None, *, forced: bool
) -> ApiSettings:
    """Demo settings without a token (or with MIGO_DEMO=1); else the real API with the user's preferences."""
    if forced or not token:
        return prefs.apply_to(demo_settings())
    register_secret(token)
    return prefs.apply_to(ApiSettings.from_env(environ, token=token).with_(demo=False))


def keyring_needed(services: Services) -> bool:
    """Whether the keyring can still change the mode (not when MIGO_TOKEN or MIGO_DEMO=1 decided it)."""
    return not (services.token_from_env or services.demo_forced)


async def token_arrived(services: Services, pending: Future[str | None]) -> None:
    """The keyring answered after the window was shown: leave demo mode if it holds a token and nothing else
    decided the mode meanwhile (MIGO_TOKEN, MIGO_DEMO=1, a token set by hand in Preferencias)."""
    try:
        token = await asyncio.wrap_future(pending)
    except Exception:  # noqa: BLE001 - no keyring is the same as no saved token
        log.warning("credential: keyring read failed", exc_info=True)
        return
    if not token or services.token_from_env or services.demo_forced or not services.demo:
        return
    log.info("credential: the saved credential arrived after the window was shown")
    services.apply_settings(settings_for(token, services.prefs, None, forced=False))
    services.events.tokenChanged.emit()


async def read_saved_token(
    services: Services, window: ShowsMode, *, grace_ms: int = KEYRING_GRACE_MS
) -> None:
    """Read the keyring in a thread of its own (a hung keyring must not hold a shared pool), apply its token,
    then let the window show the mode it ends in (after ``grace_ms`` at the latest)."""
    reader = ThreadPoolExecutor(1, thread_name_prefix="keyring")
    pending = reader.submit(lambda: credentials_api().get_token())
    reader.shutdown(wait=False)

    def reveal() -> None:
        if not isinstance(window, QObject) or shiboken6.isValid(window):
            window.set_demo(services.demo)

    if isinstance(window, QObject):
        QTimer.singleShot(grace_ms, window, reveal)
    try:
        await token_arrived(services, pending)
    finally:
        reveal()
