"""RUC and DNI from what people really have in spreadsheet cells.

``parse_identifier(cell)`` turns an int, a float such as 20131312955.0, or text with spaces, NBSP, tabs, a
leading apostrophe, or dashes/dots between digit groups into a canonical RUC (11 digits, prefix and check
digit verified with python-stdnum) or DNI (8 digits, leading zeros kept) — or says, in Spanish, exactly why
not. Lossy scientific notation ("2.01313E+10") is flagged, never guessed; notation that writes every digit
("2.0100070970E+10") is exact and is read.

``ruc_fast(cell)`` is the import loop's fast path: the RUC of a plain 11-digit cell, without building an
``IdCheck`` (None means "ask ``parse_identifier``"); a property test holds it to the general answers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stdnum.pe import cui as stdnum_dni

from .models import IdKind
from .ruc_fast import RUC_PREFIXES, ruc_fast
from .ruc_fast import ruc_check_digit as _ruc_check_digit

__all__ = [
    "RUC_PREFIXES",
    "IdCheck",
    "Reasons",
    "parse_identifier",
    "ruc_fast",
    "ruc_from_dni",
    "validate_ruc",
]


class Reasons:
    """The Spanish rejection reasons (one place, so tests and the UI agree)."""

    EMPTY = "Celda vacía"
    SCIENTIFIC = (
        "Número en notación científica ({text}): Excel perdió dígitos. Escribe el número completo como texto"
    )
    DECIMAL = "Tiene decimales ({text}); un RUC o DNI es un número entero"
    NEGATIVE = "Es un número negativo"
    NOT_DIGITS = "Tiene {what} además de dígitos ({text})"  # what: letras / símbolos / letras y símbolos
    NOT_A_NUMBER = "Es texto, no un RUC ni un DNI ({text})"
    LETTERS = "letras"
    SYMBOLS = "símbolos"
    LETTERS_AND_SYMBOLS = "letras y símbolos"
    LENGTH = "Tiene {n} dígitos; un RUC tiene 11 (un DNI, 8)"
    LENGTH_DNI = "Tiene {n} dígitos; un DNI tiene 8"
    LENGTH_DNI_ZERO = (
        "Tiene 7 dígitos: si es un DNI, Excel pudo quitar el cero inicial (escríbelo como texto: 0{digits})"
    )
    PREFIX = "Un RUC empieza con 10, 15, 16, 17 o 20 (este empieza con {prefix})"
    CHECK_DIGIT = "Dígito verificador incorrecto"
    DNI_CHECK = "Carácter de verificación del DNI incorrecto"


@dataclass(frozen=True, slots=True)
class IdCheck:
    """Outcome of reading one cell. Exactly one of ``number`` / ``reason`` is set, unless ``blank``."""

    kind: IdKind | None
    number: str | None
    reason: str | None
    blank: bool = False

    @property
    def ok(self) -> bool:
        return self.number is not None


_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")
_SEPARATORS = re.compile(r"(?<=\d)[-.‐‑–—/ ](?=\d)")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DNI_WITH_CHECK = re.compile(r"^([0-9]{8})[-\s]?([0-9A-Ka-k])$")
_QUOTES = "'‘’`´\""
# Full-width digits (copied from some PDFs/IMEs) are read as ASCII; any other non-ASCII digit is rejected.
_FULLWIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}


def _blank(kind: IdKind | None = None) -> IdCheck:
    return IdCheck(kind, None, Reasons.EMPTY, blank=True)


def _reject(reason: str, kind: IdKind | None = None) -> IdCheck:
    return IdCheck(kind, None, reason)


def validate_ruc(digits: str) -> str | None:
    """Reason why an 11-digit string is not a valid RUC, or None."""
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return Reasons.LENGTH.format(n=len(digits))
    if digits[:2] not in RUC_PREFIXES:
        return Reasons.PREFIX.format(prefix=digits[:2])
    # Length, digits, prefix and check digit are everything stdnum's ruc.validate() checks; calling it as
    # well doubled the cost of an import (~45% of build_plan on 100k rows) without changing any answer.
    if digits[-1] != _ruc_check_digit(digits):
        return Reasons.CHECK_DIGIT
    return None


def ruc_from_dni(dni: str) -> str:
    """A natural person's RUC: 10 + DNI + check digit."""
    return stdnum_dni.to_ruc(dni)


def describe_junk(text: str) -> str:
    """Why a cell that is not a number cannot be a RUC or DNI, in words, with the cell as written."""
    shown = text if len(text) <= 30 else text[:29] + "…"
    quoted = f"«{shown}»"
    if not any("0" <= c <= "9" for c in text):
        return Reasons.NOT_A_NUMBER.format(text=quoted)
    letters = any(c.isalpha() for c in text)
    symbols = any(not c.isalpha() and not "0" <= c <= "9" for c in text)
    what = (
        Reasons.LETTERS_AND_SYMBOLS
        if letters and symbols
        else Reasons.LETTERS
        if letters
        else Reasons.SYMBOLS
    )
    return Reasons.NOT_DIGITS.format(what=what, text=quoted)


