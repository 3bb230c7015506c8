"""Single RUC/DNI lookups: validate, cache first, then the API; one search in flight at a time."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ...core.errors import MigoError
from ...core.models import IdKind, LookupResult, LookupStatus
from ..base.client import SharedClient
from ..base.services import Services
from ..base.tasks import TaskOwner

if TYPE_CHECKING:
    from ...core.ids import IdCheck

__all__ = ["LookupController"]

log = logging.getLogger(__name__)


class LookupController(QObject):
    """Signals carry values only; the page decides how they look."""

    busyChanged = Signal(bool)
    resultReady = Signal(object)  # LookupResult (OK or NOT_FOUND; .from_cache tells where it came from)
    failed = Signal(object)  # MigoError (its .user_message is Spanish)
    representativesReady = Signal(str, list)  # ruc, list[Representative]
    representativesFailed = Signal(str, object)  # ruc, MigoError
    recentChanged = Signal(list)  # list[LookupResult]

    def __init__(self, services: Services, client: SharedClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._client = client
        self.tasks = TaskOwner("lookup")
        services.events.cacheCleared.connect(self.refresh_recent)

    @staticmethod
    def check(text: str) -> IdCheck:
        # python-stdnum loads at the first keystroke, not at start-up
        from ...core.ids import parse_identifier

        return parse_identifier(text)

    # search ------------------------------------------------------------------------------------------
    def search(self, text: str, *, force_refresh: bool = False) -> asyncio.Task | None:
        """Start a lookup (cancelling the one in flight). None when ``text`` is not a valid RUC/DNI."""
        check = self.check(text)
        if not check.ok or check.kind is None or check.number is None:
            return None
        task = self.tasks.spawn(self._search(check.kind, check.number, force_refresh), key="search")
        self.busyChanged.emit(True)
        return task

    def cancel(self) -> None:
        if self.tasks.cancel("search"):
            self.busyChanged.emit(False)

    @property
    def current_task(self) -> asyncio.Task | None:
        return self.tasks.current("search")

    async def _search(self, kind: IdKind, number: str, force_refresh: bool) -> LookupResult | None:
        try:
            result = await self.lookup(kind, number, force_refresh=force_refresh)
        except asyncio.CancelledError:
            log.info("Lookup of %s cancelled", kind.value)
            raise
        except MigoError as exc:
            log.warning("Lookup failed: %s", exc)
            self.busyChanged.emit(False)
            self.failed.emit(exc)
            return None
        self.busyChanged.emit(False)
        self.resultReady.emit(result)
        return result

    async def lookup(self, kind: IdKind, number: str, *, force_refresh: bool = False) -> LookupResult:
        """Cache first (within the freshness window), then the API; answers are cached."""
        s = self._services.settings
        store = self._services.store
        if not force_refresh:
            cached = store.cache_get(
                kind, number, ttl_found=s.cache_ttl_found, ttl_not_found=s.cache_ttl_not_found
            )
            if cached is not None:
                return cached
        client = self._client.get()
        result = await (client.ruc(number) if kind is IdKind.RUC else client.dni(number))
        if result.status in (LookupStatus.OK, LookupStatus.NOT_FOUND):
            store.cache_put(result)
            self._services.events.lookupsChanged.emit()
            self.refresh_recent()
        return result

    # representatives ---------------------------------------------------------------------------------
    def load_representatives(self, ruc: str) -> asyncio.Task:
        return self.tasks.spawn(self._representatives(ruc), key="representatives")

    async def _representatives(self, ruc: str) -> list | None:
        try:
            reps = await self._client.get().representatives(ruc)
        except MigoError as exc:
            self.representativesFailed.emit(ruc, exc)
            return None
        self.representativesReady.emit(ruc, list(reps))
        return list(reps)

    # recent ------------------------------------------------------------------------------------------
    def recent(self, limit: int = 30) -> list[LookupResult]:
        try:
            return list(self._services.store.recent_lookups(limit))
        except Exception:  # noqa: BLE001 - a broken cache must not break the page
            log.exception("Could not read recent lookups")
            return []

    def refresh_recent(self) -> None:
        self.recentChanged.emit(self.recent())
