"""The customer account: balance, money reserved for running tasks, credit limit.

FOUND: ``balance_amount``, ``reserved_amount``, ``credit_limit`` (at least 0) and
``currency_code``; a task can only be submitted while its cost is within balance
plus credit limit. INFERRED: creating a task reserves its price, finishing it
spends the reservation, cancelling it releases it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InsufficientFunds

DEFAULT_BALANCE = Decimal("1000.00")  # INFERRED: a fresh sandbox account's funds


@dataclass(slots=True)
class Customer:
    username: str
    balance: Decimal
    reserved: Decimal
    credit_limit: Decimal
    currency: str

    @classmethod
    def open(cls, username: str, setup: Mapping[str, Any]) -> Customer:
        return cls(
            username=username,
            balance=Decimal(str(setup.get("balance", DEFAULT_BALANCE))),
            reserved=Decimal("0"),
            credit_limit=Decimal(str(setup.get("credit_limit", "0"))),
            currency=str(setup.get("currency", "EUR")),
        )

    def reserve(self, amount: Decimal) -> None:
        if amount > self.balance + self.credit_limit:
            # FOUND: tasks are taken while their cost fits balance + credit limit.
            raise InsufficientFunds(
                f"The task costs {amount} {self.currency}; balance {self.balance} and credit "
                f"limit {self.credit_limit} {self.currency} allow no more"
            )
        self.balance -= amount
        self.reserved += amount

    def spend(self, amount: Decimal) -> None:
        self.reserved -= amount

    def release(self, amount: Decimal) -> None:
        self.reserved -= amount
        self.balance += amount
