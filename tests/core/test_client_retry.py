"""MigoClient retries: what is retried, how long it waits (fake sleep), hooks, budget, and giving up."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
import respx

from migo_desktop.core.errors import ApiUnavailable, QuotaExceeded
from migo_desktop.core.models import LookupStatus
from migo_desktop.core.retry import backoff_delay, parse_retry_after

from .client_helpers import RUC, RUC_BODY, V1, FakeSleep, RecordingHooks, run_with

OK = httpx.Response(200, json=RUC_BODY)
HTML_503 = httpx.Response(503, text="<html><body><h1>503 Service Unavailable</h1></body></html>")


def _lookup(side_effect, *, hooks=None, sleep=None, rnd=0.5, **kw):
    """Run one RUC lookup against a scripted sequence; return (result or exception, route, sleep, stats)."""
    sleep = sleep or FakeSleep()
    with respx.mock(using="httpx", assert_all_called=True) as router:
        route = router.post(f"{V1}/ruc").mock(side_effect=side_effect)

        async def call(c):
            try:
                outcome = await c.ruc(RUC, hooks=hooks)
            except Exception as exc:  # noqa: BLE001 - the test inspects it
                outcome = exc
            return outcome, c.stats

        outcome, stats = run_with(call, sleep=sleep, rnd=rnd, **kw)
    return outcome, route, sleep, stats


def test_5xx_html_then_ok_is_retried_once_with_jittered_backoff():
    outcome, route, sleep, stats = _lookup([HTML_503, OK])
    assert outcome.status is LookupStatus.OK
    assert route.call_count == 2 and stats.requests == 2 and stats.retries == 1
    assert sleep.delays == [0.5 * 0.5]  # random() * min(max, base * 2**0)
    assert stats.by_status == {503: 1, 200: 1}


def test_persistent_5xx_gives_up_after_max_retries_with_exponential_delays():
    outcome, route, sleep, stats = _lookup(
        [httpx.Response(500, json={"message": "boom"})] * 6, max_retries=5, backoff_base=1.0, backoff_max=10.0
    )
    assert isinstance(outcome, ApiUnavailable) and not outcome.budget_exhausted
    assert outcome.status == 500
    assert "no está disponible" in outcome.user_message
    assert route.call_count == 6 and stats.retries == 5
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0, 5.0]  # 0.5 * min(10, 1 * 2**n)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("pool"),
        httpx.ConnectError("refused"),
        httpx.ReadError("connection reset by peer"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=lambda e: type(e).__name__,
)
def test_timeouts_and_resets_are_retried(exc):
    hooks = RecordingHooks()
    outcome, route, sleep, _ = _lookup([exc, exc, OK], hooks=hooks)
    assert outcome.status is LookupStatus.OK and route.call_count == 3
    assert len(sleep.delays) == 2 and hooks.asked == 2
    expected = "timeout" if isinstance(exc, httpx.TimeoutException) else None
    reasons = {r[0] for r in hooks.retries}
    if expected:
        assert reasons == {"timeout"}
    else:
        assert reasons <= {"connection_error", "connection_reset"} and len(reasons) == 1
    assert all(r[1] is None for r in hooks.retries)  # no HTTP status for transport errors


def test_timeouts_forever_become_api_unavailable():
    outcome, route, sleep, stats = _lookup(httpx.ReadTimeout("slow"), max_retries=2)
    assert isinstance(outcome, ApiUnavailable) and outcome.status is None
    assert "timeout" in str(outcome)
    assert route.call_count == 3 and len(sleep.delays) == 2


def test_429_with_retry_after_seconds_sets_the_floor_and_notifies_hooks():
    hooks = RecordingHooks()
    throttled = httpx.Response(429, headers={"Retry-After": "7"}, json={"message": "Too Many Requests"})
    outcome, _, sleep, _ = _lookup([throttled, OK], hooks=hooks)
    assert outcome.status is LookupStatus.OK
    assert sleep.delays == [7.0]
    assert hooks.throttled == [7.0]
    assert hooks.retries == [("throttled", 429, 7.0)]


def test_429_retry_after_smaller_than_jitter_uses_jitter():
    throttled = httpx.Response(429, headers={"Retry-After": "0"})
    outcome, _, sleep, _ = _lookup([throttled, OK], rnd=1.0, backoff_base=3.0)
    assert outcome.status is LookupStatus.OK and sleep.delays == [3.0]


def test_429_retry_after_within_the_cap_range_is_capped_and_retried():
    throttled = httpx.Response(429, headers={"Retry-After": "200"})
    outcome, _, sleep, _ = _lookup([throttled, OK], retry_after_cap=42.0)
    assert outcome.status is LookupStatus.OK and sleep.delays == [42.0]


@pytest.mark.parametrize("value", ["999999", "Wed, 21 Oct 2099 07:28:00 GMT"])
def test_an_absurd_retry_after_ends_the_call_at_once_and_says_how_long(value):
    """A lookup someone waits for never sleeps for days: it fails with the wait the server asked for."""
    throttled = httpx.Response(429, headers={"Retry-After": value}, json={"message": "Too Many Attempts."})
    with respx.mock(using="httpx") as router:
        route = router.post(f"{V1}/ruc").mock(side_effect=[throttled, OK])
        sleep = FakeSleep()

        async def call(c):
            try:
                return await c.ruc(RUC)
            except ApiUnavailable as exc:
                return exc

        outcome = run_with(call, sleep=sleep, retry_after_cap=42.0)
    assert isinstance(outcome, ApiUnavailable) and route.call_count == 1 and sleep.delays == []
    assert "pidió esperar" in outcome.user_message and outcome.retry_after == 42.0
    assert outcome.asked_wait is not None and outcome.asked_wait > 900_000


def test_429_retry_after_http_date_near_future():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    outcome, _, sleep, _ = _lookup([httpx.Response(429, headers={"Retry-After": when}), OK])
    assert outcome.status is LookupStatus.OK
    assert 27.0 <= sleep.delays[0] <= 30.0


def test_429_without_retry_after_uses_backoff_and_reports_none():
    hooks = RecordingHooks()
    outcome, _, sleep, _ = _lookup([httpx.Response(429), httpx.Response(429), OK], hooks=hooks, rnd=0.25)
    assert outcome.status is LookupStatus.OK
    assert sleep.delays == [0.25 * 0.5, 0.25 * 1.0]
    assert hooks.throttled == [None, None]


def test_429_with_quota_message_is_not_retried():
    hooks = RecordingHooks()
    outcome, route, sleep, _ = _lookup(
        [httpx.Response(429, json={"message": "Sin saldo de consultas"})], hooks=hooks
    )
    assert isinstance(outcome, QuotaExceeded)
    assert route.call_count == 1 and sleep.delays == [] and hooks.retries == []


def test_budget_exhausted_stops_before_retrying():
    hooks = RecordingHooks(budget=1)
    outcome, route, sleep, stats = _lookup([HTML_503, HTML_503, OK], hooks=hooks)
    assert isinstance(outcome, ApiUnavailable) and outcome.budget_exhausted
    assert "reintentos" in outcome.user_message
    assert route.call_count == 2 and len(sleep.delays) == 1 and stats.retries == 1
    assert hooks.asked == 2


def test_budget_is_checked_before_every_retry_not_after_success():
    hooks = RecordingHooks()
    _lookup([OK], hooks=hooks)
    assert hooks.asked == 0 and hooks.retries == []


def test_non_retryable_transport_error_fails_at_once():
    outcome, route, sleep, _ = _lookup(httpx.UnsupportedProtocol("nope"))
    assert isinstance(outcome, ApiUnavailable) and route.call_count == 1 and sleep.delays == []


def test_parse_retry_after_forms():
    now = 1_700_000_000.0
    http_date = email.utils.formatdate(now + 15, usegmt=True)
    assert parse_retry_after("12", cap=60) == 12.0
    assert parse_retry_after("1.5", cap=60) == 1.5
    assert parse_retry_after("999", cap=60) == 60.0
    assert parse_retry_after(http_date, cap=60, now=now) == 15.0
    assert parse_retry_after(email.utils.formatdate(now - 100, usegmt=True), cap=60, now=now) == 0.0
    assert parse_retry_after(None, cap=60) is None
    assert parse_retry_after("soon", cap=60) is None
    assert parse_retry_after("", cap=60) is None
    assert parse_retry_after("-5", cap=60) == 0.0


def test_backoff_delay_full_jitter_bounds():
    assert backoff_delay(0, base=0.5, maximum=20, rnd=0.0) == 0.0
    assert backoff_delay(3, base=0.5, maximum=20, rnd=1.0) == 4.0
    assert backoff_delay(10, base=0.5, maximum=20, rnd=1.0) == 20.0
    assert backoff_delay(0, base=0.5, maximum=20, rnd=0.5, retry_after=9.0) == 9.0
