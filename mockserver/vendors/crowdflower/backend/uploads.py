"""Rows coming into jobs (uploads, single units, copies, splits) and actions on one unit.

Every action checks everything first and changes nothing when it refuses: an
upload adds all its rows or none. FOUND: a job holds at most ``unit_limit`` rows
(250,000 by default) and anything past it is refused with 422; a unit can be
canceled only while ``new`` or ``judgable`` with no judgments, and the refusal is a
flat ``error`` message (status 200, like the jobs' state actions).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.numbers import positive

from ..errors import ColumnMismatch, MissingParameters, StateConflict, UnitLimitReached
from .jobs import Job, Outcome
from .units import (
    CANCELABLE_STATES,
    GOLD_COLUMN,
    Unit,
    UnitState,
    gold_state,
    next_state,
)

NewIds = Callable[[int], range]


@dataclass(slots=True)
class Upload:
    """A file of rows: its columns in order of first appearance, and one dict per row."""

    columns: list[str]
    rows: list[dict[str, Any]]


def column_problem(existing: Sequence[str], given: Sequence[str]) -> str | None:
    """INFERRED: why an upload's columns do not fit the job's rows (``_golden`` aside)."""
    have, sent = set(existing), set(given) - {GOLD_COLUMN}
    missing = [c for c in existing if c not in sent]
    extra = [c for c in given if c not in have and c != GOLD_COLUMN]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    return (
        "The uploaded columns do not match the columns of this job's rows ("
        + "; ".join(parts)
        + "). Send force=true to upload them anyway."
    )


class UnitActions:
    """What clients do to units, for any job of the account; ids come from ``new_ids``."""

    def __init__(self, clock: Clock, new_ids: NewIds, limit: int) -> None:
        self._clock = clock
        self._new_ids = new_ids
        self.limit = limit

    def room(self, job: Job | None) -> int:
        """How many more rows the job (or a new one) takes."""
        return self.limit - (0 if job is None else len(job.units))

    def make_room(self, job: Job | None, count: int) -> None:
        """FOUND: 422 when ``count`` more rows would take the job (or a new one) past the limit."""
        if count > self.room(job):
            raise self.limit_reached()

    def limit_reached(self) -> UnitLimitReached:
        return UnitLimitReached(UnitLimitReached.message.format(limit=f"{self.limit:,}"))

    # -- rows coming in ------------------------------------------------------------------------

    def upload(
        self, job: Job, upload: Upload, *, force: bool, built: list[Unit] | None = None
    ) -> int:
        """Adds every row of the file as a unit; returns how many.

        ``_golden`` = true makes a test question (FOUND); every other column is data.
        Without ``force``, INFERRED: a job that has rows takes only files with the
        same columns (``force=true`` skips the check, as documented). ``built`` are
        the rows already made units by :func:`build_units` (in a worker thread):
        here they only get their ids and join the job.
        """
        if not force and len(job.units):
            problem = column_problem(job.units.columns, upload.columns)
            if problem is not None:  # FOUND: force=true skips this check (SEED, OAS)
                raise ColumnMismatch(problem)
        self.make_room(job, len(upload.rows))
        units = build_units(upload, self._clock.now()) if built is None else built
        job_id = job.id
        for unit, uid in zip(units, self._new_ids(len(units)), strict=True):
            unit.id, unit.job_id = uid, job_id
        job.units.add_many(units, upload.columns)
        return len(units)

    def create(self, job: Job, data: Mapping[str, Any], *, state: Any, golden: Any) -> Unit:
        """One unit (FOUND: one per request); gold by state, flag or ``_golden`` column."""
        row = _without_gold(data)
        if not row:  # INFERRED: no columns at all is missing data, as Rails' ``require`` sees it
            raise MissingParameters()
        target = next_state("new", data, state=state, golden=golden)
        self.make_room(job, 1)
        now = self._clock.now()
        unit = Unit(self._new_ids(1)[0], job.id, row, target, now, now)
        return job.units.add(unit)

    def copy(self, unit: Unit, target: Job, overrides: Mapping[str, Any]) -> Unit:
        """FOUND: a copy of the row, in another job if asked, with data overrides.

        INFERRED: a test question stays one (in the same gold state), any other
        unit starts over as ``new``; ``_golden`` among the overrides decides too.
        """
        start: UnitState = unit.state if unit.golden else "new"
        state = next_state(start, overrides)
        self.make_room(target, 1)
        now = self._clock.now()
        data = {**unit.data, **_without_gold(overrides)}
        return target.units.add(Unit(self._new_ids(1)[0], target.id, data, state, now, now))

    def split(self, job: Job, column: str, separator: str) -> int:
        """Splits ``column`` of the job's rows on ``separator``; returns the units added.

        INFERRED: only ``new`` units are split (judged rows and test questions keep
        their text); blank pieces are dropped; the first piece stays in the unit,
        each further piece becomes a new unit with the same data, appended. A column
        the rows lack splits nothing (lenient: nothing documents a refusal).
        """
        plan: list[tuple[Unit, list[str]]] = []
        for unit in job.units:
            value = unit.data.get(column)
            if unit.state == "new" and isinstance(value, str) and separator in value:
                pieces = [p.strip() for p in value.split(separator) if p.strip()]
                if len(pieces) > 1:
                    plan.append((unit, pieces))
        added = sum(len(pieces) - 1 for _, pieces in plan)
        self.make_room(job, added)
        now = self._clock.now()
        ids = iter(self._new_ids(added))
        fresh = []
        for unit, pieces in plan:
            job.units.edit(unit, {column: pieces[0]}, now)
            fresh += [
                Unit(next(ids), job.id, {**unit.data, column: p}, "new", now, now)
                for p in pieces[1:]
            ]
        job.units.add_many(fresh, job.units.columns)
        return added

    # -- one unit ------------------------------------------------------------------------------

    def update(
        self, job: Job, unit: Unit, changes: Mapping[str, Any] | None, *, state: Any, golden: Any
    ) -> Unit:
        """FOUND: ``unit[state]``, ``unit[golden]`` and ``unit[data][...]`` (merged)."""
        target = next_state(unit.state, changes, state=state, golden=golden)
        now = self._clock.now()
        if changes:
            job.units.edit(unit, _without_gold(changes), now)
        if target != unit.state:
            job.units.move(unit, target, now)
        job.units.touch(unit, now)
        return unit

    def delete(self, job: Job, unit: Unit) -> None:
        """FOUND: deleting is allowed only when the unit's state permits (OAS); INFERRED:
        a unit that has judgments stays (422), whatever its state."""
        if unit.judgments_count:
            raise StateConflict(f"Unit {unit.id} has judgments and can't be deleted.")
        job.units.remove(unit)

    def cancel(self, job: Job, unit: Unit) -> Outcome:
        """FOUND: only ``new`` or ``judgable`` units without judgments can be canceled."""
        if unit.state == "canceled":
            return Outcome(error=f"Unit {unit.id} has already been canceled.")
        if unit.state not in CANCELABLE_STATES or unit.judgments_count:
            return Outcome(
                error=f"Unit {unit.id} can't be canceled: only new or judgable units "
                "without judgments can be."
            )  # INFERRED wording
        job.units.move(unit, "canceled", self._clock.now())
        return Outcome(success=f"Unit {unit.id} has been canceled.")

    def request_more_judgments(self, job: Job, unit: Unit, count: Any) -> Unit:
        """FOUND: ``nb_judgments`` more judgments for the unit, on top of the job's (the
        Ruby gem sends 1 unless told otherwise, which is also the default here).

        INFERRED: a count given must be a positive integer (422 otherwise: a client
        sends a number). A canceled unit or a test question takes the request and
        is never judged for it, as neither is judged to an end (lenient: nothing
        documents a refusal).
        """
        more = 1 if count is None or count == "" else positive(str(count).strip())
        if more is None:  # INFERRED (see above)
            raise InvalidInput(
                [FieldError("nb_judgments", "Nb judgments must be a positive integer")]
            )
        unit.extra_judgments += more
        job.units.touch(unit, self._clock.now())
        return unit


def build_units(upload: Upload, now: float) -> list[Unit]:
    """The upload's rows as units made at ``now``, without ids or job yet.

    Pure: it touches no state but the rows it is given (``_golden`` leaves the data),
    so an upload handler runs it in a worker thread along with the parse, leaving the
    event loop only the ids to hand out and the units to add.
    """
    rows = upload.rows
    with _collector_paused(len(rows)):
        if GOLD_COLUMN in upload.columns:
            return [
                Unit(0, 0, data, gold_state(data.pop(GOLD_COLUMN, None)), now, now) for data in rows
            ]
        return [Unit(0, 0, data, "new", now, now) for data in rows]


@contextmanager
def _collector_paused(count: int) -> Iterator[None]:
    """Pauses the cyclic garbage collector while a big batch of units is built.

    Units are tracked objects, and building 10^6 of them would otherwise run the
    collector thousands of times over a heap that only grows (3 to 4 times slower).
    """
    if count < 10_000 or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _without_gold(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != GOLD_COLUMN}
