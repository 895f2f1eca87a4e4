"""A job's units (rows): stored in upload order, counted by state as they change.

Jobs hold up to 10^6 units, so nothing here walks all of them on a request: a page
is a slice of the id list, and the counts the job's ping reports are kept up to
date as units are added and change state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

UnitState = Literal[
    "new", "judgable", "judging", "judged", "golden", "hidden_gold", "canceled", "finalized"
]
GOLD_STATES = ("golden", "hidden_gold")


@dataclass(slots=True, eq=False)
class Unit:
    id: int
    job_id: int
    data: dict[str, Any]
    state: UnitState
    created_at: float
    updated_at: float
    judgments_count: int = 0
    missed_count: int = 0
    difficulty: int = 0
    agreement: float | None = None

    @property
    def golden(self) -> bool:
        return self.state in GOLD_STATES


class Units:
    __slots__ = ("_by_id", "_order", "_states")

    def __init__(self) -> None:
        self._by_id: dict[int, Unit] = {}
        self._order: list[int] = []
        self._states: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Unit]:
        return (self._by_id[uid] for uid in self._order)

    def add(self, unit: Unit) -> Unit:
        self._by_id[unit.id] = unit
        self._order.append(unit.id)
        self._states[unit.state] += 1
        return unit

    def get(self, unit_id: int) -> Unit | None:
        return self._by_id.get(unit_id)

    def move(self, unit: Unit, state: UnitState, at: float) -> None:
        self._states[unit.state] -= 1
        self._states[state] += 1
        unit.state, unit.updated_at = state, at

    def remove(self, unit: Unit) -> None:
        del self._by_id[unit.id]
        self._order.remove(unit.id)
        self._states[unit.state] -= 1

    def page(self, page: int, limit: int) -> list[Unit]:
        """Units of a 1-based page, in upload order; ``[]`` past the end."""
        start = (page - 1) * limit
        return [self._by_id[uid] for uid in self._order[start : start + limit]]

    def count(self, *states: str) -> int:
        return sum(self._states[s] for s in states)
