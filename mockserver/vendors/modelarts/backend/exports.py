"""A project's export tasks: a dataset's samples written to an OBS directory on the clock.

FOUND: an export task's ``status`` is ``INIT``, ``RUNNING``, ``FAILED`` or
``SUCCESSED`` (sic); ``export_type`` is ``0`` labeled, ``1`` unlabeled, ``2`` all,
``3`` by search condition; ``export_format`` is ``1`` tree or ``2`` tile;
``annotation_format`` is ``VOC`` or ``COCO``; ``progress`` is a percentage; an
unknown task is ``ModelArts.4359``, a bad export path ``ModelArts.4358`` and a bad
export parameter ``ModelArts.4384``.

INFERRED: OBS is not emulated, so nothing is written; ``path`` must be an OBS
directory inside a bucket (``/bucket/dir/`` or ``obs://bucket/dir/``). A task waits
:data:`QUEUE_SECONDS` as ``INIT``, then runs :data:`RUN_SECONDS` as ``RUNNING``,
then is ``SUCCESSED``: the samples of the asked kind the dataset holds then are
its exported sample count. Search conditions are not evaluated: an export by
search condition exports every sample (FOUND: ``search_conditions`` is optional, and
both documented ExportTask examples ask ``export_type: 3`` with none). An export to a
new dataset (``export_params.export_dest: NEW_DATASET``) is accepted and runs like an
export to OBS: no dataset is made. An export of a deleted dataset ends with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.scheduler import Event

from ..errors import (
    DatasetMissing,
    ExportParameterInvalid,
    ExportPathInvalid,
    ExportTaskMissing,
    ModelArtsError,
)
from .datasets import Dataset, obs_directory
from .samples import LABELED, UNLABELED
from .task_store import DatasetTasks

ACTION_PREFIX = "export."
STARTED = ACTION_PREFIX + "started"
FINISHED = ACTION_PREFIX + "finished"
QUEUE_SECONDS = 3.0
RUN_SECONDS = 10.0
ID_LENGTH = 19
INIT, RUNNING, SUCCEEDED = "INIT", "RUNNING", "SUCCESSED"
EXPORT_TYPES = (0, 1, 2, 3)
EXPORT_FORMATS = (1, 2)
ANNOTATION_FORMATS = ("VOC", "COCO")


@dataclass(slots=True)
class ExportTask:
    id: str
    dataset_id: str
    path: str
    export_type: int
    export_format: int
    annotation_format: str | None
    create_time: int  # epoch milliseconds
    update_time: int
    status: str = INIT
    started_time: int = 0
    finished_time: int = 0
    total_sample: int = 0
    finished_sample: int = 0
    export_params: dict[str, Any] = field(default_factory=dict)
    version_format: str = "Default"
    version_id: str | None = None


def _choice(body: Mapping[str, Any], name: str, allowed: tuple[Any, ...], default: Any) -> Any:
    """FOUND: ExportTask's parameter table lists each option set; anything else is
    ``ModelArts.4384`` (Invalid export parameter, error-code appendix)."""
    value = body.get(name, default)
    if value not in allowed or isinstance(value, bool):
        shown = ", ".join(str(option) for option in allowed)
        raise ExportParameterInvalid(f"{name}: must be one of {shown}")
    return value


class Exports(DatasetTasks[ExportTask]):
    """Every dataset's export tasks in a project, keyed by dataset id, in creation order."""

    started = STARTED
    queue_seconds = QUEUE_SECONDS
    missing = ExportTaskMissing
    noun = "export task"

    def create(self, dataset_id: str, body: Mapping[str, Any]) -> ExportTask:
        """Checks everything first: a refusal changes nothing."""
        dataset = self._datasets.get(dataset_id)
        held = self._held(dataset)
        try:  # INFERRED: a path naming no directory inside a bucket has nowhere to go
            obs_directory(str(body["path"]), "path")
        except ModelArtsError as error:
            raise ExportPathInvalid(error.detail) from None
        export_type = _choice(body, "export_type", EXPORT_TYPES, 0)
        export_format = _choice(body, "export_format", EXPORT_FORMATS, 1)
        annotation = body.get("annotation_format")
        if annotation is not None:
            _choice(body, "annotation_format", ANNOTATION_FORMATS, None)
        while True:
            task_id = self._rng.token(ID_LENGTH)
            if task_id not in held:
                break
        now = self._now()
        task = ExportTask(
            id=task_id,
            dataset_id=dataset.id,
            path=str(body["path"]),
            export_type=export_type,
            export_format=export_format,
            annotation_format=annotation,
            create_time=now,
            update_time=now,
            export_params=dict(body.get("export_params") or {}),
            version_format=str(body.get("version_format") or "Default"),
            version_id=body.get("version_id"),
        )
        return self._queue(dataset, task)

    def page(
        self, dataset_id: str, *, offset: int, limit: int, export_type: int | None = None
    ) -> tuple[int, list[ExportTask]]:
        tasks = [
            task
            for task in reversed(self._held(self._datasets.get(dataset_id)).values())
            if export_type is None or task.export_type == export_type
        ]
        return len(tasks), tasks[offset : offset + limit]

    def handle(self, event: Event) -> None:
        try:
            task = self.get(event.data["dataset_id"], event.data["task"])
            dataset = self._datasets.get(task.dataset_id)
        except (DatasetMissing, ExportTaskMissing):
            return
        if event.action == STARTED:
            task.status = RUNNING
            task.started_time = task.update_time = self._now()
            task.total_sample = self._count(dataset, task.export_type)
            due = self._clock.now() + RUN_SECONDS
            self._scheduler.at(due, "world", FINISHED, dataset_id=dataset.id, task=task.id)
        elif event.action == FINISHED:
            task.total_sample = task.finished_sample = self._count(dataset, task.export_type)
            task.status = SUCCEEDED
            task.finished_time = task.update_time = self._now()

    def _count(self, dataset: Dataset, export_type: int) -> int:
        held = self._samples.of(dataset)
        if export_type == 0:
            return held.count(LABELED)
        if export_type == 1:
            return held.count(UNLABELED)
        return len(held)
