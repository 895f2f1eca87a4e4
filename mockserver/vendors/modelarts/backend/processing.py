"""A project's data-processing tasks and their versions, run on the clock.

FOUND: a processing task names a template (``sys_data_analyse``,
``sys_data_cleaning``, ``sys_data_augmentation``, ``sys_data_validation``,
``sys_data_selection``) and its inputs; each run is a version; a version's
``status`` is ``0`` initialized, ``1`` running, ``2`` completed, ``3`` failed or
``4`` stopped; times are epoch milliseconds.

INFERRED: the input is a dataset (``{"type": "DATASET", "source": dataset_id}``)
that must exist; a task with no input reads nothing. A new version waits
:data:`QUEUE_SECONDS` as ``0``, then runs :data:`SECONDS_PER_SAMPLE` per sample of
its dataset (at least :data:`LEAST_RUN_SECONDS`) as ``1``, then is ``2``: its
results are one row per sample seen when it started running, about one in ten
flagged as not passing; only a completed version reports them. A stopped version
ends as ``4``;
stopping an ended version changes nothing. A task's ``status`` is its newest
version's (``0`` with none). A task id is 20-char alphanumeric, a version id
20-char alphanumeric; versions are named ``V001``, ``V002``, ... Deleting a task
deletes its versions; an event for a deleted task or version is ignored. An
unknown task or version is ``ModelArts.4612``. A task is its version's "latest of
the same type" (FOUND: DescribeProcessorTask's ``is_current``) when no task made
after it has its template and reads the same dataset version. A dataset version's
feature analysis (FOUND: DescribeDatasetVersion's ``analysis_status``, ``0``
initialized, ``1`` running, ``2`` completed, ``3`` failed) is its latest
``sys_data_analyse`` task's status, a stopped one counting as failed, and ``0``
when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockserver.core.errors import InvalidInput
from mockserver.core.scheduler import Event
from mockserver.core.vendor import WorldContext

from ..errors import DatasetMissing, ProcessorTaskMissing, ProcessorVersionMissing
from .datasets import Datasets
from .samples import Samples

ACTION_PREFIX = "processor."
STARTED = ACTION_PREFIX + "started"
FINISHED = ACTION_PREFIX + "finished"
QUEUE_SECONDS = 5.0
SECONDS_PER_SAMPLE = 0.1
LEAST_RUN_SECONDS = 10.0
ID_LENGTH = 20
INITIALIZED, RUNNING, COMPLETED, FAILED, STOPPED = 0, 1, 2, 3, 4
ANALYSIS = "sys_data_analyse"
TEMPLATES = {
    "sys_data_analyse": "Data analysis",
    "sys_data_cleaning": "Data cleaning",
    "sys_data_augmentation": "Data augmentation",
    "sys_data_validation": "Data validation",
    "sys_data_selection": "Data selection",
}


@dataclass(slots=True)
class ProcessorVersion:
    id: str
    name: str
    task_id: str
    description: str
    create_time: int  # epoch milliseconds
    update_time: int
    status: int = INITIALIZED
    started_time: int = 0
    finished_time: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.status in (INITIALIZED, RUNNING)


@dataclass(slots=True)
class ProcessorTask:
    id: str
    name: str
    description: str
    template_id: str
    inputs: list[dict[str, Any]]
    work_path: dict[str, Any] | None
    create_time: int
    update_time: int
    next_version: int = 1
    versions: dict[str, ProcessorVersion] = field(default_factory=dict)
    data_source: dict[str, Any] | None = None

    @property
    def dataset_id(self) -> str | None:
        reads = self.dataset_version
        return reads[0] if reads is not None else None

    @property
    def dataset_version(self) -> tuple[str, str] | None:
        """The dataset and the version of it the task reads, if it reads one."""
        for item in self.inputs:
            if str(item.get("type", "")).upper() == "DATASET" and item.get("source"):
                return str(item["source"]), str(item.get("version_id") or "")
        return None

    @property
    def status(self) -> int:
        if not self.versions:
            return INITIALIZED
        return next(reversed(self.versions.values())).status


class Processing:
    """A project's processing tasks, keyed by id, in creation order."""

    def __init__(self, context: WorldContext, datasets: Datasets, samples: Samples) -> None:
        self._clock = context.clock
        self._rng = context.rng
        self._scheduler = context.scheduler
        self._datasets = datasets
        self._samples = samples
        self.tasks: dict[str, ProcessorTask] = {}

    def __len__(self) -> int:
        return len(self.tasks)

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _new_id(self, taken: dict[str, Any]) -> str:
        while True:
            key = self._rng.token(ID_LENGTH)
            if key not in taken:
                return key

    def create(
        self,
        *,
        name: str,
        template_id: str,
        inputs: list[dict[str, Any]],
        description: str = "",
        work_path: dict[str, Any] | None = None,
        data_source: dict[str, Any] | None = None,
    ) -> ProcessorTask:
        """Checks everything first: a refusal changes nothing.

        FOUND: the input is ``data_source`` or ``inputs`` ("either this parameter
        or"); a task given only ``data_source`` reads it as its one input.
        """
        if not name:
            raise InvalidInput.one("name", "is required")
        if template_id not in TEMPLATES:
            raise InvalidInput.one("template.id", f"must be one of {', '.join(TEMPLATES)}")
        now = self._now()
        task = ProcessorTask(
            id=self._new_id(self.tasks),
            name=name,
            description=description,
            template_id=template_id,
            inputs=inputs or ([data_source] if data_source else []),
            work_path=work_path,
            create_time=now,
            update_time=now,
            data_source=data_source,
        )
        if task.dataset_id is not None:
            self._datasets.get(task.dataset_id)
        self.tasks[task.id] = task
        return task

    def get(self, task_id: str) -> ProcessorTask:
        task = self.tasks.get(task_id)
        if task is None:
            raise ProcessorTaskMissing(f"task_id: the processing task {task_id} does not exist")
        return task

    def update(
        self, task_id: str, *, name: str | None = None, description: str | None = None
    ) -> ProcessorTask:
        task = self.get(task_id)
        if name:  # INFERRED: an empty name (nothing documents a refusal) keeps the old one
            task.name = name
        if description is not None:
            task.description = description
        task.update_time = self._now()
        return task

    def delete(self, task_id: str) -> None:
        self.get(task_id)
        del self.tasks[task_id]

    def listing(
        self,
        *,
        name: str | None = None,
        template_id: str | None = None,
        status: int | None = None,
        sort_by: str = "create_time",
        descending: bool = True,
    ) -> list[ProcessorTask]:
        tasks = [
            task
            for task in self.tasks.values()
            if (not name or name.lower() in task.name.lower())
            and (not template_id or task.template_id == template_id)
            and (status is None or task.status == status)
        ]
        if sort_by == "name":
            tasks.sort(key=lambda task: task.name, reverse=descending)
        elif descending:
            tasks.reverse()
        return tasks

    def latest_like(self, template_id: str, reads: tuple[str, str] | None) -> ProcessorTask | None:
        """The newest task of ``template_id`` reading the dataset version ``reads``."""
        return next(
            (
                task
                for task in reversed(self.tasks.values())
                if task.template_id == template_id and task.dataset_version == reads
            ),
            None,
        )

    def is_current(self, task: ProcessorTask) -> bool:
        return self.latest_like(task.template_id, task.dataset_version) is task

    def analysis_status(self, dataset_id: str, version_id: str) -> int:
        latest = self.latest_like(ANALYSIS, (dataset_id, version_id))
        if latest is None:
            return INITIALIZED
        return FAILED if latest.status == STOPPED else latest.status

    def create_version(self, task_id: str, description: str = "") -> ProcessorVersion:
        task = self.get(task_id)
        now = self._now()
        version = ProcessorVersion(
            id=self._new_id(task.versions),
            name=f"V{task.next_version:03d}",
            task_id=task.id,
            description=description,
            create_time=now,
            update_time=now,
        )
        task.next_version += 1
        task.versions[version.id] = version
        task.update_time = now
        self._scheduler.at(
            self._clock.now() + QUEUE_SECONDS, "world", STARTED, task=task.id, version=version.id
        )
        return version

    def version(self, task_id: str, version_id: str) -> ProcessorVersion:
        version = self.get(task_id).versions.get(version_id)
        if version is None:
            raise ProcessorVersionMissing(
                f"version_id: the processing task version {version_id} does not exist"
            )
        return version

    def delete_version(self, task_id: str, version_id: str) -> None:
        self.version(task_id, version_id)
        del self.get(task_id).versions[version_id]

    def stop(self, task_id: str, version_id: str) -> ProcessorVersion:
        version = self.version(task_id, version_id)
        if version.active:
            version.status = STOPPED
            version.finished_time = version.update_time = self._now()
        return version

    def handle(self, event: Event) -> None:
        try:
            task = self.get(event.data["task"])
            version = self.version(task.id, event.data["version"])
        except (ProcessorTaskMissing, ProcessorVersionMissing):
            return
        if not version.active:
            return
        if event.action == STARTED:
            self._start(task, version)
        elif event.action == FINISHED:
            version.status = COMPLETED
            version.finished_time = version.update_time = self._now()

    def _start(self, task: ProcessorTask, version: ProcessorVersion) -> None:
        version.status = RUNNING
        version.started_time = version.update_time = self._now()
        rows: list[dict[str, Any]] = []
        if task.dataset_id is not None:
            try:
                dataset = self._datasets.get(task.dataset_id)
            except DatasetMissing:
                version.status = FAILED
                version.finished_time = version.started_time
                return
            held = self._samples.of(dataset)
            for sample_id in held.whole.ids():
                sample = held.by_id[sample_id]
                passed = self._rng.integer(1, 10) != 1
                rows.append(
                    {
                        "sample_id": sample.id,
                        "name": sample.name,
                        "source": sample.location,
                        "result": "passed" if passed else "not_passed",
                    }
                )
        version.results = rows
        seconds = max(LEAST_RUN_SECONDS, SECONDS_PER_SAMPLE * len(rows))
        self._scheduler.at(
            self._clock.now() + seconds, "world", FINISHED, task=task.id, version=version.id
        )
