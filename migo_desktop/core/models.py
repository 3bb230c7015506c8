"""Typed values the rest of the app passes around. Frozen dataclasses, no I/O, no Qt."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "Account",
    "ExchangeRate",
    "IdKind",
    "LookupResult",
    "LookupStatus",
    "Person",
    "Representative",
    "ResultSource",
    "Taxpayer",
    "is_apto",
    "normalize_state",
    "source_label",
]


class IdKind(str, enum.Enum):  # noqa: UP042 - str() of a member stays 'IdKind.RUC' as callers expect
    RUC = "ruc"
    DNI = "dni"


class LookupStatus(str, enum.Enum):  # noqa: UP042 - see IdKind
    """Every input row ends in exactly one of these (DESIGN.md §4)."""

    OK = "ok"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    ERROR = "error"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    LookupStatus.OK: "OK",
    LookupStatus.NOT_FOUND: "NO ENCONTRADO",
    LookupStatus.INVALID: "INVÁLIDO",
    LookupStatus.DUPLICATE: "DUPLICADO",
    LookupStatus.ERROR: "ERROR",
    LookupStatus.PENDING: "PENDIENTE",
}


class ResultSource(str, enum.Enum):  # noqa: UP042 - see IdKind
    """Where an answer came from: the live Migo API (or its cache) or the offline SUNAT padrón."""

    MIGO = "migo"
    PADRON = "padron"


def source_label(source: ResultSource, source_date: date | None) -> str:
    """«Padrón 28/11/2026» or «Migo, en vivo»: what the GUI, the CLI and the exports' «Fuente» column say."""
    if source is ResultSource.PADRON:
        return f"Padrón {source_date:%d/%m/%Y}" if source_date else "Padrón"
    return "Migo, en vivo"


def normalize_state(value: str | None) -> str:
    """'no_habido ' -> 'NO HABIDO'; '-' or None -> ''."""
    if value is None:
        return ""
    text = " ".join(str(value).replace("_", " ").split()).upper()
    return "" if text == "-" else text


def is_apto(estado: str | None, condicion: str | None) -> bool:
    """ "Apto para facturar": estado ACTIVO and condición HABIDO (computed client-side)."""
    return normalize_state(estado) == "ACTIVO" and normalize_state(condicion) == "HABIDO"


