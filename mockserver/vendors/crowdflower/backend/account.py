"""The account behind an API key: who it is and what it can spend.

FOUND: ``GET /account`` answers the account with its ``balance`` in US cents, and
an order that costs more than the balance is refused with 402. INFERRED: a new
account starts with $1,000.00 unless the tenant's setup says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.rng import Rng

DEFAULT_BALANCE_CENTS = 100_000


@dataclass(slots=True)
class Account:
    id: int
    email: str
    first_name: str
    last_name: str
    auth_key: str
    balance: int
    created_at: float
    team_id: str

    @classmethod
    def open(cls, setup: Mapping[str, Any], key: str, rng: Rng, now: float) -> Account:
        return cls(
            id=rng.integer(100_000, 999_999),
            email=setup.get("email", "client@example.com"),
            first_name=setup.get("first_name", "Test"),
            last_name=setup.get("last_name", "Client"),
            auth_key=key,
            balance=int(setup.get("balance_cents", DEFAULT_BALANCE_CENTS)),
            created_at=now,
            team_id=rng.uuid4(),
        )
