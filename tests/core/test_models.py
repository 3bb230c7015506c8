"""Models: API dicts with '-' placeholders and underscores become clean values; apto is computed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from migo_desktop.core.models import (
    Account,
    ExchangeRate,
    IdKind,
    LookupResult,
    LookupStatus,
    Person,
    Representative,
    ResultSource,
    Taxpayer,
    is_apto,
    normalize_state,
    source_label,
)

API = {
    "success": True,
    "ruc": "20131312955",
    "nombre_o_razon_social": "  SUNAT  ",
    "estado_del_contribuyente": "ACTIVO",
    "condicion_de_domicilio": "NO_HABIDO",
    "ubigeo": "150101",
    "tipo_de_via": "-",
    "nombre_de_via": "-",
    "interior": "-",
    "distrito": "LIMA",
    "direccion": "-",
    "actualizado_en": "2026-01-28 03:12:45",
}


def test_from_api_cleans_placeholders_and_states():
    tp = Taxpayer.from_api(API)
    assert tp.razon_social == "SUNAT"
    assert tp.tipo_de_via == "" and tp.nombre_de_via == "" and tp.interior == "" and tp.direccion == ""
    assert tp.condicion == "NO HABIDO"  # underscores normalised
    assert tp.estado == "ACTIVO" and not tp.apto_para_facturar
    assert tp.actualizado_en == datetime(2026, 1, 28, 3, 12, 45)
    assert tp.lote == "" and tp.manzana == ""  # missing keys


@pytest.mark.parametrize(
    ("estado", "condicion", "apto"),
    [
        ("ACTIVO", "HABIDO", True),
        ("activo ", "habido", True),
        ("ACTIVO", "NO_HABIDO", False),
        ("ACTIVO", "NO HALLADO", False),
        ("BAJA DE OFICIO", "HABIDO", False),
        ("SUSPENSION TEMPORAL", "HABIDO", False),
        ("-", "-", False),
        (None, None, False),
    ],
)
def test_apto_para_facturar(estado, condicion, apto):
    assert is_apto(estado, condicion) is apto
    tp = Taxpayer.from_api({**API, "estado_del_contribuyente": estado, "condicion_de_domicilio": condicion})
    assert tp.apto_para_facturar is apto


def test_normalize_state():
    assert normalize_state(" no_habido ") == "NO HABIDO"
    assert normalize_state("BAJA  PROV. POR OFICI") == "BAJA PROV. POR OFICI"
    assert normalize_state("-") == "" and normalize_state(None) == ""


def test_taxpayer_dict_round_trip():
    tp = Taxpayer.from_api({**API, "condicion_de_domicilio": "HABIDO"})
    data = tp.to_dict()
    assert data["apto_para_facturar"] is True and data["actualizado_en"] == "2026-01-28 03:12:45"
    assert Taxpayer.from_dict(data) == tp


def test_bad_or_missing_date_is_none():
    assert Taxpayer.from_api({**API, "actualizado_en": "ayer"}).actualizado_en is None
    assert Taxpayer.from_api({**API, "actualizado_en": "-"}).actualizado_en is None
    assert Taxpayer.from_api({**API, "actualizado_en": "2026-01-28"}).actualizado_en == datetime(2026, 1, 28)


def test_exchange_rate_decimal():
    rate = ExchangeRate.from_api({"fecha": "2026-01-29", "precio_compra": " 3.360", "precio_venta": "3.368"})
    assert rate.compra == Decimal("3.360") and rate.moneda == "USD" and rate.fecha == date(2026, 1, 29)
    assert rate.to_dict() == {"fecha": "2026-01-29", "moneda": "USD", "compra": "3.360", "venta": "3.368"}
    with pytest.raises(ValueError):
        ExchangeRate.from_api({"precio_compra": "1", "precio_venta": "1"})


def test_person_representative_account():
    assert Person.from_api({"dni": "01234567", "nombre": " PEREZ "}) == Person("01234567", "PEREZ")
    rep = Representative.from_api({"documento": "DNI", "dni": "1", "nombre": "X", "cargo": "-", "fecha": "-"})
    assert rep.cargo == "" and rep.desde is None
    acc = Account.from_api({"success": True, "data": {"name": "N", "saldo": "12", "token": "secret"}})
    assert acc.consultas_restantes == 12 and acc.nombre == "N" and "token" not in acc.raw


def test_lookup_result_to_dict_uses_spanish_labels():
    fetched = datetime(2026, 1, 2, 3, 4, 5)
    result = LookupResult(
        IdKind.RUC, "20131312955", LookupStatus.NOT_FOUND, message="No existe", fetched_at=fetched
    )
    assert result.to_dict() == {
        "tipo": "ruc",
        "numero": "20131312955",
        "resultado": "NO ENCONTRADO",
        "mensaje": "No existe",
        "consultado_en": "2026-01-02 03:04:05",
        "desde_cache": False,
        "fuente": "Migo, en vivo",
        "datos": None,
    }
    assert LookupStatus.INVALID.label == "INVÁLIDO" and LookupStatus.DUPLICATE.label == "DUPLICADO"


def test_result_source_labels_say_padron_with_its_date_or_migo_live():
    padron = LookupResult(
        IdKind.RUC, "20131312955", LookupStatus.OK, source=ResultSource.PADRON, source_date=date(2026, 11, 28)
    )
    assert padron.source_label == "Padrón 28/11/2026" and padron.to_dict()["fuente"] == "Padrón 28/11/2026"
    assert LookupResult(IdKind.RUC, "20131312955", LookupStatus.OK).source_label == "Migo, en vivo"
    assert source_label(ResultSource.PADRON, None) == "Padrón"
