"""Equal frozen values kept once, per interner."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from mockserver.core.interning import Interner


@dataclass(frozen=True)
class Price:
    amount: int
    currency: str


def test_equal_values_are_one_object() -> None:
    interned = Interner()
    first = interned(Price(10, "EUR"))
    assert interned(Price(10, "EUR")) is first
    assert interned((Price(10, "EUR"), Price(10, "EUR"))) is interned((first, first))


def test_values_that_differ_in_value_or_type_stay_apart() -> None:
    interned = Interner()
    assert interned(Price(10, "EUR")) is not interned(Price(10, "USD"))
    assert type(interned(1)) is int and type(interned(True)) is bool
    assert type(interned(1.0)) is float


def test_each_interner_keeps_its_own() -> None:
    mine, yours = Interner(), Interner()
    first = mine(Price(10, "EUR"))
    assert yours(Price(10, "EUR")) is not first
    assert pickle.loads(pickle.dumps(mine))(Price(10, "EUR")) is not first  # kept empty
