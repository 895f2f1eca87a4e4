"""Tasks, their sign-off jobs and notifications: the lifecycle on the sim clock.

FOUND: a task is created from a template with input items and notification
subscriptions (``CUSTOMER_INPUT_REQUIRED``, ``TASK_COMPLETED``); when the worker's
text waits for the customer's buyoff the task is in ``feedback``; an approval (or no
answer for 7 days) finishes it; after a rejection the same worker reworks the text
once; a text declined twice cancels the task and clones it for another worker.

INFERRED state machine (the documented table is cut off)::

    new --(a worker picks it up after a queue wait)--> in_progress
    in_progress --(the worker submits; a new sign-off job opens)--> feedback
    feedback --(accepted=1, or 7 days without an answer)--> finished
    feedback --(first rejection: the same worker reworks)--> in_progress
    feedback --(second rejection)--> cancelled, and a clone starts in new
    new | in_progress | feedback --(DELETE, or PUT state=cancelled)--> cancelled

Job states: ``open``, ``accepted``, ``rejected``, ``auto_accepted``, and
``cancelled`` when its task is cancelled while it waits. Ids are per customer
sequences starting at the documentation's examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from mockserver.core.errors import NotFound
from mockserver.core.interning import Interner
from mockserver.core.scheduler import Event
from mockserver.core.vendor import Notification, WorldContext

from ..errors import StateConflict
from .buyoff import assess
from .customer import Customer
from .ordering import Item, Order, Subscription, check
from .pricing import Quote, quote
from .templates import Template, Templates
from .writer import Writer, item_code, ordered_length

TaskState = Literal["new", "in_progress", "feedback", "finished", "cancelled"]
TASK_STATES = ("new", "in_progress", "feedback", "finished", "cancelled")
JobState = Literal["open", "accepted", "rejected", "auto_accepted", "cancelled"]
RUNNING = ("new", "in_progress", "feedback")

FIRST_TASK_ID = 2405829  # FOUND as examples: task 2405829, job 5968545, notification 19265
FIRST_JOB_ID = 5968545
FIRST_NOTIFICATION_ID = 19265
QUEUE_WAIT = (300.0, 3600.0)  # INFERRED: sim seconds before a clickworker picks a task up
PROOF_READING = (1800.0, 7200.0)  # INFERRED: the extra review when proof-reading is ordered
SIGNOFF_WINDOW = 7 * 86400.0  # FOUND: buyoff jobs are approved automatically after 7 days


# bound: an id the customer has nothing under (or that cannot be an id) answers 404.
class TaskNotFound(NotFound):
    message = "No such task"


class JobNotFound(NotFound):
    message = "No such job"


class NotificationNotFound(NotFound):
    message = "No such notification"


@dataclass(slots=True)
class Task:
    """A task and its lifecycle so far.

    Its sequences are tuples, replaced as the task moves on, rather than lists grown in
    place: a tuple of strings and numbers is not tracked by CPython's garbage collector,
    whose full collections walk every tracked object of every task a server keeps.
    """

    id: int
    customer_ref: str
    template: Template
    base_url: str
    input: tuple[Item, ...]
    subscriptions: tuple[Subscription, ...]
    price: Quote
    created_at: float
    state: TaskState = "new"
    reserved: Decimal = Decimal("0")
    origin: int | None = None  # the original task of a clone chain
    cloned_task: int | None = None
    worker_id: str | None = None
    workers: tuple[str, ...] = ()  # who worked on the chain so far
    outputs: tuple[Item, ...] = ()
    results: tuple[Item, ...] | None = None
    rejections: int = 0
    jobs: tuple[int, ...] = ()
    history: tuple[tuple[str, float], ...] = ()

    @property
    def root(self) -> int:
        """The id the customer knows: the original of a clone chain."""
        return self.origin if self.origin is not None else self.id


@dataclass(slots=True)
class Job:
    id: int
    task_id: int
    items: list[Item]
    created_at: float
    state: JobState = "open"
    answer: list[Item] = field(default_factory=list)
    answered_at: float | None = None


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    id: int
    task_id: int  # the task the customer knows (the original of a clone chain)
    source_task_id: int  # the task it is about
    event: str
    payload_format: str
    base_url: str
    created_at: float
    job_id: int | None = None
    customer_output: tuple[Item, ...] | None = None

    def payload(self) -> dict[str, Any]:
        """The notification as plain data, for the webhook and the GET."""
        return {
            "id": self.id,
            "event": self.event,
            "task_id": self.task_id,
            "job_id": self.job_id,
            "base_url": self.base_url,
            "customer_output": None if self.customer_output is None else dict(self.customer_output),
        }


class Tasks:
    """One customer's tasks, jobs and notifications."""

    def __init__(self, context: WorldContext, customer: Customer, templates: Templates) -> None:
        self._context = context
        self._customer = customer
        self._templates = templates
        # A stream of its own, so that polling (which draws request ids) never changes
        # who works on a task, when, or what they write.
        self._rng = context.rng.child("tasks")
        self._writer = Writer(self._rng)
        # A client's tasks share their callbacks and a template's tasks their price, and
        # the tasks are kept for good: equal values are kept once (core.interning).
        self._interned = Interner()
        self.tasks: dict[int, Task] = {}
        self.jobs: dict[int, Job] = {}
        self.notifications: dict[int, NotificationRecord] = {}
        self._next = {"task": FIRST_TASK_ID, "job": FIRST_JOB_ID, "note": FIRST_NOTIFICATION_ID}

    def _id(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] += 1
        return value

    def _now(self) -> float:
        return self._context.clock.now()

    # -- tasks ---------------------------------------------------------------------------------

    def create(self, order: Order, base_url: str) -> Task:
        """A new task from a client's order; the price is reserved, the crowd will pick it up."""
        template, inputs, subscriptions = check(order, self._templates)
        quoted = quote(template.product, template.attributes, self._customer.currency)
        price = self._interned(quoted)
        self._customer.reserve(price.gross)
        task = Task(
            id=self._id("task"),
            customer_ref=order.customer_ref or "",
            template=template,
            base_url=base_url,
            input=tuple(inputs),
            subscriptions=self._interned(tuple(subscriptions)),
            price=price,
            created_at=self._now(),
            reserved=price.gross,
        )
        self._open(task)
        return task

    def _open(self, task: Task) -> None:
        task.history = (("new", task.created_at),)
        self.tasks[task.id] = task
        due = task.created_at + self._rng.uniform(*QUEUE_WAIT)
        self._context.scheduler.at(due, "world", "task.start", id=task.id)

    def get(self, task_id: int) -> Task:
        found = self.tasks.get(task_id)
        if found is None:
            raise TaskNotFound(f"No task {task_id}")
        return found

    def newest(self, task: Task) -> Task:
        """The last clone of a task's chain (the task itself when it was never cloned)."""
        while task.cloned_task is not None:
            task = self.tasks[task.cloned_task]
        return task

    def listing(
        self,
        *,
        state: str | None = None,
        since: float | None = None,
        until: float | None = None,
        customer_ref: str | None = None,
    ) -> list[Task]:
        return [
            t
            for t in self.tasks.values()
            if (state is None or t.state == state)
            and (since is None or t.created_at >= since)
            and (until is None or t.created_at < until)
            and (customer_ref is None or t.customer_ref == customer_ref)
        ]

    def rename(self, task_id: int, customer_ref: str) -> Task:
        task = self.get(task_id)
        task.customer_ref = customer_ref
        return task

    def cancel(self, task_id: int) -> Task:
        """INFERRED: any task not yet finished is cancelled and its money released; a
        finished or cancelled task has nothing left to cancel and stays as it is (the
        WordPress plugin deletes a task before its template, whatever its state)."""
        task = self.get(task_id)
        if task.state in ("finished", "cancelled"):
            return task
        now = self._now()
        for job_id in task.jobs:
            job = self.jobs[job_id]
            if job.state == "open":
                job.state, job.answered_at = "cancelled", now
        self._customer.release(task.reserved)
        task.reserved = Decimal("0")
        self._move(task, "cancelled", now)
        return task

    def uses_template(self, code: str) -> bool:
        """Whether a task that is still running was made from the template."""
        return any(t.template.code == code and t.state in RUNNING for t in self.tasks.values())

    # -- jobs and the buyoff -------------------------------------------------------------------

    def job(self, job_id: int) -> Job:
        found = self.jobs.get(job_id)
        if found is None:
            raise JobNotFound(f"No job {job_id}")
        return found

    def open_jobs(self, task_id: int | None = None) -> list[Job]:
        """The sign-off jobs waiting for the customer (of one task, or of its clones)."""
        return [
            j
            for j in self.jobs.values()
            if j.state == "open"
            and (task_id is None or task_id in (j.task_id, self.tasks[j.task_id].root))
        ]

    def buyoff(self, job_id: int, items: list[Item]) -> Job:
        """The customer's answer to a sign-off job; refused answers change nothing."""
        job = self.job(job_id)
        # INFERRED, kept as safe: a job is answered once (FOUND: a rework comes with a
        # new job, so an answered job has nothing left to act on).
        if job.state != "open":
            raise StateConflict(f"Job {job.id} is {job.state}, not open for a buyoff")
        task = self.tasks[job.task_id]
        verdict = assess(items, task.template.product)
        now = self._now()
        job.answer, job.answered_at = list(items), now
        if verdict.accepted:
            job.state = "accepted"
            self._finish(task, now)
            return job
        job.state = "rejected"
        task.rejections += 1
        if task.rejections == 1:
            self._move(task, "in_progress", now)
            worker = self._context.crowd.get(task.worker_id or "")
            scale = max(1.0, ordered_length(task.template)[1] / 20)
            due = now + (self._context.crowd.duration(worker, scale=scale) if worker else 1800.0)
            self._context.scheduler.at(due, "world", "task.submit", id=task.id)
        else:
            self._clone(task, now)
        return job

    # -- notifications -------------------------------------------------------------------------

    def notifications_of(self, task_id: int) -> list[NotificationRecord]:
        task = self.get(task_id)
        return [n for n in self.notifications.values() if task.id in (n.task_id, n.source_task_id)]

    def notification(self, task_id: int, notification_id: int) -> NotificationRecord:
        found = self.notifications.get(notification_id)
        if found is None or found not in self.notifications_of(task_id):
            raise NotificationNotFound(f"No notification {notification_id} of task {task_id}")
        return found

    def _notify(
        self,
        task: Task,
        event: str,
        *,
        job: Job | None = None,
        output: tuple[Item, ...] | None = None,
    ) -> None:
        """INFERRED: a clone's notifications name the original task, whose id the customer
        knows (the documentation's example pairs task 2405829 with a job of 2405830)."""
        for subscription in task.subscriptions:
            if subscription.event != event:
                continue
            record = NotificationRecord(
                id=self._id("note"),
                task_id=task.root,
                source_task_id=task.id,
                event=event,
                payload_format=subscription.payload_format,
                base_url=task.base_url,
                created_at=self._now(),
                job_id=None if job is None else job.id,
                customer_output=output,
            )
            self.notifications[record.id] = record
            self._context.notify(
                Notification(
                    url=subscription.callback_url,
                    event=event,
                    payload=record.payload(),
                    options={
                        "format": subscription.payload_format,
                        "method": subscription.callback_method,
                    },
                )
            )

    # -- the lifecycle ---------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        if event.action == "job.expire":
            job = self.jobs.get(event.data["id"])
            if job is not None and job.state == "open":
                job.state, job.answered_at = "auto_accepted", event.due
                self._finish(self.tasks[job.task_id], event.due)
            return
        task = self.tasks.get(event.data["id"])
        if task is None:
            return
        if event.action == "task.start" and task.state == "new":
            self._start(task, event.due)
        elif event.action == "task.submit" and task.state == "in_progress":
            self._submit(task, event.due)

    def _start(self, task: Task, at: float) -> None:
        crowd = self._context.crowd
        fresh = [w for w in crowd.workers if w.id not in task.workers] or crowd.workers
        worker = self._rng.choice(fresh)
        task.worker_id = worker.id
        task.workers = (*task.workers, worker.id)
        self._move(task, "in_progress", at)
        due = at + crowd.duration(worker, scale=max(1.0, ordered_length(task.template)[1] / 10))
        if any(v == "textcreate_proof_yes" for v in task.template.attributes.values()):
            due += self._rng.uniform(*PROOF_READING)
        self._context.scheduler.at(due, "world", "task.submit", id=task.id)

    def _submit(self, task: Task, at: float) -> None:
        task.outputs = tuple(self._writer.write(task.template, dict(task.input)))
        job = Job(
            id=self._id("job"),
            task_id=task.id,
            items=_in_form_order(task.template, [*task.input, *task.outputs]),
            created_at=at,
        )
        self.jobs[job.id] = job
        task.jobs = (*task.jobs, job.id)
        self._move(task, "feedback", at)
        self._context.scheduler.at(at + SIGNOFF_WINDOW, "world", "job.expire", id=job.id)
        self._notify(task, "CUSTOMER_INPUT_REQUIRED", job=job)

    def _finish(self, task: Task, at: float) -> None:
        task.results = task.outputs
        self._customer.spend(task.reserved)
        task.reserved = Decimal("0")
        self._move(task, "finished", at)
        self._notify(task, "TASK_COMPLETED", output=task.results)

    def _clone(self, task: Task, at: float) -> None:
        """FOUND: declined twice, the task is cancelled and cloned for another worker;
        INFERRED: the reservation moves over, so the clone costs nothing more."""
        clone = Task(
            id=self._id("task"),
            customer_ref=task.customer_ref,
            template=task.template,
            base_url=task.base_url,
            input=task.input,
            subscriptions=task.subscriptions,
            price=task.price,
            created_at=at,
            reserved=task.reserved,
            origin=task.root,
            workers=task.workers,
        )
        task.reserved = Decimal("0")
        task.cloned_task = clone.id
        self._move(task, "cancelled", at)
        self._open(clone)

    def _move(self, task: Task, state: TaskState, at: float) -> None:
        task.state = state
        task.history = (*task.history, (state, at))

    def summary(self) -> dict[str, int]:
        return {
            "tasks": len(self.tasks),
            "jobs": len(self.jobs),
            "notifications": len(self.notifications),
        }


def _in_form_order(template: Template, items: list[Item]) -> list[Item]:
    """FOUND: a job's items follow the template's form (the walkthrough's input, then its
    two outputs, as the form defines them), and clients read them by position (the
    WordPress plugin shows ``items[0]`` as the title and ``items[1]`` as the text).
    Items the form does not define (``keyword_a_min``) follow, in the order sent."""
    order = {item_code(e): i for i, e in enumerate(template.elements)}
    return sorted(items, key=lambda item: order.get(item[0], len(order)))
