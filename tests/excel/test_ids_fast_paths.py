"""The import relies on two fast paths in core.ids; they must give exactly the general answers."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
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


# -- ruc_fast: the import loop's path without a per-cell IdCheck ----------------------------------------
_DIGITS = st.text(alphabet="0123456789", min_size=11, max_size=11)
_CELLS = st.one_of(
    _DIGITS,
    _DIGITS.map(int),
    _DIGITS.map(float),
    st.sampled_from(["10", "15", "16", "17", "20"]).flatmap(
        lambda p: st.text("0123456789", min_size=9, max_size=9).map(lambda b: p + b)
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=14),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=800, deadline=None)
@given(_CELLS, st.sampled_from([None, IdKind.RUC, IdKind.DNI]))
def test_ruc_fast_gives_the_general_answer_on_every_cell(cell, expect) -> None:
    fast = ids.ruc_fast(cell)
    full = ids.parse_identifier(cell, expect=expect)
    if fast is not None:  # when the fast path answers, it is exactly the general answer
        assert full == ids.IdCheck(IdKind.RUC, fast, None)
    elif type(cell) in (str, int, float) and full.ok and full.kind is IdKind.RUC:
        # it may decline only cells that are not plain 11-digit values
        assert not (isinstance(cell, str) and len(cell) == 11 and cell.isascii() and cell.isdigit())
        assert not (type(cell) in (int, float) and 10**10 <= cell < 10**11 and cell == int(cell))
