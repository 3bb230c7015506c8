"""Fault injection for the demo API: 5xx, 429 + Retry-After, connection resets, hangs and an exhausted
quota. Decisions are keyed by (seed, endpoint, number, attempt), so a run is reproducible even when requests
arrive in a different order, retries of the same number draw afresh, and the seed never changes the data.
"""

from __future__ import annotations

import enum
import random
import threading
from collections import Counter
from dataclasses import dataclass, field

from .data import stable_hash

__all__ = ["LOOKUP_ENDPOINTS", "Fault", "FaultDecision", "FaultInjector", "FaultPlan", "QUOTA_MESSAGE"]

LOOKUP_ENDPOINTS = frozenset({"ruc", "ruc/collection", "dni"})

# Real Migo's behaviour is unknown [one source mentions "saldo"]. We answer 403 by default: a Laravel API
# typically aborts with 403 for a spent balance, and it is the harder case for a client (it must read the
# message to tell QuotaExceeded from AuthError). FaultPlan.quota_status switches to 402 or 429.
QUOTA_MESSAGE = "No cuenta con saldo suficiente para realizar la consulta. Recargue su saldo en migo.pe."


class Fault(enum.StrEnum):
    NONE = "none"
    SERVER_ERROR = "server_error"
    RATE_LIMIT = "rate_limit"
    RESET = "reset"
    HANG = "hang"


@dataclass(frozen=True, slots=True)
class FaultDecision:
    fault: Fault
    status: int = 0  # for SERVER_ERROR: 500/502/503/504
    html: bool = False  # for SERVER_ERROR: an HTML body, like a proxy error page
    rst: bool = True  # for RESET: TCP reset (ReadError) rather than a close without answer


NO_FAULT = FaultDecision(Fault.NONE)


@dataclass(frozen=True)
class FaultPlan:
    """Probabilities are per request to the ``endpoints`` (RUC/DNI lookups by default); their sum ≤ 1."""

    p_server_error: float = 0.0
    p_rate_limit: float = 0.0
    retry_after: float | None = 1.0  # seconds sent in Retry-After; None sends no header
    p_reset: float = 0.0
    p_hang: float = 0.0
    hang_seconds: float = 30.0
    html_share: float = 0.5  # share of 5xx answers with an HTML body
    quota: int | None = None  # after this many answered lookups, refuse with a "saldo" message
    quota_status: int = 403
    endpoints: frozenset[str] = field(default=LOOKUP_ENDPOINTS)

    def __post_init__(self) -> None:
        probs = (self.p_server_error, self.p_rate_limit, self.p_reset, self.p_hang)
        if any(not 0.0 <= p <= 1.0 for p in probs) or sum(probs) > 1.0 + 1e-9:
            raise ValueError("fault probabilities must be in [0, 1] and sum to at most 1")
        if self.hang_seconds < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise ValueError("hang_seconds and retry_after must be non-negative")
        if self.quota is not None and self.quota < 0:
            raise ValueError("quota must be non-negative")

    @property
    def active(self) -> bool:
        return any((self.p_server_error, self.p_rate_limit, self.p_reset, self.p_hang))


class FaultInjector:
    """Draws the fault for one request. Thread-safe; ``reset()`` restarts every attempt counter."""

    def __init__(self, plan: FaultPlan, seed: int = 0) -> None:
        self.plan = plan
        self.seed = seed
        self._attempts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._attempts.clear()

    def draw(self, endpoint: str, key: str) -> FaultDecision:
        plan = self.plan
        if not plan.active or endpoint not in plan.endpoints:
            return NO_FAULT
        with self._lock:
            attempt = self._attempts[(endpoint, key)]
            self._attempts[(endpoint, key)] = attempt + 1
        rng = random.Random(stable_hash(f"fault:{self.seed}", f"{endpoint}|{key}|{attempt}"))
        roll = rng.random()
        for fault, p in (
            (Fault.SERVER_ERROR, plan.p_server_error),
            (Fault.RATE_LIMIT, plan.p_rate_limit),
            (Fault.RESET, plan.p_reset),
            (Fault.HANG, plan.p_hang),
        ):
            if roll < p:
                if fault is Fault.SERVER_ERROR:
                    status = rng.choice((500, 502, 503, 504))
                    return FaultDecision(fault, status, rng.random() < plan.html_share)
                if fault is Fault.RESET:
                    return FaultDecision(fault, rst=rng.random() < 0.5)
                return FaultDecision(fault)
            roll -= p
        return NO_FAULT
