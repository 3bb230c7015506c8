"""The demo API over real HTTP on 127.0.0.1 (tests/support/demo_server.py, aiohttp.web): same answers as the
transport, stats endpoints, wire faults, rate limits with headers, and the subprocess entry point."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import httpx
import pytest

from migo_desktop.demo import DEMO_TOKEN, DemoApi, FaultPlan
from migo_desktop.demo.limits import RateLimitPlan
from tests.support.demo_server import build_api, parse_args
from tests.support.harness import fetch_stats, reset_stats, running_server, server_process
from tests.support.loadgen import run_load

from .helpers import post, valid_rucs

TODAY = date(2026, 1, 29)
CALLS = [
    ("ruc", {"ruc": "20131312955"}),
    ("ruc", {"ruc": valid_rucs(40)[7]}),
    ("ruc", {"ruc": "20123456789"}),
    ("ruc/collection", {"ruc": valid_rucs(5)}),
    ("dni", {"dni": "45678912"}),
    ("exchange/latest", {}),
    ("exchange/date", {"fecha": "2026-01-25"}),
    ("exchange", {"fecha_inicio": "2026-01-01", "fecha_fin": "2026-01-10"}),
    ("ruc/representantes-legales", {"ruc": "20100070970"}),
    ("account", {}),
]


def test_server_answers_exactly_what_the_transport_answers():
    reference = DemoApi(today=lambda: TODAY)
    with running_server(today=lambda: TODAY) as srv, httpx.Client(base_url=srv.base_url) as client:
        for endpoint, body in CALLS:
            over_http = client.post(f"/{endpoint}", json={"token": DEMO_TOKEN, **body})
            in_process = post(reference, endpoint, **body)
            assert over_http.status_code == in_process.status_code, endpoint
            assert over_http.json() == in_process.json(), endpoint
        assert client.post("/ruc", json={"token": "malo", "ruc": "20131312955"}).status_code == 401
        v2 = client.get(
            srv.url + "/api/v2/ruc/20131312955", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
        )
        assert v2.json()["ruc"] == "20131312955"
        assert srv.server.accepted == 1  # one keep-alive connection for all of it


def test_stats_and_reset_endpoints():
    with running_server() as srv, httpx.Client(base_url=srv.base_url) as client:
        client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})
        client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})
        client.post("/dni", json={"token": DEMO_TOKEN, "dni": "1234"})
        raw = client.get(srv.url + "/__stats").json()
        assert raw["requests"] == 3 and raw["answered"] == {"20131312955": 2} and raw["answered_total"] == 2
        assert raw["by_status"] == {"200": 2, "422": 1} and raw["by_endpoint"] == {"ruc": 2, "dni": 1}
        snap = fetch_stats(srv.base_url)
        assert snap == srv.stats() and snap.answered_more_than_once() == {"20131312955": 2}
        reset_stats(srv.base_url)
        assert fetch_stats(srv.url).requests == 0 and srv.stats().answered == {}


def test_resets_drop_the_connection_and_the_server_keeps_serving():
    with running_server(faults=FaultPlan(p_reset=1.0), seed=2) as srv:
        kinds = set()
        with httpx.Client(base_url=srv.base_url, timeout=5) as client:
            for ruc in valid_rucs(12):
                with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)) as info:
                    client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": ruc})
                kinds.add(type(info.value))
            ok = client.post("/exchange/latest", json={"token": DEMO_TOKEN})
        assert ok.status_code == 200 and kinds
        snap = srv.stats()
        assert snap.faults == {"reset": 12} and snap.answered == {}


def test_hang_is_never_answered_and_does_not_block_shutdown():
    start = time.monotonic()
    with running_server(faults=FaultPlan(p_hang=1.0, hang_seconds=60.0)) as srv:
        with httpx.Client(base_url=srv.base_url, timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
            client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})
        assert srv.stats().faults == {"hang": 1}
    assert time.monotonic() - start < 10


def test_hang_with_a_patient_client_is_closed_by_the_server():
    with (
        running_server(faults=FaultPlan(p_hang=1.0, hang_seconds=0.05)) as srv,
        httpx.Client(base_url=srv.base_url, timeout=5) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})


def test_rate_limit_over_the_wire_has_retry_after():
    with (
        running_server(faults=FaultPlan(p_rate_limit=1.0, retry_after=7)) as srv,
        httpx.Client(base_url=srv.base_url) as client,
    ):
        r = client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})
    assert r.status_code == 429 and r.headers["retry-after"] == "7"


def test_concurrent_clients_are_all_answered_once():
    numbers = valid_rucs(60)

    async def main() -> list[int]:
        async with httpx.AsyncClient(base_url=srv.base_url, limits=httpx.Limits(max_connections=20)) as c:
            replies = await asyncio.gather(
                *(c.post("/ruc", json={"token": DEMO_TOKEN, "ruc": n}) for n in numbers)
            )
        return [r.status_code for r in replies]

    with running_server(latency=0.001) as srv:
        statuses = asyncio.run(main())
        snap = srv.stats()
    assert set(statuses) <= {200, 404} and statuses.count(404) < 10
    assert snap.answered == dict.fromkeys(numbers, 1) and snap.requests == 60


def test_command_line_options_build_the_plan():
    args = parse_args(
        ["--latency", "0.1", "--p-5xx", "0.1", "--p-429", "0.2", "--retry-after", "none", "--p-reset", "0.05",
         "--p-hang", "0.01", "--hang-seconds", "3", "--token", "a", "b", "--seed", "4", "--quota", "9",
         "--collection", "none"]
    )  # fmt: skip
    api = build_api(args)
    plan = api.faults
    assert (plan.p_server_error, plan.p_rate_limit, plan.retry_after) == (0.1, 0.2, None)
    assert (plan.p_reset, plan.p_hang, plan.hang_seconds, plan.quota) == (0.05, 0.01, 3.0, 9)
    assert api.tokens == {"a", "b"} and api.seed == 4 and api.latency == 0.1 and api.collection is None
    assert build_api(parse_args([])).tokens == {DEMO_TOKEN}


def test_subprocess_server_prints_its_port_serves_and_stops_cleanly():
    with server_process(seed=3, quota=1) as (proc, base_url):
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v1")
        with httpx.Client(base_url=base_url) as client:
            first = client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20131312955"})
            second = client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": "20100070970"})
        assert first.status_code == 200 and second.status_code == 403 and "saldo" in second.json()["message"]
        assert fetch_stats(base_url).answered == {"20131312955": 1}
    assert proc.returncode == 0  # SIGTERM is a clean shutdown


def test_loadgen_measures_a_running_server():
    with running_server() as srv:
        rate, statuses = asyncio.run(run_load(srv.base_url, connections=3, requests=60))
        snap = srv.stats()
    assert rate > 0 and sum(statuses.values()) == 60 and set(statuses) <= {"200", "404"}
    assert snap.requests == 60 and snap.answered_total == 60


def test_a_bug_in_the_api_is_a_500_and_the_connection_survives(monkeypatch):
    with running_server() as srv, httpx.Client(base_url=srv.base_url) as client:
        original = srv.api.process

        async def broken(request):
            if request.path.endswith("/dni"):
                raise RuntimeError("boom")
            return await original(request)

        monkeypatch.setattr(srv.api, "process", broken)
        assert client.post("/dni", json={"token": DEMO_TOKEN, "dni": "45678912"}).status_code == 500
        assert client.post("/account", json={"token": DEMO_TOKEN}).status_code == 200
        assert srv.server.accepted == 1


def test_fixed_window_sends_laravel_headers_and_a_429_past_the_limit():
    limits = RateLimitPlan(window_limit=3, window_seconds=30.0)
    with running_server(limits=limits) as srv, httpx.Client(base_url=srv.base_url) as client:
        replies = [client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": n}) for n in valid_rucs(4)]
        snap = srv.stats()
    assert [r.headers.get("x-ratelimit-remaining") for r in replies] == ["2", "1", "0", "0"]
    assert all(r.headers["x-ratelimit-limit"] == "3" for r in replies)
    last = replies[-1]
    assert last.status_code == 429 and last.json() == {"message": "Too Many Attempts."}
    assert 1 <= int(last.headers["retry-after"]) <= 30 and "x-ratelimit-reset" in last.headers
    assert snap.faults == {"throttle": 1} and snap.answered_total == 3  # a throttled request is not billed


def test_token_bucket_refuses_past_its_burst_with_retry_after():
    with (
        running_server(limits=RateLimitPlan(per_second=1.0, burst=2)) as srv,
        httpx.Client(base_url=srv.base_url) as client,
    ):
        statuses = [client.post("/ruc", json={"token": DEMO_TOKEN, "ruc": n}) for n in valid_rucs(3)]
    assert [r.status_code for r in statuses][:2] != [429, 429] and statuses[2].status_code == 429
    assert statuses[2].headers["retry-after"] == "1" and "x-ratelimit-limit" not in statuses[2].headers
