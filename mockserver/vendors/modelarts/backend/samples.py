"""A project's dataset samples: upload, list a page, describe, relabel, delete.

FOUND: sample ids are 32 lowercase hex; times are epoch milliseconds; a sample
name is at most 1024 characters and its bytes come base64-encoded; a sample's
state is ``__ALL__`` (labeled) or ``__NONE__`` (unlabeled) among the documented
states; an update with no (or empty) ``labels`` clears the sample's labels;
batch writes answer per item.

INFERRED: samples keep upload order (a page is a slice of that order, per state
too); a name is unique within its dataset (a second one is ``ModelArts.4422``);
data that is not base64 fails the upload (``ModelArts.4421``); a sample with no
name is named by its id; uploaded files land in the dataset's input directory;
labels uploaded with ``final_annotation`` false await confirmation
(``__AUTO_ANNOTATION__``, counted as unconfirmed) until an update labels the
sample; sample labels are kept as given, not checked against the dataset's
labels; ``delete_source`` changes nothing (OBS is not emulated).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.core.clock import Clock
from mockserver.core.decode import base64_bytes
from mockserver.core.errors import MalformedBody
from mockserver.core.rng import Rng

from ..errors import ModelArtsError, SampleExists, SampleMissing, SampleUploadFailed
from .datasets import Dataset, obs_directory
from .sample_views import SampleView, label_names

LABELED, UNLABELED, UNCONFIRMED = "__ALL__", "__NONE__", "__AUTO_ANNOTATION__"
SAMPLE_ID_LENGTH = 32
NAME_MOST = 1024


@dataclass(slots=True)
class Sample:
    id: str
    seq: int  # upload order
    name: str
    sample_type: int
    status: str
    sample_dir: str
    size: int
    time: int  # epoch milliseconds
    labels: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    usage: str | None = None
    worker_id: str | None = None
    source: str | None = None
    views: tuple[SampleView, ...] = ()  # the team tasks and shares it was handed to

    @property
    def location(self) -> str:
        return f"obs:/{self.sample_dir}{self.name}"


class DatasetSamples:
    """One dataset's samples, indexed by id and name, in views that count themselves.

    ``whole`` holds every sample; ``by_label`` one view per label name in use; a
    sample's own ``views`` are the team tasks and shares it was handed to. Every
    change of state or labels goes through ``change`` so each view stays true.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, Sample] = {}
        self.by_name: dict[str, str] = {}
        self.whole = SampleView()
        self.by_label: dict[str, SampleView] = {}
        self.labelers: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.by_id)

    def count(self, state: str) -> int:
        return self.whole.count(state)

    def label_view(self, name: str) -> SampleView:
        """The samples carrying ``name`` (an empty view when none does)."""
        return self.by_label.get(name) or SampleView()

    def add(self, sample: Sample) -> None:
        self.by_id[sample.id] = sample
        self.by_name[sample.name] = sample.id
        for view in self._views(sample):
            view.enter(sample)
        self.labelers.update(_labelers(sample))

    def remove(self, sample: Sample) -> None:
        del self.by_id[sample.id]
        del self.by_name[sample.name]
        for view in self._views(sample):
            view.leave(sample)
        for view in sample.views:
            view.removed += 1
        self._drop_empty_labels(sample)
        self.labelers.subtract(_labelers(sample))

    def restate(self, sample: Sample, status: str) -> None:
        self.change(sample, status, sample.labels)

    def change(self, sample: Sample, status: str, labels: list[dict[str, Any]]) -> None:
        """Gives the sample a new state and labels, moving it in every view it is in."""
        if status == sample.status and labels is sample.labels:
            return
        before, after = set(label_names(sample)), {str(label.get("name")) for label in labels}
        for name in before - after:
            self.by_label[name].leave(sample)
        kept = [self.whole, *(self.by_label[name] for name in before & after), *sample.views]
        for view in kept:
            view.count_out(sample)
        self.labelers.subtract(_labelers(sample))
        self._drop_empty_labels(sample)
        sample.status, sample.labels = status, labels
        for view in kept:
            view.count_in(sample)
        for name in after - before:
            self._labeled(name).enter(sample)
        self.labelers.update(_labelers(sample))

    def join(self, sample: Sample, view: SampleView) -> None:
        sample.views = (*sample.views, view)
        view.enter(sample)

    def part(self, sample: Sample, view: SampleView) -> None:
        sample.views = tuple(kept for kept in sample.views if kept is not view)
        view.leave(sample)

    def _views(self, sample: Sample) -> list[SampleView]:
        labeled = [self._labeled(name) for name in set(label_names(sample))]
        return [self.whole, *labeled, *sample.views]

    def _labeled(self, name: str) -> SampleView:
        """The view of label ``name``, opened on its first sample (not built to be dropped:
        this runs for every sample stored)."""
        view = self.by_label.get(name)
        if view is None:
            view = self.by_label[name] = SampleView()
        return view

    def _drop_empty_labels(self, sample: Sample) -> None:
        for name in set(label_names(sample)):
            if name in self.by_label and not self.by_label[name]:
                del self.by_label[name]


