"""Where the demo register's taxpayers live: every INEI district (:mod:`migo_desktop.core.ubigeo`, the table
shipped as package data), spelled the way SUNAT writes them (upper case, no accents except Ñ), weighted
towards Lima like the real register. Deterministic: the pick is driven by a hash of the RUC.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from ..core.ubigeo import all_places

__all__ = ["Ubigeo", "by_code", "pick_ubigeo"]  # and UBIGEOS, DEPARTMENTS (module __getattr__, lazy)


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


@dataclass(frozen=True, slots=True)
class _Register:
    ubigeos: tuple[Ubigeo, ...]
    departments: dict[str, str]  # INEI department codes (first two digits of every ubigeo) -> name
    by_code: dict[str, Ubigeo]
    cumulative: list[int]
    total: int


@functools.cache
def _register() -> _Register:
    """Built on first use, not at import: reading and respelling 1,891 districts costs ~0.1 s, and the app
    imports the demo package at start-up only for its settings (the window must not wait for it)."""
    ubigeos = tuple(
        Ubigeo(p.code, p.departamento, p.provincia, p.distrito, _weight(p.code)) for p in all_places()
    )
    cumulative: list[int] = []
    total = 0
    for item in ubigeos:
        total += item.weight
        cumulative.append(total)
    return _Register(
        ubigeos,
        {u.code[:2]: u.departamento for u in ubigeos},
        {u.code: u for u in ubigeos},
        cumulative,
        total,
    )


def __getattr__(name: str) -> object:  # UBIGEOS and DEPARTMENTS, computed on first use
    if name == "UBIGEOS":
        return _register().ubigeos
    if name == "DEPARTMENTS":
        return _register().departments
    raise AttributeError(name)


def pick_ubigeo(value: int) -> Ubigeo:
    """A weighted, deterministic choice driven by any non-negative integer (e.g. a hash)."""
    reg = _register()
    return reg.ubigeos[bisect.bisect_right(reg.cumulative, value % reg.total)]


def by_code(code: str) -> Ubigeo | None:
    return _register().by_code.get(code)