def _clean(value: Any) -> str:
    """API strings: strip; the API's '-' placeholder becomes ''."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text == "-" else text


def _parse_datetime(value: Any) -> datetime | None:
    text = _clean(value)
    if not text:
        return None
    head = text[:19]
    if (
        len(head) == 19 and head[10] in " T" and head[4] == head[7] == "-" and head[13] == head[16] == ":"
    ) or (len(head) == 10 and head[4] == head[7] == "-"):
        try:  # the usual shapes, ~20x cheaper than strptime (it runs once per answer in bulk runs)
            return datetime.fromisoformat(head)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
    return None


def _parse_date(value: Any) -> date | None:
    parsed = _parse_datetime(value)
    return parsed.date() if parsed else None


@dataclass(frozen=True, slots=True)
class Taxpayer:
    ruc: str
    razon_social: str
    estado: str = ""
    condicion: str = ""
    ubigeo: str = ""
    tipo_de_via: str = ""
    nombre_de_via: str = ""
    codigo_de_zona: str = ""
    tipo_de_zona: str = ""
    numero: str = ""
    interior: str = ""
    lote: str = ""
    dpto: str = ""
    manzana: str = ""
    kilometro: str = ""
    distrito: str = ""
    provincia: str = ""
    departamento: str = ""
    direccion_simple: str = ""
    direccion: str = ""
    actualizado_en: datetime | None = None

    @property
    def apto_para_facturar(self) -> bool:
        return is_apto(self.estado, self.condicion)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Taxpayer:
        return cls(
            ruc=_clean(data.get("ruc")),
            razon_social=_clean(data.get("nombre_o_razon_social")),
            estado=normalize_state(data.get("estado_del_contribuyente")),
            condicion=normalize_state(data.get("condicion_de_domicilio")),
            ubigeo=_clean(data.get("ubigeo")),
            tipo_de_via=_clean(data.get("tipo_de_via")),
            nombre_de_via=_clean(data.get("nombre_de_via")),
            codigo_de_zona=_clean(data.get("codigo_de_zona")),
            tipo_de_zona=_clean(data.get("tipo_de_zona")),
            numero=_clean(data.get("numero")),
            interior=_clean(data.get("interior")),
            lote=_clean(data.get("lote")),
            dpto=_clean(data.get("dpto")),
            manzana=_clean(data.get("manzana")),
            kilometro=_clean(data.get("kilometro")),
            distrito=_clean(data.get("distrito")),
            provincia=_clean(data.get("provincia")),
            departamento=_clean(data.get("departamento")),
            direccion_simple=_clean(data.get("direccion_simple")),
            direccion=_clean(data.get("direccion")),
            actualizado_en=_parse_datetime(data.get("actualizado_en")),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["actualizado_en"] = self.actualizado_en.isoformat(sep=" ") if self.actualizado_en else None
        out["apto_para_facturar"] = self.apto_para_facturar
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxpayer:
        kwargs = {k: data.get(k, "") or "" for k in cls.__dataclass_fields__ if k != "actualizado_en"}
        return cls(**kwargs, actualizado_en=_parse_datetime(data.get("actualizado_en")))


@dataclass(frozen=True, slots=True)
class Person:
    dni: str
    nombre: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Person:
        return cls(dni=_clean(data.get("dni")), nombre=_clean(data.get("nombre")))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Person:
        return cls(dni=data.get("dni", ""), nombre=data.get("nombre", ""))


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    fecha: date
    moneda: str
    compra: Decimal
    venta: Decimal

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ExchangeRate:
        fecha = _parse_date(data.get("fecha"))
        if fecha is None:
            raise ValueError("fecha missing")
        return cls(
            fecha=fecha,
            moneda=_clean(data.get("moneda")) or "USD",
            compra=Decimal(str(data.get("precio_compra")).strip()),
            venta=Decimal(str(data.get("precio_venta")).strip()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "fecha": self.fecha.isoformat(),
            "moneda": self.moneda,
            "compra": str(self.compra),
            "venta": str(self.venta),
        }


@dataclass(frozen=True, slots=True)
class Representative:
    documento: str
    numero: str
    nombre: str
    cargo: str
    desde: date | None
    ruc: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Representative:
        return cls(
            documento=_clean(data.get("documento")),
            numero=_clean(data.get("dni") or data.get("numero_documento") or data.get("numero")),
            nombre=_clean(data.get("nombre")),
            cargo=_clean(data.get("cargo")),
            desde=_parse_date(data.get("fecha")),
            ruc=_clean(data.get("ruc")),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["desde"] = self.desde.isoformat() if self.desde else None
        return out


@dataclass(frozen=True, slots=True)
class Account:
    """The /account answer [one source]: kept mostly raw, with the fields we know pulled out."""

    nombre: str = ""
    email: str = ""
    consultas_restantes: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Account:
        inner = data.get("data")
        body: dict[str, Any] = inner if isinstance(inner, dict) else data
        remaining = None
        for key in ("consultas_restantes", "saldo", "remaining", "queries_left", "creditos"):
            if key in body:
                try:
                    remaining = int(str(body[key]).strip())
                except ValueError:
                    remaining = None
                break
        raw = {k: v for k, v in body.items() if k != "token"}
        return cls(
            nombre=_clean(body.get("nombre") or body.get("name")),
            email=_clean(body.get("email") or body.get("correo")),
            consultas_restantes=remaining,
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class LookupResult:
    """The answer for one RUC or DNI: found (OK + data), NOT_FOUND, or a local/remote INVALID/ERROR."""

    kind: IdKind
    number: str
    status: LookupStatus
    data: Taxpayer | Person | None = None
    message: str = ""
    fetched_at: datetime | None = None
    from_cache: bool = False
    source: ResultSource = ResultSource.MIGO
    source_date: date | None = None  # the padrón's date when source is PADRON

    @property
    def source_label(self) -> str:
        return source_label(self.source, self.source_date)

    @property
    def taxpayer(self) -> Taxpayer | None:
        return self.data if isinstance(self.data, Taxpayer) else None

    @property
    def person(self) -> Person | None:
        return self.data if isinstance(self.data, Person) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tipo": self.kind.value,
            "numero": self.number,
            "resultado": self.status.label,
            "mensaje": self.message,
            "consultado_en": self.fetched_at.isoformat(sep=" ", timespec="seconds")
            if self.fetched_at
            else None,
            "desde_cache": self.from_cache,
            "fuente": self.source_label,
            "datos": self.data.to_dict() if self.data is not None else None,
        }
