"""Editing and removing team labeling tasks, their samples, metrics and data syncs.

FOUND: UpdateWorkforceTask takes ``task_name`` (1–64 letters, digits, ``_``,
``-``), ``description`` and ``workforces_config``; DeleteWorkforceTask answers
204; GetWorkforceTaskMetrics answers ``{"sample_stats": {"<member email>":
{"un_annotation", "rejected", "unreviewed", "accepted", "auto_annotation",
"uncheck"}}}``; ListWorkforceTaskSamples is ListSamples scoped to the task;
SyncDataSourceState carries ``task_id``, ``dataset_id``, ``status`` (``QUEUING |
STARTING | RUNNING | COMPLETED | FAILED | NOT_EXIST``), ``create_time``,
``duration_time`` and the added, deleted and total sample counts;
GetDatasetMetrics answers ``Map<String, Map<String, Integer>>``.

INFERRED: a task's samples are those allocated when it started (none before),
in upload order, removed ones left out; the members of a started task stay as
they were (``workforces_config`` changes a created task only); a task under
acceptance (``2``, ``5``, ``7``) cannot be deleted (``ModelArts.4623``); a
task name already used in the dataset is ``ModelArts.4620``; a sync finds
nothing new in the mock's sources and completes at once (before any sync the
status is ``NOT_EXIST``); dataset metrics are keyed by the UTC day
(``yyyy-MM-dd``) of each sample's time in ``[start_time, end_time]``, each day
counting its samples by state plus ``total``.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.rng import Rng

from ..errors import AcceptanceRunning, WorkforceTaskExists
from .datasets import Dataset, Datasets, check_description
from .labeling import Labeling
from .sample_views import SampleView
from .samples import DatasetSamples, Sample, Samples
from .workforces import TASK_CREATED, Workforces, WorkforceTask, check_name, unique_teams

ID_LENGTH = 19
UNDER_ACCEPTANCE = (2, 5, 7)
METRIC_OF_STAT = {
    "un_annotation": "unannotated_sample_count",
    "rejected": "rejected_sample_count",
    "unreviewed": "unreviewed_sample_count",
    "accepted": "accepted_sample_count",
    "auto_annotation": "auto_annotation_sample_count",
    "uncheck": "uncheck_sample_count",
}
SYNC_COMPLETED, SYNC_MISSING = "COMPLETED", "NOT_EXIST"
DAY_MILLIS = 86_400_000


@dataclass(slots=True)
class SyncJob:
    task_id: str
    dataset_id: str
    status: str
    create_time: int  # epoch milliseconds
    duration_time: int
    add_sample_count: int
    deleted_sample_count: int
    total_sample_count: int


class TeamTasks:
    def __init__(
        self,
        clock: Clock,
        rng: Rng,
        datasets: Datasets,
        samples: Samples,
        workforces: Workforces,
        labeling: Labeling,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._datasets = datasets
        self._samples = samples
        self._workforces = workforces
        self._labeling = labeling
        self._syncs: dict[str, SyncJob] = {}  # dataset id -> the latest sync

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def task(self, dataset_id: str, task_id: str) -> tuple[Dataset, WorkforceTask]:
        dataset = self._datasets.get(dataset_id)
        return dataset, self._workforces.get_task(dataset.id, task_id)

    def update(
        self,
        dataset_id: str,
        task_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> WorkforceTask:
        """Checks the whole request, then applies it (a refusal changes nothing)."""
        _, task = self.task(dataset_id, task_id)
        if name is not None:
            check_name(name, "task_name")
            taken = self._workforces.tasks_page(task.dataset_id, offset=0, limit=2**31)[1]
            if any(other.name == name and other.id != task.id for other in taken):
                raise WorkforceTaskExists(
                    f"task_name: the dataset already has a task named {name!r}"
                )
        if description is not None:
            check_description(description)
        teams = None
        if config is not None and task.status == TASK_CREATED:
            given = config.get("workforces") or []
            teams = [
                self._workforces._team(team, f"workforces_config.workforces.{index}")
                for index, team in enumerate(given)
            ]
            teams = unique_teams(teams)
        if name is not None:
            task.name = name
        if description is not None:
            task.description = description
        if teams is not None:
            task.teams = teams
            task.agency = str(config.get("agency", task.agency)) if config else task.agency
        task.update_time = self._now()
        return task

    def delete(self, dataset_id: str, task_id: str) -> None:
        _, task = self.task(dataset_id, task_id)
        if task.status in UNDER_ACCEPTANCE:
            raise AcceptanceRunning(f"workforce_task_id: the task {task_id} is being checked")
        self._workforces.forget_task(task.id)
        self._labeling.forget(task)

    def samples_page(
        self,
        dataset_id: str,
        task_id: str,
        *,
        offset: int,
        limit: int,
        state: str | None = None,
    ) -> tuple[int, list[Sample]]:
        dataset, task = self.task(dataset_id, task_id)
        within = self._labeling.view_of(task)
        return self._samples.page(dataset, offset=offset, limit=limit, state=state, within=within)

    def metrics(self, dataset_id: str, task_id: str) -> dict[str, dict[str, int]]:
        _, task = self.task(dataset_id, task_id)
        answer: dict[str, dict[str, int]] = {}
        for row in self._labeling.worker_tasks(task):
            stats = row.stats
            answer[row.worker.email] = {
                name: stats.get(stat, 0) for name, stat in METRIC_OF_STAT.items()
            }
        return answer

    # Data sources

    def sync(self, dataset_id: str) -> SyncJob:
        dataset = self._datasets.get(dataset_id)
        job = SyncJob(
            task_id=self._rng.token(ID_LENGTH),
            dataset_id=dataset.id,
            status=SYNC_COMPLETED,
            create_time=self._now(),
            duration_time=0,
            add_sample_count=0,
            deleted_sample_count=0,
            total_sample_count=len(self._samples.of(dataset)),
        )
        self._syncs[dataset.id] = job
        return job

    def sync_state(self, dataset_id: str) -> SyncJob | None:
        dataset = self._datasets.get(dataset_id)
        return self._syncs.get(dataset.id)

    def dataset_metrics(
        self, dataset_id: str, start: int, end: int, task_id: str | None = None
    ) -> dict[str, dict[str, int]]:
        """Counted once for each state of the samples and kept on their view: a client
        polls the metrics while they change far less often."""
        dataset = self._datasets.get(dataset_id)
        held = self._samples.of(dataset)
        view = held.whole
        if task_id:
            view = self._labeling.view_of(self._workforces.get_task(dataset.id, task_id))
        counted: dict[str, dict[str, int]] = view.shown.get(
            "metrics", (view.revision, start, end), lambda: _metrics(held, view, start, end)
        )
        return counted


def _metrics(
    held: DatasetSamples, view: SampleView, start: int, end: int
) -> dict[str, dict[str, int]]:
    # Counted by day number first and each day written once: a dataset holds many
    # samples per day, and formatting a date took most of the answer's time.
    tally: Counter[tuple[int, str]] = Counter()
    for sample_id in view.ids():
        sample = held.by_id[sample_id]
        if start <= sample.time <= end:
            tally[sample.time // DAY_MILLIS, sample.status] += 1
    by_day: dict[int, dict[str, int]] = {}
    for (day, status), count in tally.items():
        counts = by_day.setdefault(day, {"total": 0})
        counts["total"] += count
        counts[status] = count
    return {_utc_day(day): counts for day, counts in by_day.items()}


def _utc_day(day: int) -> str:
    """``yyyy-MM-dd`` of the ``day``-th UTC day since the epoch."""
    return time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
