"""The API token in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service).

Never in QSettings, the registry or a plain file (DESIGN.md §5). A broken or missing keyring backend is
logged (without the token) and treated as "no token saved"; saving then fails with a Spanish message.
"""

from __future__ import annotations

import contextlib
import logging

from .core.errors import ConfigError

__all__ = ["KEYRING_SERVICE", "KEYRING_USER", "delete_token", "get_token", "keyring_available", "set_token"]

KEYRING_SERVICE = "migo-desktop"
KEYRING_USER = "api-token"

log = logging.getLogger(__name__)


def keyring_available() -> bool:
    """Whether a keyring backend that really stores secrets is there (Keychain, Credential Manager, Secret
    Service…). False for keyring's 'fail' backend (e.g. a Linux desktop without a Secret Service) and for
    the 'null' one, which silently stores nothing."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken backend is "no keyring"
        log.warning("Keyring unavailable (%s)", type(exc).__name__)
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    chained = getattr(backend, "backends", None)  # the chainer: usable if any of its backends is
    return chained is None or bool(chained)


def get_token() -> str | None:
    """The saved token, or None (nothing saved, or the keyring cannot be used)."""
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "no token"
        log.warning("Keyring unavailable while reading the API credential (%s)", type(exc).__name__)
        return None
    value = (value or "").strip()
    return value or None


def set_token(token: str) -> None:
    """Save the token; raises ConfigError (Spanish) if the keyring cannot store it."""
    token = (token or "").strip()
    if not token:
        raise ConfigError("El token está vacío. Pega el token de tu cuenta de Migo.")
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, token)
    except Exception as exc:  # noqa: BLE001 - backend errors vary by platform
        log.warning("Keyring unavailable while saving the API credential (%s)", type(exc).__name__)
        # Said to GUI users too: no command-line flag here (Preferencias offers a session-only token).
        raise ConfigError(
            "No se pudo guardar el token en el almacén seguro de contraseñas del sistema."
        ) from None


def delete_token() -> None:
    """Forget the saved token (no error if there was none or the keyring is unavailable)."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception as exc:  # noqa: BLE001
        log.warning("Keyring unavailable while deleting the API credential (%s)", type(exc).__name__)
