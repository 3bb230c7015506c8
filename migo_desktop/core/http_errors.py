"""Reading Migo answers defensively: JSON or not, where the message is, and which error a status means.

Only status codes and the API's own ``message`` ever go into an exception; the caller passes a ``scrub``
function that removes the token in case a server echoes it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from .errors import ApiError, ApiFailure, AuthError, InvalidRequest, QuotaExceeded

__all__ = ["api_message", "error_for_status", "is_quota_message", "failure_for_body", "rate_limit_headers"]

_MAX_MESSAGE = 300

# Balance/quota wording ([one] source reports "saldo"); rate-limit wording is *not* quota.
_QUOTA = re.compile(
    r"saldo|cr[ée]ditos?\b|consultas\s+disponibles|sin\s+consultas|consultas\s+restantes|"
    r"l[íi]mite\s+de\s+consultas|quota|cuota|limit\s+exceeded|balance|plan\s+(?:vencido|expirado)",
    re.IGNORECASE,
)
_RATE_LIMIT = re.compile(r"rate\s*limit|too\s+many|demasiadas", re.IGNORECASE)
# The API's text reaches logs, dialogs and terminals: no escape sequences or control characters in it.
_UNPRINTABLE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]"
)


def is_quota_message(text: str | None) -> bool:
    """True when a message speaks of the account's balance/quota (not of a per-second rate limit)."""
    if not text:
        return False
    return bool(_QUOTA.search(text)) and not _RATE_LIMIT.search(text)


def api_message(body: Any, scrub: Callable[[str], str] = lambda s: s) -> str | None:
    """The API's error text (``message``, or ``error``/``mensaje`` as fallbacks), trimmed and scrubbed."""
    if not isinstance(body, dict):
        return None
    for key in ("message", "mensaje", "error", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            text = " ".join(_UNPRINTABLE.sub(" ", scrub(value)).split())
            return text[:_MAX_MESSAGE] or None
    return None


def _validation_details(body: Any, scrub: Callable[[str], str]) -> str | None:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return None
    parts = []
    for key, value in errors.items():
        items = value if isinstance(value, list) else [value]
        parts.append(f"{key}: " + "; ".join(str(v) for v in items))
    return scrub(" | ".join(parts))[:_MAX_MESSAGE] or None


def _with_api_text(prefix: str, message: str | None) -> str:
    return f"{prefix} La API dijo: «{message}»." if message else prefix


def failure_for_body(body: Any, status: int, scrub: Callable[[str], str]) -> ApiError:
    """HTTP 200 with ``success: false``: QuotaExceeded if the message is about the balance, else failure."""
    message = api_message(body, scrub)
    if is_quota_message(message):
        return QuotaExceeded(status=status, api_message=message)
    return ApiFailure(
        _with_api_text("La API de Migo respondió con un error y no entregó datos.", message),
        status=status,
        api_message=message,
    )


def error_for_status(status: int, body: Any, scrub: Callable[[str], str]) -> ApiError:
    """The exception for a final (non-retried) error status other than 404."""
    message = api_message(body, scrub)
    if status == 402 or (status in (400, 401, 403, 429) and is_quota_message(message)):
        return QuotaExceeded(status=status, api_message=message)
    if status in (401, 403):
        return AuthError(status=status, api_message=message)
    if status == 422:
        details = _validation_details(body, scrub)
        return InvalidRequest(
            _with_api_text("La API rechazó el número por tener un formato no válido.", message),
            status=status,
            api_message=message,
            detail=details,
        )
    return ApiFailure(
        _with_api_text(f"La API de Migo respondió con un error inesperado (HTTP {status}).", message),
        status=status,
        api_message=message,
    )


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name, "").strip()
    return int(value) if value.isdigit() else None


def rate_limit_headers(headers: httpx.Headers) -> tuple[int | None, int | None]:
    """Laravel's throttle headers: (X-RateLimit-Limit, X-RateLimit-Remaining), None where absent/garbled."""
    return _int_header(headers, "x-ratelimit-limit"), _int_header(headers, "x-ratelimit-remaining")
