"""A project's datasets: create, read, rename and relabel, delete, and list a page.

FOUND: ids are 19-char alphanumeric; times are epoch milliseconds; a name is 1–100
letters, digits, ``_`` or ``-``; a description is 0–256 characters without
``^ ! < > = & " '``; the output path ``work_path`` is an OBS directory
``/bucket/dir/`` of 3–700 characters, neither a bare bucket nor inside the input
path; one data source at a time; a table dataset (type ``400``) has format ``1``.
Lists sort by ``create_time`` (default) or ``dataset_name``, ``desc`` by default.

INFERRED: names are unique per project and compared as written; "letters" takes
in any Unicode letter; ``obs://bucket/dir/`` is read like ``/bucket/dir/``; OBS is
not emulated, so buckets are not looked up and a dataset is ``normal`` (status 1)
at once, with no samples; ``search_content`` matches a part of the name, case
aside; deletion is immediate. Labels are told apart by name.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mockserver.core.clock import Clock
from mockserver.core.rng import Rng

from ..errors import (
    DatasetExists,
    DatasetMissing,
    LabelExists,
    LabelMissing,
    ObsPathInvalid,
    ParameterInvalid,
    SubDirectoryRequired,
)
from . import labels as label_rules

DATASET_TYPES = (0, 1, 3, 100, 101, 102, 200, 201, 202, 400, 600, 900)
TABLE_TYPE = 400
STATUS_NORMAL = 1
OBS = 0
OBS_SCHEMES = ("obs://", "s3://")
NAME_LENGTH = (1, 100)
DESCRIPTION_LENGTH = 256
DESCRIPTION_FORBIDDEN = frozenset("^!<>=&\"'")
WORK_PATH_LENGTH = (3, 700)
ID_LENGTH = 19

SortBy = Literal["create_time", "dataset_name"]
Order = Literal["asc", "desc"]


@dataclass(slots=True)
class Dataset:
    """A dataset, and the document last rendered from it until it next changes.

    Every change assigns a field (lists and the dicts in them are replaced, never
    changed in place), and assigning any field drops ``rendered``: a dataset polled
    for its counts is rendered once per change rather than once per request.
    """

    id: str
    name: str
    dataset_type: int
    description: str
    data_sources: list[dict[str, Any]]
    work_path: str
    work_path_type: int
    workspace_id: str
    data_format: str
    create_time: int  # epoch milliseconds
    update_time: int
    labels: list[dict[str, Any]] = field(default_factory=list)
    schema: list[dict[str, Any]] = field(default_factory=list)
    managed: bool = False
    import_data: bool = False
    import_annotations: bool = True
    label_format: dict[str, Any] | None = None
    status: int = STATUS_NORMAL
    total_sample_count: int = 0
    annotated_sample_count: int = 0
    unconfirmed_sample_count: int = 0
    current_version_id: str = ""
    current_version_name: str = ""
    next_version_num: int = 1
    dataset_version_count: int = 0
    rendered: bytes | None = field(default=None, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name != "rendered":
            object.__setattr__(self, "rendered", None)

    @property
    def dataset_format(self) -> int:
        return 1 if self.dataset_type == TABLE_TYPE else 0

    @property
    def inner_work_path(self) -> str:
        return f"{obs_directory(self.work_path, 'work_path')}{self.name}-{self.id}/"


def check_name(name: str, field_name: str = "dataset_name") -> None:
    """FOUND (CreateDataset): "1 to 100 characters. Only letters, digits, _ and -"."""
    low, high = NAME_LENGTH
    if not low <= len(name) <= high:
        raise ParameterInvalid(f"{field_name}: must be {low} to {high} characters long")
    if not all(ch.isalpha() or ch.isdigit() or ch in "_-" for ch in name):
        raise ParameterInvalid(f"{field_name}: only letters, digits, _ and - are allowed")


def check_description(text: str) -> None:
    """FOUND (every ``description`` row): "0 to 256 characters", none of ``^!<>=&"'``."""
    if len(text) > DESCRIPTION_LENGTH:
        raise ParameterInvalid(f"description: must be at most {DESCRIPTION_LENGTH} characters")
    if any(ch in DESCRIPTION_FORBIDDEN for ch in text):
        raise ParameterInvalid("description: must not contain ^ ! < > = & \" '")


@functools.lru_cache(maxsize=1024)
def obs_directory(path: str, field_name: str) -> str:
    """``path`` as ``/bucket/dir/.../``; refuses anything that is not an OBS sub-directory.

    FOUND: ImportTask's documented examples write OBS paths as ``s3://bucket/dir/``
    (OBS speaks S3), the console as ``/bucket/dir/`` and clients as ``obs://bucket/dir/``.

    Remembered: every describe and upload derives a dataset's directories from the
    same few paths.
    """
    scheme = next((prefix for prefix in OBS_SCHEMES if path.startswith(prefix)), "/")
    body = path[len(scheme) :]
    if not path.startswith(scheme) or "//" in body or "\\" in body:
        raise ObsPathInvalid(f"{field_name}: must be an OBS directory such as /bucket/dir/")
    parts = [part for part in body.split("/") if part]
    if not parts:
        raise ObsPathInvalid(f"{field_name}: must name an OBS bucket")
    if len(parts) < 2:
        raise SubDirectoryRequired(f"{field_name}: a directory inside the bucket is required")
    return "/" + "/".join(parts) + "/"


