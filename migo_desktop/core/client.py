"""MigoClient: one async method per Migo endpoint; HTTP answers become models, results or ApiErrors.

v1 (default): every call is ``POST {root_url}/<path>`` with the token in the JSON body.
v2: ``GET`` with ``Authorization: Bearer``. The v2 paths below follow the public v2 docs for RUC and DNI;
the exchange-rate, representatives and account paths under v2 are **unverified** guesses by analogy:
``/exchange/latest``, ``/exchange/date?fecha=``, ``/exchange?fecha_inicio=&fecha_fin=``,
``/ruc/{ruc}/representantes-legales``, ``/account``.

Transport: one ``httpx.AsyncClient`` over ``httpx_aiohttp.AiohttpTransport`` (aiohttp's connection pool
costs ~0.6 ms of CPU per request where httpcore's costs ~1 ms; on the GUI's loop that is responsiveness
too). A semaphore of ``settings.concurrency`` slots sits *before* it, so its pool never queues.

The server is untrusted: every request has a total deadline (``request_deadline``), the decoded body is
capped (``max_response_bytes``, see ``http_body.py``), and a body that cannot be read or parsed is an
``ApiFailure`` for that call, never an unexpected exception.

The token travels only in the body (v1) or a header (v2): never in a URL, a log line, an exception or a
repr. Timeouts, connection resets, 429 and 5xx are retried here (see ``retry.py``) unless the caller asks
for a single attempt (``retry=False``: the bulk engine re-queues rows itself); everything else maps to the
``errors`` tree (see ``http_errors.py``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import random as _random
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

import httpx
from httpx_aiohttp import AiohttpTransport

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
from .errors import ApiError, ApiFailure, ApiUnavailable, QuotaExceeded
from .http_body import BodyTooLarge, UnsupportedEncoding, parse_json, read_capped
from .http_errors import error_for_status, failure_for_body, rate_limit_headers
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

__all__ = ["ClientStats", "MigoClient", "RetryHooks", "USER_AGENT", "format_wait"]

log = logging.getLogger(__name__)
T = TypeVar("T")
USER_AGENT = f"MigoDesktop/{__version__}"
TOO_LARGE = (
    "La API de Migo devolvió una respuesta demasiado grande ({size}) y se descartó sin leerla entera. "
    "Si se repite, avisa a Migo."
)
GIVE_UP_WAIT = 300.0  # a Retry-After longer than this (and than the cap) ends a retrying call at once
WAIT_TOO_LONG = (
    "La API de Migo pidió esperar {asked} antes de volver a consultar. Intenta de nuevo más tarde: "
    "lo ya consultado queda guardado."
)


def format_wait(seconds: float) -> str:
    """A wait for a person: «45 s», «3 min», «2 h», «11 días»."""
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} días"


@dataclass(frozen=True, slots=True)
class _Answer:
    found: bool  # False: HTTP 404
    body: Any
    message: str | None = None


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: httpx.Headers
    content: bytes


class _DeadlineExceeded(Exception):
    """The whole request took longer than ``settings.request_deadline``."""


class MigoClient:
    # The bulk engine may ask for one attempt per call (``retry=False``) and re-queue rows itself.
    single_attempt = True

    def __init__(
        self,
        settings: ApiSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self.settings = settings
        self.stats = ClientStats()
        self._transport = transport
        self._sleep = sleep
        self._random = random
        self._http: httpx.AsyncClient | None = None
        self._gate: asyncio.Semaphore | None = None
        self._via: httpx.AsyncBaseTransport | None = None
        self._headers: list[tuple[str, str]] = []
        self._extensions: dict[str, Any] = {}
        self._urls: dict[str, httpx.URL] = {}

    def __repr__(self) -> str:
        s = self.settings
        return f"MigoClient(base_url={s.root_url!r}, api_version={s.api_version!r}, demo={s.demo!r})"

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def __aenter__(self) -> MigoClient:
        await self._prepare()
        return self

    async def _prepare(self) -> None:
        """Build the HTTP client; the TLS context (loading the CA bundle: 20-50 ms) is made in a worker thread
        once per process, so the first request of a session does not stall the GUI's loop."""
        if self._http is None:
            if self._transport is None:
                await asyncio.to_thread(_ssl_context)
            self._client()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        http, self._http = self._http, None
        self._via = None
        if http is not None:
            await http.aclose()

    @property
    def in_flight(self) -> int:
        """Requests holding a slot right now."""
        gate = self._gate
        return 0 if gate is None else self.settings.concurrency - gate._value

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            s = self.settings
            timeout = httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=s.read_timeout
            )
            # +1 spare connection: a request never waits for the pool while one is still being torn down.
            limits = httpx.Limits(max_connections=s.concurrency + 1, max_keepalive_connections=s.concurrency)
            transport = self._transport
            if transport is None:
                transport = AiohttpTransport(verify=_ssl_context(), trust_env=False, limits=limits)
            self._http = httpx.AsyncClient(
                transport=transport, timeout=timeout, limits=limits, follow_redirects=False, trust_env=False
            )
            # Requests go straight to the client's transport for our URL (``_transport_for_url``, which is
            # also what ``respx.mock(using="httpx")`` patches): the per-request work of AsyncClient.send —
            # URL merging, the cookie jar (two urllib objects per answer), auth and redirect flows, event
            # hooks — cost ~0.25 ms of CPU per request here, and none of it applies to this API.
            root = httpx.URL(s.root_url)
            self._via = self._http._transport_for_url(root)
            self._headers = [
                ("Host", root.netloc.decode("ascii")),
                ("Accept", "application/json"),
                ("Accept-Encoding", "gzip, deflate"),
                ("User-Agent", USER_AGENT),
            ]
            self._extensions = {"timeout": timeout.as_dict()}
            if self._gate is None:
                self._gate = asyncio.Semaphore(s.concurrency)
        return self._http

    def _scrub(self, text: str) -> str:
        token = self.settings.token
        return text.replace(token, "***") if token and len(token) >= 4 else text

    # -- endpoints -----------------------------------------------------------------------------------------
    async def ruc(self, ruc: str, *, hooks: RetryHooks | None = None, retry: bool = True) -> LookupResult:
        number = checked_number(ruc, 11, "RUC")
        answer = await self._call(self._spec("ruc", number), hooks, retry)
        if not answer.found:
            return not_found(IdKind.RUC, number, answer.message or "RUC no encontrado en SUNAT")
        return _parsed(lambda: _taxpayer(number, unwrap(answer.body)))

    async def dni(self, dni: str, *, hooks: RetryHooks | None = None, retry: bool = True) -> LookupResult:
        number = checked_number(dni, 8, "DNI")
        answer = await self._call(self._spec("dni", number), hooks, retry)
        if not answer.found:
            return not_found(IdKind.DNI, number, answer.message or "DNI no encontrado")
        return _parsed(lambda: _person(number, unwrap(answer.body)))

    async def exchange_latest(self, *, hooks: RetryHooks | None = None) -> ExchangeRate:
        answer = await self._call(self._spec("exchange_latest"), hooks)
        if not answer.found:
            raise ApiFailure("La API de Migo no tiene un tipo de cambio publicado.", status=404)
        return _parsed(lambda: rate(unwrap(answer.body)))

    async def exchange_date(self, day: date, *, hooks: RetryHooks | None = None) -> ExchangeRate | None:
        answer = await self._call(self._spec("exchange_date", day.isoformat()), hooks)
        if not answer.found:
            return None
        return _parsed(lambda: rate(unwrap(answer.body)))

    async def exchange_range(
        self, start: date, end: date, *, hooks: RetryHooks | None = None
    ) -> list[ExchangeRate]:
        answer = await self._call(self._spec("exchange_range", start.isoformat(), end.isoformat()), hooks)
        if not answer.found:
            return []
        return _parsed(lambda: [rate(item) for item in items(answer.body)])

    async def representatives(self, ruc: str, *, hooks: RetryHooks | None = None) -> list[Representative]:
        number = checked_number(ruc, 11, "RUC")
        answer = await self._call(self._spec("representatives", number), hooks)
        if not answer.found:
            return []

        def build() -> list[Representative]:
            out = []
            for item in items(answer.body):
                rep = Representative.from_api(item)
                out.append(rep if rep.ruc else replace(rep, ruc=number))
            return out

        return _parsed(build)

    async def account(self, *, hooks: RetryHooks | None = None) -> Account:
        answer = await self._call(self._spec("account"), hooks)
        if not answer.found or not isinstance(answer.body, dict):
            raise ApiFailure("La API de Migo no ofrece la consulta de la cuenta en esta versión.", status=404)
        body = answer.body
        return _parsed(lambda: Account.from_api(body))

    # -- one request -----------------------------------------------------------------------------------------
    def _spec(self, name: str, *args: str) -> Call:
        return build_call(self.settings.api_version, name, *args)

    async def _send(self, call: Call) -> _Reply:
        """One request within the total deadline; the body read whole but capped. Holds a slot meanwhile."""
        s = self.settings
        if self._http is None:
            await self._prepare()
        assert self._gate is not None and self._via is not None
        url = self._urls.get(call.path)
        if url is None:
            url = self._urls[call.path] = httpx.URL(s.root_url + call.path)
        if call.method == "POST":
            content = json.dumps({"token": s.token, **(call.body or {})}, separators=(",", ":")).encode()
            headers = [
                *self._headers,
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(content))),
            ]
            request = httpx.Request(
                "POST", url, headers=headers, content=content, extensions=self._extensions
            )
        else:
            headers = [*self._headers, ("Authorization", f"Bearer {s.token}")]
            request = httpx.Request(
                "GET", url, params=call.params, headers=headers, extensions=self._extensions
            )
        async with self._gate:
            self.stats.requests += 1
            try:
                async with asyncio.timeout(s.request_deadline):
                    response = await self._via.handle_async_request(request)
                    try:
                        content = await read_capped(response, s.max_response_bytes)
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise _DeadlineExceeded from None
        return _Reply(response.status_code, response.headers, content)

    # -- the retry loop and the status mapping ---------------------------------------------------------
    async def _call(self, call: Call, hooks: RetryHooks | None, retry: bool = True) -> _Answer:
        s = self.settings
        attempts = s.max_retries if retry else 0
        attempt = 0
        while True:
            status: int | None = None
            retry_after: float | None = None
            asked: float | None = None
            spent = False
            try:
                reply = await self._send(call)
            except RETRYABLE_EXCEPTIONS as exc:
                reason = retry_reason(exc)
                last = f"{reason} ({type(exc).__name__})"
            except _DeadlineExceeded:
                reason = "timeout"
                last = f"timeout (sin respuesta completa en {s.request_deadline:g} s)"
            except BodyTooLarge as exc:
                self.stats.failures += 1
                log.warning("Migo %s %s: body over %d bytes, dropped", call.method, call.path, exc.cap)
                size = f"más de {exc.cap / 1_000_000:g} MB"
                raise ApiFailure(TOO_LARGE.format(size=size), detail="body too large") from None
            except (httpx.HTTPError, UnsupportedEncoding) as exc:  # protocol, proxy, decoding: not retried
                self.stats.failures += 1
                log.warning("Migo %s %s failed without retry: %s", call.method, call.path, type(exc).__name__)
                if isinstance(exc, (httpx.DecodingError, UnsupportedEncoding)):
                    raise ApiFailure(UNREADABLE, detail=type(exc).__name__) from exc
                raise ApiUnavailable(detail=type(exc).__name__) from exc
            else:
                status = reply.status
                self.stats.count_status(status)
                limit, remaining = rate_limit_headers(reply.headers)
                notify = getattr(hooks, "on_rate_headers", None)
                if notify is not None and (limit is not None or remaining is not None or status == 429):
                    notify(status, limit, remaining)
                body = parse_json(reply.content)
                if status != 429 and status < 500:
                    return self._final(call, status, body)
                if status == 429:
                    error = error_for_status(429, body, self._scrub)
                    if isinstance(error, QuotaExceeded):
                        self.stats.failures += 1
                        log.warning("Migo %s %s: HTTP 429 quota exhausted", call.method, call.path)
                        raise error
                    spent = remaining == 0
                asked = parse_retry_after(reply.headers.get("Retry-After"), cap=math.inf)
                retry_after = None if asked is None else min(asked, s.retry_after_cap)
                reason = "throttled" if status == 429 else "server_error"
                last = f"HTTP {status}"
                if status == 429 and hooks is not None:
                    hooks.on_throttled(retry_after)
            self.stats.failures += 1
            if asked is not None and asked > max(s.retry_after_cap, GIVE_UP_WAIT) and retry:
                # A lookup someone waits for does not sleep for hours: say how long the server asked for.
                log.warning("Migo %s %s: %s asked to wait %.0f s", call.method, call.path, last, asked)
                raise ApiUnavailable(
                    WAIT_TOO_LONG.format(asked=format_wait(asked)), status=status, detail=last,
                    reason=reason, retry_after=retry_after, asked_wait=asked,
                )  # fmt: skip
            if attempt >= attempts:
                if retry:
                    log.warning(
                        "Migo %s %s gave up after %d attempts: %s", call.method, call.path, attempt + 1, last
                    )
                raise ApiUnavailable(
                    status=status, detail=f"{last}; {attempt + 1} intentos", reason=reason,
                    retry_after=retry_after, asked_wait=asked, window_spent=spent,
                )  # fmt: skip
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
                attempts + 1,
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


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context per process (certifi's CA bundle, as httpx would load it for every client)."""
    return httpx.create_ssl_context(trust_env=False)


def _parsed(build: Callable[[], T]) -> T:
    """Build a model from an answer; any surprise in its shape is an ApiFailure, never a crash."""
    try:
        return build()
    except ApiError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError, ArithmeticError) as exc:
        log.warning("Migo answer with an unexpected shape: %s", type(exc).__name__)
        raise ApiFailure(UNEXPECTED, status=200, detail=type(exc).__name__) from None


def _taxpayer(number: str, body: dict[str, Any]) -> LookupResult:
    if not body.get("ruc") and not body.get("nombre_o_razon_social"):
        raise ApiFailure(UNEXPECTED, status=200, detail="ruc answer without ruc/nombre_o_razon_social")
    taxpayer = Taxpayer.from_api(body)
    if not taxpayer.ruc:
        taxpayer = replace(taxpayer, ruc=number)
    return LookupResult(IdKind.RUC, number, LookupStatus.OK, taxpayer, fetched_at=now())


def _person(number: str, body: dict[str, Any]) -> LookupResult:
    if not body.get("nombre"):
        raise ApiFailure(UNEXPECTED, status=200, detail="dni answer without nombre")
    person = Person.from_api(body)
    if not person.dni:
        person = Person(dni=number, nombre=person.nombre)
    return LookupResult(IdKind.DNI, number, LookupStatus.OK, person, fetched_at=now())
