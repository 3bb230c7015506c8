"""How the demo API answers: the Reply value, JSON/HTML error bodies, and request-field validation.
Laravel-style shapes (``message``; ``errors`` per field on 422), Spanish texts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ..core.ids import validate_ruc
from . import data

__all__ = [
    "Reply",
    "html_error",
    "json_reply",
    "not_allowed",
    "not_found",
    "parse_day",
    "ruc_answer",
    "ruc_problem",
    "unprocessable",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INVALID = "Los datos proporcionados no son válidos."
_HTML_ERROR = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1>"
    "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Temporarily Unavailable",
            504: "Gateway Time-out"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = (("content-type", "application/json"),)

    def json(self) -> Any:
        return json.loads(self.body)


def json_reply(status: int, payload: Any, *extra: tuple[str, str]) -> Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Reply(status, body, (("content-type", "application/json"), *extra))


def unprocessable(fieldname: str, message: str) -> Reply:
    return json_reply(422, {"success": False, "message": _INVALID, "errors": {fieldname: [message]}})


def not_allowed(method: str) -> Reply:
    return json_reply(405, {"message": f"The {method} method is not supported for this route."})


def not_found(message: str) -> Reply:
    return json_reply(404, {"success": False, "message": message})


def ruc_problem(value: Any) -> str | None:
    if value is None or value == "":
        return "El campo ruc es obligatorio."
    if not isinstance(value, str) or not value.isdigit() or len(value) != 11:
        return "El campo ruc debe ser un número de 11 dígitos."
    return _check_digit_problem(value)


@lru_cache(maxsize=16384)
def _check_digit_problem(ruc: str) -> str | None:
    return "El RUC ingresado no es válido." if validate_ruc(ruc) else None


@lru_cache(maxsize=16384)
def ruc_answer(ruc: str, today: date) -> Reply:
    """Encoded once per (RUC, day): the server's hot path."""
    record = data.taxpayer(ruc, today)
    if record is None:
        return not_found(f"No se encontró el RUC {ruc}.")
    return json_reply(200, record)


def parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def html_error(status: int) -> Reply:
    """A proxy's HTML error page (what a 502 from nginx looks like)."""
    page = _HTML_ERROR.format(status=status, reason=_REASONS.get(status, "Error"))
    return Reply(status, page.encode(), (("content-type", "text/html"),))
