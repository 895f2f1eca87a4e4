"""A project's dataset versions: publish, list, describe, delete.

FOUND: a version id is 19-char alphanumeric; times are epoch milliseconds; a
version's ``status`` is ``0`` creating, ``1`` running (normal), ``2`` deleting,
``3`` deleted, ``4`` error; ``version_name`` is 1–32 characters;
``train_evaluate_sample_ratio`` is a string, ``"1.00"`` by default;
``version_format`` is ``Default``, ``CarbonData`` or ``CSV``; only one version
of a dataset may be released per minute (``ModelArts.4370``); a name already in
use is ``ModelArts.4371``; the dataset shows ``current_version_name`` like
``V003``, ``next_version_num`` and ``dataset_version_count``.

INFERRED: publishing takes :data:`PUBLISH_SECONDS` of sim time, during which the
version is ``0`` (creating); it then turns ``1`` (normal) and becomes the
dataset's current version. A version keeps, with its counts, the ``label_stats`` of
its labeled samples (each label with ``count``, the times samples carry it, and
``sample_count``, the samples carrying it) and its ``label_type``: ``multi`` when a
labeled sample carries two labels or more, else ``single`` (FOUND: the options of
DescribeDatasetVersion's ``label_type``). A version without a given name is named
``V<next_version_num>`` in three digits; every creation uses up a number, named
or not. The minute is counted per dataset from the last creation. A version
keeps the dataset's sample counts at the time it was asked for. Deletion is
immediate; deleting the current version makes the newest remaining published
version current (or none). Lists show the newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.numbers import real
from mockserver.core.rng import Rng
from mockserver.core.scheduler import Event, Scheduler

from ..errors import (
    DatasetMissing,
    DatasetVersionExists,
    DatasetVersionMissing,
    ParameterInvalid,
    VersionPublishLimited,
)
from .datasets import Dataset, Datasets
from .labels import statistics
from .samples import LABELED, DatasetSamples, Samples

ACTION_PREFIX = "version."
PUBLISHED = ACTION_PREFIX + "published"
PUBLISH_SECONDS = 30.0
RELEASE_INTERVAL = 60.0
CREATING, NORMAL = 0, 1
VERSION_FORMATS = ("Default", "CarbonData", "CSV")
NAME_LENGTH = (1, 32)
ID_LENGTH = 19


@dataclass(slots=True)
class DatasetVersion:
    id: str
    dataset_id: str
    name: str
    description: str
    version_format: str
    train_evaluate_sample_ratio: str
    clear_hard_property: bool
    remove_sample_usage: bool
    export_images: bool
    with_column_header: bool
    previous_version_id: str
    total_sample_count: int
    annotated_sample_count: int
    create_time: int  # epoch milliseconds
    update_time: int
    created_at: float  # sim seconds, for the once-a-minute rule
    status: int = CREATING
    label_stats: list[dict[str, Any]] = field(default_factory=list)
    label_type: str = "single"


def check_ratio(ratio: str) -> None:
    """INFERRED: a split ratio ("1.00": all training); a real client sends one in [0, 1]."""
    value = real(ratio.strip())
    if value is None or not 0.0 <= value <= 1.0:
        raise ParameterInvalid("train_evaluate_sample_ratio: must be a number from 0 to 1")


def released_labels(dataset: Dataset, held: DatasetSamples) -> tuple[list[dict[str, Any]], str]:
    """The ``label_stats`` and ``label_type`` of the dataset's labeled samples, as released.

    Read from the running label counts, not the samples (a release costs the same at
    any size): the samples carrying each label add up to more than the labeled samples
    exactly when one of them carries two labels or more.
    """
    label_stats, _ = statistics(dataset.labels, held.whole, LABELED)
    carrying = sum(int(row["sample_count"]) for row in label_stats)
    return label_stats, "multi" if carrying > held.count(LABELED) else "single"


class Versions:
    """Every dataset's versions in a project, keyed by dataset id, in creation order."""

    def __init__(
        self, clock: Clock, rng: Rng, scheduler: Scheduler, datasets: Datasets, samples: Samples
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._scheduler = scheduler
        self._datasets = datasets
        self._samples = samples
        self._sets: dict[str, dict[str, DatasetVersion]] = {}

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _held(self, dataset: Dataset) -> dict[str, DatasetVersion]:
        """The dataset's versions, to read: a dataset without any gains no entry here, so
        a refused or missed request leaves the store as it was."""
        return self._sets.get(dataset.id, {})

    def _new_id(self, held: dict[str, DatasetVersion]) -> str:
        while True:
            candidate = self._rng.token(ID_LENGTH)
            if candidate not in held:
                return candidate

    def create(
        self,
        dataset_id: str,
        *,
        name: str | None = None,
        description: str = "",
        version_format: str = "Default",
        train_evaluate_sample_ratio: str = "1.00",
        clear_hard_property: bool = True,
        remove_sample_usage: bool = True,
        export_images: bool = False,
        with_column_header: bool = True,
    ) -> DatasetVersion:
        """Checks everything first: a refusal changes nothing."""
        dataset = self._datasets.get(dataset_id)
        held = self._held(dataset)
        if name is not None:  # FOUND: "Version name consisting of 1 to 32 characters"
            low, high = NAME_LENGTH
            if not low <= len(name) <= high:
                raise ParameterInvalid(f"version_name: must be {low} to {high} characters long")
        chosen = name if name is not None else f"V{dataset.next_version_num:03d}"
        if any(version.name == chosen for version in held.values()):
            raise DatasetVersionExists(f"version_name: a version named {chosen!r} already exists")
        check_ratio(train_evaluate_sample_ratio)
        now = self._clock.now()
        if held:
            last = max(version.created_at for version in held.values())
            if now - last < RELEASE_INTERVAL:
                raise VersionPublishLimited(
                    "version_name: only one version of a dataset can be released per minute"
                )
        stamp = self._now()
        label_stats, label_type = released_labels(dataset, self._samples.of(dataset))
        version = DatasetVersion(
            id=self._new_id(held),
            dataset_id=dataset.id,
            name=chosen,
            description=description,
            version_format=version_format,
            train_evaluate_sample_ratio=train_evaluate_sample_ratio,
            clear_hard_property=clear_hard_property,
            remove_sample_usage=remove_sample_usage,
            export_images=export_images,
            with_column_header=with_column_header,
            previous_version_id=dataset.current_version_id,
            total_sample_count=dataset.total_sample_count,
            annotated_sample_count=dataset.annotated_sample_count,
            create_time=stamp,
            update_time=stamp,
            created_at=now,
            label_stats=label_stats,
            label_type=label_type,
        )
        self._sets.setdefault(dataset.id, held)[version.id] = version
        dataset.next_version_num += 1
        dataset.dataset_version_count += 1
        self._scheduler.at(
            now + PUBLISH_SECONDS, "world", PUBLISHED, dataset_id=dataset.id, version_id=version.id
        )
        return version

    def get(self, dataset_id: str, version_id: str) -> DatasetVersion:
        dataset = self._datasets.get(dataset_id)
        version = self._held(dataset).get(version_id)
        if version is None:
            raise DatasetVersionMissing(f"version_id: the version {version_id} does not exist")
        return version

    def page(
        self,
        dataset_id: str,
        *,
        offset: int,
        limit: int,
        status: int | None = None,
        version_format: str | None = None,
    ) -> tuple[int, list[DatasetVersion]]:
        dataset = self._datasets.get(dataset_id)
        matching = [
            version
            for version in reversed(self._held(dataset).values())
            if (status is None or version.status == status)
            and (version_format is None or version.version_format == version_format)
        ]
        return len(matching), matching[offset : offset + limit]

    def delete(self, dataset_id: str, version_id: str) -> DatasetVersion:
        version = self.get(dataset_id, version_id)
        dataset = self._datasets.get(dataset_id)
        held = self._held(dataset)
        del held[version.id]
        dataset.dataset_version_count -= 1
        if dataset.current_version_id == version.id:
            newest = next((v for v in reversed(held.values()) if v.status == NORMAL), None)
            dataset.current_version_id = newest.id if newest is not None else ""
            dataset.current_version_name = newest.name if newest is not None else ""
        return version

    def handle(self, event: Event) -> None:
        if event.action != PUBLISHED:
            return
        try:
            version = self.get(event.data["dataset_id"], event.data["version_id"])
            dataset = self._datasets.get(event.data["dataset_id"])
        except (DatasetMissing, DatasetVersionMissing):
            return  # deleted while it was being published
        version.status = NORMAL
        version.update_time = self._now()
        dataset.current_version_id = version.id
        dataset.current_version_name = version.name
