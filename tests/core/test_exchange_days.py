"""A day without publication uses the last rate published before it (Sundays, holidays, long weekends)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from migo_desktop.core.exchange_days import LOOKBACK_DAYS, applicable_days, lookback_start
from migo_desktop.core.models import ExchangeRate


def _rate(day: date, compra: str) -> ExchangeRate:
    return ExchangeRate(day, "USD", Decimal(compra), Decimal(compra) + Decimal("0.005"))


# Saturday 2 March 2024 is published; Sunday 3 March is not; Monday 4 March is.
SAT, SUN, MON = date(2024, 3, 2), date(2024, 3, 3), date(2024, 3, 4)


def test_a_sunday_takes_saturdays_rate_and_says_so() -> None:
    published = [_rate(date(2024, 3, 1), "3.701"), _rate(SAT, "3.702"), _rate(MON, "3.704")]
    [day] = applicable_days(SUN, SUN, published)
    assert day.fecha == SUN and day.publicado == SAT and day.carried
    assert day.compra == Decimal("3.702")


def test_a_published_day_is_its_own_rate() -> None:
    [day] = applicable_days(MON, MON, [_rate(SAT, "3.702"), _rate(MON, "3.704")])
    assert not day.carried and day.compra == Decimal("3.704")


def test_a_range_lists_every_calendar_day_and_marks_the_carried_ones() -> None:
    # Holy week 2024: Thursday 28 and Friday 29 March are holidays, then the weekend.
    published = [
        _rate(date(2024, 3, 26), "3.70"),
        _rate(date(2024, 3, 27), "3.71"),
        _rate(date(2024, 4, 1), "3.72"),
    ]
    days = applicable_days(date(2024, 3, 27), date(2024, 4, 1), published)
    assert [d.fecha for d in days] == [date(2024, 3, 27) + timedelta(days=i) for i in range(6)]
    assert [d.carried for d in days] == [False, True, True, True, True, False]
    assert {d.publicado for d in days[1:5]} == {date(2024, 3, 27)}
    assert days[-1].compra == Decimal("3.72")


def test_a_range_starting_on_a_sunday_carries_from_before_the_range() -> None:
    days = applicable_days(SUN, MON, [_rate(SAT, "3.702"), _rate(MON, "3.704")])
    assert [(d.fecha, d.publicado) for d in days] == [(SUN, SAT), (MON, MON)]


def test_nothing_published_yet_gives_nothing_and_the_lookback_covers_a_long_closure() -> None:
    assert applicable_days(SUN, SUN, []) == []
    assert lookback_start(SUN) == SUN - timedelta(days=LOOKBACK_DAYS) and LOOKBACK_DAYS >= 5


def test_rates_after_the_end_are_ignored() -> None:
    [day] = applicable_days(SUN, SUN, [_rate(SAT, "3.702"), _rate(MON, "3.704")])
    assert day.publicado == SAT
