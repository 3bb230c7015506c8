"""Preferencias: test a token (/account), save knobs (QSettings) and the token (OS keyring), clear cache.

The token goes through ``migo_desktop.credentials`` (keyring service "migo-desktop"); it is never written to
QSettings, logs or exceptions.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from types import ModuleType

from PySide6.QtCore import QObject, Signal

from ... import credentials
from ...core.errors import MigoError
from ...core.settings import ApiSettings, demo_settings
from ...logs import register_secret
from ..base.numbers import fmt_int
from ..base.services import Services
from ..base.tasks import TaskOwner

__all__ = ["KnobValues", "PreferencesController", "credentials_api"]

log = logging.getLogger(__name__)


def credentials_api() -> ModuleType:
    """``migo_desktop.credentials`` (get_token/set_token/delete_token); its functions are looked up at call
    time, so tests can replace them."""
    return credentials


@dataclass(frozen=True)
class KnobValues:
    """What the dialog's fields say (validated by the widgets' ranges)."""

    api_version: str
    concurrency: int
    requests_per_minute: int  # 0 = sin límite
    connect_timeout: float
    read_timeout: float
    ttl_found_hours: float
    ttl_not_found_hours: float

    def apply(self, settings: ApiSettings) -> ApiSettings:
        return settings.with_(
            api_version=self.api_version,
            concurrency=self.concurrency,
            requests_per_minute=self.requests_per_minute or None,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            cache_ttl_found=int(self.ttl_found_hours * 3600),
            cache_ttl_not_found=int(self.ttl_not_found_hours * 3600),
        )

    @classmethod
    def of(cls, s: ApiSettings) -> KnobValues:
        return cls(
            s.api_version,
            s.concurrency,
            s.requests_per_minute or 0,
            s.connect_timeout,
            s.read_timeout,
            s.cache_ttl_found / 3600,
            s.cache_ttl_not_found / 3600,
        )


class PreferencesController(QObject):
    testStarted = Signal()
    testFinished = Signal(bool, str)  # ok, Spanish message

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.tasks = TaskOwner("preferences")

    # reading -------------------------------------------------------------------------------------------
    def keyring_available(self) -> bool:
        """Whether the token can be kept in the system's secure store (else: only for this session)."""
        return bool(credentials_api().keyring_available())

    def stored_token(self) -> str:
        """The token the dialog shows (masked): the current one unless in demo mode."""
        s = self._services.settings
        return "" if s.demo else s.token

    def candidate(self, token: str, knobs: KnobValues) -> ApiSettings:
        """The settings that saving would produce (a real token leaves demo mode)."""
        token = token.strip()
        current = self._services.settings
        if token and not self._services.demo_forced:
            base = current if not current.demo else ApiSettings.from_env({**os.environ, "MIGO_DEMO": ""})
            return knobs.apply(base.with_(token=token, demo=False))
        if current.demo:
            return knobs.apply(current)
        return knobs.apply(self._demo_settings())

    def _demo_settings(self) -> ApiSettings:
        return demo_settings()

    # test connection -----------------------------------------------------------------------------------
    def test_connection(self, token: str, knobs: KnobValues) -> asyncio.Task:
        return self.tasks.spawn(self._test(self.candidate(token, knobs)), key="test")

    async def _test(self, settings: ApiSettings) -> bool:
        self.testStarted.emit()
        register_secret(settings.token)
        client = self._services.client_factory(settings)
        try:
            account = await client.account()
        except MigoError as exc:
            self.testFinished.emit(False, exc.user_message)
            return False
        finally:
            await client.aclose()
        parts = [self.tr("Conexión correcta.")]
        if account.nombre:
            parts.append(self.tr("Cuenta: {0}.").format(account.nombre))
        if account.consultas_restantes is not None:
            parts.append(self.tr("Consultas disponibles: {0}.").format(fmt_int(account.consultas_restantes)))
        if settings.demo:
            parts.append(self.tr("(modo demostración)"))
        self.testFinished.emit(True, " ".join(parts))
        return True

    # saving --------------------------------------------------------------------------------------------
    def save(self, token: str, knobs: KnobValues, *, session_only: bool = False) -> ApiSettings:
        """Persist knobs and token, make the new settings current and announce them.

        ``session_only``: there is no keyring and the person chose to use the token until the app closes;
        it then stays in memory only (never a file)."""
        token = token.strip()
        services = self._services
        old_token = "" if services.settings.demo else services.settings.token
        new = self.candidate(token, knobs)
        creds = credentials_api()
        if token != old_token and not services.token_from_env:
            if token and session_only:
                register_secret(token)
                log.info("Credential kept in memory for this session only (no keyring)")
            elif token:
                register_secret(token)
                creds.set_token(token)
                log.info("Token saved to the OS keyring")
            else:
                delete = getattr(creds, "delete_token", None)
                if delete is not None:
                    delete()
                log.info("Token removed from the OS keyring")
        services.prefs.save_api(new)  # after the keyring: a failure there changes nothing
        if not services.token_from_env:
            services.token_in_session = bool(token) and session_only
        services.apply_settings(new)
        if token != old_token:
            services.events.tokenChanged.emit()
        services.events.statusMessage.emit(self.tr("Preferencias guardadas."))
        return new

    # cache ---------------------------------------------------------------------------------------------
    def cache_count(self) -> int:
        return int(self._services.store.cache_count())

    def clear_cache(self) -> int:
        removed = int(self._services.store.cache_clear() or 0)
        self._services.events.cacheCleared.emit()
        return removed
