"""MigoClient: one async method per Migo endpoint; HTTP answers become models, results or ApiErrors.

v1 (default): every call is ``POST {root_url}/<path>`` with the token in the JSON body.
v2: ``GET`` with ``Authorization: Bearer``. The v2 paths below follow the public v2 docs for RUC and DNI;
the exchange-rate, representatives and account paths under v2 are **unverified** guesses by analogy:
``/exchange/latest``, ``/exchange/date?fecha=``, ``/exchange?fecha_inicio=&fecha_fin=``,
``/ruc/{ruc}/representantes-legales``, ``/account``.

The token travels only in the body (v1) or a header (v2): never in a URL, a log line, an exception or a
repr. Timeouts, connection resets, 429 and 5xx are retried here (see ``retry.py``); everything else maps to
the ``errors`` tree (see ``http_errors.py``).
"""

from __future__ import annotations

import asyncio
import logging
import random as _random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import httpx

from .. import __version__
from .endpoints import (
    UNEXPECTED,
    UNREADABLE,
    Call,
    build_call,
    checked_number,
    items,
    not_found,
    now,
    rate,
    unwrap,
)
from .errors import ApiFailure, ApiUnavailable, QuotaExceeded
from .http_errors import error_for_status, failure_for_body, read_body
from .http_pool import DEFAULT_SHARD, HttpPool
from .models import (
    Account,
    ExchangeRate,
    IdKind,
    LookupResult,
    LookupStatus,
    Person,
    Representative,
    Taxpayer,
)
from .retry import (
    RETRYABLE_EXCEPTIONS,
    ClientStats,
    RetryHooks,
    backoff_delay,
    parse_retry_after,
    retry_reason,
)
from .settings import ApiSettings

__all__ = ["ClientStats", "MigoClient", "RetryHooks", "USER_AGENT"]

log = logging.getLogger(__name__)
USER_AGENT = f"MigoDesktop/{__version__}"


@dataclass(frozen=True, slots=True)
class _Answer:
    found: bool  # False: HTTP 404
    body: Any
    message: str | None = None