def _labelers(sample: Sample) -> list[str]:
    return [
        who for label in sample.labels if isinstance(who := label.get("annotated_by"), str) and who
    ]


Outcome = Sample | ModelArtsError
Match = Callable[[Sample], bool]


class Samples:
    """Every dataset's samples in a project, keyed by dataset id."""

    def __init__(self, clock: Clock, rng: Rng) -> None:
        self._clock = clock
        self._rng = rng
        self._sets: dict[str, DatasetSamples] = {}
        self._seq = 0

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def of(self, dataset: Dataset) -> DatasetSamples:
        """The dataset's samples; an empty set, not kept, when it has none yet, so that a
        read (or a refused request) leaves the store as it was."""
        held = self._sets.get(dataset.id)
        return held if held is not None else DatasetSamples()

    def _holding(self, dataset: Dataset) -> DatasetSamples:
        """The dataset's samples, kept from now on: the one place samples are added."""
        return self._sets.setdefault(dataset.id, DatasetSamples())

    def forget(self, dataset_id: str) -> None:
        self._sets.pop(dataset_id, None)

    def _new_id(self, held: DatasetSamples) -> str:
        while True:
            candidate = self._rng.hex(SAMPLE_ID_LENGTH)
            if candidate not in held.by_id:
                return candidate

    def upload(
        self, dataset: Dataset, items: Iterable[Mapping[str, Any]], *, final_annotation: bool = True
    ) -> list[Outcome]:
        held = self._holding(dataset)
        directory = _upload_directory(dataset)
        outcomes: list[Outcome] = []
        for index, item in enumerate(items):
            where = f"samples.{index}"
            try:
                size = len(base64_bytes(str(item.get("data") or "")))  # FOUND: not mandatory
            except MalformedBody:
                outcomes.append(SampleUploadFailed(f"{where}.data: is not base64-encoded"))
                continue
            sample_id = self._new_id(held)
            name = str(item.get("name") or sample_id)
            if name in held.by_name:
                outcomes.append(SampleExists(f"{where}.name: a sample named {name!r} exists"))
                continue
            labels = [dict(label) for label in item.get("labels") or []]
            status = UNLABELED
            if labels:
                status = LABELED if final_annotation else UNCONFIRMED
            self._seq += 1
            sample = Sample(
                id=sample_id,
                seq=self._seq,
                name=name,
                sample_type=int(item.get("sample_type", 0)),
                status=status,
                sample_dir=directory,
                size=size,
                time=self._now(),
                labels=labels,
                metadata=dict(item.get("metadata") or {}),
            )
            held.add(sample)
            outcomes.append(sample)
        self._recount(dataset)
        return outcomes

    def get(self, dataset: Dataset, sample_id: str) -> Sample:
        """A read: a dataset with no samples yet gets no (empty) set made for it, so that
        asking it for a sample that does not exist leaves the world as it was."""
        held = self._sets.get(dataset.id)
        sample = held.by_id.get(sample_id) if held is not None else None
        if sample is None:
            raise SampleMissing(f"sample_id: the sample {sample_id} does not exist")
        return sample

    def page(
        self,
        dataset: Dataset,
        *,
        offset: int,
        limit: int,
        state: str | None = None,
        label: str | None = None,
        within: SampleView | None = None,
        match: Match | None = None,
    ) -> tuple[int, list[Sample]]:
        """The total that matches, and the page ``[offset, offset + limit)`` of it.

        The narrowest view answers: ``within`` (a team task's), else the samples
        carrying ``label``, else the dataset's. Its ids in ``state`` are a list,
        so a page is a slice; only a ``match`` (a name search, a set of labels)
        walks them.
        """
        held = self.of(dataset)
        if within is not None:
            view = within
        else:
            view = held.label_view(label) if label is not None else held.whole
        ids = view.ids(state)
        if within is not None and label is not None:
            match = _also(match, lambda sample: label in label_names(sample))
        if match is None:
            return len(ids), [held.by_id[key] for key in ids[offset : offset + limit]]
        matching = [sample for key in ids if match(sample := held.by_id[key])]
        return len(matching), matching[offset : offset + limit]

    def update(
        self, dataset: Dataset, items: Iterable[Mapping[str, Any]], *, labeled: str = LABELED
    ) -> list[Outcome]:
        """Sets each item's labels; a labeled sample takes the ``labeled`` state."""
        held = self.of(dataset)
        outcomes: list[Outcome] = []
        for index, item in enumerate(items):
            sample_id = str(item.get("sample_id") or "")
            sample = held.by_id.get(sample_id)
            if sample is None:
                outcomes.append(
                    SampleMissing(
                        f"samples.{index}.sample_id: the sample {sample_id!r} does not exist"
                    )
                )
                continue
            labels = [dict(label) for label in item.get("labels") or []]
            if "metadata" in item:
                sample.metadata = dict(item["metadata"] or {})
            if "sample_type" in item:
                sample.sample_type = int(item["sample_type"])
            for key, name in (("sample_usage", "usage"), ("worker_id", "worker_id")):
                if key in item:
                    setattr(sample, name, str(item[key]))
            if "source" in item:
                sample.source = str(item["source"])
            held.change(sample, labeled if labels else UNLABELED, labels)
            outcomes.append(sample)
        self._recount(dataset)
        return outcomes

    def delete(self, dataset: Dataset, sample_ids: Iterable[str]) -> list[Outcome]:
        held = self.of(dataset)
        outcomes: list[Outcome] = []
        for index, sample_id in enumerate(sample_ids):
            sample = held.by_id.get(sample_id)
            if sample is None:
                outcomes.append(
                    SampleMissing(f"samples.{index}: the sample {sample_id} does not exist")
                )
                continue
            held.remove(sample)
            outcomes.append(sample)
        self._recount(dataset)
        return outcomes

    def _recount(self, dataset: Dataset) -> None:
        held = self.of(dataset)
        dataset.total_sample_count = len(held)
        dataset.annotated_sample_count = held.count(LABELED)
        dataset.unconfirmed_sample_count = held.count(UNCONFIRMED)


def _also(match: Match | None, test: Match) -> Match:
    return test if match is None else lambda sample: test(sample) and match(sample)


def _upload_directory(dataset: Dataset) -> str:
    for source in dataset.data_sources:
        if source.get("data_type", 0) == 0 and "data_path" in source:
            return obs_directory(str(source["data_path"]), "data_path")
    return f"{dataset.inner_work_path}data/"
