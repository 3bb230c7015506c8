"""A padrón row as the app's own models: :class:`~migo_desktop.core.models.Taxpayer` inside a
:class:`~migo_desktop.core.models.LookupResult` marked ``source=PADRON`` with the padrón's date, so every
consumer (engine, exports, GUI, CLI) can say «Padrón 28/11/2026» instead of «Migo, en vivo».

Places come from UBIGEO (the file's «DEPARTAMENTO» column is the apartment number, kept as ``dpto``), and
``direccion_simple``/``direccion`` are composed the way the API composes them.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from typing import NamedTuple

from ..models import IdKind, LookupResult, LookupStatus, ResultSource, Taxpayer, normalize_state
from ..ubigeo import place
from .lines import ADDRESS_FIELDS

__all__ = ["PadronRecord", "address_fields", "not_in_padron", "to_result", "to_taxpayer"]

_LABELS = (("numero", "NRO."), ("kilometro", "KM."), ("manzana", "MZA."), ("lote", "LOTE."),
           ("interior", "INT."), ("dpto", "DPTO."))  # fmt: skip


class PadronRecord(NamedTuple):
    """One stored row, still raw: ``direccion`` is the 10 address fields joined by ``|`` (or None)."""

    ruc: str
    nombre: str
    estado: str
    condicion: str
    ubigeo: str
    direccion: str | None


def _clean(value: str) -> str:
    value = value.strip()
    return "" if not value.strip("- ") else value


_NO_ADDRESS = dict.fromkeys(ADDRESS_FIELDS, "")


@functools.lru_cache(maxsize=256)
def _state(text: str) -> str:
    return normalize_state(text)


def address_fields(raw: str | None) -> dict[str, str]:
    if not raw:
        return _NO_ADDRESS
    values = raw.split("|")
    values += [""] * (len(ADDRESS_FIELDS) - len(values))
    return {key: _clean(value) for key, value in zip(ADDRESS_FIELDS, values, strict=False)}


def _simple_address(parts: dict[str, str]) -> str:
    out = [parts["tipo_de_via"], parts["nombre_de_via"]]
    for key, label in _LABELS:
        if parts[key]:
            out += [label, parts[key]]
    out += [parts["codigo_de_zona"], parts["tipo_de_zona"]]  # file order: the zone type, then its name
    return " ".join(p for p in out if p)


def to_taxpayer(record: PadronRecord, fecha: date | None) -> Taxpayer:
    parts = address_fields(record.direccion)
    where = place(record.ubigeo) if record.ubigeo else None
    simple = _simple_address(parts) if record.direccion else ""
    region = (where.departamento, where.provincia, where.distrito) if where else ("", "", "")
    full = " ".join(p for p in (simple, *region) if p) if simple else ""
    return Taxpayer(
        ruc=record.ruc,
        razon_social=record.nombre,
        estado=_state(record.estado),
        condicion=_state(record.condicion),
        ubigeo=record.ubigeo,
        **parts,
        distrito=region[2],
        provincia=region[1],
        departamento=region[0],
        direccion_simple=simple,
        direccion=full,
        actualizado_en=datetime.combine(fecha, time()) if fecha else None,
    )


def to_result(record: PadronRecord, fecha: date | None) -> LookupResult:
    return LookupResult(
        kind=IdKind.RUC,
        number=record.ruc,
        status=LookupStatus.OK,
        data=to_taxpayer(record, fecha),
        fetched_at=datetime.combine(fecha, time()) if fecha else None,
        source=ResultSource.PADRON,
        source_date=fecha,
    )


def not_in_padron(ruc: str, fecha: date | None) -> LookupResult:
    """A valid RUC the padrón does not list: NO ENCONTRADO, by the padrón of that date."""
    return LookupResult(
        kind=IdKind.RUC,
        number=ruc,
        status=LookupStatus.NOT_FOUND,
        message="No figura en el padrón SUNAT",
        fetched_at=datetime.combine(fecha, time()) if fecha else None,
        source=ResultSource.PADRON,
        source_date=fecha,
    )
