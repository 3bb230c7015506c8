"""The server is untrusted (issue 9): capped bodies (gzip bombs), a total deadline (dripping servers),
poisoned JSON, and aiohttp's disconnects filed as resets, not timeouts. Real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import errno
import time
import tracemalloc

import aiohttp
import httpx
import pytest
import respx
from httpx_aiohttp import AiohttpTransport

from migo_desktop.core.client import MigoClient
from migo_desktop.core.errors import ApiFailure, ApiUnavailable
from migo_desktop.core.retry import retry_reason
from migo_desktop.core.settings import ApiSettings
from tests.support.harness import in_thread
from tests.support.hostile_server import HostileServer

from .client_helpers import RUC, RUC_BODY, TOKEN, V1


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer(bomb_mb=300, drip_every=0.2)
    with in_thread(server):
        yield server


def lookup(base_url: str, **kw):
    settings = ApiSettings(token=TOKEN, base_url=base_url, max_retries=0, **kw)

    async def main():
        async with MigoClient(settings) as client:
            try:
                return await client.ruc(RUC)
            except Exception as exc:  # noqa: BLE001 - the test inspects it
                return exc

    return asyncio.run(main())


def test_a_gzip_bomb_stops_at_the_cap_without_decoding_it(hostile):
    tracemalloc.start()
    try:
        outcome = lookup(hostile.base_url("bomb"), max_response_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, ApiFailure) and "demasiado grande" in outcome.user_message
    assert peak < 40_000_000  # 300 MB decoded would not fit; the cap plus one chunk does


def test_a_huge_plain_body_stops_at_the_cap(hostile):
    outcome = lookup(hostile.base_url("huge"), max_response_bytes=2_000_000)
    assert isinstance(outcome, ApiFailure) and outcome.detail == "body too large"


def test_a_dripping_server_hits_the_total_deadline_not_the_read_timeout(hostile):
    start = time.monotonic()
    outcome = lookup(hostile.base_url("drip"), read_timeout=5.0, request_deadline=1.0)
    assert isinstance(outcome, ApiUnavailable) and outcome.reason == "timeout"
    assert time.monotonic() - start < 4.0  # each byte came within the read timeout: only the deadline ends it


def test_deeply_nested_json_is_an_unreadable_answer_not_a_recursion_error(hostile):
    outcome = lookup(hostile.base_url("nested"))
    assert isinstance(outcome, ApiFailure) and "no se pudo leer" in outcome.user_message


def test_respx_mocks_the_default_aiohttp_transport():
    async def main():
        with respx.mock(using="httpx") as router:
            router.post(f"{V1}/ruc").mock(return_value=httpx.Response(200, json=RUC_BODY))
            async with MigoClient(ApiSettings(token=TOKEN)) as client:
                assert isinstance(client._http._transport, AiohttpTransport)  # what ships
                return await client.ruc(RUC)

    assert asyncio.run(main()).taxpayer.ruc == RUC


def _wrapped(cause: BaseException, as_: type[httpx.HTTPError]) -> httpx.HTTPError:
    exc = as_("mapped by httpx-aiohttp")
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (_wrapped(aiohttp.ServerDisconnectedError(), httpx.ConnectTimeout), "connection_reset"),
        (
            _wrapped(aiohttp.ClientOSError(errno.ECONNRESET, "reset"), httpx.ConnectTimeout),
            "connection_reset",
        ),
        (_wrapped(aiohttp.ClientPayloadError("cut"), httpx.ReadError), "connection_reset"),
        (_wrapped(aiohttp.SocketTimeoutError(), httpx.ReadTimeout), "timeout"),
        (httpx.ConnectError("refused"), "connection_error"),
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("closed"), "connection_reset"),
    ],
)
def test_aiohttp_disconnects_are_resets_not_timeouts(exc, reason):
    assert retry_reason(exc) == reason
