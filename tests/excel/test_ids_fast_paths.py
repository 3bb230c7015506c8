"""The import relies on two fast paths in core.ids; they must give exactly the general answers."""

from __future__ import annotations

import random
from decimal import Decimal

from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core import ids
from migo_desktop.core.models import IdKind


def test_local_check_digit_equals_stdnum() -> None:
    rng = random.Random(11)
    for _ in range(20_000):
        digits = "".join(rng.choice("0123456789") for _ in range(11))
        assert ids._ruc_check_digit(digits) == stdnum_ruc.calc_check_digit(digits)


class _Str(str):
    """A str subclass skips the fast path (it tests ``type(value) is str``)."""


def test_fast_path_equals_general_path() -> None:
    rng = random.Random(5)
    for _ in range(3_000):
        number = rng.choice(["10", "15", "16", "17", "20", "11", "99"]) + "".join(
            rng.choice("0123456789") for _ in range(9)
        )
        for expect in (None, IdKind.DNI, IdKind.RUC):
            general = ids.parse_identifier(_Str(number), expect=expect)
            assert ids.parse_identifier(number, expect=expect) == general
            assert ids.parse_identifier(int(number), expect=expect) == ids.parse_identifier(
                Decimal(number), expect=expect
            )
            assert ids.parse_identifier(float(number), expect=expect) == general
    assert ids.parse_identifier(20131312955.5).reason == ids.Reasons.DECIMAL.format(text="20131312955.5")
    assert ids.parse_identifier(True).number is None
