"""RUC/DNI normalisation from messy cells: hypothesis properties plus the exact Spanish reasons."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.pe import ruc as stdnum_ruc

from migo_desktop.core.ids import Reasons, parse_identifier, ruc_from_dni, validate_ruc
from migo_desktop.core.models import IdKind

PREFIXES = ("10", "15", "16", "17", "20")
WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _weighted_mod(first10: str) -> int:
    return sum(w * int(d) for w, d in zip(WEIGHTS, first10, strict=True)) % 11


@st.composite
def valid_rucs(draw) -> str:
    body = draw(st.sampled_from(PREFIXES)) + draw(st.text("0123456789", min_size=8, max_size=8))
    return body + stdnum_ruc.calc_check_digit(body)


_SEPARATORS = st.sampled_from(["-", ".", " ", "\u00a0", "–"])
_PADDING = st.text(" \t\u00a0", max_size=3)


@st.composite
def messy_text(draw, number: str) -> str:
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=4)))
    parts, last = [], 0
    for cut in cuts:
        parts.append(number[last:cut])
        last = cut
    parts.append(number[last:])
    text = parts[0]
    for part in parts[1:]:
        text += draw(_SEPARATORS) + part
    apostrophe = draw(st.sampled_from(["", "'", "’"]))
    return draw(_PADDING) + apostrophe + text + draw(_PADDING)


@given(valid_rucs(), st.data())
@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_valid_ruc_written_messily_normalises_back(ruc, data):
    assert validate_ruc(ruc) is None
    for cell in (ruc, int(ruc), float(ruc), Decimal(ruc), f"{ruc}.0"):
        check = parse_identifier(cell)
        assert (check.kind, check.number, check.reason) == (IdKind.RUC, ruc, None), cell
    text = data.draw(messy_text(ruc))
    # "101234567.00": one dot before a tail of zeros reads as a decimal number, by design (see below).
    assume(not re.fullmatch(r"\d+\.0+", re.sub(r"[\s\u00a0'’]", "", text)))
    check = parse_identifier(text)
    assert check.number == ruc and check.kind is IdKind.RUC, (text, check)
    assert parse_identifier(text, expect=IdKind.RUC).number == ruc


@given(valid_rucs())
@settings(max_examples=80, deadline=None, derandomize=True)
def test_single_digit_mutations_are_rejected_except_scheme_collisions(ruc):
    """SUNAT's check digit is (11 - s % 11) % 10, so s % 11 == 0 and == 10 both give 1: a change that moves
    the weighted sum between those two residues cannot be detected by any validator; all others must be."""
    for i in range(11):
        for digit in "0123456789":
            if digit == ruc[i]:
                continue
            mutated = ruc[:i] + digit + ruc[i + 1 :]
            reason = validate_ruc(mutated)
            check = parse_identifier(mutated)
            assert (reason is None) == check.ok
            if i == 10 or mutated[:2] not in PREFIXES:
                assert reason is not None, mutated
                continue
            collision = {_weighted_mod(ruc[:10]), _weighted_mod(mutated[:10])} == {0, 10}
            assert (reason is None) == collision, (ruc, mutated, reason)
            if reason is not None:
                assert reason == Reasons.CHECK_DIGIT


def test_check_digit_collision_is_real_and_documented():
    # 15247312771 and 15247312711 differ in one digit and both satisfy SUNAT's formula.
    assert validate_ruc("15247312771") is None and validate_ruc("15247312711") is None


@given(st.text("0123456789", min_size=1, max_size=7))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_dni_keeps_leading_zeros_from_numbers(digits):
    value = int(digits)
    assume(value >= 10_000)  # 5 to 8 significant digits: Excel dropped the zeros of a DNI column
    check = parse_identifier(value, expect=IdKind.DNI)
    assert check.kind is IdKind.DNI and check.number == str(value).zfill(8)
    assert parse_identifier(float(value), expect=IdKind.DNI).number == str(value).zfill(8)


def test_dni_examples():
    assert parse_identifier(1234567, expect=IdKind.DNI).number == "01234567"
    assert parse_identifier("01234567").number == "01234567"
    assert parse_identifier("01234567").kind is IdKind.DNI
    assert parse_identifier(" '01234567 ").number == "01234567"
    assert parse_identifier(1234567).reason == Reasons.LENGTH_DNI_ZERO.format(digits="1234567")
    assert ruc_from_dni("01234567")[:10] == "1001234567"
    assert validate_ruc(ruc_from_dni("01234567")) is None


@pytest.mark.parametrize("cell", ["2.01313E+10", "2,01313E+10", "2.01313e10", " 2.01313E+10 "])
def test_scientific_notation_is_flagged(cell):
    check = parse_identifier(cell)
    assert not check.ok and check.number is None
    assert check.reason.startswith("Número en notación científica (")
    assert "Excel perdió dígitos" in check.reason


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2013131295", "Tiene 10 dígitos; un RUC tiene 11 (un DNI, 8)"),
        ("30131312955", "Un RUC empieza con 10, 15, 16, 17 o 20 (este empieza con 30)"),
        ("20123456789", "Dígito verificador incorrecto"),
        ("2013131295A", "Tiene letras además de dígitos («2013131295A»)"),
        ("RUC20131312955", "Tiene letras además de dígitos («RUC20131312955»)"),
        ("2013#131295", "Tiene símbolos además de dígitos («2013#131295»)"),
        ("Lima", "Es texto, no un RUC ni un DNI («Lima»)"),
        ("20131312955.5", "Tiene decimales (20131312955.5); un RUC o DNI es un número entero"),
        (-20131312955, "Es un número negativo"),
        ("", "Celda vacía"),
        ("  \u00a0 ", "Celda vacía"),
        (None, "Celda vacía"),
    ],
)
def test_exact_spanish_reasons(cell, reason):
    check = parse_identifier(cell)
    assert check.number is None and check.reason == reason


def test_blank_cells_are_marked_blank():
    assert parse_identifier(None).blank and parse_identifier("  ").blank
    assert not parse_identifier("20123456789").blank


def test_known_valid_and_invalid_rucs():
    for ruc in ("20131312955", "20100070970", "20100038146"):
        assert validate_ruc(ruc) is None
    assert validate_ruc("20123456789") == Reasons.CHECK_DIGIT


def test_legacy_prefix_16_is_accepted():
    body = "1612345678"
    assert validate_ruc(body + stdnum_ruc.calc_check_digit(body)) is None


def test_fullwidth_digits_are_read_and_other_unicode_digits_rejected():
    assert parse_identifier("２０１３１３１２９５５").number == "20131312955"
    assert parse_identifier("０１２３４５６７").number == "01234567"
    for cell in ("٠١٢٣٤٥٦٧", "²0131312955"):  # Arabic-Indic digits, a superscript two
        check = parse_identifier(cell)
        assert check.number is None and check.reason.endswith(f"(«{cell}»)")
        assert check.reason.startswith(("Es texto", "Tiene símbolos"))
