"""Main window, start-up wiring and the excepthook."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from migo_desktop.core.errors import QuotaExceeded
from migo_desktop.logs import register_secret, setup_logging
from migo_desktop.ui.base.settings_store import Preferences
from migo_desktop.ui.shell.app import build_services
from migo_desktop.ui.shell.error_dialog import install_excepthook
from migo_desktop.ui.shell.main_window import MainWindow
from tests.ui.conftest import GOOD_TOKEN


def test_menus_and_shortcuts(shell):
    w = shell.window
    assert w.act_import.shortcut() == QKeySequence("Ctrl+O")
    assert w.act_export.shortcut() == QKeySequence("Ctrl+E")
    assert w.act_find.shortcut() == QKeySequence("Ctrl+F")
    menus = [a.text() for a in w.menuBar().actions()]
    assert menus == ["&Archivo", "&Ir a", "A&yuda"]
    assert w.keys == ["consulta", "masiva", "tipo_cambio", "historial", "padron"]
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == [
        "Consulta",
        "Masiva",
        "Tipo de cambio",
        "Historial",
        "Padrón SUNAT",
    ]
    assert w.nav.accessibleName() and shell.lookup_page.field.accessibleName()


def test_ctrl_f_focuses_the_search_field(shell, qtbot):
    w = shell.window
    w.show()
    qtbot.waitExposed(w)
    w.show_page("consulta")
    w.nav.setFocus()
    assert w.focusWidget() is w.nav
    w.act_find.trigger()
    assert w.focusWidget() is shell.lookup_page.field


def test_banner_in_demo_and_hidden_with_a_token(shell, services):
    w = shell.window
    assert services.demo and w.banner.isVisibleTo(w)
    assert "simulados" in w.banner.label.text()
    opened = []
    w.preferencesRequested.connect(lambda: opened.append(1))
    w.banner.button.click()
    assert opened == [1] and shell.dialog is not None
    services.apply_settings(services.settings.with_(token=GOOD_TOKEN, demo=False))
    assert not w.banner.isVisibleTo(w)


def test_geometry_and_page_are_remembered(shell, services, paths, qtbot):
    w = shell.window
    w.show()
    qtbot.waitExposed(w)
    w.resize(700, 500)  # the offscreen screen is 800x600: stay inside it
    w.show_page("tipo_cambio")
    saved = w.geometry()
    w.close()
    prefs = Preferences(paths.settings_file)
    assert prefs.window_geometry() is not None
    assert prefs.current_page() == "tipo_cambio"
    again = MainWindow(services)
    qtbot.addWidget(again)
    again.add_page("consulta", "Consulta", "consulta", QLabel("a"))
    again.add_page("tipo_cambio", "Tipo de cambio", "tipo_cambio", QLabel("b"))
    again.restore_state()
    again.show()
    qtbot.waitExposed(again)
    assert again.current_key() == "tipo_cambio"
    assert again.geometry().size() == saved.size(), (again.geometry(), saved)


class FakeBulk(QWidget):
    def __init__(self):
        super().__init__()
        self.opened: list[Path] = []

    def open_file(self, path):
        self.opened.append(Path(path))


def test_lazy_pages_and_dropped_files_go_to_bulk(services, qtbot, tmp_path):
    w = MainWindow(services)
    qtbot.addWidget(w)
    built = []
    bulk = FakeBulk()
    w.add_page("consulta", "Consulta", "consulta", QLabel("c"))
    w.add_page("masiva", "Masiva", "masiva", lambda: built.append(1) or bulk)
    assert built == []
    sheet = tmp_path / "lista.xlsx"
    sheet.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sheet))])
    event = QDropEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    w.dropEvent(event)
    assert built == [1] and bulk.opened == [sheet]
    assert w.current_key() == "masiva"
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "foto.png"))])
    assert (
        w._dropped_file(
            QDropEvent(
                QPoint(1, 1),
                Qt.DropAction.CopyAction,
                other,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
        )
        is None
    )


def test_missing_page_becomes_placeholder(shell):
    page = shell.window.show_page("historial")
    assert page is not None  # the real HistoryPage, or the Spanish placeholder if it is not there yet


def test_excepthook_logs_redacted_and_shows_spanish_box(paths, qapp, monkeypatch):
    log_file = setup_logging(paths.log_dir)
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: shown.append(self))
    register_secret(GOOD_TOKEN)
    hook = install_excepthook(log_file)
    try:
        assert sys.excepthook is hook
        try:
            raise ValueError(f"boom with {GOOD_TOKEN}")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        assert len(shown) == 1
        text = shown[0].text()
        assert "Ocurrió un error inesperado" in text and str(log_file) in text
        assert "Traceback" not in text and GOOD_TOKEN not in text
        for handler in logging.getLogger().handlers:
            handler.flush()
        logged = log_file.read_text(encoding="utf-8")
        assert "ValueError: boom with ***" in logged and GOOD_TOKEN not in logged
        err = QuotaExceeded()
        sys.excepthook(QuotaExceeded, err, None)
        assert shown[1].text() == err.user_message
    finally:
        hook.uninstall()
        for b in hook.boxes:
            b.deleteLater()
    assert sys.excepthook is not hook


def test_token_precedence_and_demo_flags(paths, memory_keyring):
    prefs = Preferences(paths.settings_file)
    cases = [
        ({}, None, True),
        ({"MIGO_TOKEN": GOOD_TOKEN}, None, False),
        ({"MIGO_TOKEN": GOOD_TOKEN, "MIGO_DEMO": "1"}, None, True),
        ({}, "from-keyring-1234", False),
    ]
    for env, saved, demo in cases:
        memory_keyring.data.clear()
        if saved:
            memory_keyring.set_password("migo-desktop", "api-token", saved)
        svc = build_services(paths, prefs, environ=env, store=object())
        assert svc.demo is demo, (env, saved)
        if not demo:
            assert svc.settings.token == (env.get("MIGO_TOKEN") or saved)
            assert svc.token_from_env is bool(env.get("MIGO_TOKEN"))


def test_app_starts_and_writes_screenshots(tmp_path):
    """The real start-up path (qasync Runner, lazy pages, Preferencias) in a subprocess."""
    out = tmp_path / "img"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MIGO_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.screenshots", str(out)],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=180,  # ~25 s alone; several engineers' suites share 2 cores
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in (
        "consulta",
        "oscuro",
        "ventana_1366",
        "tipo_cambio",
        "preferencias",
        "importar",
        "masiva",
        "masiva_filtro",
        "historial",
        "padron",
        "padron_consulta",
    ):
        assert (out / f"{name}.png").stat().st_size > 5000, name
    assert (out / "masiva_vacia.png").is_file() and (out / "banner.png").is_file()  # the whole guide
    log = (tmp_path / "data" / "logs" / "migo-desktop.log").read_text(encoding="utf-8")
    assert "Unhandled" not in log


def test_ctrl_o_picks_a_file_for_the_bulk_page(services, qtbot, tmp_path, monkeypatch):
    import migo_desktop.ui.shell.main_window as mw

    sheet = tmp_path / "ruc.csv"
    sheet.write_text("ruc\n20131312955\n", encoding="utf-8")
    monkeypatch.setattr(mw, "ask_open_file", lambda *a, **k: sheet)
    w = MainWindow(services)
    qtbot.addWidget(w)
    bulk = FakeBulk()
    w.add_page("consulta", "Consulta", "consulta", QLabel("c"))
    w.add_page("masiva", "Masiva", "masiva", bulk)
    w.act_import.trigger()
    assert bulk.opened == [sheet] and w.current_key() == "masiva"
    assert Preferences(services.paths.settings_file).last_folder("import") == str(tmp_path)


def test_ctrl_e_exports_the_current_page(shell, loop, tmp_path, monkeypatch):
    import migo_desktop.ui.exchange.page as ep

    target = tmp_path / "tc.xlsx"
    monkeypatch.setattr(ep, "ask_save_file", lambda *a, **k: target)
    page = shell.window.show_page("tipo_cambio")
    page.mode_latest.setChecked(True)
    loop.run_until_complete(page.fetch())
    shell.window.act_export.trigger()
    task = shell.exchange.tasks.current("export")
    assert task is not None
    assert loop.run_until_complete(task) == target and target.stat().st_size > 0


def test_qt_standard_strings_are_spanish(qapp):
    from PySide6.QtCore import QCoreApplication

    from migo_desktop.ui.shell.i18n import install_translators

    translators = install_translators(qapp, "es")
    try:
        assert translators, "qtbase_es.qm not found"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    finally:
        for t in translators:
            qapp.removeTranslator(t)


def test_history_reopen_goes_to_the_bulk_page(services, loop, qtbot, monkeypatch):
    from PySide6.QtCore import Signal

    import migo_desktop.ui.shell.app as app_mod

    class FakeHistory(QWidget):
        reopenRequested = Signal(int)
        resumeRequested = Signal(int)

    class FakeBulkJobs(FakeBulk):
        def __init__(self):
            super().__init__()
            self.jobs: list[int] = []

        def open_job(self, job_id, *, resume=False):
            self.jobs.append((job_id, resume))

    fakes = {"BulkPage": FakeBulkJobs(), "HistoryPage": FakeHistory()}
    monkeypatch.setattr(app_mod, "build_bulk_page", lambda _s: fakes["BulkPage"])
    monkeypatch.setattr(app_mod, "build_history_page", lambda _s: fakes["HistoryPage"])
    sh = app_mod.Shell(services)
    qtbot.addWidget(sh.window)
    try:
        sh.window.show_page("historial").reopenRequested.emit(7)
        assert sh.window.current_key() == "masiva" and fakes["BulkPage"].jobs == [(7, False)]
        sh.window.show_page("historial").resumeRequested.emit(8)
        assert sh.window.current_key() == "masiva" and fakes["BulkPage"].jobs[-1] == (8, True)
    finally:
        loop.run_until_complete(sh.aclose())


def test_shared_client_is_rebuilt_and_the_old_one_closed(shell, loop, services):
    first = shell.client.get()
    assert shell.client.get() is first
    loop.run_until_complete(first.exchange_latest())  # opens its HTTP client
    assert first._http is not None
    services.apply_settings(services.settings.with_(read_timeout=7.0))
    second = shell.client.get()
    assert second is not first and second.settings.read_timeout == 7.0
    loop.run_until_complete(shell.client.aclose())
    assert first._http is None and second._http is None


def test_broken_page_becomes_a_spanish_placeholder(services, caplog):
    from migo_desktop.ui.shell.main_window import guarded_page

    class Boom(QWidget):
        def __init__(self, _services):
            raise RuntimeError("constructor failed")

    page = guarded_page("Rota", lambda: Boom(services))
    assert isinstance(page, QLabel) and "no está disponible" in page.text()
    assert "Page Rota could not be built" in caplog.text
