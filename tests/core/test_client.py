"""MigoClient: every endpoint (v1 and v2) and every non-retried error row of MIGO_API.md, via respx."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import httpx
import pytest
import respx

from migo_desktop.core.client import USER_AGENT
from migo_desktop.core.errors import ApiFailure, AuthError, InvalidRequest, QuotaExceeded
from migo_desktop.core.models import IdKind, LookupStatus, Person, Taxpayer

from .client_helpers import (
    ACCOUNT_BODY,
    DNI_BODY,
    RANGE_BODY,
    RATE_BODY,
    REPS_BODY,
    RUC,
    RUC_BODY,
    TOKEN,
    V1,
    V2,
    run_with,
)


def _json(request: httpx.Request) -> dict:
    return json.loads(request.content)


# -- v1: POST with the token in the body ---------------------------------------------------------------------
def test_v1_ruc_posts_token_in_body_and_maps_taxpayer():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.post(f"{V1}/ruc").mock(return_value=httpx.Response(200, json=RUC_BODY))
        result = run_with(lambda c: c.ruc(RUC))
    request = route.calls.last.request
    assert _json(request) == {"token": TOKEN, "ruc": RUC}
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == USER_AGENT
    assert "authorization" not in request.headers
    assert result.kind is IdKind.RUC and result.status is LookupStatus.OK and result.number == RUC
    tp = result.taxpayer
    assert isinstance(tp, Taxpayer)
    assert tp.estado == "ACTIVO" and tp.condicion == "HABIDO" and tp.apto_para_facturar
    assert tp.interior == "" and tp.codigo_de_zona == ""  # "-" placeholders cleaned
    assert tp.actualizado_en == datetime(2026, 1, 28, 3, 12, 45)
    assert result.fetched_at is not None and result.fetched_at.microsecond == 0
    assert abs((datetime.now() - result.fetched_at).total_seconds()) < 5


def test_v1_dni():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.post(f"{V1}/dni").mock(return_value=httpx.Response(200, json=DNI_BODY))
        result = run_with(lambda c: c.dni("01234567"))
    assert _json(route.calls.last.request) == {"token": TOKEN, "dni": "01234567"}
    assert result.status is LookupStatus.OK and result.kind is IdKind.DNI
    assert result.person == Person(dni="01234567", nombre="PEREZ GARCIA JUAN CARLOS")


def test_v1_exchange_latest_date_and_range():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        latest = router.post(f"{V1}/exchange/latest").mock(return_value=httpx.Response(200, json=RATE_BODY))
        one = router.post(f"{V1}/exchange/date").mock(return_value=httpx.Response(200, json=RATE_BODY))
        rng = router.post(f"{V1}/exchange").mock(return_value=httpx.Response(200, json=RANGE_BODY))

        async def calls(c):
            return (
                await c.exchange_latest(),
                await c.exchange_date(date(2026, 1, 29)),
                await c.exchange_range(date(2026, 1, 28), date(2026, 1, 29)),
            )

        rate_latest, rate_day, rates = run_with(calls)
    assert _json(latest.calls.last.request) == {"token": TOKEN}
    assert _json(one.calls.last.request) == {"token": TOKEN, "fecha": "2026-01-29"}
    assert _json(rng.calls.last.request) == {
        "token": TOKEN,
        "fecha_inicio": "2026-01-28",
        "fecha_fin": "2026-01-29",
    }
    assert rate_latest.compra == Decimal("3.360") and isinstance(rate_latest.venta, Decimal)
    assert rate_day.fecha == date(2026, 1, 29) and rate_day.moneda == "USD"
    assert [r.fecha for r in rates] == [date(2026, 1, 28), date(2026, 1, 29)]
    assert rates[0].venta == Decimal("3.358")


def test_v1_representatives_and_account():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        reps_route = router.post(f"{V1}/ruc/representantes-legales").mock(
            return_value=httpx.Response(200, json=REPS_BODY)
        )
        acc_route = router.post(f"{V1}/account").mock(return_value=httpx.Response(200, json=ACCOUNT_BODY))

        async def calls(c):
            return await c.representatives(RUC), await c.account()

        reps, account = run_with(calls)
    assert _json(reps_route.calls.last.request) == {"token": TOKEN, "ruc": RUC}
    assert _json(acc_route.calls.last.request) == {"token": TOKEN}
    assert len(reps) == 1 and reps[0].cargo == "GERENTE GENERAL" and reps[0].desde == date(2015, 3, 2)
    assert reps[0].numero == "12345678"
    assert account.nombre == "Estudio Contable" and account.consultas_restantes == 950


# -- v2: GET with a Bearer header ----------------------------------------------------------------------------
V2_CASES = [
    ("ruc", lambda c: c.ruc(RUC), f"/ruc/{RUC}", RUC_BODY),
    ("dni", lambda c: c.dni("01234567"), "/dni/01234567", DNI_BODY),
    ("latest", lambda c: c.exchange_latest(), "/exchange/latest", RATE_BODY),
    ("reps", lambda c: c.representatives(RUC), f"/ruc/{RUC}/representantes-legales", REPS_BODY),
    ("account", lambda c: c.account(), "/account", ACCOUNT_BODY),
]


@pytest.mark.parametrize(("name", "fn", "path", "body"), V2_CASES, ids=[c[0] for c in V2_CASES])
def test_v2_endpoints_use_get_and_bearer(name, fn, path, body):
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.get(f"{V2}{path}").mock(return_value=httpx.Response(200, json=body))
        result = run_with(fn, version="v2")
    request = route.calls.last.request
    assert request.method == "GET"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert request.content == b""
    assert TOKEN not in str(request.url)
    assert result is not None


def test_v2_exchange_date_uses_query():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.get(f"{V2}/exchange/date").mock(return_value=httpx.Response(200, json=RATE_BODY))
        rate = run_with(lambda c: c.exchange_date(date(2026, 1, 29)), version="v2")
    assert dict(route.calls.last.request.url.params) == {"fecha": "2026-01-29"}
    assert rate.fecha == date(2026, 1, 29)


def test_v2_exchange_range_uses_query():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.get(f"{V2}/exchange").mock(return_value=httpx.Response(200, json=RANGE_BODY))
        rates = run_with(lambda c: c.exchange_range(date(2026, 1, 28), date(2026, 1, 29)), version="v2")
    params = dict(route.calls.last.request.url.params)
    assert params == {"fecha_inicio": "2026-01-28", "fecha_fin": "2026-01-29"}
    assert len(rates) == 2


def test_base_url_with_v1_is_switched_to_v2():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.get(f"{V2}/ruc/{RUC}").mock(return_value=httpx.Response(200, json=RUC_BODY))
        result = run_with(lambda c: c.ruc(RUC), version="v2", base_url=V1)
    assert result.status is LookupStatus.OK


# -- 404: answers, not errors --------------------------------------------------------------------------------
NOT_FOUND = {"success": False, "message": "No se encontró el RUC"}


def test_404_ruc_is_not_found_with_api_message():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.post(f"{V1}/ruc").mock(return_value=httpx.Response(404, json=NOT_FOUND))
        result = run_with(lambda c: c.ruc(RUC))
    assert result.status is LookupStatus.NOT_FOUND and result.data is None
    assert result.message == "No se encontró el RUC"
    assert result.fetched_at is not None


def test_404_dni_without_body_has_spanish_default():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.post(f"{V1}/dni").mock(return_value=httpx.Response(404, text=""))
        result = run_with(lambda c: c.dni("12345678"))
    assert result.status is LookupStatus.NOT_FOUND and result.message == "DNI no encontrado"


def test_404_exchange_and_representatives():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.post(f"{V1}/exchange/date").mock(return_value=httpx.Response(404, json=NOT_FOUND))
        router.post(f"{V1}/exchange").mock(return_value=httpx.Response(404, json=NOT_FOUND))
        router.post(f"{V1}/ruc/representantes-legales").mock(return_value=httpx.Response(404, json=NOT_FOUND))
        router.post(f"{V1}/exchange/latest").mock(return_value=httpx.Response(404, json=NOT_FOUND))

        async def calls(c):
            out = [
                await c.exchange_date(date(2020, 1, 1)),
                await c.exchange_range(date(2020, 1, 1), date(2020, 1, 2)),
                await c.representatives(RUC),
            ]
            with pytest.raises(ApiFailure) as info:
                await c.exchange_latest()
            out.append(info.value)
            return out

        day, rng, reps, latest_error = run_with(calls)
    assert day is None and rng == [] and reps == []
    assert "tipo de cambio" in latest_error.user_message


# -- errors that are not retried -----------------------------------------------------------------------------
def _error(status: int, body=None, text: str | None = None, *, version: str = "v1"):
    kwargs = {"json": body} if text is None else {"text": text}
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.route(url__startswith=V1 if version == "v1" else V2).mock(
            return_value=httpx.Response(status, **kwargs)
        )

        async def call(c):
            with pytest.raises(Exception) as info:
                await c.ruc(RUC)
            return info.value

        exc = run_with(call, version=version)
    assert route.call_count == 1, "non-retryable errors must not be retried"
    return exc


def test_422_is_invalid_request_with_api_message_and_errors():
    exc = _error(422, {"success": False, "message": "El RUC no es válido", "errors": {"ruc": ["formato"]}})
    assert type(exc) is InvalidRequest and exc.status == 422
    assert exc.api_message == "El RUC no es válido"
    assert "El RUC no es válido" in exc.user_message
    assert exc.detail == "ruc: formato"


@pytest.mark.parametrize(
    ("status", "body"),
    [(401, {"message": "Unauthenticated."}), (403, {"success": False, "message": "Token inválido"})],
)
def test_401_403_are_auth_errors(status, body):
    exc = _error(status, body)
    assert type(exc) is AuthError and exc.status == status
    assert exc.api_message == body["message"]
    assert "token" in exc.user_message.lower()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_401_with_html_body_is_auth_error(version):
    exc = _error(401, text="<html><body>401</body></html>", version=version)
    assert type(exc) is AuthError and exc.api_message is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "No tiene saldo suficiente"),
        (401, "Sin créditos disponibles"),
        (403, "No tienes consultas disponibles en tu plan"),
        (429, "Monthly quota exceeded"),
        (403, "Limit exceeded for this account"),
        (402, "Payment required"),
    ],
)
def test_quota_messages_are_quota_exceeded(status, message):
    exc = _error(status, {"success": False, "message": message})
    assert type(exc) is QuotaExceeded and exc.status == status
    assert "saldo" in exc.user_message


def test_200_success_false_is_api_failure_with_message():
    exc = _error(200, {"success": False, "message": "Servicio en mantenimiento"})
    assert type(exc) is ApiFailure and exc.api_message == "Servicio en mantenimiento"
    assert "Servicio en mantenimiento" in exc.user_message


def test_200_success_false_with_balance_message_is_quota():
    exc = _error(200, {"success": False, "message": "Saldo insuficiente"})
    assert type(exc) is QuotaExceeded


@pytest.mark.parametrize("text", ['{"success": true, "ruc": ', "<html>oops</html>", "", "null"])
def test_200_malformed_or_non_json_is_spanish_api_failure(text):
    exc = _error(200, text=text)
    assert type(exc) is ApiFailure
    assert "no se pudo leer" in exc.user_message or "formato inesperado" in exc.user_message


@pytest.mark.parametrize("body", [[1, 2], {"success": True}, {"success": True, "data": "x"}])
def test_200_unexpected_shape_is_api_failure(body):
    exc = _error(200, body)
    assert type(exc) is ApiFailure and "formato inesperado" in exc.user_message


def test_other_4xx_is_api_failure_with_status():
    exc = _error(400, {"message": "Bad Request"})
    assert type(exc) is ApiFailure and exc.status == 400 and "HTTP 400" in exc.user_message


def test_unexpected_range_item_is_api_failure():
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.post(f"{V1}/exchange").mock(
            return_value=httpx.Response(200, json={"success": True, "data": [{"fecha": "x"}]})
        )

        async def call(c):
            with pytest.raises(ApiFailure) as info:
                await c.exchange_range(date(2026, 1, 1), date(2026, 1, 2))
            return info.value

        exc = run_with(call)
    assert "formato inesperado" in exc.user_message


@pytest.mark.parametrize("bad", ["2013131295", "2013131295X", "../../account", ""])
def test_malformed_number_is_refused_locally(bad):
    with respx.mock(using="httpx", assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json=RUC_BODY))

        async def call(c):
            with pytest.raises(InvalidRequest):
                await c.ruc(bad)
            return c.stats.requests

        sent = run_with(call, version="v2")
    assert sent == 0 and route.call_count == 0


def test_the_tls_context_is_built_once_and_off_the_event_loop(monkeypatch):
    """Loading the CA bundle takes tens of ms: it must not stall the GUI's loop on the first lookup."""
    import asyncio
    import ssl
    import threading

    from migo_desktop.core import client as client_module
    from migo_desktop.core.client import MigoClient
    from migo_desktop.core.settings import ApiSettings

    built: list[int] = []
    real = httpx.create_ssl_context

    def recording(*args, **kwargs):
        if not isinstance(kwargs.get("verify", args[0] if args else True), ssl.SSLContext):
            built.append(threading.get_ident())  # a real build (a context passed in is handed back as is)
        return real(*args, **kwargs)

    monkeypatch.setattr(client_module.httpx, "create_ssl_context", recording)
    client_module._ssl_context.cache_clear()

    async def scenario() -> int:
        loop_thread = threading.get_ident()
        for _ in range(2):
            client = MigoClient(ApiSettings(token="t" * 20, base_url="https://api.migo.pe/api/v1"))
            async with client:
                pass
        return loop_thread

    try:
        loop_thread = asyncio.run(scenario())
    finally:
        client_module._ssl_context.cache_clear()
    assert len(built) == 1 and built[0] != loop_thread
