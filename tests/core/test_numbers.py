"""One number format (es-PE, as SUNAT publishes: thousands «,», decimal «.») for the GUI and the CLI."""

from __future__ import annotations

from decimal import Decimal

import pytest

from migo_desktop.core.models import ExchangeRate
from migo_desktop.core.numbers import fmt_dec, fmt_duration, fmt_int, fmt_percent, fmt_rate, fmt_seconds


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (12, "12"), (1234, "1,234"), (1234567, "1,234,567"), (-4500, "-4,500")]
)
def test_counts_use_comma_for_thousands(value: int, text: str) -> None:
    assert fmt_int(value) == text


def test_decimals_use_a_point_and_comma_thousands() -> None:
    assert fmt_dec(1234.56, 1) == "1,234.6"
    assert fmt_rate(Decimal("3.7519")) == "3.752"
    assert fmt_percent(0.4567) == "45.7 %"
    assert fmt_seconds(7.25) in ("7.2 s", "7.3 s")  # banker's vs half-up: either is one decimal
    assert fmt_seconds(1234.5) == "1,234.5 s"


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "--:--"), (5, "0:05"), (125, "2:05"), (3725, "1:02:05")]
)
def test_durations(seconds: float | None, text: str) -> None:
    assert fmt_duration(seconds) == text


def test_cli_uses_the_same_format() -> None:
    from datetime import date

    from migo_desktop.cli.bulk import summary_text
    from migo_desktop.cli.format import rates_table
    from migo_desktop.core.progress import JobSummary
    from migo_desktop.core.store import JobState

    table = rates_table([ExchangeRate(date(2024, 3, 1), "USD", Decimal("3.7"), Decimal("3.75"))])
    assert "3.700" in table and "3.750" in table
    summary = JobSummary(1, JobState.COMPLETED, 12345, {}, 12345, 0, 0, 12.5, "Consulta terminada.")
    text = summary_text(summary, None, None)
    assert "12,345" in text and "12.5 s" in text


def test_counts_agree_with_their_words() -> None:
    from migo_desktop.core.numbers import plural

    assert plural(1, "fila tiene", "filas tienen") == "1 fila tiene"
    assert plural(0, "fila tiene", "filas tienen") == "0 filas tienen"
    assert plural(1200, "fila tiene", "filas tienen") == "1,200 filas tienen"
