"""DemoApi: the simulated Migo service, independent of how requests arrive (httpx transport or HTTP server).

``DemoApi.handle(request)`` routes one request (v1: POST + ``token`` in the body; v2: GET + Bearer header),
draws a fault (like a proxy in front, before the token is looked at), checks the token, enforces the optional
quota, answers from ``data`` and records ``stats``.
``DemoApi.process(request)`` adds the configured latency (``asyncio.sleep``, cancellable) first.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..core.settings import DEMO_BASE_URL, DEMO_TOKEN, demo_settings
from . import data
from .faults import QUOTA_MESSAGE, Fault, FaultDecision, FaultInjector, FaultPlan
from .limits import RateLimiter, RateLimitPlan
from .replies import (
    Reply,
    html_error,
    json_reply,
    not_allowed,
    not_found,
    parse_day,
    ruc_answer,
    ruc_problem,
    unprocessable,
)
from .request import DemoRequest
from .stats import DemoStats
from .transport import DemoTransport

if TYPE_CHECKING:
    import httpx

__all__ = ["DEMO_BASE_URL", "DEMO_LABEL", "DemoApi", "DemoRequest", "Reply", "demo_settings"]

DEMO_LABEL = "Datos de demostración"
MAX_COLLECTION = 100
MAX_RANGE_DAYS = 366

_ROUTE = re.compile(r"/(v1|v2)/(.*?)/?$")


@dataclass(frozen=True, slots=True)
class _Pending:
    endpoint: str
    params: dict[str, Any]
    token: Any
    headers: tuple[tuple[str, str], ...] = ()  # rate-limit headers for the answer


class DemoApi:
    """The simulated service. ``seed`` drives faults and jitter only, never the data."""

    def __init__(
        self,
        *,
        tokens: frozenset[str] = frozenset({DEMO_TOKEN}),
        latency: float = 0.0,
        jitter: float = 0.0,
        faults: FaultPlan | None = None,
        seed: int = 0,
        collection: str | None = "data",  # "data" ({"success", "data": [...]}), "list", or None (no route)
        today: Callable[[], date] = date.today,
        limits: RateLimitPlan | None = None,
    ) -> None:
        if latency < 0 or jitter < 0:
            raise ValueError("latency and jitter must be non-negative")
        self.tokens = frozenset(tokens)
        self.latency = latency
        self.jitter = jitter
        self.faults = faults or FaultPlan()
        self.seed = seed
        self.collection = collection
        self.today = today
        self.stats = DemoStats()
        self._injector = FaultInjector(self.faults, seed)
        self.limits = limits or RateLimitPlan()
        self._limiter = RateLimiter(self.limits) if self.limits.active else None
        self._jitter_rng = random.Random(seed)
        self._lock = threading.RLock()
        self._handlers = self._make_handlers()

    def __repr__(self) -> str:  # never show tokens
        return f"DemoApi(latency={self.latency}, faults={self.faults!r}, seed={self.seed})"

    # --- public -----------------------------------------------------------------------------------------
    def transport(self) -> httpx.AsyncBaseTransport:
        """A fresh in-process transport bound to this API (share the API to share stats and quota)."""
        return DemoTransport(self)

    def reset(self) -> None:
        """Forget stats, quota use and fault attempt counters."""
        with self._lock:
            self.stats.reset()
            self._injector.reset()
            if self._limiter is not None:
                self._limiter.reset()

    def delay(self) -> float:
        if not self.jitter:
            return self.latency
        with self._lock:
            return self.latency + self._jitter_rng.uniform(0.0, self.jitter)

    async def process(self, request: DemoRequest) -> Reply | FaultDecision:
        """``handle`` with the latency in between receiving (counted in ``stats.requests``) and answering.

        The wait is a cancellable ``asyncio.sleep``: a request cancelled or timed out meanwhile is counted
        as received but never answered (no fault draw, no quota use).
        """
        with self._lock:
            step = self._receive(request)
        wait = self.delay()
        if wait > 0:
            await asyncio.sleep(wait)
        if isinstance(step, Reply):
            return step
        with self._lock:
            return self._answer(step)

    def handle(self, request: DemoRequest) -> Reply | FaultDecision:
        """A reply, or a FaultDecision (RESET/HANG) the caller acts out. No latency."""
        with self._lock:
            step = self._receive(request)
            return step if isinstance(step, Reply) else self._answer(step)

    # --- routing ----------------------------------------------------------------------------------------
    def _route(self, request: DemoRequest) -> tuple[str, str, dict[str, Any]] | Reply:
        match = _ROUTE.search(request.path)
        if not match:
            return json_reply(404, {"message": "Not Found"})
        version, rest = match.groups()
        parts = rest.split("/") if rest else []
        if version == "v1" or (rest == "ruc/collection" and request.method == "POST"):
            if request.method != "POST":
                return not_allowed(request.method)
            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                body = {}
            if not isinstance(body, dict):
                body = {}
            return version, rest, body
        if request.method != "GET":
            return not_allowed(request.method)
        params: dict[str, Any] = dict(request.query)
        if len(parts) == 2 and parts[0] in ("ruc", "dni"):
            return version, parts[0], {parts[0]: parts[1], **params}
        if len(parts) == 3 and parts[0] == "ruc" and parts[2] == "representantes-legales":
            return version, "ruc/representantes-legales", {"ruc": parts[1]}
        if len(parts) == 2 and parts[0] == "exchange" and parts[1] not in ("latest", "date"):
            return version, "exchange/date", {"fecha": parts[1]}
        if rest == "exchange" and "fecha" in params:
            return version, "exchange/date", params
        return version, rest, params

    def _receive(self, request: DemoRequest) -> Reply | _Pending:
        routed = self._route(request)
        if isinstance(routed, Reply):
            self.stats.record_request("other")
            self.stats.record_status(routed.status)
            return routed
        version, endpoint, params = routed
        if endpoint not in self._handlers or (endpoint == "ruc/collection" and self.collection is None):
            self.stats.record_request("other")
            self.stats.record_status(404)
            return json_reply(404, {"message": "Not Found"})
        self.stats.record_request(endpoint)
        token = params.pop("token", None) if version == "v1" else None
        auth = request.authorization or ""
        if auth.lower().startswith("bearer "):
            token = token or auth[7:].strip()
        headers: tuple[tuple[str, str], ...] = ()
        if self._limiter is not None and endpoint in self.faults.endpoints:
            admission = self._limiter.admit()  # like Laravel's middleware: before anything else
            if not admission.allowed:
                self.stats.record_fault("throttle")
                self.stats.record_status(429)
                return json_reply(429, {"message": "Too Many Attempts."}, *admission.headers)
            headers = admission.headers
        return _Pending(endpoint, params, token, headers)

    def _answer(self, pending: _Pending) -> Reply | FaultDecision:
        endpoint, params, token = pending.endpoint, pending.params, pending.token
        handler = self._handlers[endpoint]
        key = params.get("ruc") or params.get("dni") or ""
        if isinstance(key, list):
            key = str(data.stable_hash("collection", ",".join(map(str, key))))
        decision = self._injector.draw(endpoint, str(key))
        reply: Reply | FaultDecision
        if decision.fault is not Fault.NONE:
            self.stats.record_fault(decision.fault.value)
            reply = self._fault_reply(decision)
        elif not isinstance(token, str) or token not in self.tokens:
            reply = json_reply(401, {"message": "Unauthenticated."})
        else:
            reply, answered = handler(params)
            if answered:
                self.stats.record_answered(answered)
        if isinstance(reply, Reply) and pending.headers:
            reply = Reply(reply.status, reply.body, reply.headers + pending.headers)
        if isinstance(reply, Reply):
            self.stats.record_status(reply.status)
        return reply

    def _fault_reply(self, decision: FaultDecision) -> Reply | FaultDecision:
        if decision.fault is Fault.SERVER_ERROR:
            if decision.html:
                return html_error(decision.status)
            return json_reply(decision.status, {"message": "Server Error"})
        if decision.fault is Fault.RATE_LIMIT:
            after = self.faults.retry_after
            extra = () if after is None else (("retry-after", str(math.ceil(after))),)
            return json_reply(429, {"message": "Too Many Attempts."}, *extra)
        return decision  # RESET / HANG: acted out by the transport or server

    def _make_handlers(self) -> dict[str, Callable[[dict[str, Any]], tuple[Reply, list[str]]]]:
        return {
            "ruc": self._ruc,
            "ruc/collection": self._collection,
            "dni": self._dni,
            "exchange/latest": self._exchange_latest,
            "exchange/date": self._exchange_date,
            "exchange": self._exchange_range,
            "ruc/representantes-legales": self._representatives,
            "account": self._account,
        }

    # --- endpoints --------------------------------------------------------------------------------------
    def _quota_left(self, needed: int) -> Reply | None:
        quota = self.faults.quota
        if quota is not None and self.stats.lookups_answered + needed > quota:
            self.stats.record_fault("quota")
            return json_reply(self.faults.quota_status, {"success": False, "message": QUOTA_MESSAGE})
        return None

    def _ruc(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        ruc = params.get("ruc")
        problem = ruc_problem(ruc)
        if problem or not isinstance(ruc, str):
            return unprocessable("ruc", problem or "El campo ruc es obligatorio."), []
        if refused := self._quota_left(1):
            return refused, []
        return ruc_answer(ruc, self.today()), [ruc]

    def _collection(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        numbers = params.get("ruc")
        if not isinstance(numbers, list) or not numbers:
            return unprocessable("ruc", "El campo ruc debe ser una lista de RUC."), []
        if len(numbers) > MAX_COLLECTION:
            return unprocessable("ruc", f"El campo ruc no debe tener más de {MAX_COLLECTION} elementos."), []
        valid = [n for n in numbers if ruc_problem(n) is None]
        if refused := self._quota_left(len(valid)):
            return refused, []
        items, answered, today = [], [], self.today()
        for number in numbers:
            problem = ruc_problem(number)
            if problem:
                items.append({"success": False, "ruc": str(number), "message": problem})
                continue
            answered.append(number)
            record = data.taxpayer(number, today)
            missing = {"success": False, "ruc": number, "message": f"No se encontró el RUC {number}."}
            items.append(record or missing)
        payload: Any = items if self.collection == "list" else {"success": True, "data": items}
        return json_reply(200, payload), answered

    def _dni(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        dni = params.get("dni")
        if not isinstance(dni, str) or not dni.isdigit() or len(dni) != 8:
            message = "El campo dni debe tener 8 dígitos." if dni else "El campo dni es obligatorio."
            return unprocessable("dni", message), []
        if refused := self._quota_left(1):
            return refused, []
        record = data.person(dni)
        if record is None:
            return not_found(f"No se encontró el DNI {dni}."), [dni]
        return json_reply(200, record), [dni]

    def _exchange_latest(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        return json_reply(200, data.latest_exchange_rate(self.today())), []

    def _exchange_date(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        day = parse_day(params.get("fecha"))
        if day is None:
            return unprocessable("fecha", "El campo fecha debe ser una fecha con formato AAAA-MM-DD."), []
        rate = data.exchange_rate(day, self.today())
        if rate is None:
            return not_found(f"No hay tipo de cambio para la fecha {day.isoformat()}."), []
        return json_reply(200, rate), []

    def _exchange_range(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        start, end = parse_day(params.get("fecha_inicio")), parse_day(params.get("fecha_fin"))
        if start is None:
            return unprocessable("fecha_inicio", "El campo fecha_inicio debe tener formato AAAA-MM-DD."), []
        if end is None:
            return unprocessable("fecha_fin", "El campo fecha_fin debe tener formato AAAA-MM-DD."), []
        if end < start:
            return unprocessable("fecha_fin", "La fecha_fin debe ser igual o posterior a fecha_inicio."), []
        if (end - start).days >= MAX_RANGE_DAYS:
            return unprocessable("fecha_fin", f"El rango no debe superar {MAX_RANGE_DAYS} días."), []
        rates = data.exchange_range(start, end, self.today())
        if not rates:
            return not_found("No hay tipo de cambio para el rango indicado."), []
        return json_reply(200, {"success": True, "data": rates}), []

    def _representatives(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        ruc = params.get("ruc")
        problem = ruc_problem(ruc)
        if problem or not isinstance(ruc, str):
            return unprocessable("ruc", problem or "El campo ruc es obligatorio."), []
        people = data.representatives(ruc)
        if people is None:
            return not_found(f"No se encontraron representantes legales para el RUC {ruc}."), []
        return json_reply(200, {"success": True, "data": people}), []

    def _account(self, params: dict[str, Any]) -> tuple[Reply, list[str]]:
        quota = self.faults.quota if self.faults.quota is not None else 100_000
        remaining = max(0, quota - self.stats.lookups_answered)
        payload = {"success": True, "nombre": "Cuenta demo", "email": "demo@ejemplo.pe",
                   "consultas_restantes": remaining}  # fmt: skip
        return json_reply(200, payload), []
