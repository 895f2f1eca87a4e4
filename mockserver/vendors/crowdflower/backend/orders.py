"""Ordering a job, and the crowd that then works through it on the clock.

FOUND: an order (``debit[units_count]`` on channels) costs money, is refused with
402 when the balance is short, moves the job to ``running`` and its units to
``judgable``; the channels ordered on, and ``on_demand``, become enabled. Each unit
collects ``judgments_per_unit`` trusted judgments and is then ``finalized``
(``unit_complete``); gold units test the workers and are never finalized; when
every ordered unit is finalized the job is ``finished`` (``job_complete``).

INFERRED: the price (payment per assignment spread over its units, per judgment,
plus a 20% fee), the crowd's pace (a round of assignments every sim minute, more
workers for bigger queues), and the launch requirements' wording.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.crowd import Crowd, Worker
from mockserver.core.errors import FieldError, InvalidInput
from mockserver.core.numbers import positive
from mockserver.core.rng import Rng
from mockserver.core.scheduler import Event, Scheduler

from .. import cml
from ..errors import MissingParameters, OrderUnaffordable
from .account import Account
from .aggregation import aggregate
from .jobs import REPORT_TYPES, Job, judgments_needed, judgments_wanted
from .judgments import Judgment
from .units import Unit

ROUND_SECONDS = 60.0
FEE = 1.2
Signal = Callable[[Job, str, Any], None]


@dataclass(slots=True)
class Order:
    id: int
    job_id: int
    units_count: int
    channels: list[str]
    cost_cents: int
    unit_ids: tuple[int, int] | None
    created_at: float


class Orders:
    def __init__(
        self, clock: Clock, scheduler: Scheduler, rng: Rng, crowd: Crowd, signal: Signal
    ) -> None:
        self._clock = clock
        self._scheduler = scheduler
        self._rng = rng
        self._crowd = crowd
        self._signal = signal
        self._next_order = 1_000_000 + rng.integer(0, 99_999)
        self._next_judgment = 1_500_000_000 + rng.integer(0, 9_999) * 10_000

    # -- ordering ------------------------------------------------------------------------------

    def place(self, job: Job, account: Account, raw_count: Any, channels: list[str]) -> Order:
        if raw_count is None or raw_count == "":
            raise MissingParameters()  # FOUND: debit[units_count] is required (OLD-ORDERS)
        count = positive(str(raw_count).strip())
        if count is None:  # INFERRED, safe: every client sends a count of units it uploaded
            raise InvalidInput(
                [FieldError("units_count", "Units count must be a positive integer")]
            )
        problems = self._launch_problems(job)
        if problems:  # FOUND: what a launch needs (OAS, PUT job); INFERRED: as a 422
            raise InvalidInput(problems)
        waiting = [u for u in job.units if u.state == "new"]
        chosen = waiting[:count]
        # INFERRED, safe: an order is placed for uploaded rows; one with none to take
        # would charge nothing and start nothing, and the 422 says so.
        if not chosen:
            raise InvalidInput([FieldError("units_count", "There are no new units to order")])
        cost = self.price(job, len(chosen))
        if cost > account.balance:  # FOUND: 402 when the balance is short (OLD-ORDERS, RM)
            raise OrderUnaffordable(account.balance, cost)
        account.balance -= cost
        now = self._clock.now()
        for unit in chosen:
            job.units.move(unit, "judgable", now)
            job.queue.append(unit.id)
            job.needed_judgments += judgments_needed(job, unit)
        # FOUND (the Ruby gem's integration test): ordered on channels, a job's enabled
        # channels are those, in order, then ``on_demand``, whatever it had before.
        job.enabled_channels = list(
            dict.fromkeys([*(channels or job.enabled_channels), "on_demand"])
        )
        order = Order(
            self._next_order,
            job.id,
            len(chosen),
            channels or ["on_demand"],
            cost,
            (chosen[0].id, chosen[-1].id),
            now,
        )
        self._next_order += 1
        job.orders.append(order)
        job.crowd_costs += cost / 100
        job.state, job.updated_at, job.completed_at = "running", now, None
        self.kick(job)
        return order

    def price(self, job: Job, units: int) -> int:
        per_judgment = (job["payment_cents"] or 0) / max(1, job["units_per_assignment"] or 1)
        return math.ceil(units * (job["judgments_per_unit"] or 1) * per_judgment * FEE)

    def refund(self, job: Job, account: Account) -> int:
        """FOUND: canceling refunds the judgments not yet received."""
        missing = sum(judgments_needed(job, job.units.get(uid)) for uid in set(job.queue))
        per_judgment = (job["payment_cents"] or 0) / max(1, job["units_per_assignment"] or 1)
        refund = math.ceil(missing * per_judgment * FEE)
        account.balance += refund
        job.queue.clear()
        job.needed_judgments = 0
        return refund

    def kick(self, job: Job) -> None:
        """Plans the job's next round of work unless one is planned already."""
        if not job.working:
            job.working = True
            self._scheduler.at(self._clock.now() + ROUND_SECONDS, "world", "job.work", job=job.id)

    def _launch_problems(self, job: Job) -> list[FieldError]:
        """FOUND: a job needs a title, instructions and a required CML field to launch."""
        problems = []
        if not job["title"]:
            problems.append(FieldError("title", "Title can't be blank"))
        if not job["instructions"]:
            problems.append(FieldError("instructions", "Instructions can't be blank"))
        if not cml.parse(job["cml"]).launchable:
            problems.append(
                FieldError("cml", 'CML needs at least one field that validates="required"')
            )
        return problems

    # -- the crowd at work ----------------------------------------------------------------------

    def work(self, job: Job, event: Event) -> None:
        """One round: workers take assignments, judge, and units finalize."""
        job.working = False
        if job.state != "running":
            return
        at = event.due
        form = cml.parse(job["cml"])
        golds = job.units.golds() if job["gold_per_assignment"] else []
        fresh: list[Judgment] = []
        for worker in self._crowd.pick(max(3, min(50, math.ceil(len(job.queue) / 200)))):
            assignment = self._assignment(job, worker)
            if golds:
                assignment += self._rng.sample(golds, min(len(golds), job["gold_per_assignment"]))
            for unit in assignment:
                fresh.append(self._judge(job, unit, worker, form, at))
        if fresh and job["send_judgments_webhook"]:
            self._signal(job, "new_judgments", fresh)
        if job.queue:
            self.kick(job)
        elif all(u.state != "judging" for u in job.units):
            job.state, job.completed_at, job.updated_at = "finished", at, at
            job.reports = dict.fromkeys(REPORT_TYPES, at)
            self._signal(job, "job_complete", None)

    def _assignment(self, job: Job, worker: Worker) -> list[Unit]:
        taken: list[Unit] = []
        skipped: list[int] = []
        worker_id = int(worker.id)
        while job.queue and len(taken) < (job["units_per_assignment"] or 1):
            unit = job.units.get(job.queue.popleft())
            if unit is None or unit.state not in ("judgable", "judging"):
                continue
            if any(j.worker_id == worker_id for j in job.judgments.of_unit(unit.id)):
                skipped.append(unit.id)
                continue
            taken.append(unit)
        job.queue.extendleft(reversed(skipped))
        return taken

    def _judge(self, job: Job, unit: Unit, worker: Worker, form: cml.Form, at: float) -> Judgment:
        record = job.judgments.worker(int(worker.id), worker.trust)
        answers: dict[str, Any] = {}
        missed = None
        for field in form.fields:
            truth = self._truth(unit, field)
            answer = self._answer(worker, field, truth)
            answers[field.name] = answer
            if unit.golden and field.gold and f"{field.name}_gold" in unit.data:
                missed = bool(missed) or answer != truth
        if missed is not None:
            record.golds_seen += 1
            record.golds_missed += missed
        judgment = Judgment(
            id=self._next_judgment, job_id=job.id, unit_id=unit.id, worker_id=int(worker.id),
            index=len(job.judgments.of_unit(unit.id)) + 1, data=answers,
            trust=round(record.trust, 4), worker_trust=round(record.trust, 4),
            golden=unit.golden, tainted=record.tainted,
            channel=self._rng.choice(job.enabled_channels or ["on_demand"]),
            country=worker.country3, region=worker.region, city=worker.city,
            ip=self._ip(),
            started_at=at - self._crowd.duration(worker), created_at=at - self._rng.uniform(0, 30),
            missed=missed,
        )  # fmt: skip
        self._next_judgment += 1
        job.judgments.add(judgment)
        job.judgments_count += 1
        if not unit.golden:
            self._record(job, unit, judgment, at)
        return judgment

    def _record(self, job: Job, unit: Unit, judgment: Judgment, at: float) -> None:
        if not judgment.tainted:
            unit.judgments_count += 1
            job.needed_judgments = max(0, job.needed_judgments - 1)
        if judgments_needed(job, unit) > 0:
            if unit.state == "judgable":
                job.units.move(unit, "judging", at)
            job.queue.append(unit.id)
            return
        job.units.move(unit, "finalized", at)
        self._signal(job, "unit_complete", unit)

    # -- judgments sent through the API (FOUND in the legacy documentation only) ------------

    def add_judgment(self, job: Job, unit: Unit, data: dict[str, Any], worker_id: int) -> Judgment:
        """A trusted judgment recorded by the customer; it counts like a worker's.

        INFERRED: it comes from channel ``api`` and, on an ordered unit, may finalize it;
        its worker joins the job's contributors (reports and worker actions know them).
        """
        at = self._clock.now()
        job.judgments.worker(worker_id, 1.0)
        judgment = Judgment(
            id=self._next_judgment, job_id=job.id, unit_id=unit.id, worker_id=worker_id,
            index=len(job.judgments.of_unit(unit.id)) + 1, data=dict(data), trust=1.0,
            worker_trust=1.0, golden=unit.golden, tainted=False, channel="api", country="",
            region="", city="", ip="", started_at=at, created_at=at,
        )  # fmt: skip
        self._next_judgment += 1
        job.judgments.add(judgment)
        job.judgments_count += 1
        if not unit.golden and judgments_needed(job, unit) > 0:
            unit.judgments_count += 1
            job.needed_judgments = max(0, job.needed_judgments - 1)
            if judgments_needed(job, unit) == 0:
                job.units.move(unit, "finalized", at)
                self._signal(job, "unit_complete", unit)
        return judgment

    def delete_judgment(self, job: Job, judgment: Judgment) -> None:
        """Removes a judgment; its unit loses it and re-opens if it now falls short."""
        job.judgments.remove(judgment)
        job.judgments_count -= 1
        if not judgment.tainted and not judgment.golden:
            self.reopen(job, {judgment.unit_id: 1})

    def reject_judgment(self, job: Job, judgment: Judgment, *, redo: bool) -> None:
        """FOUND (the Ruby gem's history): a judgment is rejected with ``redo`` true or false.

        INFERRED: the judgment is marked rejected; with ``redo`` it also stops counting
        (it is tainted) and its unit collects another in its place, as a rejected
        worker's units do. Rejecting it again changes nothing more.
        """
        judgment.rejected = True
        if not redo or judgment.tainted:
            return
        job.judgments.taint(judgment)
        if not judgment.golden:
            self.reopen(job, {judgment.unit_id: 1})

    def reopen(self, job: Job, lost: dict[int, int]) -> int:
        """Takes trusted judgments back from units (``unit id -> how many``).

        While the job is running or paused, a unit that now needs judgments again goes
        back to the queue, and a finalized one to ``judging`` unless the job's
        ``units_remain_finalized`` keeps it. Returns how many units re-opened.
        """
        reopening = job.state in ("running", "paused")
        queued = set(job.queue) if reopening else set()
        now = self._clock.now()
        reopened = 0
        for unit_id, count in lost.items():
            unit = job.units.get(unit_id)
            if unit is None:
                continue
            before = judgments_needed(job, unit)
            unit.judgments_count = max(0, unit.judgments_count - count)
            job.units.touch(unit, now)
            if not reopening or unit.golden:
                continue
            if unit.state == "finalized":
                if job["units_remain_finalized"] or unit.judgments_count >= judgments_wanted(
                    job, unit
                ):
                    continue
                job.units.move(unit, "judging", now)
            gained = judgments_needed(job, unit) - before
            if gained <= 0:
                continue
            reopened += 1
            job.needed_judgments += gained
            if unit.id not in queued:
                job.queue.append(unit.id)
                queued.add(unit.id)
        if reopened and job.state == "running":
            self.kick(job)
        return reopened

    def _ip(self) -> str:
        """Four octets from 1 to 254, drawn as one number: every judgment has an IP."""
        drawn = self._rng.integer(0, 254**4 - 1)
        a, b, c, d = drawn // 254**3, drawn // 254**2 % 254, drawn // 254 % 254, drawn % 254
        return f"{a + 1}.{b + 1}.{c + 1}.{d + 1}"

    # -- answers -------------------------------------------------------------------------------

    @staticmethod
    def _truth(unit: Unit, field: cml.Field) -> Any:
        """The right answer: the gold column of a test question, else a fixed pick."""
        gold = unit.data.get(f"{field.name}_gold")
        if gold not in (None, ""):
            return str(gold).split("\n") if field.multiple else str(gold)
        options = field.answer_options()
        if not options:
            first = next((str(v) for v in unit.data.values() if v not in (None, "")), "")
            return first[:60] or f"answer {unit.id}"
        pick = options[(unit.id * 2654435761 + zlib.crc32(field.name.encode())) % len(options)]
        return [pick] if field.multiple else pick

    def _answer(self, worker: Worker, field: cml.Field, truth: Any) -> Any:
        options = field.answer_options()
        if field.multiple:
            first = truth[0] if truth else (options[0] if options else "")
            return [self._crowd.answer(worker, options or (first,), truth=first)]
        if not options:
            return truth if self._crowd.is_right(worker) else f"{truth}?"
        return self._crowd.answer(worker, options, truth=truth if truth in options else None)

    def results(self, job: Job, unit: Unit) -> dict[str, Any]:
        """A unit's ``results``: each answered field aggregated, plus the judgments."""
        trusted = job.judgments.trusted(unit.id)
        if not trusted:  # nobody answered any field: no need to read the form
            return {}
        results: dict[str, Any] = {}
        for field in cml.parse(job["cml"]).fields:
            outcome = aggregate(field, [(j.data.get(field.name), j.trust) for j in trusted])
            if outcome is not None:
                results[field.name] = outcome
        return results
