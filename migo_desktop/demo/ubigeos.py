"""Where the demo register's taxpayers live: every INEI district (:mod:`migo_desktop.core.ubigeo`, the table
shipped as package data), spelled the way SUNAT writes them (upper case, no accents except Ñ), weighted
towards Lima like the real register. Deterministic: the pick is driven by a hash of the RUC.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..core.ubigeo import all_places

__all__ = ["DEPARTMENTS", "UBIGEOS", "Ubigeo", "by_code", "pick_ubigeo"]


@dataclass(frozen=True, slots=True)
class Ubigeo:
    code: str
    departamento: str
    provincia: str
    distrito: str
    weight: int  # relative frequency in the demo register


def _weight(code: str) -> int:
    """Lima Metropolitana holds about 45% of the demo's addresses, then Callao, department capitals
    (xx0101) and province capitals (xxyy01); every other district still appears now and then."""
    if code.startswith("1501"):
        return 50
    if code.startswith("0701"):
        return 10
    if code.endswith("0101"):
        return 20
    return 3 if code.endswith("01") else 1


UBIGEOS: tuple[Ubigeo, ...] = tuple(
    Ubigeo(p.code, p.departamento, p.provincia, p.distrito, _weight(p.code)) for p in all_places()
)
# INEI department codes (first two digits of every ubigeo).
DEPARTMENTS: dict[str, str] = {u.code[:2]: u.departamento for u in UBIGEOS}

_BY_CODE = {u.code: u for u in UBIGEOS}
_CUMULATIVE: list[int] = []
_total = 0
for _item in UBIGEOS:
    _total += _item.weight
    _CUMULATIVE.append(_total)


def pick_ubigeo(value: int) -> Ubigeo:
    """A weighted, deterministic choice driven by any non-negative integer (e.g. a hash)."""
    return UBIGEOS[bisect.bisect_right(_CUMULATIVE, value % _total)]


def by_code(code: str) -> Ubigeo | None:
    return _BY_CODE.get(code)
