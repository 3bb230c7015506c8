"""The demo endpoints through the httpx transport: shapes per MIGO_API.md, auth, validation, stats, quota."""

from __future__ import annotations

import re
from datetime import date

import pytest

from migo_desktop.core.models import Account, ExchangeRate, Person, Representative, Taxpayer
from migo_desktop.core.settings import ApiSettings
from migo_desktop.demo import (
    DEMO_BASE_URL,
    DEMO_LABEL,
    DEMO_TOKEN,
    QUOTA_MESSAGE,
    DemoApi,
    DemoRequest,
    FaultPlan,
    data,
    demo_settings,
)

from .helpers import get_v2, handle, make_ruc, post, valid_rucs

TODAY = date(2026, 1, 29)
MISSING_RUC = next(r for r in valid_rucs(500) if data.taxpayer(r, TODAY) is None)
FOUND_RUC = next(r for r in valid_rucs(500) if data.taxpayer(r, TODAY) is not None)


@pytest.fixture
def api() -> DemoApi:
    return DemoApi(today=lambda: TODAY)


def test_ruc_answers_the_flat_object(api):
    r = post(api, "ruc", ruc="20131312955")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["success"] is True and "data" not in body
    assert body["nombre_o_razon_social"].startswith("SUPERINTENDENCIA NACIONAL DE ADUANAS")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", body["actualizado_en"])
    assert Taxpayer.from_api(body).apto_para_facturar


def test_not_found_invalid_and_missing_numbers(api):
    r = post(api, "ruc", ruc=MISSING_RUC)
    assert r.status_code == 404 and r.json()["success"] is False and MISSING_RUC in r.json()["message"]
    bad = post(api, "ruc", ruc="20123456789")  # wrong check digit (MIGO_API.md)
    assert bad.status_code == 422
    assert bad.json()["success"] is False and bad.json()["errors"]["ruc"]
    for wrong in ("2013131295", "201313129550", "2013131295X", 20131312955, ""):
        r = post(api, "ruc", ruc=wrong)
        assert r.status_code == 422 and "ruc" in r.json()["errors"], wrong
    assert post(api, "ruc").status_code == 422


def test_bad_or_missing_token_is_401(api):
    for token in (None, "", "otro-token"):
        r = post(api, "ruc", token=token, ruc="20131312955")
        assert r.status_code == 401 and r.json() == {"message": "Unauthenticated."}
    assert post(DemoApi(tokens=frozenset({"mio"})), "ruc", token="mio", ruc="20131312955").status_code == 200
    assert api.stats.by_status[401] == 3 and api.stats.answered == {}


def test_dni(api):
    r = post(api, "dni", dni="45678912")
    body = r.json()
    assert r.status_code == 200 and set(body) == {"success", "dni", "nombre"} and body["dni"] == "45678912"
    assert Person.from_api(body).nombre == body["nombre"]
    missing = next(
        f"{40_000_000 + i:08d}" for i in range(1000) if data.person(f"{40_000_000 + i:08d}") is None
    )
    assert post(api, "dni", dni=missing).status_code == 404
    for wrong in ("1234567", "123456789", "1234567A"):
        r = post(api, "dni", dni=wrong)
        assert r.status_code == 422 and "dni" in r.json()["errors"]


def test_exchange_endpoints(api):
    latest = post(api, "exchange/latest").json()
    assert set(latest) == {"success", "fecha", "moneda", "precio_compra", "precio_venta"}
    assert latest["fecha"] == "2026-01-29" and isinstance(latest["precio_venta"], str)
    ExchangeRate.from_api(latest)
    one = post(api, "exchange/date", fecha="2026-01-28")
    assert one.status_code == 200 and one.json()["fecha"] == "2026-01-28"
    assert post(api, "exchange/date", fecha="2026-01-25").status_code == 404  # Sunday
    assert post(api, "exchange/date", fecha="2026-01-30").status_code == 404  # tomorrow
    assert post(api, "exchange/date", fecha="29/01/2026").status_code == 422
    rng = post(api, "exchange", fecha_inicio="2026-01-01", fecha_fin="2026-01-31")
    body = rng.json()
    assert rng.status_code == 200 and body["success"] is True
    days = [row["fecha"] for row in body["data"]]
    assert days[0] == "2026-01-02" and days[-1] == "2026-01-29" and "2026-01-04" not in days
    assert post(api, "exchange", fecha_inicio="2026-01-04", fecha_fin="2026-01-04").status_code == 404
    assert post(api, "exchange", fecha_inicio="2026-01-31", fecha_fin="2026-01-01").status_code == 422
    assert post(api, "exchange", fecha_inicio="2024-01-01", fecha_fin="2026-01-01").status_code == 422


def test_representatives(api):
    r = post(api, "ruc/representantes-legales", ruc=FOUND_RUC)
    body = r.json()
    assert r.status_code == 200 and body["success"] is True and 1 <= len(body["data"]) <= 3
    reps = [Representative.from_api(x) for x in body["data"]]
    assert all(rep.ruc == FOUND_RUC and len(rep.numero) == 8 and rep.desde for rep in reps)
    assert post(api, "ruc/representantes-legales", ruc=MISSING_RUC).status_code == 404
    assert post(api, "ruc/representantes-legales", ruc="20123456789").status_code == 422


def test_account_says_demo(api):
    body = post(api, "account").json()
    assert body["success"] is True and "demo" in body["nombre"].lower() and body["email"] == "demo@ejemplo.pe"
    assert Account.from_api(body).consultas_restantes == body["consultas_restantes"] > 0
    assert DEMO_LABEL == "Datos de demostración"


