"""What a project's per-dataset task stores share (imports, exports, auto-labeling).

Each keeps its tasks per dataset in creation order, stamps them with the project's
sim time in epoch milliseconds (as the API writes times), and plans their steps on
the project's scheduler.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from mockserver.core.vendor import WorldContext

from .datasets import Dataset, Datasets
from .samples import Samples

T = TypeVar("T")


class DatasetTasks(Generic[T]):
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
        return self._sets.setdefault(dataset.id, {})