class MigoClient:
    def __init__(
        self,
        settings: ApiSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        shard: int = DEFAULT_SHARD,
    ) -> None:
        self.settings = settings
        self.stats = ClientStats()
        self._transport = transport
        self._sleep = sleep
        self._random = random
        self._shard = shard
        self._http: HttpPool | None = None

    def __repr__(self) -> str:
        s = self.settings
        return f"MigoClient(base_url={s.root_url!r}, api_version={s.api_version!r}, demo={s.demo!r})"

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def __aenter__(self) -> MigoClient:
        self._client()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        pool, self._http = self._http, None
        if pool is not None:
            await pool.aclose()

    def _client(self) -> HttpPool:
        if self._http is None:
            s = self.settings
            timeout = httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=s.read_timeout
            )
            headers = {
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            }

            def make(connections: int, **kw: Any) -> httpx.AsyncClient:
                # +1 spare connection: a request never waits for the pool while one is still being torn down.
                limits = httpx.Limits(max_connections=connections + 1, max_keepalive_connections=connections)
                return httpx.AsyncClient(
                    timeout=timeout,
                    limits=limits,
                    headers=headers,
                    follow_redirects=False,
                    trust_env=False,
                    **kw,
                )

            if self._transport is not None:
                # In-process/mock transport: nothing to shard; the pool is only the concurrency gate.
                self._http = HttpPool([make(s.concurrency, transport=self._transport)], [s.concurrency])
            else:
                # Built once: the shards share it instead of each loading the CA bundle.
                ssl_context = httpx.create_ssl_context(trust_env=False)
                self._http = HttpPool.build(
                    lambda n: make(n, verify=ssl_context), slots=s.concurrency, shard=self._shard
                )
        return self._http

    def _scrub(self, text: str) -> str:
        token = self.settings.token
        return text.replace(token, "***") if token and len(token) >= 4 else text

    # -- endpoints -----------------------------------------------------------------------------------------
    async def ruc(self, ruc: str, *, hooks: RetryHooks | None = None) -> LookupResult:
        number = checked_number(ruc, 11, "RUC")
        answer = await self._call(self._spec("ruc", number), hooks)
        if not answer.found:
            return not_found(IdKind.RUC, number, answer.message or "RUC no encontrado en SUNAT")
        body = unwrap(answer.body)
        if not body.get("ruc") and not body.get("nombre_o_razon_social"):
            raise ApiFailure(UNEXPECTED, status=200, detail="ruc answer without ruc/nombre_o_razon_social")
        taxpayer = Taxpayer.from_api(body)
        if not taxpayer.ruc:
            taxpayer = replace(taxpayer, ruc=number)
        return LookupResult(IdKind.RUC, number, LookupStatus.OK, taxpayer, fetched_at=now())

    async def dni(self, dni: str, *, hooks: RetryHooks | None = None) -> LookupResult:
        number = checked_number(dni, 8, "DNI")
        answer = await self._call(self._spec("dni", number), hooks)
        if not answer.found:
            return not_found(IdKind.DNI, number, answer.message or "DNI no encontrado")
        body = unwrap(answer.body)
        if not body.get("nombre"):
            raise ApiFailure(UNEXPECTED, status=200, detail="dni answer without nombre")
        person = Person.from_api(body)
        if not person.dni:
            person = Person(dni=number, nombre=person.nombre)
        return LookupResult(IdKind.DNI, number, LookupStatus.OK, person, fetched_at=now())

    async def exchange_latest(self, *, hooks: RetryHooks | None = None) -> ExchangeRate:
        answer = await self._call(self._spec("exchange_latest"), hooks)
        if not answer.found:
            raise ApiFailure("La API de Migo no tiene un tipo de cambio publicado.", status=404)
        return rate(unwrap(answer.body))

    async def exchange_date(self, day: date, *, hooks: RetryHooks | None = None) -> ExchangeRate | None:
        answer = await self._call(self._spec("exchange_date", day.isoformat()), hooks)
        if not answer.found:
            return None
        return rate(unwrap(answer.body))

    async def exchange_range(
        self, start: date, end: date, *, hooks: RetryHooks | None = None
    ) -> list[ExchangeRate]:
        answer = await self._call(self._spec("exchange_range", start.isoformat(), end.isoformat()), hooks)
        if not answer.found:
            return []
        return [rate(item) for item in items(answer.body)]

    async def representatives(self, ruc: str, *, hooks: RetryHooks | None = None) -> list[Representative]:
        number = checked_number(ruc, 11, "RUC")
        answer = await self._call(self._spec("representatives", number), hooks)
        if not answer.found:
            return []
        out = []
        for item in items(answer.body):
            rep = Representative.from_api(item)
            out.append(rep if rep.ruc else replace(rep, ruc=number))
        return out

    async def account(self, *, hooks: RetryHooks | None = None) -> Account:
        answer = await self._call(self._spec("account"), hooks)
        if not answer.found or not isinstance(answer.body, dict):
            raise ApiFailure("La API de Migo no ofrece la consulta de la cuenta en esta versión.", status=404)
        return Account.from_api(answer.body)

    # -- request building ----------------------------------------------------------------------------------
    def _spec(self, name: str, *args: str) -> Call:
        return build_call(self.settings.api_version, name, *args)

    async def _send(self, call: Call) -> httpx.Response:
        url = self.settings.root_url + call.path
        # At most ``concurrency`` requests in flight, never more than a client's connections (http_pool.py).
        async with self._client().slot() as client:
            self.stats.requests += 1
            if call.method == "POST":
                return await client.post(url, json={"token": self.settings.token, **(call.body or {})})
            headers = {"Authorization": f"Bearer {self.settings.token}"}
            return await client.get(url, params=call.params, headers=headers)

    # -- the retry loop and the status mapping ---------------------------------------------------------
    async def _call(self, call: Call, hooks: RetryHooks | None) -> _Answer:
        s = self.settings
        attempt = 0
        while True:
            status: int | None = None
            retry_after: float | None = None
            try:
                response = await self._send(call)
            except RETRYABLE_EXCEPTIONS as exc:
                reason = retry_reason(exc)
                last = f"{reason} ({type(exc).__name__})"
            except httpx.HTTPError as exc:  # unsupported protocol, proxy, decoding: retrying will not help
                self.stats.failures += 1
                log.warning("Migo %s %s failed without retry: %s", call.method, call.path, type(exc).__name__)
                raise ApiUnavailable(detail=type(exc).__name__) from exc
            else:
                status = response.status_code
                self.stats.count_status(status)
                body = read_body(response)
                if status != 429 and status < 500:
                    return self._final(call, status, body)
                if status == 429:
                    error = error_for_status(429, body, self._scrub)
                    if isinstance(error, QuotaExceeded):
                        self.stats.failures += 1
                        log.warning("Migo %s %s: HTTP 429 quota exhausted", call.method, call.path)
                        raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"), cap=s.retry_after_cap)
                reason = "throttled" if status == 429 else "server_error"
                last = f"HTTP {status}"
                if status == 429 and hooks is not None:
                    hooks.on_throttled(retry_after)
            self.stats.failures += 1
            if attempt >= s.max_retries:
                log.warning(
                    "Migo %s %s gave up after %d attempts: %s", call.method, call.path, attempt + 1, last
                )
                raise ApiUnavailable(status=status, detail=f"{last}; {attempt + 1} intentos")
            if hooks is not None and not hooks.allow_retry():
                log.warning("Migo %s %s: retry budget exhausted (%s)", call.method, call.path, last)
                raise ApiUnavailable(
                    "Se agotó el margen de reintentos de esta consulta masiva porque el servicio de Migo "
                    "falla demasiado. La consulta masiva quedó en pausa: reanúdala en unos minutos.",
                    budget_exhausted=True,
                    status=status,
                    detail=last,
                )
            delay = backoff_delay(
                attempt,
                base=s.backoff_base,
                maximum=s.backoff_max,
                rnd=self._random(),
                retry_after=retry_after,
            )
            log.info(
                "Migo %s %s failed: %s (attempt %d/%d); retrying in %.2fs",
                call.method,
                call.path,
                last,
                attempt + 1,
                s.max_retries + 1,
                delay,
            )
            if hooks is not None:
                hooks.on_retry(reason, status, delay)
            self.stats.retries += 1
            attempt += 1
            await self._sleep(delay)

    def _final(self, call: Call, status: int, body: Any) -> _Answer:
        if status == 404:
            log.debug("Migo %s %s: not found", call.method, call.path)
            message = body.get("message") if isinstance(body, dict) else None
            return _Answer(False, body, self._scrub(message)[:300] if isinstance(message, str) else None)
        if 200 <= status < 300:
            if isinstance(body, dict) and body.get("success") is False:
                error = failure_for_body(body, status, self._scrub)
            elif isinstance(body, (dict, list)):
                return _Answer(True, body)
            else:
                error = ApiFailure(UNREADABLE, status=status)
        else:
            error = error_for_status(status, body, self._scrub)
        self.stats.failures += 1
        log.warning("Migo %s %s: HTTP %d -> %s", call.method, call.path, status, type(error).__name__)
        raise error
