"""The Migo endpoints: how each call is built (v1 POST body, v2 GET path/query) and how answers are shaped.

v1 paths come from several public clients. v2 follows the official v2 docs for ``/ruc/{ruc}`` and
``/dni/{dni}``; the other v2 paths are **unverified** guesses by analogy: ``GET /exchange/latest``,
``/exchange/date?fecha=``, ``/exchange?fecha_inicio=&fecha_fin=``, ``/ruc/{ruc}/representantes-legales``,
``/account``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import InvalidOperation
from typing import Any
from urllib.parse import quote

from .errors import ApiFailure, InvalidRequest
from .models import ExchangeRate, IdKind, LookupResult, LookupStatus

__all__ = [
    "Call",
    "UNEXPECTED",
    "UNREADABLE",
    "build_call",
    "checked_number",
    "items",
    "not_found",
    "now",
    "rate",
    "unwrap",
]

UNEXPECTED = "La API de Migo devolvió una respuesta con un formato inesperado. Reintenta más tarde."
UNREADABLE = "La API de Migo devolvió una respuesta que no se pudo leer (no es JSON). Reintenta más tarde."


@dataclass(frozen=True, slots=True)
class Call:
    """One request: ``name`` for logs, method, path under ``root_url``, JSON body (v1) or query (v2)."""

    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None


def build_call(api_version: str, name: str, *args: str) -> Call:
    """``name``: ruc, dni, exchange_latest, exchange_date, exchange_range, representatives or account."""
    a = [*args, "", ""]
    if api_version == "v2":
        seg = [quote(x, safe="") for x in a]
        paths = {
            "ruc": f"/ruc/{seg[0]}",
            "dni": f"/dni/{seg[0]}",
            "exchange_latest": "/exchange/latest",
            "exchange_date": "/exchange/date",
            "exchange_range": "/exchange",
            "representatives": f"/ruc/{seg[0]}/representantes-legales",
            "account": "/account",
        }
        params = {
            "exchange_date": {"fecha": a[0]},
            "exchange_range": {"fecha_inicio": a[0], "fecha_fin": a[1]},
        }.get(name)
        return Call(name, "GET", paths[name], None, params)
    v1: dict[str, tuple[str, dict[str, Any]]] = {
        "ruc": ("/ruc", {"ruc": a[0]}),
        "dni": ("/dni", {"dni": a[0]}),
        "exchange_latest": ("/exchange/latest", {}),
        "exchange_date": ("/exchange/date", {"fecha": a[0]}),
        "exchange_range": ("/exchange", {"fecha_inicio": a[0], "fecha_fin": a[1]}),
        "representatives": ("/ruc/representantes-legales", {"ruc": a[0]}),
        "account": ("/account", {}),
    }
    path, body = v1[name]
    return Call(name, "POST", path, body, None)


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def checked_number(value: str, length: int, label: str) -> str:
    text = str(value).strip()
    if len(text) != length or not (text.isascii() and text.isdigit()):
        raise InvalidRequest(f"El {label} debe tener {length} dígitos; valídalo antes de consultarlo.")
    return text


def not_found(kind: IdKind, number: str, message: str) -> LookupResult:
    return LookupResult(kind, number, LookupStatus.NOT_FOUND, None, message=message, fetched_at=now())


def unwrap(body: Any) -> dict[str, Any]:
    """A flat answer object; tolerates a ``{"data": {...}}`` wrapper."""
    if isinstance(body, dict):
        data = body.get("data")
        return data if isinstance(data, dict) else body
    raise ApiFailure(UNEXPECTED, status=200, detail="expected an object")


def items(body: Any) -> list[dict[str, Any]]:
    """A list answer: a bare list or ``{"data": [...]}``."""
    data = body.get("data") if isinstance(body, dict) else body
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return data
    raise ApiFailure(UNEXPECTED, status=200, detail="expected a list")


def rate(item: dict[str, Any]) -> ExchangeRate:
    try:
        return ExchangeRate.from_api(item)
    except (ValueError, InvalidOperation, TypeError) as exc:
        raise ApiFailure(UNEXPECTED, status=200, detail="bad exchange rate") from exc
