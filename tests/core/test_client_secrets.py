"""The token never appears in a URL, a log line, an exception message or a repr; lifecycle and pool set-up."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
import respx

from migo_desktop.core.client import MigoClient
from migo_desktop.core.errors import MigoError

from .client_helpers import RUC, RUC_BODY, TOKEN, V1, V2, FakeSleep, run_with, settings

ECHO = {"success": False, "message": f"token {TOKEN} inválido o sin saldo"}
SCENARIOS = {
    "ok": [httpx.Response(200, json=RUC_BODY)],
    "401_echo": [httpx.Response(401, json={"message": f"Unauthenticated {TOKEN}"})],
    "403_quota_echo": [httpx.Response(403, json=ECHO)],
    "422": [httpx.Response(422, json={"message": f"bad {TOKEN}", "errors": {"ruc": [TOKEN]}})],
    "200_false": [httpx.Response(200, json={"success": False, "message": f"fallo {TOKEN}"})],
    "5xx": [httpx.Response(502, text=f"<html>{TOKEN}</html>")] * 3,
    "timeout": [httpx.ReadTimeout("timed out")] * 3,
    "404": [httpx.Response(404, json={"message": f"no existe {TOKEN}"})],
}


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_token_never_leaks(scenario, version, caplog):
    caplog.set_level(logging.DEBUG)
    base = V1 if version == "v1" else V2
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.route(url__startswith=base).mock(side_effect=list(SCENARIOS[scenario]))

        async def call(c):
            texts = [repr(c), str(c)]
            try:
                result = await c.ruc(RUC)
                texts += [repr(result), str(result.to_dict())]
            except MigoError as exc:
                texts += [str(exc), repr(exc), exc.user_message, str(exc.api_message), str(exc.detail)]
                assert isinstance(exc, MigoError)
            return texts

        texts = run_with(call, version=version, max_retries=2)
    assert route.call_count >= 1
    for call in route.calls:
        assert TOKEN not in str(call.request.url)
    for text in texts:
        assert TOKEN not in text, text
    assert TOKEN not in caplog.text
    if scenario != "ok":
        assert "/ruc" in caplog.text  # failures and answers are logged with the endpoint path


def test_failures_are_logged_with_status_and_path(caplog):
    caplog.set_level(logging.INFO, logger="migo_desktop.core.client")
    with respx.mock(using="httpx", assert_all_called=True) as router:
        router.post(f"{V1}/ruc").mock(side_effect=[httpx.Response(503), httpx.Response(200, json=RUC_BODY)])
        run_with(lambda c: c.ruc(RUC))
    assert "POST /ruc failed: HTTP 503" in caplog.text


def test_repr_hides_token_and_settings_repr_too():
    client = MigoClient(settings())
    assert TOKEN not in repr(client) and "api.migo.pe" in repr(client)
    assert TOKEN not in repr(client.settings)


def test_one_http_client_reused_and_closed():
    async def main():
        client = MigoClient(settings(concurrency=7), sleep=FakeSleep())
        with respx.mock(using="httpx", assert_all_called=True) as router:
            router.post(f"{V1}/ruc").mock(return_value=httpx.Response(200, json=RUC_BODY))
            await client.ruc(RUC)
            first = client._http
            await client.ruc(RUC)
            assert client._http is first and first is not None
            assert first.timeout == httpx.Timeout(connect=10.0, read=20.0, write=20.0, pool=20.0)
            await client.aclose()
        assert first.is_closed and client._http is None
        assert client.stats.requests == 2

    asyncio.run(main())


def test_injected_transport_is_used_and_closed_with_context_manager():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=RUC_BODY)

    async def main():
        async with MigoClient(settings(), transport=httpx.MockTransport(handler)) as client:
            result = await client.ruc(RUC)
            inner = client._http
        return result, inner

    result, inner = asyncio.run(main())
    assert seen == ["/api/v1/ruc"] and result.taxpayer is not None
    assert inner is not None and inner.is_closed


def test_concurrency_gate_bounds_in_flight_requests():
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, json=RUC_BODY)

    async def main():
        async with MigoClient(settings(concurrency=3), transport=httpx.MockTransport(handler)) as client:
            results = await asyncio.gather(*(client.ruc(RUC) for _ in range(20)))
        return results

    results = asyncio.run(main())
    assert len(results) == 20 and peak == 3
