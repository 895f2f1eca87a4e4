"""Team labeling on the clock: starting a workforce task and its members' work.

FOUND: StartWorkforceTask moves a task from created (``6``) to starting (``0``,
files being allocated) and then running (``1``); members label samples, which
then wait for a reviewer (``__UNREVIEWED__``); a member's view of a task (a
worker task) carries its ``task_status``, ``email_status`` (``3`` sent) and
``sample_stats``.

INFERRED: only a created task can start (else ``ModelArts.4621``, as can a task
without members); allocation takes 5 sim seconds; the dataset's unlabeled samples
(``__NONE__``) go round-robin, in upload order, to the task's labelers (role
``0``), or to every member when it names no labeler; each labeler is paired with a
person of the simulated crowd, who labels one sample every 60–180 sim seconds
(their speed, clamped) and picks one of the dataset's labels (or ``default`` when
it has none), right as often as their accuracy says; a sample labeled or removed
meanwhile is skipped; a labeled sample carries the member's ``worker_id``; a task
whose samples are all labeled stays running (review and acceptance follow in
``acceptance``); starting notifies every member (``email_status`` ``3``,
``last_notify_time`` the start); the dataset's ``annotated_sample_count`` counts
accepted samples only (team results reach it through acceptance), while its
statistics by state follow at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from mockserver.core.crowd import Worker as Person
from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from ..errors import ModelArtsError, WorkforceTaskStartFailed
from .datasets import Dataset, Datasets
from .sample_views import SampleView
from .samples import UNCONFIRMED, UNLABELED, Sample, Samples
from .workforces import TASK_CREATED, Worker, Workforces, WorkforceTask

ACTION_PREFIX = "labeling."
RUNNING = ACTION_PREFIX + "running"
LABEL = ACTION_PREFIX + "label"
TASK_STARTING, TASK_RUNNING = 0, 1
STARTING_SECONDS = 5.0
PACE = (60.0, 180.0)
LABELER = 0
DEFAULT_LABEL = "default"
EMAIL_NOT_SENT, EMAIL_SENT = 0, 3
UNREVIEWED = "__UNREVIEWED__"
STAT_OF_STATE = {
    UNLABELED: "unannotated_sample_count",
    UNREVIEWED: "unreviewed_sample_count",
    "__REVIEWED__": "uncheck_sample_count",
    "__UNCHECK__": "uncheck_sample_count",
    "__REJECTED__": "rejected_sample_count",
    "__ACCEPTED__": "accepted_sample_count",
    "__ALL__": "accepted_sample_count",
    UNCONFIRMED: "auto_annotation_sample_count",
}
SAMPLE_STATS = (
    "total_sample_count",
    "unannotated_sample_count",
    "unreviewed_sample_count",
    "uncheck_sample_count",
    "sampled_sample_count",
    "rejected_sample_count",
    "accepted_sample_count",
    "auto_annotation_sample_count",
    "deleted_sample_count",
)

RowSort = Literal["create_time", "workforce_task_name"]
Order = Literal["asc", "desc"]


@dataclass(slots=True)
class Assignment:
    """One member's share of a started task."""

    worker: Worker
    person: Person | None
    sample_ids: list[str]  # the work queue, in upload order
    start_time: int  # epoch milliseconds
    update_time: int
    view: SampleView = field(default_factory=SampleView)
    cursor: int = 0


@dataclass(slots=True)
class WorkerTask:
    """A member's view of a task (started or not)."""

    task: WorkforceTask
    worker: Worker
    dataset: Dataset
    assignment: Assignment | None
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def create_time(self) -> int:
        return self.assignment.start_time if self.assignment else self.task.create_time

    @property
    def update_time(self) -> int:
        return self.assignment.update_time if self.assignment else self.task.update_time

    @property
    def email_status(self) -> int:
        return EMAIL_SENT if self.assignment else EMAIL_NOT_SENT

    @property
    def last_notify_time(self) -> int:
        return self.assignment.start_time if self.assignment else 0


