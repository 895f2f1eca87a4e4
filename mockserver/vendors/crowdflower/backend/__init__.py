"""A CrowdFlower customer's world: the account, its jobs and their units.

Pure domain code: no HTTP, no JSON, no wall clock. Time comes from the tenant's
clock, ids and chance from its seeded randomness.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from .account import Account
from .jobs import Job, Jobs
from .units import Unit, UnitState

__all__ = ["CrowdFlowerWorld"]


class CrowdFlowerWorld:
    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.account = Account.open(
            context.setup.get("account", {}), context.credential, context.rng, context.clock.now()
        )
        self.jobs = Jobs(context.clock, context.rng)
        self.strict_states = context.setup.get("state_errors") == "422"
        self._next_unit_id = 400_000_000 + context.rng.integer(0, 9_999) * 10_000

    def add_unit(self, job: Job, data: dict[str, Any], state: UnitState = "new") -> Unit:
        now = self.context.clock.now()
        unit = Unit(self._next_unit_id, job.id, data, state, now, now)
        self._next_unit_id += 1
        return job.units.add(unit)

    def copy_units(self, source: Job, target: Job, *, all_units: bool, gold: bool) -> None:
        """FOUND: ``all_units`` copies every row; ``gold`` only the test questions."""
        for unit in list(source.units):
            if all_units or (gold and unit.golden):
                self.add_unit(target, dict(unit.data), "golden" if unit.golden else "new")

    def handle(self, event: Event) -> None:
        """No lifecycle events yet: jobs are not ordered in this version."""

    def summary(self) -> dict[str, Any]:
        return {"jobs": len(self.jobs), "units": sum(len(j.units) for j in self.jobs)}
