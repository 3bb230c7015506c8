"""The demo register: ubigeo table, names, state mix, not-found rate, exchange rates, representatives."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from migo_desktop.core.ids import validate_ruc
from migo_desktop.core.models import Taxpayer, is_apto
from migo_desktop.core.ubigeo import all_places
from migo_desktop.demo import data
from migo_desktop.demo.ubigeos import DEPARTMENTS, UBIGEOS, by_code, pick_ubigeo

from .helpers import make_ruc, valid_rucs

TODAY = date(2026, 1, 29)
RUC_KEYS = {
    "success", "ruc", "nombre_o_razon_social", "estado_del_contribuyente", "condicion_de_domicilio", "ubigeo",
    "tipo_de_via", "nombre_de_via", "codigo_de_zona", "tipo_de_zona", "numero", "interior", "lote", "dpto",
    "manzana", "kilometro", "distrito", "provincia", "departamento", "direccion_simple", "direccion",
    "actualizado_en",
}  # fmt: skip


def test_ubigeo_table_is_inei_s_in_sunat_spelling():
    assert {u.code for u in UBIGEOS} == {p.code for p in all_places()} and len(UBIGEOS) == 1891
    assert len(DEPARTMENTS) == 25 and DEPARTMENTS["07"] == "CALLAO"
    assert by_code("020101").departamento == "ANCASH"  # INEI writes ÁNCASH; SUNAT and the API, ANCASH
    assert by_code("200105").distrito == "CATACAOS" and by_code("200201").provincia == "AYABACA"
    assert by_code("150101").distrito == "LIMA" and by_code("999999") is None


def test_ubigeo_table_is_consistent():
    provinces: dict[str, str] = {}
    for u in UBIGEOS:
        assert re.fullmatch(r"\d{6}", u.code), u
        assert DEPARTMENTS[u.code[:2]] == u.departamento, u
        assert u.code[2:4] != "00" and u.code[4:] != "00", u
        assert provinces.setdefault(u.code[:4], u.provincia) == u.provincia, u  # one name per province code
        assert u.distrito and u.provincia and u.weight > 0
        assert not set("ÁÉÍÓÚÜ") & set(u.departamento + u.provincia + u.distrito), u
    regions = {u.departamento for u in UBIGEOS}
    for needed in ("LIMA", "AREQUIPA", "CUSCO", "LA LIBERTAD", "PIURA", "LAMBAYEQUE", "JUNIN", "CALLAO"):
        assert needed in regions
    assert any("Ñ" in u.distrito for u in UBIGEOS)  # the Ñ stays


def test_pick_ubigeo_is_weighted_towards_lima():
    picks = Counter(pick_ubigeo(data.stable_hash("u", str(i))).departamento for i in range(5000))
    assert picks["LIMA"] / 5000 > 0.4
    assert len(picks) >= 15


def test_sunat_answers_its_real_data():
    record = data.taxpayer("20131312955", TODAY)
    assert record["nombre_o_razon_social"].endswith("- SUNAT")
    assert record["direccion"] == "AV. GARCILASO DE LA VEGA NRO. 1472 LIMA LIMA LIMA"
    assert (record["ubigeo"], record["numero"], record["estado_del_contribuyente"]) == (
        "150101",
        "1472",
        "ACTIVO",
    )


def test_taxpayer_shape_and_values_are_plausible():
    for ruc in valid_rucs(300):
        record = data.taxpayer(ruc, TODAY)
        if record is None:
            continue
        assert set(record) == RUC_KEYS
        assert record["success"] is True and record["ruc"] == ruc
        assert all(isinstance(v, str) and v.strip() == v and v for k, v in record.items() if k != "success")
        place = by_code(record["ubigeo"])
        assert (place.departamento, place.provincia, place.distrito) == (
            record["departamento"], record["provincia"], record["distrito"],
        )  # fmt: skip
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", record["actualizado_en"])
        assert record["tipo_de_via"] in ("AV.", "JR.", "CAL.", "PJ.", "CAR.", "-")
        assert re.search(
            r"(S\.A\.C\.|S\.A\.|E\.I\.R\.L\.|S\.R\.L\.|S\.A\.A\.|LIMITADA)$", record["nombre_o_razon_social"]
        )
        assert "DEMO" not in record["nombre_o_razon_social"]
        Taxpayer.from_api(record)  # the app's own model accepts it


def test_addresses_use_dash_for_empty_parts_and_vary():
    records = [r for r in (data.taxpayer(x, TODAY) for x in valid_rucs(400)) if r]
    assert sum(r["interior"] == "-" for r in records) > len(records) / 2
    assert len({r["tipo_de_via"] for r in records}) >= 4
    assert any(r["manzana"] != "-" and r["lote"] != "-" for r in records)
    assert any(r["codigo_de_zona"] == "URB." for r in records)
    with_numero = [r for r in records if r["numero"] != "-"]
    assert with_numero and all(f"NRO. {r['numero']}" in r["direccion_simple"] for r in with_numero)
    full = [r for r in records if r["direccion"] != "-"]
    assert all(r["direccion"].startswith(r["direccion_simple"]) for r in full)


def test_not_found_rate_is_about_five_percent_and_never_for_the_documented_rucs():
    rucs = valid_rucs(2000)
    missing = sum(data.taxpayer(r, TODAY) is None for r in rucs)
    assert 0.03 <= missing / 2000 <= 0.07
    for known in ("20131312955", "20100070970", "20100038146"):
        assert data.taxpayer(known, TODAY) is not None


def test_state_mix_is_about_seventy_percent_apto():
    records = [r for r in (data.taxpayer(x, TODAY) for x in valid_rucs(2000, start=10_000_000)) if r]
    apto = sum(is_apto(r["estado_del_contribuyente"], r["condicion_de_domicilio"]) for r in records)
    assert 0.65 <= apto / len(records) <= 0.75
    estados = {r["estado_del_contribuyente"] for r in records}
    condiciones = {r["condicion_de_domicilio"] for r in records}
    assert {
        "ACTIVO",
        "BAJA DE OFICIO",
        "BAJA DEFINITIVA",
        "SUSPENSION TEMPORAL",
        "BAJA PROV. POR OFICI",
    } <= estados
    assert {"HABIDO", "NO HABIDO", "NO HALLADO", "PENDIENTE"} <= condiciones
    assert all(len(e) <= 20 for e in estados)  # SUNAT truncates to 20 characters
    assert sum(p for *_, p in data.STATES) == 1000


def test_same_number_same_answer_and_different_numbers_differ():
    a, b = make_ruc("20", 12_345_678), make_ruc("20", 12_345_679)
    assert data.taxpayer(a, TODAY) == data.taxpayer(a, TODAY)
    names = {
        data.taxpayer(r, TODAY)["nombre_o_razon_social"] for r in valid_rucs(200) if data.taxpayer(r, TODAY)
    }
    assert len(names) > 150
    assert validate_ruc(a) is None and a != b


def test_company_names_look_peruvian():
    names = [r["nombre_o_razon_social"] for r in (data.taxpayer(x, TODAY) for x in valid_rucs(500)) if r]
    forms = Counter(n.rsplit(" ", 1)[-1] for n in names)
    assert forms["S.A.C."] > forms["S.A.A."] and forms["E.I.R.L."] > 0 and forms["S.R.L."] > 0
    assert any("HNOS" in n for n in names) and any(n.startswith("INVERSIONES ") for n in names)


def test_person_ruc_carries_the_dni_name():
    for dni in ("45678912", "07654321", "40000001"):
        ruc = make_ruc("10", int(dni))
        person, taxpayer = data.person(dni), data.taxpayer(ruc, TODAY)
        if person and taxpayer:
            assert taxpayer["nombre_o_razon_social"] == person["nombre"]
            assert len(person["nombre"].split()) >= 3  # two surnames, then given names


def test_dni_not_found_rate():
    missing = sum(data.person(f"{40_000_000 + i * 37:08d}") is None for i in range(2000))
    assert 0.03 <= missing / 2000 <= 0.07


def test_exchange_rates_are_plausible_smooth_and_skip_sundays_and_holidays():
    day, previous, previous_day = date(2024, 1, 1), None, date(2024, 1, 1)
    for _ in range(3 * 365):
        rate = data.exchange_rate(day)
        if day.weekday() == 6 or data.is_holiday(day):
            assert rate is None
        else:
            buy, sell = Decimal(rate["precio_compra"]), Decimal(rate["precio_venta"])
            assert Decimal("3.3") <= buy < sell <= Decimal("3.9")
            assert re.fullmatch(r"\d\.\d{3}", rate["precio_compra"])
            if previous is not None:  # smooth: about a centavo per calendar day at most
                assert abs(buy - previous) <= Decimal("0.011") * (day - previous_day).days
            previous, previous_day = buy, day
        day += timedelta(days=1)
    assert data.exchange_rate(date(2026, 7, 28)) is None  # Fiestas Patrias
    assert data.exchange_rate(date(2026, 4, 3)) is None  # Good Friday 2026
    assert data.exchange_rate(TODAY + timedelta(days=1), TODAY) is None  # the future


def test_exchange_range_and_latest():
    rates = data.exchange_range(date(2026, 3, 28), date(2026, 4, 6), TODAY + timedelta(days=365))
    days = [r["fecha"] for r in rates]
    assert "2026-03-29" not in days and "2026-04-02" not in days and "2026-03-30" in days
    assert all(set(r) == {"fecha", "moneda", "precio_compra", "precio_venta"} for r in rates)
    sunday = date(2026, 2, 1)
    assert data.latest_exchange_rate(sunday)["fecha"] == "2026-01-31"


def test_representatives_are_one_to_three_and_resolvable_by_dni():
    counts = Counter()
    for ruc in valid_rucs(200):
        people = data.representatives(ruc)
        if data.taxpayer(ruc, TODAY) is None:
            assert people is None
            continue
        counts[len(people)] += 1
        assert people[0]["cargo"] in ("GERENTE GENERAL", "TITULAR-GERENTE")
        for p in people:
            assert set(p) == {"documento", "dni", "nombre", "cargo", "fecha", "ruc"} and p["ruc"] == ruc
            assert data.person(p["dni"])["nombre"] == p["nombre"]
            date.fromisoformat(p["fecha"])
    assert set(counts) == {1, 2, 3}
    assert data.representatives(make_ruc("10", 45_678_912)) is None
