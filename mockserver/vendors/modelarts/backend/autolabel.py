"""A project's auto-labeling tasks: a share of the unlabeled samples labeled on the clock.

FOUND: CreateTask's ``task_type`` is ``auto-label`` (active learning),
``pre-label`` or ``auto-grouping``; a task's ``status`` is an Integer: ``-1``
queuing, ``0`` initializing, ``1`` running, ``2`` failed, ``3`` succeeded, ``4``
stopping, ``5`` stopped; StopAutoAnnotation stops a task; auto-labeling needs the
dataset's labels (``ModelArts.4405``); a second auto-labeling task is
``ModelArts.4386`` (a pre-labeling one ``ModelArts.4387``); auto-labeled samples
await confirmation as ``__AUTO_ANNOTATION__`` with labels ``annotated_by`` ``auto``
and a ``score`` from 0 to 1.

INFERRED: a task id is 19-char alphanumeric; a dataset runs one task of a type at a
time; a task waits :data:`QUEUE_SECONDS` queuing, then runs
:data:`SECONDS_PER_SAMPLE` per unlabeled sample (at least :data:`LEAST_SECONDS`),
then succeeds: each sample still unlabeled is labeled with one of the dataset's
labels with odds :data:`LABEL_ODDS`, the same for the same seed; ``auto-grouping``
labels nothing. A stopped task labels nothing and stopping a finished task
changes nothing. An unknown task is ``ModelArts.4612``. A task on a deleted
dataset ends with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.scheduler import Event

from ..errors import (
    AutoLabelingNeedsLabels,
    AutoLabelingTaskExists,
    AutoLabelingTaskMissing,
    DatasetMissing,
    PreLabelingTaskExists,
)
from .datasets import Dataset
from .samples import LABELED, UNCONFIRMED, UNLABELED
from .task_store import DatasetTasks

ACTION_PREFIX = "autolabel."
STARTED = ACTION_PREFIX + "started"
FINISHED = ACTION_PREFIX + "finished"
QUEUE_SECONDS = 5.0
SECONDS_PER_SAMPLE = 0.1
LEAST_SECONDS = 10.0
LABEL_ODDS = 0.8
ID_LENGTH = 19
QUEUING, RUNNING, SUCCEEDED, STOPPED = -1, 1, 3, 5
TASK_TYPES = ("auto-label", "pre-label", "auto-grouping")
LABELING_TYPES = ("auto-label", "pre-label")


@dataclass(slots=True)
class AutoLabelTask:
    id: str
    dataset_id: str
    task_type: str
    task_name: str
    config: dict[str, Any]
    create_time: int  # epoch milliseconds
    update_time: int
    status: int = QUEUING
    started_time: int = 0
    finished_time: int = 0
    due: float = 0.0  # clock seconds the run ends
    total_sample_count: int = 0
    annotated_sample_count: int = 0
    model_id: str | None = None

    @property
    def running(self) -> bool:
        return self.status in (QUEUING, 0, RUNNING, 4)


class AutoLabeling(DatasetTasks[AutoLabelTask]):
    """Every dataset's auto-labeling tasks in a project, keyed by dataset id."""

    started = STARTED
    queue_seconds = QUEUE_SECONDS
    missing = AutoLabelingTaskMissing

    def create(self, dataset_id: str, body: Mapping[str, Any]) -> AutoLabelTask:
        """Checks everything first: a refusal changes nothing."""
        dataset = self._datasets.get(dataset_id)
        held = self._held(dataset)
        task_type = str(body.get("task_type", "auto-label"))
        if task_type in LABELING_TYPES and not dataset.labels:
            raise AutoLabelingNeedsLabels("labels: the dataset has no labels to label with")
        busy = next(
            (task for task in held.values() if task.running and task.task_type == task_type), None
        )
        if busy is not None:
            kind = PreLabelingTaskExists if task_type == "pre-label" else AutoLabelingTaskExists
            raise kind(f"task_type: the dataset already runs the {task_type} task {busy.id}")
        while True:
            task_id = self._rng.token(ID_LENGTH)
            if task_id not in held:
                break
        now = self._now()
        task = AutoLabelTask(
            id=task_id,
            dataset_id=dataset.id,
            task_type=task_type,
            task_name=str(body.get("task_name") or f"{task_type}-{task_id}"),
            config=dict(body.get("config") or {}),
            model_id=body.get("model_id"),
            create_time=now,
            update_time=now,
        )
        return self._queue(dataset, task)

    def page(
        self,
        dataset_id: str,
        *,
        offset: int,
        limit: int,
        task_type: str | None = None,
        task_name: str | None = None,
    ) -> tuple[int, list[AutoLabelTask]]:
        tasks = [
            task
            for task in reversed(self._held(self._datasets.get(dataset_id)).values())
            if (task_type is None or task.task_type == task_type)
            and (not task_name or task_name in task.task_name)
        ]
        return len(tasks), tasks[offset : offset + limit]

    def running_of(self, dataset_id: str, task_type: str) -> bool:
        """Whether a task of ``task_type`` runs (or waits to) on the dataset."""
        held = self._held(self._datasets.get(dataset_id)).values()
        return any(task.running and task.task_type == task_type for task in held)

    def stop(self, dataset_id: str, task_id: str) -> AutoLabelTask:
        task = self.get(dataset_id, task_id)
        if task.running:
            task.status = STOPPED
            task.finished_time = task.update_time = self._now()
        return task

    def progress(self, task: AutoLabelTask) -> float:
        if task.status == SUCCEEDED:
            return 100.0
        if task.status != RUNNING or not task.started_time:
            return 0.0
        span = task.due - task.started_time / 1000
        done = self._clock.now() - task.started_time / 1000
        return round(min(max(done / span, 0.0), 0.99) * 100, 2) if span > 0 else 0.0

    def handle(self, event: Event) -> None:
        try:
            task = self.get(event.data["dataset_id"], event.data["task"])
            dataset = self._datasets.get(task.dataset_id)
        except (DatasetMissing, AutoLabelingTaskMissing):
            return
        if not task.running:
            return
        if event.action == STARTED:
            task.status = RUNNING
            task.started_time = task.update_time = self._now()
            unlabeled = self._samples.of(dataset).count(UNLABELED)
            task.total_sample_count = unlabeled
            task.due = self._clock.now() + max(LEAST_SECONDS, SECONDS_PER_SAMPLE * unlabeled)
            self._scheduler.at(task.due, "world", FINISHED, dataset_id=dataset.id, task=task.id)
        elif event.action == FINISHED:
            if task.task_type in LABELING_TYPES:
                self._label(dataset, task)
            task.status = SUCCEEDED
            task.finished_time = task.update_time = self._now()

    def _label(self, dataset: Dataset, task: AutoLabelTask) -> None:
        held = self._samples.of(dataset)
        labels = list(dataset.labels)
        if not labels:
            return
        waiting = [held.by_id[key] for key in held.whole.ids(UNLABELED)]
        for sample in waiting:
            if not self._rng.chance(LABEL_ODDS):
                continue
            label = self._rng.choice(labels)
            auto = {
                "name": label["name"],
                "type": int(label.get("type", dataset.dataset_type)),
                "score": round(self._rng.uniform(0.5, 1.0), 3),
                "annotated_by": "auto",
                "property": {},
            }
            held.change(sample, UNCONFIRMED, [auto])
            task.annotated_sample_count += 1
        dataset.total_sample_count = len(held)
        dataset.annotated_sample_count = held.count(LABELED)
        dataset.unconfirmed_sample_count = held.count(UNCONFIRMED)
        dataset.update_time = self._now()
