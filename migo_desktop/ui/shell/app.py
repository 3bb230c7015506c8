"""Composition root: build Services, controllers, pages and the window; run Qt and asyncio on one loop.

    run(argv) -> exit code        # python -m migo_desktop (options: ui/shell/options.py)

Start-up order: logging → QApplication (+ Spanish Qt strings) → excepthook → Services → window shown →
the keyring is read (saved_token.py). Only the first page is built; the others, their dialogs, the HTTP
client, the demo API and the padrón's download/import load on first use (tests/ui/shell/
test_startup_imports.py lists what must stay off the start-up path; docs/benchmarks.md «Arranque»).
On Python 3.11 qasync needs ``asyncio.Runner(loop_factory=…)``; ``main()`` awaits an event set by
``aboutToQuit`` so the runner can cancel pending tasks and we close the client and the store (DESIGN.md §5).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from ... import APP_NAME, APP_SLUG, __version__
from ...core.errors import MigoError
from ...core.padron import PadronStore
from ...core.settings import ApiSettings
from ...logs import logging_problem, setup_logging
from ...paths import AppPaths, app_paths
from ..base.client import SharedClient
from ..base.pages import Closable, OpensJobs
from ..base.services import AppEvents, Services
from ..base.settings_store import Preferences
from ..base.theme import apply_theme, resolve_scheme
from ..lookup.controller import LookupController
from ..lookup.page import LookupPage
from ..padron.bulk_sources import PadronBulkSources
from ..padron.controller import PadronController
from ..padron.lookup_panel import PadronLookupPanel
from ..preferences.controller import PreferencesController, credentials_api
from .appearance import Appearance
from .error_dialog import install_excepthook
from .i18n import install_translators
from .identity import apply_identity, set_windows_app_id
from .interrupt import InterruptHandler
from .main_window import MainWindow, guarded_page
from .saved_token import keyring_needed, read_saved_token, settings_for
from .startup_errors import describe_startup_failure, show_folder_failure

if TYPE_CHECKING:
    from ..preferences.dialog import PreferencesDialog
    from .bulk_badge import BulkBadge

__all__ = ["Shell", "build_services", "make_client_factory", "run"]

log = logging.getLogger(__name__)


def _flag(env: dict[str, str] | os._Environ, name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes")


def make_client_factory(services_ref: Callable[[], Services]) -> Callable[[ApiSettings], Any]:
    """Real transport for real settings; the embedded DemoApi (built once, on demand) for demo settings."""

    def factory(settings: ApiSettings) -> Any:
        from ...core.client import MigoClient

        if not settings.demo:
            return MigoClient(settings)
        services = services_ref()
        if services.demo_api is None:
            from ...demo import DemoApi

            services.demo_api = DemoApi(latency=0.15, jitter=0.25)
        return MigoClient(settings, transport=services.demo_api.transport())

    return factory


def build_services(
    paths: AppPaths,
    prefs: Preferences,
    *,
    environ: dict[str, str] | None = None,
    store: Any = None,
    demo_api: Any = None,
    saved_token: Callable[[], str | None] | None = None,
) -> Services:
    """Token precedence: MIGO_TOKEN > keyring; MIGO_DEMO=1 forces demo; no token → demo.

    ``saved_token`` reads the keyring (default ``credentials.get_token``); ``run`` passes one that says
    «nothing yet» and reads the keyring once the window is shown (saved_token.read_saved_token).
    """
    env = os.environ if environ is None else environ
    env_token = (env.get("MIGO_TOKEN") or "").strip()
    token = env_token or ((saved_token or credentials_api().get_token)() or "")
    forced = _flag(env, "MIGO_DEMO")
    settings = settings_for(token, prefs, environ, forced=forced)
    if store is None:
        from ...core.store import open_store

        store = open_store(paths.database)  # damaged: set aside; unwritable: memory (store.notice says so)
    holder: list[Services] = []
    services = Services(
        settings=settings,
        store=store,
        client_factory=make_client_factory(lambda: holder[0]),
        paths=paths,
        prefs=prefs,
        events=AppEvents(),
        demo=settings.demo,
        demo_api=demo_api,
        token_from_env=bool(env_token),
        demo_forced=forced,
        padron=PadronStore.default(paths),
    )
    holder.append(services)
    return services


def build_bulk_page(services: Services) -> QWidget:
    """Masiva, built on first visit (it pulls in the Excel layer)."""
    from ..bulk.page import BulkPage

    return BulkPage(services)


def build_history_page(services: Services) -> QWidget:
    from ..history.page import HistoryPage

    return HistoryPage(services)


class Shell:
    """Owns the shared client, the controllers and the main window (the app's object graph)."""

    def __init__(self, services: Services, app: QApplication | None = None) -> None:
        """``app``: follow Preferencias' look and the OS colour scheme (the app passes it; tests may)."""
        self.services = services
        self.client = SharedClient(services)
        self.lookup = LookupController(services, self.client)
        self.exchange: Any = None  # ExchangeController, built with its page (start-up stays light)
        self.preferences = PreferencesController(services)
        if services.padron is None:  # Services built by hand (tests): the padrón under its data folder
            services.padron = PadronStore.default(services.paths)
        self.padron = PadronController(services, services.padron)
        services.bulk_sources = PadronBulkSources(self.padron)
        self.window = MainWindow(services)
        self.dialog: PreferencesDialog | None = None
        self.keyring_task: asyncio.Future[None] | None = None  # the keyring read (saved_token.py)
        self.bulk_badge: BulkBadge | None = None
        self.appearance = Appearance(app, services) if app is not None else None
        if self.appearance is not None:
            self.appearance.changed.connect(self.window.retheme)
            self.window.retheme()
        w = self.window
        self.lookup_page = LookupPage(services, self.lookup)
        self.lookup_page.openPreferences.connect(self.open_preferences)
        w.add_page("consulta", w.tr("Consulta"), "consulta", self.lookup_page)
        self._wire_padron_panel()
        w.add_page("masiva", w.tr("Masiva"), "masiva", self._bulk_page)
        w.add_page("tipo_cambio", w.tr("Tipo de cambio"), "tipo_cambio", self._exchange_page)
        w.add_page("historial", w.tr("Historial"), "historial", self._history_page)
        w.add_page("padron", w.tr("Padrón SUNAT"), "padron", self._padron_page)
        if any(job.pending for job in services.store.list_jobs(limit=20)):
            w.page("masiva")  # built now: it offers to resume unfinished bulk runs at start-up

        w.preferencesRequested.connect(self.open_preferences)
        # New settings retire the shared client: stop what still runs on the old one first.
        services.events.settingsChanged.connect(self._settings_changed)

    def _wire_padron_panel(self) -> None:
        """Consulta answers from the padrón at once; «Consultar en vivo en Migo» runs Consulta's lookup."""
        page = self.lookup_page
        panel = self.padron_panel = PadronLookupPanel(self.padron, page)
        page.add_panel(panel)
        page.field.textChanged.connect(panel.show_ruc)
        panel.answered.connect(page.show_result)

        def live(ruc: str) -> None:
            page.field.setText(ruc)
            page.search()

        panel.liveRequested.connect(live)

    def _settings_changed(self, _settings: object) -> None:
        self.lookup.cancel()
        if self.exchange is not None:
            self.exchange.tasks.cancel("fetch")

    def _bulk_page(self) -> QWidget:
        page = guarded_page("Masiva", lambda: build_bulk_page(self.services))
        controller = getattr(page, "controller", None)
        if controller is not None and hasattr(controller, "progressChanged"):
            from .bulk_badge import BulkBadge

            self.bulk_badge = BulkBadge(self.window, controller, self.services.events)
        return page

    def _exchange_page(self) -> QWidget:
        """Tipo de cambio, built on first visit (its chart and the CSV/Excel export are not needed before)."""
        from ..exchange.controller import ExchangeController
        from ..exchange.page import ExchangePage

        if self.exchange is None:
            self.exchange = ExchangeController(self.client)
        return ExchangePage(self.services, self.exchange)

    def _padron_page(self) -> QWidget:
        """Padrón SUNAT, built on first visit (Consulta's padrón panel is built at start-up)."""
        from ..padron.page import PadronPage

        return PadronPage(self.services, self.padron)

    def _history_page(self) -> QWidget:
        page = guarded_page("Historial", lambda: build_history_page(self.services))
        reopen = getattr(page, "reopenRequested", None)
        if reopen is not None:
            reopen.connect(self.reopen_job)
        resume = getattr(page, "resumeRequested", None)
        if resume is not None:
            resume.connect(lambda job_id: self.reopen_job(job_id, resume=True))
        return page

    def reopen_job(self, job_id: int, *, resume: bool = False) -> None:
        """Historial → Masiva: show a past run's results there (and with ``resume`` run what is left)."""
        bulk = self.window.show_page("masiva")
        if isinstance(bulk, OpensJobs):
            bulk.open_job(int(job_id), resume=resume)

    def open_preferences(self) -> PreferencesDialog:
        """Window-modal but non-blocking (``open()``): no nested event loop."""
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        from ..preferences.dialog import PreferencesDialog  # loads when first opened (start-up)

        self.dialog = dialog = PreferencesDialog(self.services, self.preferences, self.window)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: PreferencesDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    async def aclose(self) -> None:
        """Quit: stop every page's work and wait for it, so a bulk run is saved as paused before the store
        closes (the runner's own cancellation of leftover tasks would come after that)."""
        for controller in (self.lookup, self.exchange, self.preferences, self.padron, self.padron_panel):
            if controller is not None:
                controller.tasks.cancel_all()
        for key in ("masiva", "historial"):
            page = self.window.built_page(key)
            owner = getattr(page, "controller", page)  # Masiva: its controller; Historial: the page
            if not isinstance(owner, Closable):
                continue
            try:
                await owner.aclose()
            except Exception:  # noqa: BLE001 - one page failing to close must not keep the others open
                log.exception("Closing the %s page failed", key)
        await self.client.aclose()


AfterShow = Callable[[Shell], Awaitable[int | None]]


def run(argv: list[str], *, after_show: AfterShow | None = None, smoke_test: bool = False) -> int:
    """Start the app and block until it quits. ``after_show(shell)`` is awaited once the window is on screen
    (the screenshot tool in tests/support uses it); an int it returns becomes the exit code.
    ``smoke_test``: build every page, close, exit 0 only if all were built (packaging/smoke.py)."""
    from ..base.event_loop import AppEventLoop

    started = time.perf_counter()
    if smoke_test:
        from .smoke import smoke_test as after_show
    set_windows_app_id()  # before any window exists, or the taskbar groups us with python.exe
    QCoreApplication.setOrganizationName(APP_SLUG)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    paths = app_paths()
    try:
        paths.ensure()
        log_file = setup_logging(paths.log_dir)
    except OSError as exc:
        return show_folder_failure(
            cast(QApplication, QApplication.instance() or QApplication(argv)), paths, exc
        )
    log.info("Starting %s %s", APP_NAME, __version__)
    app = cast(QApplication, QApplication.instance() or QApplication(argv))
    apply_identity(app)
    translators = install_translators(app)
    apply_theme(app, resolve_scheme("sistema", app))  # Preferencias' choice follows once it is read
    shell_ref: list[Shell] = []
    hook = install_excepthook(log_file, lambda: shell_ref[0].window if shell_ref else None)

    async def main() -> int:
        quitting = asyncio.Event()
        # Closing the window must end main() *before* Qt's loop stops, or the runner cannot finish it.
        app.setQuitOnLastWindowClosed(False)
        app.lastWindowClosed.connect(quitting.set)
        app.aboutToQuit.connect(quitting.set)

        def close_all() -> None:  # Ctrl+C: as if the person closed the window
            app.closeAllWindows()
            quitting.set()

        interrupt = InterruptHandler(close_all)
        try:
            return await _main(quitting)
        finally:
            interrupt.uninstall()

    async def _main(quitting: asyncio.Event) -> int:
        # The window does not wait for the keyring: the app starts as without a saved token and switches
        # when the keyring answers (saved_token.py); the demo banner waits for that answer.
        try:
            prefs = Preferences(paths.settings_file)
            services = build_services(paths, prefs, saved_token=lambda: None)
            shell = Shell(services, app)
        except Exception as exc:  # noqa: BLE001 - e.g. an unreadable database: tell the person, then exit
            log.exception("Start-up failed")
            text = (
                exc.user_message
                if isinstance(exc, MigoError)
                else describe_startup_failure(exc, paths, log_file)
            )
            box = hook.show(MigoError(text))
            box.finished.connect(quitting.set)
            await quitting.wait()
            return 1
        shell_ref.append(shell)
        shell.window.restore_state()
        read_keyring = keyring_needed(services)
        if read_keyring:
            shell.window.set_demo(services.demo, known=False)
        shell.window.show()
        log.info(
            "Window shown %.0f ms after start (demo=%s)",
            (time.perf_counter() - started) * 1000,
            services.demo,
        )
        if read_keyring:
            shell.keyring_task = asyncio.ensure_future(read_saved_token(services, shell.window))
        for notice in (logging_problem(), getattr(services.store, "notice", None)):
            if notice:  # a read-only log/data folder or a database set aside: say so, the app goes on
                hook.show(MigoError(notice))
        code = None
        if after_show is not None:
            code = await after_show(shell)
        try:
            await quitting.wait()
        finally:
            await shell.aclose()
            services.store.close()
        return code or 0

    code = 0
    try:
        with asyncio.Runner(loop_factory=AppEventLoop) as runner:
            code = runner.run(main())
    except RuntimeError as exc:  # Qt quit from outside (session end): the loop stopped first
        log.warning("Event loop ended early: %s", exc)
    finally:
        hook.uninstall()
        del translators
    log.info("Bye")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv))
