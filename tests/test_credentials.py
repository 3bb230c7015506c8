"""The token lives in the OS keyring; backend failures mean "no token" (read) or a Spanish error (save)."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from migo_desktop import credentials
from migo_desktop.core.errors import ConfigError

TOKEN = "tok-keyring-3b5f"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.store:
            raise PasswordDeleteError("missing")
        del self.store[(service, username)]


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise KeyringError(f"locked ({TOKEN})")

    def set_password(self, service, username, password):
        raise KeyringError(f"cannot store {password}")

    def delete_password(self, service, username):
        raise KeyringError("nope")


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()

    def install(backend):
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def test_set_get_delete_round_trip(use_backend):
    backend = use_backend(MemoryKeyring())
    assert credentials.get_token() is None
    credentials.set_token(f"  {TOKEN}\n")
    assert backend.store == {("migo-desktop", "api-token"): TOKEN}
    assert credentials.get_token() == TOKEN
    credentials.delete_token()
    assert credentials.get_token() is None
    credentials.delete_token()  # deleting twice is fine


def test_empty_token_is_refused(use_backend):
    use_backend(MemoryKeyring())
    with pytest.raises(ConfigError) as info:
        credentials.set_token("   ")
    assert "vacío" in info.value.user_message


def test_broken_backend_is_no_token_and_spanish_error_without_leaking(use_backend, caplog):
    caplog.set_level(logging.DEBUG)
    use_backend(BrokenKeyring())
    assert credentials.get_token() is None
    with pytest.raises(ConfigError) as info:
        credentials.set_token(TOKEN)
    assert "almacén seguro" in info.value.user_message
    assert "--token" not in info.value.user_message  # GUI users read it too: no command-line flag
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert TOKEN not in str(info.value)
    credentials.delete_token()  # swallowed and logged
    assert "Keyring unavailable" in caplog.text and TOKEN not in caplog.text


def test_null_backend_from_conftest_means_no_token():
    assert credentials.get_token() is None


def test_log_file_names_the_keyring_failure_but_not_the_token(use_backend, tmp_path):
    """The redaction filter must not swallow the failure's type (it used to mask 'token: KeyringError')."""
    from migo_desktop.logs import setup_logging

    log_file = setup_logging(tmp_path / "logs")
    try:
        use_backend(BrokenKeyring())
        assert credentials.get_token() is None
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = log_file.read_text(encoding="utf-8")
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_migo", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert "KeyringError" in text and TOKEN not in text
