"""Numbers as SUNAT publishes them (es-PE): thousands with «,», decimals with «.» — in the GUI and the CLI.

    fmt_int(12345)            -> '12,345'
    fmt_dec(3.7519, 3)        -> '3.752'
    fmt_dec(1234.5, 1)        -> '1,234.5'
    fmt_percent(0.4567)       -> '45.7 %'
    fmt_seconds(7.25)         -> '7.3 s'
    fmt_duration(3725)        -> '1:02:05'
    plural(1, "fila tiene", "filas tienen") -> '1 fila tiene';  plural(1200, …) -> '1,200 filas tienen'

One module so every count, rate, time and exchange rate looks the same wherever it is shown. Qt-free: the
desktop (``ui/base/numbers.py`` re-exports it) and the ``migo`` command both use it.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["fmt_dec", "fmt_duration", "fmt_int", "fmt_percent", "fmt_rate", "fmt_seconds", "plural"]


def fmt_int(value: int | float | Decimal) -> str:
    """A count with the es-PE thousands separator: 12345 -> '12,345'."""
    return f"{int(value):,}"


def fmt_dec(value: float | Decimal, places: int = 1) -> str:
    """A decimal number with ``places`` decimals: 1234.5 -> '1,234.5' (thousands «,», decimal «.»)."""
    return f"{value:,.{places}f}"


def fmt_rate(value: float | Decimal) -> str:
    """An exchange rate as SUNAT publishes it: three decimals, '3.752'."""
    return fmt_dec(value, 3)


def fmt_percent(fraction: float, places: int = 1) -> str:
    """0.4567 -> '45.7 %' (a space before the sign, as Spanish style guides ask)."""
    return f"{fmt_dec(100.0 * fraction, places)} %"


def fmt_seconds(seconds: float) -> str:
    """Elapsed seconds with one decimal: 7.25 -> '7.3 s'; 1234.5 -> '1,234.5 s'."""
    return f"{fmt_dec(seconds, 1)} s"


def fmt_duration(seconds: float | None) -> str:
    """A remaining or elapsed time as h:mm:ss or m:ss; None -> '--:--'."""
    if seconds is None:
        return "--:--"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def plural(count: int, one: str, many: str) -> str:
    """A count and the words that agree with it — never «fila(s)»: '1 fila tiene', '3 filas tienen'."""
    return f"{fmt_int(count)} {one if count == 1 else many}"