def members_of(task: WorkforceTask) -> list[Worker]:
    seen: dict[str, Worker] = {}
    for team in task.teams:
        for worker in team.workers:
            seen.setdefault(worker.id, worker)
    return list(seen.values())


class Labeling:
    def __init__(
        self, context: WorldContext, datasets: Datasets, samples: Samples, workforces: Workforces
    ) -> None:
        self._context = context
        self._clock = context.clock
        self._rng = context.rng
        self._datasets = datasets
        self._samples = samples
        self._workforces = workforces
        self._shares: dict[str, dict[str, Assignment]] = {}  # task id -> worker id -> share
        self._views: dict[str, SampleView] = {}  # task id -> every sample handed out

    def view_of(self, task: WorkforceTask) -> SampleView:
        """The samples handed out when the task started (none before)."""
        return self._views.get(task.id) or SampleView()

    def holds(self, task: WorkforceTask, sample: Sample) -> bool:
        view = self._views.get(task.id)
        return view is not None and any(each is view for each in sample.views)

    def forget(self, task: WorkforceTask) -> None:
        """Drops a deleted task's hand-out, and its samples leave its views."""
        shares = self._shares.pop(task.id, {})
        view = self._views.pop(task.id, None)
        try:
            held = self._samples.of(self._datasets.get(task.dataset_id))
        except ModelArtsError:
            return
        for share in shares.values():
            for sample_id in share.sample_ids:
                sample = held.by_id.get(sample_id)
                if sample is None:
                    continue
                held.part(sample, share.view)
                if view is not None:
                    held.part(sample, view)

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def start(self, dataset_id: str, task_id: str) -> WorkforceTask:
        """Allocates the unlabeled samples; the task runs once allocation is done."""
        dataset = self._datasets.get(dataset_id)
        task = self._workforces.get_task(dataset.id, task_id)
        if task.status != TASK_CREATED:
            raise WorkforceTaskStartFailed(
                f"workforce_task_id: the task {task_id} has already been started"
            )
        members = members_of(task)
        if not members:
            raise WorkforceTaskStartFailed(f"workforces_config: the task {task_id} has no members")
        labelers = [worker for worker in members if worker.role == LABELER] or members
        held = self._samples.of(dataset)
        unlabeled = list(held.whole.ids(UNLABELED))
        shares: dict[str, list[str]] = {worker.id: [] for worker in members}
        for index, sample_id in enumerate(unlabeled):
            shares[labelers[index % len(labelers)].id].append(sample_id)
        now = self._now()
        crowd = self._context.crowd
        handed = self._shares[task.id] = {
            worker.id: Assignment(
                worker=worker,
                person=crowd.pick(1)[0] if shares[worker.id] else None,
                sample_ids=shares[worker.id],
                start_time=now,
                update_time=now,
            )
            for worker in members
        }
        view = self._views[task.id] = SampleView()
        for index, sample_id in enumerate(unlabeled):  # upload order: each view appends
            sample = held.by_id[sample_id]
            held.join(sample, view)
            held.join(sample, handed[labelers[index % len(labelers)].id].view)
        task.status = TASK_STARTING
        task.update_time = now
        self._context.scheduler.at(
            self._clock.now() + STARTING_SECONDS,
            "world",
            RUNNING,
            dataset_id=dataset.id,
            task=task.id,
        )
        return task

    def handle(self, event: Event) -> None:
        try:
            dataset = self._datasets.get(event.data["dataset_id"])
            task = self._workforces.get_task(dataset.id, event.data["task"])
        except ModelArtsError:
            return  # the dataset went away meanwhile
        shares = self._shares.get(task.id, {})
        if event.action == RUNNING:
            task.status = TASK_RUNNING
            task.update_time = self._now()
            for each in shares.values():
                if each.sample_ids:
                    self._schedule(dataset, task, each)
        elif event.action == LABEL:
            share = shares.get(event.data["worker"])
            if share is not None:
                self._label_next(dataset, task, share)

    def _schedule(self, dataset: Dataset, task: WorkforceTask, share: Assignment) -> None:
        low, high = PACE
        person = share.person
        pace = self._context.crowd.duration(person) if person else self._rng.uniform(low, high)
        self._context.scheduler.at(
            self._clock.now() + min(high, max(low, pace)),
            "world",
            LABEL,
            dataset_id=dataset.id,
            task=task.id,
            worker=share.worker.id,
        )

    def _label_next(self, dataset: Dataset, task: WorkforceTask, share: Assignment) -> None:
        held = self._samples.of(dataset)
        while share.cursor < len(share.sample_ids):
            sample = held.by_id.get(share.sample_ids[share.cursor])
            share.cursor += 1
            if sample is None or sample.status != UNLABELED:
                continue  # removed or labeled meanwhile
            sample.worker_id = share.worker.id
            held.change(sample, UNREVIEWED, [self._pick_label(dataset, sample.seq, share.person)])
            now = self._now()
            share.update_time = now
            task.update_time = now
            break
        if share.cursor < len(share.sample_ids):
            self._schedule(dataset, task, share)

    def _pick_label(self, dataset: Dataset, seq: int, person: Person | None) -> dict[str, Any]:
        if not dataset.labels:
            return {"name": DEFAULT_LABEL, "type": dataset.dataset_type}
        options = list(range(len(dataset.labels)))
        truth = seq % len(options)
        chosen = self._context.crowd.answer(person, options, truth) if person else truth
        label = dataset.labels[chosen]
        return {"name": str(label["name"]), "type": label.get("type", dataset.dataset_type)}

    # What members and the owner see

    def stats(self, task: WorkforceTask, worker_ids: Iterable[str] | None = None) -> dict[str, int]:
        """``sample_stats`` over the given members' shares (the whole task when ``None``)."""
        counts = dict.fromkeys(SAMPLE_STATS, 0)
        if worker_ids is None:
            views = [self._views[task.id]] if task.id in self._views else []
        else:
            shares = self._shares.get(task.id, {})
            views = [shares[key].view for key in worker_ids if key in shares]
        for view in views:
            counts["total_sample_count"] += len(view) + view.removed
            counts["deleted_sample_count"] += view.removed
            for state, count in view.state_counts().items():
                if state.startswith("__WORKFORCE_SAMPLED"):
                    counts["sampled_sample_count"] += count
                elif state in STAT_OF_STATE:
                    counts[STAT_OF_STATE[state]] += count
        return counts

    def worker_tasks(self, task: WorkforceTask) -> list[WorkerTask]:
        dataset = self._datasets.get(task.dataset_id)
        shares = self._shares.get(task.id, {})
        return [
            WorkerTask(task, worker, dataset, shares.get(worker.id), self.stats(task, [worker.id]))
            for worker in members_of(task)
        ]

    def page(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_by: RowSort = "create_time",
        order: Order = "desc",
        search: str = "",
    ) -> tuple[int, list[WorkerTask]]:
        """Every member's view of every task in the project, one page of it."""
        needle = search.casefold()
        _, datasets = self._datasets.page(offset=0, limit=max(len(self._datasets), 1))
        rows: list[tuple[WorkforceTask, int, Worker]] = []
        for dataset in datasets:
            _, tasks = self._workforces.tasks_page(dataset.id, offset=0, limit=2**31)
            for task in tasks:
                if needle in task.name.casefold():
                    rows.extend((task, index, w) for index, w in enumerate(members_of(task)))

        def key(row: tuple[WorkforceTask, int, Worker]) -> tuple[Any, ...]:
            task, index, worker = row
            share = self._shares.get(task.id, {}).get(worker.id)
            created = share.start_time if share else task.create_time
            first = task.name if sort_by == "workforce_task_name" else created
            return (first, task.serial, index)

        ordered = sorted(rows, key=key, reverse=order == "desc")
        chosen = ordered[offset : offset + limit]
        views = []
        for task, _, worker in chosen:
            dataset = self._datasets.get(task.dataset_id)
            share = self._shares.get(task.id, {}).get(worker.id)
            views.append(WorkerTask(task, worker, dataset, share, self.stats(task, [worker.id])))
        return len(ordered), views
