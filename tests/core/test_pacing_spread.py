"""The Pacer spreads request starts over the round trip (core/pacing.py, «Spread»): answers that come back
together must not send the next requests out together, and spreading must never slow a run below what its
concurrency allows."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from migo_desktop.core import pacing
from migo_desktop.core.pacing import SPREAD, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def answered(pacer: Pacer, clock: Clock, round_trip: float, n: int = 8, status: int = 200) -> None:
    for _ in range(n):
        sent = clock.now
        clock.now += round_trip
        pacer.on_answer(sent, status, None, None)


def test_no_round_trip_known_means_no_spacing() -> None:
    pacer = Pacer(clock=Clock(), concurrency=20)
    assert pacer.spacing == 0.0
    assert [pacer.take_turn() for _ in range(5)] == [0.0] * 5


def test_starts_are_spaced_by_the_round_trip_over_the_concurrency() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, concurrency=20)
    answered(pacer, clock, 0.05)
    assert pacer.spacing == pytest.approx(SPREAD * 0.05 / 20)
    # twenty answers at the same instant: their next requests leave one spacing apart, in order
    turns = [pacer.take_turn() for _ in range(20)]
    assert turns == pytest.approx([k * pacer.spacing for k in range(20)])
    assert turns[-1] < 0.05  # the whole clump is spread within one round trip


def test_an_idle_spell_builds_no_credit_for_a_burst() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, concurrency=10)
    answered(pacer, clock, 0.1)
    pacer.take_turn()
    clock.now += 5.0  # nothing sent for a while
    assert pacer.take_turn() == 0.0
    assert pacer.take_turn() == pytest.approx(pacer.spacing)


@pytest.mark.parametrize("status", [0, 500, 503, 429])
def test_failed_requests_say_nothing_about_the_round_trip(status: int) -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, concurrency=20)
    answered(pacer, clock, 0.05)
    spacing = pacer.spacing
    answered(pacer, clock, 20.0, n=40, status=status)  # hung requests given up on after 20 s, errors, 429s
    assert pacer.spacing == spacing


def test_one_slow_answer_does_not_stretch_the_spacing() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, concurrency=20)
    answered(pacer, clock, 0.05, n=15)
    answered(pacer, clock, 30.0, n=1)  # a slow but successful answer
    answered(pacer, clock, 0.05, n=8)
    assert pacer.spacing == pytest.approx(SPREAD * 0.05 / 20)


def test_the_spacing_follows_the_service_when_it_gets_faster() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock, concurrency=20)
    answered(pacer, clock, 0.3, n=32)
    answered(pacer, clock, 0.05, n=24)  # most of the last 32 now
    assert pacer.spacing == pytest.approx(SPREAD * 0.05 / 20)


def test_spacing_stays_under_the_gap_the_concurrency_allows() -> None:
    """C requests that each take at least a round trip cannot start more often than C per round trip:
    spacing starts by less than round trip ÷ C cannot slow them."""
    clock = Clock()
    for concurrency in (1, 4, 20):
        pacer = Pacer(clock=clock, concurrency=concurrency)
        answered(pacer, clock, 0.12)
        assert pacer.spacing < 0.12 / concurrency


def test_admit_waits_for_the_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    slept: list[float] = []

    async def fake_sleep(seconds: float, *_: Any) -> None:
        slept.append(seconds)
        clock.now += seconds

    monkeypatch.setattr(pacing.asyncio, "sleep", fake_sleep)
    pacer = Pacer(clock=clock, concurrency=5)
    answered(pacer, clock, 0.1)

    async def three() -> list[float]:
        return [await pacer.admit() for _ in range(3)]

    starts = asyncio.run(three())
    gap = SPREAD * 0.1 / 5
    assert starts == pytest.approx([starts[0], starts[0] + gap, starts[0] + 2 * gap])
    assert slept == pytest.approx([gap, gap])
