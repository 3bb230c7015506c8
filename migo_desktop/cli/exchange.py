"""`migo tc`: the SUNAT exchange rate — the latest, one date or a range.

migo tc --fecha 29/01/2026              migo tc --desde 2026-01-01 --hasta 2026-01-31
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from ..core.exchange_days import DayRate, applicable_days, lookback_start
from .common import DEMO_NOTE, EXIT_OK, EXIT_USAGE, add_common_options, open_client, resolve_settings, run_cli
from .format import dumps, rates_table

__all__ = ["parse_day", "register"]


def parse_day(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"fecha no válida: «{text}» (usa AAAA-MM-DD o DD/MM/AAAA)")


def register(subparsers: Any) -> None:
    tc = subparsers.add_parser(
        "tc",
        help="tipo de cambio del dólar (SUNAT)",
        description="Tipo de cambio: el último publicado, el de una fecha o el de un rango de fechas.",
    )
    when = tc.add_mutually_exclusive_group()
    when.add_argument("--fecha", type=parse_day, metavar="F", help="una fecha (AAAA-MM-DD o DD/MM/AAAA)")
    when.add_argument("--desde", type=parse_day, metavar="F", help="inicio del rango (con --hasta)")
    tc.add_argument("--hasta", type=parse_day, metavar="F", help="fin del rango (con --desde)")
    add_common_options(tc)
    tc.set_defaults(func=_cmd_tc)


# -- commands ------------------------------------------------------------------------------------------------
def _cmd_tc(args: argparse.Namespace) -> int:
    if (args.desde is None) != (args.hasta is None):
        print("Error: para un rango indica --desde y --hasta.", file=sys.stderr)
        return EXIT_USAGE
    if args.desde and args.desde > args.hasta:
        print("Error: --desde debe ser anterior o igual a --hasta.", file=sys.stderr)
        return EXIT_USAGE
    return run_cli(lambda: _tc(args), verbose=args.verbose)


async def _tc(args: argparse.Namespace) -> int:
    """A date or range follows the accountant's rule (core/exchange_days): a day without publication
    (Sunday, holiday) gets the last rate published before it, marked with the day it was published."""
    settings = resolve_settings(args)
    if settings.demo:
        print(DEMO_NOTE, file=sys.stderr)
    start: date | None = args.fecha or args.desde
    async with open_client(settings) as client:
        if start is not None:
            end: date = args.fecha or args.hasta
            published = await client.exchange_range(lookback_start(start), end)
            days = applicable_days(start, end, published)
        else:
            rate = await client.exchange_latest()
            days = [DayRate.of(rate.fecha, rate)] if rate else []
    if args.json:
        items = [_day_dict(d) for d in days]
        print(dumps(items if args.desde else (items[0] if items else None)))
        return EXIT_OK
    print(rates_table(days))
    if any(d.carried for d in days):
        print(
            "SUNAT no publica tipo de cambio los domingos ni feriados: esos días rige el último publicado "
            "antes (columna «Publicado»).",
            file=sys.stderr,
        )
    return EXIT_OK


def _day_dict(day: DayRate) -> dict[str, Any]:
    return {
        "fecha": day.fecha.isoformat(),
        "moneda": day.moneda,
        "compra": str(day.compra),
        "venta": str(day.venta),
        "publicado": day.publicado.isoformat(),
    }
