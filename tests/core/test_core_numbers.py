"""Numbers from paths and query strings: ASCII digits, bounded, finite, or nothing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.core.numbers import MAX_NATURAL, integer, natural, positive, real


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("7", 7), ("007", 7), ("18", 18)])
def test_natural_reads_ascii_digits(text: str, number: int) -> None:
    assert natural(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 7",
        "7 ",
        "+7",
        "-7",
        "7.0",
        "1e3",
        "³",  # str.isdigit() says yes, int() says no
        "١٢",  # Arabic-Indic digits: int() reads them, a vendor's server does not
        "１２",  # full-width digits
        "9" * 5000,  # past int()'s 4,300-digit limit
        str(MAX_NATURAL + 1),
        "0" * 21,
    ],
)
def test_natural_refuses_everything_else(text: str) -> None:
    assert natural(text) is None


def test_natural_takes_text_or_a_whole_json_number() -> None:
    assert natural(7) == 7
    assert positive(2) == 2
    assert natural(-1) is None
    assert natural(MAX_NATURAL + 1) is None
    assert positive(0) is None
    assert natural(True) is None  # JSON's true is no number
    assert integer(-7) == -7
    assert integer(-(2**63)) is None
    assert natural(2.0) is None
    assert natural(None) is None
    assert natural(["7"]) is None


def test_natural_holds_to_its_most() -> None:
    assert natural(str(MAX_NATURAL)) == MAX_NATURAL
    assert natural("100", most=100) == 100
    assert natural("101", most=100) is None


def test_positive_starts_at_one() -> None:
    assert positive("0") is None
    assert positive("1") == 1
    assert positive("1001", most=1000) is None


@given(st.integers(min_value=0, max_value=MAX_NATURAL))
def test_natural_reads_back_what_str_writes(number: int) -> None:
    assert natural(str(number)) == number


@given(st.text(max_size=30))
def test_natural_never_raises_and_is_always_in_range(text: str) -> None:
    number = natural(text)
    assert number is None or (0 <= number <= MAX_NATURAL and text.isascii())


@pytest.mark.parametrize(
    ("text", "number"), [("-5", -5), ("5", 5), ("-0", 0), (str(-MAX_NATURAL), -MAX_NATURAL)]
)
def test_integer_takes_a_sign(text: str, number: int) -> None:
    assert integer(text) == number


@pytest.mark.parametrize("text", ["--5", "+5", "- 5", "-", "-³", "9" * 30])
def test_integer_refuses_what_natural_refuses(text: str) -> None:
    assert integer(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12.0), ("-0.5", -0.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("1E-2", 0.01)],
)
def test_real_reads_decimals(text: str, number: float) -> None:
    assert real(text) == number


@pytest.mark.parametrize(
    "text",
    ["", "nan", "NaN", "inf", "-Infinity", "1e400", "1_000", "١", " 1", "0x10", "1e", "9" * 65],
)
def test_real_refuses_everything_else(text: str) -> None:
    assert real(text) is None


@given(st.text(max_size=70))
def test_real_never_raises_and_is_always_finite(text: str) -> None:
    number = real(text)
    assert number is None or math.isfinite(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_real_reads_back_what_repr_writes(number: float) -> None:
    assert real(repr(number)) == number
