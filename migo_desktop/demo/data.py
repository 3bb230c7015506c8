"""The demo register: deterministic, plausible answers derived from the number alone (never from the
fault seed). Pure functions returning the API's JSON shapes (MIGO_API.md); no HTTP here.

- ``taxpayer(ruc, today)`` → the flat RUC object, or None when this RUC "does not exist" (~5%).
- ``person(dni)`` → ``{"dni", "nombre"}`` or None (~5%); a prefix-10 RUC carries the same name.
- ``exchange_rate(day)`` → USD rate or None on Sundays, holidays and future days.
- ``representatives(ruc)`` → 1–3 people for prefix-20 RUCs.
"""

from __future__ import annotations

import hashlib
import math
import random
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .names import company_name, organisation_name, person_name, street
from .ubigeos import pick_ubigeo

__all__ = [
    "ALWAYS_FOUND",
    "STATES",
    "exchange_range",
    "exchange_rate",
    "is_holiday",
    "latest_exchange_rate",
    "person",
    "representatives",
    "stable_hash",
    "taxpayer",
    "taxpayer_not_found",
]

# Numbers the docs use as "valid": always answer.
ALWAYS_FOUND = frozenset({"20131312955", "20100070970", "20100038146"})
NOT_FOUND_PER_MILLE = 50

# (estado, condición, per mille): ~70% ACTIVO/HABIDO ("apto para facturar").
STATES: tuple[tuple[str, str, int], ...] = (
    ("ACTIVO", "HABIDO", 700),
    ("ACTIVO", "NO HABIDO", 50),
    ("ACTIVO", "NO HALLADO", 20),
    ("ACTIVO", "PENDIENTE", 10),
    ("BAJA DE OFICIO", "NO HABIDO", 60),
    ("BAJA DE OFICIO", "HABIDO", 20),
    ("BAJA DEFINITIVA", "HABIDO", 60),
    ("SUSPENSION TEMPORAL", "HABIDO", 50),
    ("SUSPENSION TEMPORAL", "NO HABIDO", 10),
    ("BAJA PROV. POR OFICI", "NO HABIDO", 20),
)

_SUNAT = {
    "ruc": "20131312955",
    "nombre_o_razon_social": "SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT",
    "estado_del_contribuyente": "ACTIVO",
    "condicion_de_domicilio": "HABIDO",
    "ubigeo": "150101",
    "tipo_de_via": "AV.",
    "nombre_de_via": "GARCILASO DE LA VEGA",
    "codigo_de_zona": "-",
    "tipo_de_zona": "-",
    "numero": "1472",
    "interior": "-",
    "lote": "-",
    "dpto": "-",
    "manzana": "-",
    "kilometro": "-",
    "distrito": "LIMA",
    "provincia": "LIMA",
    "departamento": "LIMA",
    "direccion_simple": "AV. GARCILASO DE LA VEGA NRO. 1472",
    "direccion": "AV. GARCILASO DE LA VEGA NRO. 1472 LIMA LIMA LIMA",
}


def stable_hash(label: str, number: str) -> int:
    """A 64-bit hash that is the same on every run and platform (unlike ``hash()``)."""
    return int.from_bytes(hashlib.blake2b(f"{label}:{number}".encode(), digest_size=8).digest(), "big")


def _rng(label: str, number: str) -> random.Random:
    return random.Random(stable_hash(label, number))


@lru_cache(maxsize=65536)
def _ruc_rolls(ruc: str) -> tuple[int, int, int, int, int]:
    """Independent draws for one RUC from a single digest (the cold path of a bulk run is hot here):
    not-found roll, state roll, ubigeo pick, update-time pick, and the seed for everything else."""
    d = hashlib.blake2b(ruc.encode(), digest_size=32, person=b"migo-demo-ruc").digest()
    return (
        int.from_bytes(d[0:4], "big") % 1000,
        int.from_bytes(d[4:8], "big") % 1000,
        int.from_bytes(d[8:16], "big"),
        int.from_bytes(d[16:20], "big"),
        int.from_bytes(d[20:32], "big"),
    )


def taxpayer_not_found(ruc: str) -> bool:
    return ruc not in ALWAYS_FOUND and _ruc_rolls(ruc)[0] < NOT_FOUND_PER_MILLE


def _state(ruc: str) -> tuple[str, str]:
    roll = _ruc_rolls(ruc)[1]
    for estado, condicion, per_mille in STATES:
        if roll < per_mille:
            return estado, condicion
        roll -= per_mille
    return STATES[0][0], STATES[0][1]


def _address_text(p: dict[str, str]) -> str:
    out = [p["tipo_de_via"], p["nombre_de_via"]]
    for key, label in (("numero", "NRO."), ("kilometro", "KM."), ("manzana", "MZA."), ("lote", "LOTE."),
                       ("interior", "INT."), ("dpto", "DPTO.")):  # fmt: skip
        if p[key] != "-":
            out += [label, p[key]]
    if p["codigo_de_zona"] != "-":
        out += [p["codigo_de_zona"], p["tipo_de_zona"]]
    return " ".join(out)


_ADDRESS_KEYS = ("tipo_de_via", "nombre_de_via", "numero", "interior", "lote", "dpto", "manzana", "kilometro",
                 "codigo_de_zona", "tipo_de_zona", "direccion_simple", "direccion")  # fmt: skip


