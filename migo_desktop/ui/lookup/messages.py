"""What a failed single lookup says: the wording of one lookup (no bulk phrases such as «lo ya consultado
queda guardado» or «reanuda»), and whether Reintentar or Preferencias can help."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ...core.errors import ApiUnavailable, AuthError, InvalidRequest, MigoError, QuotaExceeded

__all__ = ["LookupFailure", "lookup_failure"]


@dataclass(frozen=True)
class LookupFailure:
    text: str
    retry: bool  # trying again may work (network, service)
    preferences: bool  # the token or the account needs attention


def _t(text: str) -> str:
    return QCoreApplication.translate("LookupMessages", text)


def lookup_failure(exc: MigoError) -> LookupFailure:
    if isinstance(exc, AuthError):
        return LookupFailure(
            _t(
                "El token de Migo no es válido o no tiene permiso. "
                "Revísalo en Preferencias y vuelve a consultar."
            ),
            retry=False,
            preferences=True,
        )
    if isinstance(exc, QuotaExceeded):
        return LookupFailure(
            _t("Se agotó el saldo de consultas de tu cuenta de Migo. Recarga tu plan y vuelve a consultar."),
            retry=False,
            preferences=True,
        )
    if isinstance(exc, ApiUnavailable):
        return LookupFailure(
            _t(
                "Migo no responde en este momento (sin conexión a internet, demoras o errores del servidor). "
                "Revisa tu conexión y pulsa Reintentar."
            ),
            retry=True,
            preferences=False,
        )
    if isinstance(exc, InvalidRequest):
        return LookupFailure(
            _t("Migo rechazó el número por no tener un formato válido. Revísalo."), False, False
        )
    return LookupFailure(exc.user_message, retry=True, preferences=False)
