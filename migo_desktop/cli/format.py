"""Human-readable (Spanish) text for the `migo` command: one card per taxpayer or person, rate tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from ..core.exchange_days import DayRate
from ..core.models import Account, ExchangeRate, LookupResult, LookupStatus, Representative, ResultSource
from ..core.numbers import fmt_int, fmt_rate
from .safe_text import json_text, terminal_text

__all__ = [
    "account_card",
    "account_dict",
    "dumps",
    "format_date",
    "format_datetime",
    "invalid_line",
    "rates_table",
    "representatives_block",
    "result_card",
]

_LABEL_WIDTH = 20


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def format_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else "—"


def _rows(pairs: Iterable[tuple[str, Any]]) -> str:
    """Label: value lines; values come from the API, so they are made safe for a terminal."""
    return "\n".join(
        f"  {label:<{_LABEL_WIDTH}}: {terminal_text(value) if value not in (None, '') else '—'}"
        for label, value in pairs
    )


def result_card(result: LookupResult) -> str:
    """A few lines for one RUC or DNI result."""
    kind = result.kind.value.upper()
    if result.status is not LookupStatus.OK:
        suffix = f" — {terminal_text(result.message)}" if result.message else ""
        if result.source is ResultSource.PADRON:
            suffix += f" ({result.source_label})"
        return f"{kind} {result.number}: {result.status.label}{suffix}"
    tp = result.taxpayer
    if tp is not None:
        pairs: list[tuple[str, Any]] = [
            ("Razón social", tp.razon_social),
            ("Estado", tp.estado),
            ("Condición", tp.condicion),
            ("Apto para facturar", "Sí" if tp.apto_para_facturar else "No"),
            ("Dirección", tp.direccion or tp.direccion_simple),
            ("Ubigeo", tp.ubigeo),
            ("Actualizado en", format_datetime(tp.actualizado_en)),
        ]
    else:
        person = result.person
        pairs = [("Nombre", person.nombre if person else "")]
    lines = [f"{kind} {result.number}", _rows(pairs)]
    if result.from_cache:
        lines.append(f"  (respuesta guardada del {format_datetime(result.fetched_at)})")
    if result.source is ResultSource.PADRON:
        lines.append(f"  (fuente: {result.source_label}, sin conexión)")
    return "\n".join(lines)


def representatives_block(reps: list[Representative]) -> str:
    if not reps:
        return "  Representantes legales: ninguno registrado"
    lines = ["  Representantes legales:"]
    for rep in reps:
        since = f", desde {format_date(rep.desde)}" if rep.desde else ""
        text = f"{rep.nombre} ({rep.documento} {rep.numero}) — {rep.cargo}"
        lines.append(f"    - {terminal_text(text)}{since}")
    return "\n".join(lines)


def rates_table(rates: Sequence[ExchangeRate | DayRate]) -> str:
    """One line per day; when a day carries a rate over (DayRate.carried), a «Publicado» column says when
    SUNAT published the rate that applies."""
    if not rates:
        return "No hay tipo de cambio publicado para esas fechas."
    carried = any(isinstance(r, DayRate) and r.carried for r in rates)
    lines = [f"{'Fecha':<12}{'Moneda':<8}{'Compra':>10}{'Venta':>10}" + ("  Publicado" if carried else "")]
    for rate in rates:
        moneda = terminal_text(rate.moneda)
        line = (
            f"{format_date(rate.fecha):<12}{moneda:<8}{fmt_rate(rate.compra):>10}{fmt_rate(rate.venta):>10}"
        )
        if carried and isinstance(rate, DayRate):
            line += f"  {format_date(rate.publicado)}" if rate.carried else "  (ese día)"
        lines.append(line)
    return "\n".join(lines)


def account_card(account: Account) -> str:
    remaining = account.consultas_restantes
    return "Cuenta de Migo\n" + _rows(
        [
            ("Nombre", account.nombre),
            ("Correo", account.email),
            ("Consultas restantes", fmt_int(remaining) if remaining is not None else None),
        ]
    )


def invalid_line(raw: str, reason: str) -> str:
    return f"{terminal_text(raw)}: {reason}"


def account_dict(account: Account) -> dict[str, Any]:
    return {
        "nombre": account.nombre,
        "email": account.email,
        "consultas_restantes": account.consultas_restantes,
    }


def dumps(value: Any) -> str:
    """JSON for stdout: UTF-8 text, indented, dates and Decimals as strings."""
    return json_text(json.dumps(value, ensure_ascii=False, indent=2, default=str))
