"""A job's units (rows): stored in upload order, counted by state as they change.

Jobs hold up to 10^6 units, so nothing here walks all of them on a request: a page
is a slice of the id list, the counts the job's ping reports are kept up to date as
units are added and change state, and the job's columns are remembered as rows
arrive (an upload compares its own with them).

FOUND unit states: ``new``, ``judgable``, ``judging``, ``judged``, ``golden``,
``hidden_gold``, ``canceled``, ``finalized`` (and ``ordering``/``preprocessing``,
which the sandbox never shows); a client may set ``new``, ``golden``, ``finalized``,
``canceled`` or ``hidden_gold``, and ``unit[golden]=true`` or a ``_golden`` column of
``true`` makes a test question (``golden``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Literal

from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.params import flag

UnitState = Literal[
    "new", "judgable", "judging", "judged", "golden", "hidden_gold", "canceled", "finalized"
]
GOLD_STATES = ("golden", "hidden_gold")
SETTABLE_STATES: tuple[UnitState, ...] = ("new", "golden", "finalized", "canceled", "hidden_gold")
CANCELABLE_STATES = ("new", "judgable")  # FOUND: only units no one has judged yet
GOLD_COLUMN = "_golden"  # FOUND (Appen): ``_golden`` = true marks a test question
DEFAULT_UNIT_LIMIT = 250_000  # FOUND: rows per job, raisable to 10^6 by a team admin
PAGE_LIMIT = 1000  # FOUND: units are listed 1000 at a time at most, and by default
_ID, _STATE = attrgetter("id"), attrgetter("state")


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
    extra_judgments: int = 0  # asked for through request_more_judgments

    @property
    def golden(self) -> bool:
        return self.state in GOLD_STATES


class Units:
    """A job's units. ``revision`` counts the changes to them, which answers made from
    the units (a report) are kept by."""

    __slots__ = ("_by_id", "_columns", "_golds", "_order", "_states", "revision")

    def __init__(self) -> None:
        self._by_id: dict[int, Unit] = {}
        self._order: list[int] = []
        self._states: Counter[str] = Counter()
        self._columns: dict[str, None] = {}
        self._golds: dict[int, None] = {}  # test questions, in upload order
        self.revision = 0

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Unit]:
        return (self._by_id[uid] for uid in self._order)

    def add(self, unit: Unit) -> Unit:
        self.revision += 1
        self._by_id[unit.id] = unit
        self._order.append(unit.id)
        self._states[unit.state] += 1
        self._index_gold(unit)
        self.remember(unit.data)
        return unit

    def add_many(self, units: list[Unit], columns: Iterable[str]) -> None:
        """Adds a batch of units whose data keys are all among ``columns``.

        Mapped with C-level getters rather than a Python loop: an upload's 250,000
        units are added in one go on the event loop, and this is most of that time.
        """
        self.revision += 1
        ids = list(map(_ID, units))
        self._by_id.update(zip(ids, units, strict=True))
        self._order += ids
        self._states.update(map(_STATE, units))
        self._golds.update(dict.fromkeys(u.id for u in units if u.state in GOLD_STATES))
        self.remember(columns)

    def get(self, unit_id: int) -> Unit | None:
        return self._by_id.get(unit_id)

    def move(self, unit: Unit, state: UnitState, at: float) -> None:
        self.revision += 1
        self._states[unit.state] -= 1
        self._states[state] += 1
        unit.state, unit.updated_at = state, at
        self._index_gold(unit)

    def edit(self, unit: Unit, data: Mapping[str, Any], at: float) -> None:
        """Merges ``data`` into the unit's row (and notes its columns)."""
        self.revision += 1
        unit.data.update(data)
        unit.updated_at = at
        self.remember(data)

    def touch(self, unit: Unit, at: float) -> None:
        """Notes a change to the unit's own fields (what it waits for, when it changed)."""
        self.revision += 1
        unit.updated_at = at

    def remove(self, unit: Unit) -> None:
        self.revision += 1
        del self._by_id[unit.id]
        self._order.remove(unit.id)
        self._states[unit.state] -= 1
        self._golds.pop(unit.id, None)
        if not self._by_id:
            self._columns.clear()

    def page(self, page: int, limit: int) -> list[Unit]:
        """Units of a 1-based page, in upload order; ``[]`` past the end."""
        start = (page - 1) * limit
        return [self._by_id[uid] for uid in self._order[start : start + limit]]

    def count(self, *states: str) -> int:
        return sum(self._states[s] for s in states)

    def golds(self) -> list[Unit]:
        """The test questions, without walking every unit."""
        return [self._by_id[uid] for uid in self._golds]

    def _index_gold(self, unit: Unit) -> None:
        if unit.golden:
            self._golds[unit.id] = None
        else:
            self._golds.pop(unit.id, None)

    @property
    def columns(self) -> list[str]:
        """The data columns of the job's rows, in the order they first appeared."""
        return list(self._columns)

    def remember(self, columns: Iterable[str]) -> None:
        """Notes data columns the job's rows now have (``_golden`` is never one)."""
        for name in columns:
            if name not in self._columns and name != GOLD_COLUMN:
                self._columns[name] = None


def state_named(value: Any) -> UnitState:
    """A state a client may set, or a refusal that lists the allowed ones."""
    text = str(value).strip().lower() if isinstance(value, (str, int, float)) else None
    if text not in SETTABLE_STATES:  # FOUND: unit[state] takes these five (OAS, PUT unit)
        allowed = ", ".join(SETTABLE_STATES)
        raise InvalidInput([FieldError("state", f"State must be one of {allowed}")])
    return text


def next_state(
    current: UnitState,
    data: Mapping[str, Any] | None,
    *,
    state: Any = None,
    golden: Any = None,
) -> UnitState:
    """The state a create or update asks for, ``current`` if it asks for none.

    ``unit[state]`` wins; then ``unit[golden]``; then a ``_golden`` data column.
    INFERRED: a false ``unit[golden]`` or ``_golden`` turns a test question back to
    ``new``, and leaves any other unit as it is.
    """
    if state is not None and state != "":
        return state_named(state)
    for given in (golden, None if data is None else data.get(GOLD_COLUMN)):
        if given is None or given == "":
            continue
        if flag(given):
            return "golden"
        return "new" if current in GOLD_STATES else current
    return current


def gold_state(value: Any) -> UnitState:
    """The state of an uploaded row from its ``_golden`` cell."""
    return "golden" if value is not None and flag(value) else "new"
