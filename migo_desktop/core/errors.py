"""One exception tree for everything the app reports to a person.

    MigoError                      base; ``user_message`` is Spanish and says what to do
    ├── ConfigError                bad settings (e.g. a plain-http base URL that is not loopback)
    ├── InputError                 unreadable or hostile input file, bad CLI usage (exit 2)
    └── ApiError                   something the Migo API (or the way to it) said or did
        ├── AuthError              401/403: token missing, wrong or revoked — stops a whole run
        ├── QuotaExceeded          the account's query balance is used up — stops a whole run
        ├── InvalidRequest         422: the service refused the number as malformed
        ├── ApiFailure             HTTP 200 with ``success: false``, or an unexpected answer
        └── ApiUnavailable         429/5xx/timeouts/resets that outlived the retries or the run's budget

Messages never contain the token: exceptions are built from status codes and the API's ``message`` only.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "ApiFailure",
    "ApiUnavailable",
    "AuthError",
    "ConfigError",
    "InputError",
    "InvalidRequest",
    "MigoError",
    "QuotaExceeded",
]


class MigoError(Exception):
    """Base class. ``user_message`` is what a person reads (Spanish)."""

    default_message = "Ocurrió un error inesperado."

    def __init__(self, user_message: str | None = None, *, detail: str | None = None) -> None:
        self.user_message = user_message or self.default_message
        self.detail = detail
        super().__init__(self.user_message if not detail else f"{self.user_message} ({detail})")


class ConfigError(MigoError):
    default_message = "La configuración no es válida."


class InputError(MigoError):
    default_message = "No se pudo leer el archivo de entrada."


class ApiError(MigoError):
    default_message = "La API de Migo devolvió un error."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        status: int | None = None,
        api_message: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.status = status
        self.api_message = api_message
        super().__init__(user_message, detail=detail)


class AuthError(ApiError):
    default_message = (
        "El token de la API de Migo no es válido o no tiene permiso. "
        "Revísalo en Preferencias (o en MIGO_TOKEN) y vuelve a intentarlo."
    )


class QuotaExceeded(ApiError):
    default_message = (
        "Se agotó el saldo de consultas de tu cuenta de Migo. "
        "Recarga tu plan y reanuda: lo ya consultado no se vuelve a pagar."
    )


class InvalidRequest(ApiError):
    default_message = "La API rechazó el número por tener un formato no válido."


class ApiFailure(ApiError):
    default_message = "La API de Migo respondió con un error."


class ApiUnavailable(ApiError):
    default_message = (
        "El servicio de Migo no está disponible en este momento (sin conexión, demoras o errores del "
        "servidor). Reintenta en unos minutos: lo ya consultado queda guardado."
    )

    def __init__(
        self,
        user_message: str | None = None,
        *,
        budget_exhausted: bool = False,
        reason: str | None = None,
        retry_after: float | None = None,
        asked_wait: float | None = None,
        window_spent: bool = False,
        **kw: Any,
    ) -> None:
        self.budget_exhausted = budget_exhausted
        # For callers that retry themselves (the bulk engine): why the last attempt failed ("timeout",
        # "connection_reset", "connection_error", "throttled", "server_error"), the capped Retry-After, the
        # wait the server really asked for (uncapped), and whether a 429 said the rate window is spent.
        self.reason = reason
        self.retry_after = retry_after
        self.asked_wait = asked_wait
        self.window_spent = window_spent
        super().__init__(user_message, **kw)