def _updated_at(ruc: str, today: date) -> str:
    """A night-time refresh one to three days ago (Migo reloads the padrón daily)."""
    pick = _ruc_rolls(ruc)[3]
    day = today - timedelta(days=1 + pick % 3)
    seconds = (pick // 3) % (6 * 3600)
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@lru_cache(maxsize=4096)
def _taxpayer_static(ruc: str) -> dict[str, str] | None:
    if taxpayer_not_found(ruc):
        return None
    if ruc == _SUNAT["ruc"]:
        return dict(_SUNAT)
    rng = random.Random(_ruc_rolls(ruc)[4])
    prefix = ruc[:2]
    if prefix == "10":
        name = _person_name(ruc[2:10])
    elif prefix == "20":
        name = company_name(rng)
    else:
        name = organisation_name(rng)
    estado, condicion = _state(ruc)
    place = pick_ubigeo(_ruc_rolls(ruc)[2])
    parts = street(rng)
    simple = _address_text(parts)
    record = {
        "ruc": ruc,
        "nombre_o_razon_social": name,
        "estado_del_contribuyente": estado,
        "condicion_de_domicilio": condicion,
        "ubigeo": place.code,
        **parts,
        "distrito": place.distrito,
        "provincia": place.provincia,
        "departamento": place.departamento,
        "direccion_simple": simple,
        "direccion": f"{simple} {place.departamento} {place.provincia} {place.distrito}",
    }
    if condicion != "HABIDO" and rng.random() < 0.5:  # SUNAT often blanks the address of these
        for key in _ADDRESS_KEYS:
            record[key] = "-"
    return record


def taxpayer(ruc: str, today: date) -> dict[str, Any] | None:
    """The flat v1 RUC answer (``success`` included), or None for a valid RUC that is not registered."""
    static = _taxpayer_static(ruc)
    if static is None:
        return None
    return {"success": True, **static, "actualizado_en": _updated_at(ruc, today)}


@lru_cache(maxsize=4096)
def _person_name(dni: str) -> str:
    return person_name(_rng("person", dni))


def person(dni: str) -> dict[str, Any] | None:
    if stable_hash("dni-404", dni) % 1000 < NOT_FOUND_PER_MILLE:
        return None
    return {"success": True, "dni": dni, "nombre": _person_name(dni)}


# --- exchange rates ---------------------------------------------------------------------------------------
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (6, 7), (6, 29), (7, 23), (7, 28), (7, 29), (8, 6), (8, 30), (10, 8),
                   (11, 1), (12, 8), (12, 9), (12, 25)}  # fmt: skip


def _easter(year: int) -> date:
    """Anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def is_holiday(day: date) -> bool:
    """Peruvian national holidays, including Holy Thursday and Good Friday."""
    if (day.month, day.day) in _FIXED_HOLIDAYS:
        return True
    easter = _easter(day.year)
    return day in (easter - timedelta(days=3), easter - timedelta(days=2))


def exchange_rate(day: date, today: date | None = None) -> dict[str, Any] | None:
    """USD rate for ``day``: smooth in time, within 3.3–3.9; None on Sundays, holidays and future days."""
    if day.weekday() == 6 or is_holiday(day) or (today is not None and day > today):
        return None
    t = day.toordinal()
    mid = (
        3.6
        + 0.18 * math.sin(2 * math.pi * t / 730)
        + 0.07 * math.sin(2 * math.pi * t / 97 + 1.3)
        + 0.01 * math.sin(2 * math.pi * t / 23 + 0.4)
    )
    return {
        "success": True,
        "fecha": day.isoformat(),
        "moneda": "USD",
        "precio_compra": f"{mid - 0.004:.3f}",
        "precio_venta": f"{mid + 0.004:.3f}",
    }


def latest_exchange_rate(today: date) -> dict[str, Any]:
    day = today
    while (rate := exchange_rate(day)) is None:
        day -= timedelta(days=1)
    return rate


def exchange_range(start: date, end: date, today: date) -> list[dict[str, Any]]:
    out = []
    day = start
    while day <= end:
        rate = exchange_rate(day, today)
        if rate is not None:
            out.append({k: v for k, v in rate.items() if k != "success"})
        day += timedelta(days=1)
    return out


# --- legal representatives --------------------------------------------------------------------------------
_CARGOS = ("GERENTE GENERAL", "GERENTE", "APODERADO", "SUB GERENTE", "PRESIDENTE DE DIRECTORIO", "DIRECTOR")


def representatives(ruc: str) -> list[dict[str, str]] | None:
    """1–3 people for an existing prefix-20 RUC; None otherwise (the API answers 404)."""
    static = _taxpayer_static(ruc)
    if static is None or not ruc.startswith("20"):
        return None
    rng = _rng("reps", ruc)
    eirl = "E.I.R.L." in static["nombre_o_razon_social"] or "INDIVIDUAL" in static["nombre_o_razon_social"]
    count = 1 if eirl else rng.randint(1, 3)
    cargos = ["TITULAR-GERENTE"] if eirl else ["GERENTE GENERAL", *rng.sample(_CARGOS[1:], 2)]
    out = []
    for index in range(count):
        dni = f"{rng.randrange(10_000_000, 79_999_999):08d}"
        while person(dni) is None:  # representatives can always be looked up by DNI
            dni = f"{rng.randrange(10_000_000, 79_999_999):08d}"
        since = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 29 * 365))
        out.append(
            {
                "documento": "DNI",
                "dni": dni,
                "nombre": _person_name(dni),
                "cargo": cargos[index],
                "fecha": since.isoformat(),
                "ruc": ruc,
            }
        )
    return out
