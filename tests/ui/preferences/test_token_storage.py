"""No keyring (Linux without Secret Service, locked-down Windows): Preferencias says so in plain Spanish,
offers a session-only token, never mentions a command-line option, and never writes the token to a file."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from migo_desktop import credentials
from tests.ui.conftest import GOOD_TOKEN

CLI_HINTS = ("--token", "opción", "línea de comandos", "terminal")


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _texts(dialog) -> str:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
    buttons = [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisibleTo(dialog)]
    return "\n".join(labels + buttons + [w.toolTip() for w in dialog.findChildren(QAbstractButton)])


def _files_under(root) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in root.rglob("*") if p.is_file())


def test_keyring_available_tells_real_backends_from_fail_and_null(no_keyring, memory_keyring):
    assert credentials.keyring_available() is True  # memory_keyring is set last: a real store
    keyring.set_keyring(fail.Keyring())
    assert credentials.keyring_available() is False
    from keyring.backends import null

    keyring.set_keyring(null.Keyring())
    assert credentials.keyring_available() is False


def test_dialog_explains_and_offers_a_session_only_token(shell, no_keyring):
    dialog = shell.open_preferences()
    assert dialog.storage.explanation.isVisibleTo(dialog)
    text = _texts(dialog)
    assert "no tiene un almacén seguro de contraseñas" in text
    assert "Usar solo mientras la aplicación esté abierta" in text
    assert not any(hint in text for hint in CLI_HINTS), text
    assert "se guarda en el almacén seguro" not in dialog.token_note.text()  # no promise it cannot keep


def test_keyring_present_hides_the_notice(shell, memory_keyring):
    dialog = shell.open_preferences()
    assert not dialog.storage.explanation.isVisibleTo(dialog)


def test_session_only_token_is_used_and_never_written(shell, services, no_keyring, paths):
    dialog = shell.open_preferences()
    dialog.token.setText(GOOD_TOKEN)
    dialog.storage.session_only.setChecked(True)
    dialog.accept()
    assert not dialog.isVisible() or dialog.result() == dialog.DialogCode.Accepted
    assert not services.demo and services.settings.token == GOOD_TOKEN
    assert services.token_in_session
    assert GOOD_TOKEN not in _files_under(paths.data_dir.parent)  # ini, database, logs: nowhere
    reopened = shell.open_preferences()
    assert reopened.storage.session_only.isChecked()
    assert "solo hasta que cierres la aplicación" in reopened.token_note.text()


def test_saving_without_the_choice_says_what_to_do_in_spanish(shell, services, no_keyring, paths):
    dialog = shell.open_preferences()
    dialog.token.setText(GOOD_TOKEN)
    dialog.accept()  # the fail backend refuses the token
    message = dialog.test_result.text()
    assert "almacén seguro" in message and "Usar solo mientras la aplicación esté abierta" in message
    assert not any(hint in message for hint in CLI_HINTS), message
    assert services.demo  # nothing changed
    assert GOOD_TOKEN not in _files_under(paths.data_dir.parent)


def test_keyring_that_refuses_at_save_time_offers_the_session_choice(
    shell, services, memory_keyring, monkeypatch
):
    """Windows with a locked-down profile: a backend is there, but storing fails."""

    def refuse(*_args):
        raise keyring.errors.PasswordSetError("access denied")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    dialog = shell.open_preferences()
    assert not dialog.storage.explanation.isVisibleTo(dialog)
    dialog.token.setText(GOOD_TOKEN)
    dialog.accept()
    assert dialog.storage.explanation.isVisibleTo(dialog)
    dialog.storage.session_only.setChecked(True)
    dialog.accept()
    assert services.settings.token == GOOD_TOKEN and services.token_in_session
