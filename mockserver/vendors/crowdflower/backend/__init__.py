"""A CrowdFlower customer's world: the account, its jobs and their units.

Pure domain code: no HTTP, no JSON, no wall clock. Time comes from the tenant's
clock, ids and chance from its seeded randomness.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.lazyparts import LazyParts, part
from mockserver.core.scheduler import Event
from mockserver.core.vendor import Notification, WorldContext

from .account import Account
from .gold import GoldActions
from .jobs import Job, Jobs, Outcome
from .orders import Order, Orders
from .units import DEFAULT_UNIT_LIMIT, Unit, UnitState
from .uploads import UnitActions
from .workers import Workers

__all__ = ["CrowdFlowerWorld"]


class CrowdFlowerWorld(LazyParts):
    """The account and its jobs, made with the world; the machinery that works on jobs
    (orders, test questions, contributors, unit uploads) is made when first used: a
    shared server keeps thousands of worlds whose key listed its jobs once, and every
    object of each is one more for a full garbage collection to walk."""

    def __init__(self, context: WorldContext) -> None:
        self.context = context
        self.account = Account.open(
            context.setup.get("account", {}), context.credential, context.rng, context.clock.now()
        )
        self.jobs = Jobs(context.clock, context.rng)
        self.strict_states = context.setup.get("state_errors") == "422"
        self._next_unit_id = 400_000_000 + context.rng.integer(0, 9_999) * 10_000
        self.webhook_token = context.setup.get("webhook_token") or context.credential
        self.unit_limit = int(context.setup.get("unit_limit", DEFAULT_UNIT_LIMIT))
        # FOUND: a JSON string as unit[data] was refused (400) in 2014; lenient by default.
        self.strict_unit_data = context.setup.get("unit_data_json") == "strict"

    @part
    def orders(self) -> Orders:
        context = self.context
        return Orders(context.clock, context.scheduler, context.rng, context.crowd, self._signal)

    @part
    def gold(self) -> GoldActions:
        return GoldActions(self.context.clock, self._signal)

    @part
    def workers(self) -> Workers:
        return Workers(self.context.clock, self.account, self.orders.reopen)

    @part
    def units(self) -> UnitActions:
        return UnitActions(self.context.clock, self.new_unit_ids, self.unit_limit)

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

    def new_unit_ids(self, count: int) -> range:
        """``count`` fresh unit ids in a row, from the sequence :meth:`add_unit` uses."""
        first = self._next_unit_id
        self._next_unit_id += count
        return range(first, first + count)

    def handle(self, event: Event) -> None:
        job = self.jobs.find(event.data["job"])
        if job is not None and event.action == "job.work":
            self.orders.work(job, event)

    # -- ordering and the job's state ------------------------------------------------------

    def order(self, job: Job, units_count: Any, channels: list[str]) -> Order:
        return self.orders.place(job, self.account, units_count, channels)

    def pause(self, job: Job) -> Outcome:
        return self.jobs.pause(job)

    def resume(self, job: Job) -> Outcome:
        outcome = self.jobs.resume(job)
        if outcome.success:
            self.orders.kick(job)
        return outcome

    def cancel(self, job: Job) -> Outcome:
        outcome = self.jobs.cancel(job)
        if outcome.success:
            self.orders.refund(job, self.account)
        return outcome

    def data_processed(self, job: Job) -> None:
        """FOUND: ``job_data_processed`` fires once uploaded rows are processed."""
        self._signal(job, "job_data_processed", None)

    def results(self, job: Job, unit: Unit) -> dict[str, Any]:
        return self.orders.results(job, unit)

    def _signal(self, job: Job, signal: str, subject: Any) -> None:
        """Sends a job's webhook, if it has a ``webhook_uri`` (FOUND signals)."""
        url = job["webhook_uri"]
        if not url:
            return
        # Deferred: the views read this package's constants, so they load after it.
        from .. import results, views

        if signal == "unit_complete":
            payload: Any = results.unit_document(job, subject, self.results(job, subject))
        elif signal == "new_judgments":
            payload = [results.judgment_view(j, job.units.get(j.unit_id)) for j in subject]
        else:
            payload = views.job_view(job)
        self.context.notify(
            Notification(
                url=url, event=signal, payload={"payload": payload}, secret=self.webhook_token
            )
        )

    def summary(self) -> dict[str, Any]:
        return {"jobs": len(self.jobs), "units": sum(len(j.units) for j in self.jobs)}