def check_sources(sources: list[dict[str, Any]], work_path: str) -> None:
    """FOUND (CreateDataset ``work_path``): "3 to 700 characters", "/Bucket name/File
    path", "a bucket cannot be directly used", "different from the input dataset path
    or its subdirectory"."""
    low, high = WORK_PATH_LENGTH
    if not low <= len(work_path) <= high:
        raise ParameterInvalid(f"work_path: must be {low} to {high} characters long")
    output = obs_directory(work_path, "work_path")
    for index, source in enumerate(sources):
        if source.get("data_type", OBS) != OBS or "data_path" not in source:
            continue
        where = f"data_sources.{index}.data_path"
        given = obs_directory(str(source["data_path"]), where)
        if output.startswith(given):
            raise ObsPathInvalid(f"work_path: must not be inside the input path {where}")


def check_labels(labels: Iterable[Mapping[str, Any]], field_name: str) -> list[str]:
    names: list[str] = []
    for index, label in enumerate(labels):
        name = str(label["name"])
        if name in names:
            raise LabelExists(f"{field_name}.{index}.name: {name!r} is given twice")
        names.append(name)
    return names


class Datasets:
    """A project's datasets, kept in creation order and in name order.

    A page sorted either way is a slice, so listing does not walk every dataset
    unless a filter (a search, a type, a workspace) asks for it.
    """

    def __init__(self, clock: Clock, rng: Rng) -> None:
        self._clock = clock
        self._rng = rng
        self._by_id: dict[str, Dataset] = {}  # insertion order = creation order
        self._names: list[str] = []  # sorted
        self._id_of_name: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _new_id(self) -> str:
        while True:
            candidate = self._rng.token(ID_LENGTH)
            if candidate not in self._by_id:
                return candidate

    def get(self, dataset_id: str) -> Dataset:
        dataset = self._by_id.get(dataset_id)
        if dataset is None:
            raise DatasetMissing(f"The dataset {dataset_id} does not exist.")
        return dataset

    def create(
        self,
        *,
        name: str,
        data_sources: list[dict[str, Any]],
        work_path: str,
        work_path_type: int = OBS,
        dataset_type: int = 0,
        description: str = "",
        labels: list[dict[str, Any]] | None = None,
        schema: list[dict[str, Any]] | None = None,
        workspace_id: str = "0",
        data_format: str = "Default",
        managed: bool = False,
        import_data: bool = False,
        import_annotations: bool = True,
        label_format: dict[str, Any] | None = None,
    ) -> Dataset:
        check_name(name)
        check_description(description)
        check_sources(data_sources, work_path)
        check_labels(labels or [], "labels")
        if name in self._id_of_name:
            raise DatasetExists(f"dataset_name: a dataset named {name!r} already exists")
        now = self._now()
        dataset = Dataset(
            id=self._new_id(),
            name=name,
            dataset_type=dataset_type,
            description=description,
            data_sources=[dict(source) for source in data_sources],
            work_path=work_path,
            work_path_type=work_path_type,
            workspace_id=workspace_id,
            data_format=data_format,
            create_time=now,
            update_time=now,
            labels=[dict(label) for label in labels or []],
            schema=[dict(column) for column in schema or []],
            managed=managed,
            import_data=import_data,
            import_annotations=import_annotations,
            label_format=dict(label_format) if label_format is not None else None,
        )
        self._by_id[dataset.id] = dataset
        self._index_name(dataset)
        return dataset

    def update(
        self,
        dataset_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        current_version: tuple[str, str] | None = None,
        add_labels: list[dict[str, Any]] | None = None,
        update_labels: list[dict[str, Any]] | None = None,
        delete_labels: list[dict[str, Any]] | None = None,
    ) -> Dataset:
        """Checks every change first, then applies them all (a refusal changes nothing)."""
        dataset = self.get(dataset_id)
        if name is not None:
            check_name(name)
            holder = self._id_of_name.get(name)
            if holder is not None and holder != dataset.id:
                raise DatasetExists(f"dataset_name: a dataset named {name!r} already exists")
        if description is not None:
            check_description(description)
        known = {str(label["name"]) for label in dataset.labels}
        for index, added in enumerate(check_labels(add_labels or [], "add_labels")):
            if added in known:
                raise LabelExists(f"add_labels.{index}.name: the label {added!r} already exists")
        for kind, given in (("update_labels", update_labels), ("delete_labels", delete_labels)):
            for index, named in enumerate(check_labels(given or [], kind)):
                if named not in known:
                    raise LabelMissing(f"{kind}.{index}.name: the label {named!r} does not exist")
        if name is not None and name != dataset.name:
            self._unindex_name(dataset)
            dataset.name = name
            self._index_name(dataset)
        if description is not None:
            dataset.description = description
        if current_version is not None:
            dataset.current_version_id, dataset.current_version_name = current_version
        changes = {str(label["name"]): dict(label) for label in update_labels or []}
        gone = {str(label["name"]) for label in delete_labels or []}
        dataset.labels = [
            {**label, **changes.get(str(label["name"]), {})}
            for label in dataset.labels
            if str(label["name"]) not in gone
        ] + [dict(label) for label in add_labels or []]
        dataset.update_time = self._now()
        return dataset

    def delete(self, dataset_id: str) -> Dataset:
        dataset = self.get(dataset_id)
        del self._by_id[dataset.id]
        self._unindex_name(dataset)
        return dataset

    def page(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        sort_by: SortBy = "create_time",
        order: Order = "desc",
        search: str = "",
        dataset_type: int | None = None,
        workspace_id: str | None = None,
    ) -> tuple[int, list[Dataset]]:
        """The total that matches, and the page ``[offset, offset + limit)`` of it."""
        if not search and dataset_type is None and workspace_id is None:
            return len(self._by_id), self._slice(sort_by, order, offset, limit)
        needle = search.casefold()
        matching = [
            dataset
            for dataset in self._ordered(sort_by, order)
            if needle in dataset.name.casefold()
            and (dataset_type is None or dataset.dataset_type == dataset_type)
            and (workspace_id is None or dataset.workspace_id == workspace_id)
        ]
        return len(matching), matching[offset : offset + limit]

    def _slice(self, sort_by: SortBy, order: Order, offset: int, limit: int) -> list[Dataset]:
        if sort_by == "dataset_name":
            count = len(self._names)
            if order == "asc":
                names = self._names[offset : offset + limit]
            else:
                names = self._names[max(count - offset - limit, 0) : max(count - offset, 0)][::-1]
            return [self._by_id[self._id_of_name[name]] for name in names]
        ids: Iterator[str] = iter(self._by_id) if order == "asc" else reversed(self._by_id)
        return [self._by_id[key] for key in itertools.islice(ids, offset, offset + limit)]

    def _ordered(self, sort_by: SortBy, order: Order) -> Iterator[Dataset]:
        if sort_by == "dataset_name":
            names = self._names if order == "asc" else reversed(self._names)
            return (self._by_id[self._id_of_name[name]] for name in names)
        ids = iter(self._by_id) if order == "asc" else reversed(self._by_id)
        return (self._by_id[key] for key in ids)

    def _index_name(self, dataset: Dataset) -> None:
        bisect.insort(self._names, dataset.name)
        self._id_of_name[dataset.name] = dataset.id

    def _unindex_name(self, dataset: Dataset) -> None:
        position = bisect.bisect_left(self._names, dataset.name)
        del self._names[position]
        del self._id_of_name[dataset.name]

    # Labels one at a time: a batch answers item by item, so each call stands alone.

    def labels_page(self, dataset_id: str, *, offset: int, limit: int) -> tuple[int, list[Any]]:
        kept = self.get(dataset_id).labels
        return len(kept), [dict(label) for label in kept[offset : offset + limit]]

    def add_label(self, dataset_id: str, label: Mapping[str, Any], where: str) -> dict[str, Any]:
        dataset = self.get(dataset_id)
        name = label_rules.check_label(label, where)
        if any(str(kept["name"]) == name for kept in dataset.labels):
            raise LabelExists(f"{where}.name: the label {name!r} already exists")
        dataset.labels = [*dataset.labels, dict(label)]
        dataset.update_time = self._now()
        return dict(label)

    def change_label(
        self,
        dataset_id: str,
        changes: Mapping[str, Any],
        where: str,
        label_type: int | None = None,
        name_field: str | None = None,
    ) -> dict[str, Any]:
        """Applies an update (``@modelarts:rename_to`` renames) after checking all of it.

        ``where`` prefixes the fields a refusal names (``""``: the body is the label).
        """
        dataset = self.get(dataset_id)
        name = label_rules.check_label(changes, where)
        named_by = name_field or label_rules.at(where, "name")
        index = label_rules.position(dataset.labels, name, named_by, label_type)
        target = label_rules.new_name(changes, where)
        if target is not None and target != name:
            if any(str(kept["name"]) == target for kept in dataset.labels):
                rename = label_rules.at(where, f"property.{label_rules.RENAME_TO}")
                raise LabelExists(f"{rename}: the label {target!r} already exists")
        changed = label_rules.merged(dataset.labels[index], changes)
        dataset.labels = [*dataset.labels[:index], changed, *dataset.labels[index + 1 :]]
        dataset.update_time = self._now()
        return dict(changed)

    def remove_label(
        self, dataset_id: str, name: str, where: str, label_type: int | None = None
    ) -> dict[str, Any]:
        dataset = self.get(dataset_id)
        index = label_rules.position(dataset.labels, name, where, label_type)
        removed = dataset.labels[index]
        dataset.labels = [*dataset.labels[:index], *dataset.labels[index + 1 :]]
        dataset.update_time = self._now()
        return removed
