"""The one MigoClient that single lookups, exchange rates and Preferencias share.

Built lazily from ``services.client_factory(services.settings)``; when the settings change the old client is
retired (closed once nobody awaits on it any more) and the next call builds a new one. ``aclose()`` at quit.
Widgets never hold the client: controllers ask ``SharedClient.get()`` for every operation.
"""

from __future__ import annotations

import logging
from typing import Any

from .services import Services
from .tasks import TaskOwner

__all__ = ["SharedClient"]

log = logging.getLogger(__name__)


class SharedClient:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._client: Any = None
        self._tasks = TaskOwner("client")
        services.events.settingsChanged.connect(self._retire)

    def get(self) -> Any:
        if self._client is None:
            self._client = self._services.client_factory(self._services.settings)
            log.info("Client built (%r)", self._client)
        return self._client

    def _retire(self, *_: object) -> None:
        old, self._client = self._client, None
        if old is not None:
            self._tasks.spawn(old.aclose())

    async def aclose(self) -> None:
        old, self._client = self._client, None
        if old is not None:
            await old.aclose()
        for task in self._tasks.running:
            await task
