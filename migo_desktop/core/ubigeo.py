"""UBIGEO → departamento / provincia / distrito, from INEI's district table shipped as package data.

``migo_desktop/resources/ubigeo_inei.csv`` (1,891 districts; provenance in ``resources/ubigeo_inei.md`` at
the repository root) keeps INEI's accents (ÁNCASH, HUÁNUCO). SUNAT and the Migo API write places in upper
case without accents except the Ñ (ANCASH, HUANUCO, PARIÑAS), so :func:`place` answers in that spelling by
default and the padrón's records read exactly like the API's; ``accents=True`` gives INEI's own spelling.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["UBIGEO_CSV", "Place", "all_places", "place", "sunat_spelling"]

UBIGEO_CSV = Path(__file__).resolve().parents[1] / "resources" / "ubigeo_inei.csv"


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    departamento: str
    provincia: str
    distrito: str


def sunat_spelling(name: str) -> str:
    """'ÁNCASH' -> 'ANCASH', 'PARIÑAS' stays: drop accents, keep Ñ (how SUNAT writes place names)."""
    out = []
    for char in name.upper():
        if char == "Ñ":
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


@functools.cache
def _table(accents: bool) -> dict[str, Place]:
    table: dict[str, Place] = {}
    with UBIGEO_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = [row["departamento"], row["provincia"], row["distrito"]]
            if not accents:
                names = [sunat_spelling(n) for n in names]
            table[row["ubigeo"]] = Place(row["ubigeo"], names[0], names[1], names[2])
    return table


def place(code: str | int | None, *, accents: bool = False) -> Place | None:
    """The district for a 6-digit ubigeo ('150101', or 150101 as stored), or None when unknown/empty."""
    if code is None or code == "" or code == "-":
        return None
    text = f"{code:06d}" if isinstance(code, int) else code.strip().zfill(6)
    return _table(accents).get(text)


def all_places(*, accents: bool = False) -> tuple[Place, ...]:
    """Every district, sorted by code."""
    return tuple(_table(accents).values())
