"""Cell sanitising for exports. Values from the API (and from the user's file) are untrusted.

- Control characters are stripped (they corrupt the XML and openpyxl refuses them), lone surrogates too.
- Text that starts with ``= + - @`` (or tab/CR) must never become a formula: in .xlsx it is written as a
  string cell with Excel's "quote prefix" style (shown as typed, stays text when edited); in .csv it gets a
  leading apostrophe, the usual CSV-injection defence, because Excel evaluates it on open.
- Excel's cell limit (32,767 characters) is respected.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

__all__ = [
    "MAX_CELL_CHARS",
    "clean_text",
    "csv_id",
    "csv_text",
    "display_text",
    "is_formula_like",
    "id_text",
]

MAX_CELL_CHARS = 32_767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def clean_text(value: str) -> str:
    """Strip control characters and surrogates; cap at Excel's limit."""
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - 1] + "…"
    return value


def is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def id_text(value: Any) -> Any:
    """An identifier cell as text: 20131312955.0 -> '20131312955' (never scientific notation)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    return value


def display_text(value: Any, *, decimal_comma: bool = False) -> str:
    """A plain-text rendering (CSV, previews): integral floats without '.0', ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        text = repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, Decimal):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return clean_text(str(value))


def csv_text(value: Any, *, decimal_comma: bool = False) -> str:
    text = display_text(value, decimal_comma=decimal_comma)
    if isinstance(value, str) and is_formula_like(text):
        return "'" + text
    return text


def csv_id(value: Any) -> str:
    """An identifier for CSV: digits get a leading tab, so Excel opens them as text.

    Without it a double-click in Excel turns 20131312955 into 2.01313E+10 in a narrow column and drops the
    leading zero of DNI 01234567. The tab is not a formula (``="…"`` would be one) and is invisible; our own
    importer, like most programs, strips it (docs/contracts.md, «CSV»).
    """
    text = id_text(value)
    if isinstance(text, str) and text.isascii() and text.isdigit():
        return "\t" + text
    return csv_text(text)
