"""The accountant's rule for SUNAT exchange rates: a day without publication uses the last rate published
before it.

SUNAT publishes no rate on Sundays and holidays (and none yet for today until it publishes). For those days
the rate that applies is the last one published before; ``applicable_days`` turns what SUNAT published into
one row per calendar day and says which rows carry a rate over. Qt-free: the desktop and the CLI can share it.

    published = await client.exchange_range(lookback_start(start), end)
    days = applicable_days(start, end, published)   # every day start..end; day.carried on Sundays, holidays
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .models import ExchangeRate

__all__ = ["LOOKBACK_DAYS", "DayRate", "applicable_days", "lookback_start"]

# The longest run of days without publication (Holy Thursday and Friday, then a weekend; or Christmas next
# to a weekend) is four days; ten leaves room for a longer closure without costing another call.
LOOKBACK_DAYS = 10


@dataclass(frozen=True)
class DayRate:
    """The rate that applies on ``fecha``: published that day, or carried over from ``publicado``."""

    fecha: date
    compra: Decimal
    venta: Decimal
    publicado: date  # the day SUNAT published this rate (== fecha unless carried over)
    moneda: str = "USD"

    @property
    def carried(self) -> bool:
        return self.publicado != self.fecha

    @classmethod
    def of(cls, day: date, rate: ExchangeRate) -> DayRate:
        return cls(day, rate.compra, rate.venta, rate.fecha, rate.moneda)


def lookback_start(start: date) -> date:
    """Where to start asking SUNAT so that ``start`` itself has a rate to carry over."""
    return start - timedelta(days=LOOKBACK_DAYS)


def applicable_days(start: date, end: date, published: Iterable[ExchangeRate]) -> list[DayRate]:
    """One row per calendar day from ``start`` to ``end`` with the rate that applies on it.

    Days before the first publication found are left out (nothing to carry over), so an empty list means
    SUNAT published nothing up to ``end``.
    """
    by_day = {r.fecha: r for r in published if r.fecha <= end}
    ordered = sorted(by_day)
    current: ExchangeRate | None = None
    for day in ordered:  # the last publication before start
        if day < start:
            current = by_day[day]
    out: list[DayRate] = []
    day = start
    while day <= end:
        current = by_day.get(day, current)
        if current is not None:
            out.append(DayRate.of(day, current))
        day += timedelta(days=1)
    return out
