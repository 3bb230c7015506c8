"""The collaborators every page receives explicitly (no god object, no ``QApplication.instance()``).

``Services`` is built once by the composition root (``ui/app.py``) and passed to each page's constructor:
``BulkPage(services, parent=None)``, ``HistoryPage(services, parent=None)``, ``LookupPage(...)``.

- ``settings`` is the *current* ``ApiSettings`` (it changes when Preferencias are saved: read it when you
  start work, do not cache it; listen to ``events.settingsChanged`` to react).
- ``client_factory(settings)`` builds a ``MigoClient`` on the real or the demo transport. The owner of the
  client (a controller) closes it. Single lookups share one client (``SharedClient``); a bulk run should
  build its own for the run (its settings stay fixed while it runs) and close it at the end.
- ``events`` is the app-wide signal hub.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ...core.settings import ApiSettings
from ...paths import AppPaths

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .settings_store import Preferences

__all__ = ["AppEvents", "Services"]


class AppEvents(QObject):
    """Signals that cross pages. Emitters: the preferences controller, the lookup controller, pages."""

    settingsChanged = Signal(object)  # the new ApiSettings (already stored in Services.settings)
    tokenChanged = Signal()  # the token was saved or removed (demo mode may have changed)
    demoChanged = Signal(bool)  # True when the app is (now) in demo mode
    statusMessage = Signal(str)  # a short Spanish message for the status bar
    openPreferences = Signal()  # a page asks the main window to open Preferencias
    cacheCleared = Signal()  # the lookup cache was emptied
    lookupsChanged = Signal()  # a lookup was stored in the cache (recent lists may refresh)
    appearanceChanged = Signal(
        str
    )  # Preferencias chose 'sistema', 'claro' or 'oscuro' (the shell applies it)
    jobChanged = Signal(int)  # a bulk job's counts moved (the shell forwards Masiva's progress to Historial)


@dataclass(eq=False)
class Services:
    settings: ApiSettings
    store: Any  # migo_desktop.core.store.Store
    client_factory: Callable[[ApiSettings], Any]  # -> migo_desktop.core.client.MigoClient
    paths: AppPaths
    prefs: Preferences
    events: AppEvents
    demo: bool = False
    demo_api: Any = None  # the DemoApi behind demo mode (its .stats are handy in tests)
    token_from_env: bool = False  # MIGO_TOKEN is set: Preferencias cannot override it
    demo_forced: bool = False  # MIGO_DEMO=1
    padron: Any = None  # migo_desktop.core.padron.PadronStore (the offline SUNAT padrón; may hold nothing)
    # ui.padron.bulk_sources.PadronBulkSources (set by the shell): resolver(store, settings) -> engine's
    # pre_resolve or None; async savings_text(plan) -> the cost preview's line about the padrón
    bulk_sources: Any = None
    token_in_session: bool = False  # no keyring: the token is kept in memory until the app closes

    def apply_settings(self, settings: ApiSettings) -> None:
        """Make ``settings`` current and tell everyone (pages rebuild clients lazily)."""
        was_demo = self.demo
        self.settings = settings
        self.demo = settings.demo
        self.events.settingsChanged.emit(settings)
        if was_demo != self.demo:
            self.events.demoChanged.emit(self.demo)
