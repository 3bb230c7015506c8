"""The exchange-rate chart's value axis uses round ticks that cover every value."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from migo_desktop.ui.widgets.line_chart import LineChart, nice_ticks


@pytest.mark.parametrize(
    ("lo", "hi"), [(3.702, 3.781), (3.5, 3.9), (3.71, 3.715), (0.0, 1.0), (100.0, 950.0), (3.7, 3.7)]
)
def test_ticks_are_round_evenly_spaced_and_cover_the_values(lo, hi):
    ticks, decimals = nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 3 <= len(ticks) <= 8
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 2.5, 5.0)
    for t in ticks:  # each label shows the tick exactly with the decimals chosen
        assert abs(round(t, decimals) - t) < 1e-9


def test_chart_axis_spans_round_numbers(qtbot):
    chart = LineChart()
    qtbot.addWidget(chart)
    days = [date(2024, 3, 1) + timedelta(days=i) for i in range(3)]
    chart.set_data(days, [("Compra", "compra", [3.702, 3.731, 3.781])])
    lo, hi = chart.value_range()
    assert (lo, hi) == (3.7, 3.8)
    chart.resize(480, 220)
    chart.grab()  # paints in the current look without error
