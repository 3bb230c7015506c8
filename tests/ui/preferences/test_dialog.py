"""Preferencias: token to the keyring (never the ini), connection test, knobs persisted, cache cleared."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from migo_desktop.credentials import KEYRING_SERVICE, KEYRING_USER
from migo_desktop.ui.base.settings_store import Preferences
from tests.ui.conftest import GOOD_TOKEN, run


def test_saving_a_token_leaves_demo_mode(shell, services, memory_keyring, paths):
    assert services.demo and shell.window.banner.isVisibleTo(shell.window)
    changed, tokens = [], []
    services.events.settingsChanged.connect(changed.append)
    services.events.tokenChanged.connect(lambda: tokens.append(1))
    dialog = shell.open_preferences()
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password
    dialog.show_token.setChecked(True)
    assert dialog.token.echoMode() == dialog.token.EchoMode.Normal
    dialog.token.setText(GOOD_TOKEN)
    dialog.buttons.accepted.emit()
    assert memory_keyring.data[(KEYRING_SERVICE, KEYRING_USER)] == GOOD_TOKEN
    assert GOOD_TOKEN not in paths.settings_file.read_text(encoding="utf-8")
    assert not services.demo and services.settings.token == GOOD_TOKEN
    assert "demo" not in services.settings.base_url
    assert changed and changed[-1] is services.settings and tokens == [1]
    assert not shell.window.banner.isVisibleTo(shell.window)
    assert "demostración" not in shell.window.windowTitle()


def test_removing_the_token_returns_to_demo(shell, services, memory_keyring):
    dialog = shell.open_preferences()
    dialog.token.setText(GOOD_TOKEN)
    dialog.accept()
    dialog = shell.open_preferences()
    assert dialog.token.text() == GOOD_TOKEN
    dialog.token.setText("")
    dialog.accept()
    assert (KEYRING_SERVICE, KEYRING_USER) not in memory_keyring.data
    assert services.demo and shell.window.banner.isVisibleTo(shell.window)


def test_test_connection_good_and_bad(shell, loop, memory_keyring):
    dialog = shell.open_preferences()
    dialog.token.setText(GOOD_TOKEN)
    assert run(loop, dialog.test_connection()) is True
    assert "Conexión correcta" in dialog.test_result.text()
    dialog.token.setText("not-a-valid-token")
    assert run(loop, dialog.test_connection()) is False
    assert "token" in dialog.test_result.text().lower()
    assert "not-a-valid-token" not in dialog.test_result.text()
    assert memory_keyring.data == {}  # testing never saves


def test_knobs_are_persisted_and_applied(shell, services, paths, memory_keyring):
    dialog = shell.open_preferences()
    dialog.concurrency.setValue(7)
    dialog.rpm.setValue(120)
    dialog.read_timeout.setValue(33)
    dialog.ttl_found.setValue(48)
    dialog.version.setCurrentIndex(dialog.version.findData("v2"))
    dialog.accept()
    s = services.settings
    assert (s.concurrency, s.requests_per_minute, s.read_timeout, s.api_version) == (7, 120, 33.0, "v2")
    assert s.cache_ttl_found == 48 * 3600
    stored = Preferences(paths.settings_file).api_overrides()
    assert (
        stored["concurrency"] == 7 and stored["requests_per_minute"] == 120 and stored["api_version"] == "v2"
    )
    dialog = shell.open_preferences()
    dialog.rpm.setValue(0)
    dialog.accept()
    assert services.settings.requests_per_minute is None


def test_clear_cache_asks_and_empties(shell, loop, services):
    shell.window.show_page("consulta")
    run(loop, shell.lookup.search("20131312955"))
    assert services.store.cache_count() == 1
    assert shell.lookup_page.recent.count() == 1
    dialog = shell.open_preferences()
    assert "1" in dialog.cache_label.text()
    box = dialog.ask_clear_cache()
    box.button(QMessageBox.StandardButton.No).click()
    assert services.store.cache_count() == 1
    box = dialog.ask_clear_cache()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert services.store.cache_count() == 0
    assert not dialog.clear_button.isEnabled()
    assert shell.lookup_page.recent.count() == 0


def test_data_folder_is_shown(shell, paths):
    dialog = shell.open_preferences()
    assert dialog.folder.text() == str(paths.data_dir)
    assert dialog.folder.isReadOnly()


def test_hand_edited_ini_falls_back_to_defaults(paths, services):
    paths.settings_file.write_text(
        "[api]\nconcurrency=lots\nread_timeout=15\napi_version=v9\n", encoding="utf-8"
    )
    prefs = Preferences(paths.settings_file)
    assert prefs.api_overrides() == {"read_timeout": 15.0, "api_version": "v9"}
    # v9 is not a valid version: the whole override set is ignored rather than crashing start-up
    assert prefs.apply_to(services.settings) == services.settings
    assert prefs.last_folder("import") == str(__import__("pathlib").Path.home())


def test_keyring_failure_keeps_everything_as_it_was(shell, services, monkeypatch):
    import migo_desktop.credentials as creds
    from migo_desktop.core.errors import ConfigError

    def broken(_token):
        raise ConfigError("No se pudo guardar el token en el almacén seguro del sistema.")

    monkeypatch.setattr(creds, "set_token", broken)
    before = services.settings
    dialog = shell.open_preferences()
    dialog.token.setText(GOOD_TOKEN)
    dialog.concurrency.setValue(3)
    dialog.accept()
    assert dialog.isVisible()  # stays open with the message
    assert "almacén seguro" in dialog.test_result.text()
    assert services.settings is before and services.demo
