"""Equal frozen values kept once."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.interning import interned


@dataclass(frozen=True)
class Price:
    amount: int
    currency: str


def test_equal_values_are_one_object() -> None:
    first = interned(Price(10, "EUR"))
    assert interned(Price(10, "EUR")) is first
    assert interned((Price(10, "EUR"), Price(10, "EUR"))) is interned((first, first))


def test_values_that_differ_in_value_or_type_stay_apart() -> None:
    assert interned(Price(10, "EUR")) is not interned(Price(10, "USD"))
    assert type(interned(1)) is int and type(interned(True)) is bool
    assert type(interned(1.0)) is float
