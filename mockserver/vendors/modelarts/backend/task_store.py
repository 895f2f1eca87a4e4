"""What a project's per-dataset task stores share (imports, exports, auto-labeling).

Each keeps its tasks per dataset in creation order, stamps them with the project's
sim time in epoch milliseconds (as the API writes times), and plans their steps on
the project's scheduler.
"""

from __future__ import annotations

from typing import ClassVar, Generic, Protocol, TypeVar

from mockserver.core.vendor import WorldContext

from ..errors import ModelArtsError
from .datasets import Dataset, Datasets
from .samples import Samples


class Task(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Task)


class DatasetTasks(Generic[T]):
    """A store names its first step (``started``, due ``queue_seconds`` after creation)
    and the refusal for an unknown task (``missing``, said of a ``noun``)."""

    started: ClassVar[str]
    queue_seconds: ClassVar[float]
    missing: ClassVar[type[ModelArtsError]]
    noun: ClassVar[str] = "task"

    def __init__(self, context: WorldContext, datasets: Datasets, samples: Samples) -> None:
        self._clock = context.clock
        self._rng = context.rng
        self._scheduler = context.scheduler
        self._datasets = datasets
        self._samples = samples
        self._sets: dict[str, dict[str, T]] = {}

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _held(self, dataset: Dataset) -> dict[str, T]:
        """The dataset's tasks, to read: a dataset without any gains no entry here, so a
        refused or missed request leaves the store as it was."""
        return self._sets.get(dataset.id, {})

    def _queue(self, dataset: Dataset, task: T) -> T:
        """Keeps a new task and plans its start once it has queued."""
        self._sets.setdefault(dataset.id, {})[task.id] = task
        self._scheduler.at(
            self._clock.now() + self.queue_seconds,
            "world",
            self.started,
            dataset_id=dataset.id,
            task=task.id,
        )
        return task

    def get(self, dataset_id: str, task_id: str) -> T:
        dataset = self._datasets.get(dataset_id)
        task = self._held(dataset).get(task_id)
        if task is None:
            # FOUND: an unknown task id is the appendix's 400 (ModelArts.4612 / 4359)
            raise self.missing(f"task_id: the {self.noun} {task_id} does not exist")
        return task