def _number_to_text(value: float | int | Decimal) -> str | IdCheck:
    if isinstance(value, bool):
        return _reject(Reasons.NOT_A_NUMBER.format(text="«VERDADERO»" if value else "«FALSO»"))
    if isinstance(value, float):
        if not math.isfinite(value):
            return _reject(describe_junk(str(value)))
        if not value.is_integer():
            return _reject(Reasons.DECIMAL.format(text=repr(value)))
        value = int(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            return _reject(Reasons.DECIMAL.format(text=str(value)))
        value = int(value)
    if value < 0:
        return _reject(Reasons.NEGATIVE)
    return str(value)


def _text_to_digits(text: str) -> str | IdCheck:
    text = _SPACES.sub(" ", text.translate(_FULLWIDTH_DIGITS)).strip().strip(_QUOTES).strip()
    if not text:
        return _blank()
    compact = text.replace(" ", "")
    if _SCIENTIFIC.match(compact):
        exact = _exact_scientific(compact)
        return exact if exact is not None else _reject(Reasons.SCIENTIFIC.format(text=compact))
    # "20131312955.0" from a CSV round-trip of a float cell.
    if re.fullmatch(r"\d+\.0+", compact):
        compact = compact.split(".")[0]
    if re.fullmatch(r"\d+[.,]\d+", compact) and len(compact.replace(".", "").replace(",", "")) not in (8, 11):
        return _reject(Reasons.DECIMAL.format(text=compact))
    return compact


def _exact_scientific(text: str) -> str | None:
    """The digits of notation that writes them all ("2.0100070970E+10" -> "20100070970"), else None.

    Exact only when the mantissa shows at least as many digits as the number has: "2.01313E+10" shows 6 of
    11 (Excel dropped 5), "2.010007097E+10" shows 10 (the last 0 may be a lost digit), so both are refused.
    """
    mantissa, _, _ = text.lower().partition("e")
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
    if value <= 0 or value != value.to_integral_value():
        return None
    digits = str(int(value))
    shown = mantissa.lstrip("+").replace(".", "").replace(",", "").lstrip("0")
    return digits if len(shown) >= len(digits) else None


def parse_identifier(value: Any, *, expect: IdKind | None = None) -> IdCheck:
    """Read one cell. ``expect`` is the column's kind when known (a DNI column pads lost leading zeros)."""
    if value is None:
        return _blank(expect)
    # Fast path for the commonest cell, an 11-digit RUC as text, int or integral float: the same answer as
    # the general path below at a quarter of the cost (100k-row imports).
    kind = type(value)
    if kind is str and len(value) == 11 and value.isascii() and value.isdigit():
        reason = validate_ruc(value)
        return IdCheck(IdKind.RUC, None if reason else value, reason)
    if (kind is float or kind is int) and 10_000_000_000 <= value < 100_000_000_000 and value == int(value):
        digits = str(int(value))
        reason = validate_ruc(digits)
        return IdCheck(IdKind.RUC, None if reason else digits, reason)
    numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if isinstance(value, (int, float, Decimal, bool)):
        text = _number_to_text(value)
    else:
        raw = str(value)
        text = _text_to_digits(raw)
    if isinstance(text, IdCheck):
        return text if text.kind or not expect else IdCheck(expect, text.number, text.reason, text.blank)

    # A DNI with its optional verification character: "12345678-9", "12345678 K".
    match = _DNI_WITH_CHECK.match(text)
    if match and (not text.isdigit() or expect is IdKind.DNI):
        dni, check = match.groups()
        if check.upper() not in stdnum_dni.calc_check_digits(dni):
            return _reject(Reasons.DNI_CHECK, IdKind.DNI)
        return IdCheck(IdKind.DNI, dni, None)

    digits = _SEPARATORS.sub("", text)
    if not (digits.isascii() and digits.isdigit()):
        return _reject(describe_junk(_SPACES.sub(" ", str(value)).strip() or text), expect)

    n = len(digits)
    if n == 11:
        reason = validate_ruc(digits)
        return IdCheck(IdKind.RUC, None if reason else digits, reason)
    if n == 8:
        return IdCheck(IdKind.DNI, digits, None)
    if numeric and expect is IdKind.DNI and 5 <= n < 8:
        return IdCheck(IdKind.DNI, digits.zfill(8), None)
    if expect is IdKind.DNI:
        return _reject(Reasons.LENGTH_DNI.format(n=n), IdKind.DNI)
    if numeric and n == 7:
        return _reject(Reasons.LENGTH_DNI_ZERO.format(digits=digits))
    return _reject(Reasons.LENGTH.format(n=n), expect)