def test_collection_answers_each_number_and_counts_them(api):
    numbers = [FOUND_RUC, MISSING_RUC, "20123456789", "20131312955"]
    r = post(api, "ruc/collection", ruc=numbers)
    body = r.json()
    assert r.status_code == 200 and body["success"] is True and [x["ruc"] for x in body["data"]] == numbers
    assert [x["success"] for x in body["data"]] == [True, False, False, True]
    assert body["data"][0] == post(api, "ruc", ruc=FOUND_RUC).json()
    assert api.stats.answered == {FOUND_RUC: 2, MISSING_RUC: 1, "20131312955": 1}
    assert post(api, "ruc/collection", ruc=valid_rucs(101)).status_code == 422
    assert post(api, "ruc/collection", ruc="20131312955").status_code == 422
    as_list = post(DemoApi(collection="list"), "ruc/collection", ruc=numbers[:1]).json()
    assert isinstance(as_list, list) and as_list[0]["ruc"] == FOUND_RUC
    assert post(DemoApi(collection=None), "ruc/collection", ruc=numbers[:1]).status_code == 404


def test_v2_get_style_with_bearer(api):
    v2 = get_v2(api, "/ruc/20131312955")
    assert v2.status_code == 200 and v2.json() == post(api, "ruc", ruc="20131312955").json()
    assert get_v2(api, "/dni/45678912").json()["dni"] == "45678912"
    assert get_v2(api, "/ruc/20131312955", token=None).status_code == 401
    assert get_v2(api, "/ruc/20123456789").status_code == 422
    assert get_v2(api, "/exchange/latest").json()["fecha"] == "2026-01-29"
    assert get_v2(api, "/exchange/2026-01-28").json()["fecha"] == "2026-01-28"
    assert get_v2(api, "/exchange", fecha="2026-01-28").json()["fecha"] == "2026-01-28"
    rng = get_v2(api, "/exchange", fecha_inicio="2026-01-26", fecha_fin="2026-01-28").json()
    assert [x["fecha"] for x in rng["data"]] == ["2026-01-26", "2026-01-27", "2026-01-28"]
    assert get_v2(api, f"/ruc/{FOUND_RUC}/representantes-legales").json()["data"][0]["ruc"] == FOUND_RUC
    assert get_v2(api, "/account").json()["nombre"] == "Cuenta demo"


def test_v1_also_accepts_bearer_and_refuses_get(api):
    reply = handle(api, "ruc", token=None, ruc="20131312955")
    assert reply.status == 401
    req = DemoRequest(
        "POST", "/api/v1/ruc", authorization=f"Bearer {DEMO_TOKEN}", body=b'{"ruc":"20131312955"}'
    )
    assert api.handle(req).status == 200
    assert api.handle(DemoRequest("GET", "/api/v1/ruc")).status == 405
    assert api.handle(DemoRequest("POST", "/api/v1/nada", body=b"{}")).status == 404
    assert api.handle(DemoRequest("POST", "/api/v1/ruc", body=b"not json")).status == 401


def test_stats_count_requests_answers_statuses_and_endpoints(api):
    post(api, "ruc", ruc=FOUND_RUC)
    post(api, "ruc", ruc=FOUND_RUC)
    post(api, "ruc", ruc=MISSING_RUC)
    post(api, "ruc", ruc="20123456789")
    post(api, "dni", dni="45678912")
    post(api, "exchange/latest")
    snap = api.stats.snapshot()
    assert snap.requests == 6
    assert snap.answered == {FOUND_RUC: 2, MISSING_RUC: 1, "45678912": 1} and snap.answered_total == 4
    assert snap.answered_more_than_once() == {FOUND_RUC: 2}
    assert snap.by_status == {200: 4, 404: 1, 422: 1}
    assert snap.by_endpoint == {"ruc": 4, "dni": 1, "exchange/latest": 1}
    assert type(snap).from_json(snap.to_json()) == snap
    api.reset()
    assert api.stats.requests == 0 and api.stats.snapshot().answered == {}


def test_quota_mode_refuses_with_saldo_after_n_answers():
    api = DemoApi(faults=FaultPlan(quota=3))
    rucs = valid_rucs(6)
    assert post(api, "ruc", ruc="20123456789").status_code == 422  # does not count
    statuses = [post(api, "ruc", ruc=r).status_code for r in rucs[:3]]
    assert all(s in (200, 404) for s in statuses)
    refused = post(api, "ruc", ruc=rucs[3])
    assert refused.status_code == 403 and "saldo" in refused.json()["message"]
    assert refused.json() == {"success": False, "message": QUOTA_MESSAGE}
    assert post(api, "dni", dni="45678912").status_code == 403
    assert post(api, "exchange/latest").status_code == 200  # only lookups are metered
    assert post(api, "account").json()["consultas_restantes"] == 0
    assert api.stats.snapshot().answered_total == 3 and api.stats.snapshot().faults == {"quota": 2}
    api.reset()
    assert post(api, "ruc", ruc=rucs[4]).status_code in (200, 404)
    assert post(DemoApi(faults=FaultPlan(quota=0, quota_status=402)), "ruc", ruc=rucs[0]).status_code == 402


def test_demo_settings_point_at_a_non_routable_host():
    settings = demo_settings(concurrency=4)
    assert isinstance(settings, ApiSettings) and settings.demo and settings.token == DEMO_TOKEN
    assert (
        settings.base_url == DEMO_BASE_URL and ".invalid" in settings.base_url and settings.concurrency == 4
    )
    assert DEMO_TOKEN not in repr(DemoApi())


def test_same_number_same_answer_across_instances_and_seeds():
    ruc = make_ruc("20", 55_555_555)
    answers = {post(DemoApi(seed=seed, today=lambda: TODAY), "ruc", ruc=ruc).text for seed in (0, 1, 99)}
    assert len(answers) == 1
