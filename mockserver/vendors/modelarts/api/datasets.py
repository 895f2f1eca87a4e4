"""Datasets: ``/v2/{project_id}/datasets`` and ``/v2/{project_id}/datasets/{dataset_id}``.

FOUND: ListDatasets (GET, 200) pages with ``offset``/``limit`` (1–100, default 10),
sorts with ``sort_by`` (``create_time`` | ``dataset_name``) and ``order`` (``asc`` |
``desc``, default ``desc``), filters with ``search_content`` and answers
``{"total_number", "datasets"}``; CreateDataset (POST) answers 201
``{"dataset_id"}``; DescDataset (GET) answers the dataset; UpdateDataset (PUT)
answers 200 ``{"dataset_id"}``; DeleteDataset answers 204. Times are epoch
milliseconds. The inner paths are ``<work_path><name>-<id>/{annotation,data,logs,temp,task}/``.

INFERRED: a bad paging or sorting parameter is 400
``ModelArts.0104`` naming it; ``dataset_type`` and ``workspace_id`` also filter the
list; other documented query parameters are accepted and change nothing (no
versions are not listed inline); counters a dataset without samples would show
are zero; ``enterprise_project_id`` is ``"0"``; until a version is published the
dataset has no current version (``current_version_id``/``current_version_name``
are ``""``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.validation import validate
from mockserver.core.wire import dumps, read_json_object

from ..backend.datasets import DATASET_TYPES, Dataset, Order, SortBy
from ..backend.samples import DatasetSamples
from ..backend.versions import NORMAL
from ..errors import DatasetVersionMissing
from .common import answer, answer_rendered, page_window, request_id, whole_number, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100
SORT_KEYS: tuple[SortBy, ...] = ("create_time", "dataset_name")
ORDERS: tuple[Order, ...] = ("asc", "desc")
Choice = TypeVar("Choice", bound=str)


def dataset_view(dataset: Dataset) -> dict[str, Any]:
    """The dataset as DescDataset and ListDatasets show it.

    It holds the dataset's own lists, not copies: it is rendered at once, and a
    dataset's lists are replaced on a change, never changed in place.
    """
    inner = dataset.inner_work_path
    view: dict[str, Any] = {
        "dataset_id": dataset.id,
        "dataset_name": dataset.name,
        "dataset_type": dataset.dataset_type,
        "dataset_format": dataset.dataset_format,
        "data_format": dataset.data_format,
        "status": dataset.status,
        "description": dataset.description,
        "data_sources": dataset.data_sources,
        "work_path": dataset.work_path,
        "work_path_type": dataset.work_path_type,
        "workspace_id": dataset.workspace_id,
        "enterprise_project_id": "0",
        "create_time": dataset.create_time,
        "update_time": dataset.update_time,
        "data_update_time": dataset.create_time,
        "current_version_id": dataset.current_version_id,
        "current_version_name": dataset.current_version_name,
        "next_version_num": dataset.next_version_num,
        "dataset_version_count": dataset.dataset_version_count,
        "versions": [],
        "total_sample_count": dataset.total_sample_count,
        "annotated_sample_count": dataset.annotated_sample_count,
        "unconfirmed_sample_count": dataset.unconfirmed_sample_count,
        "deleted_sample_count": 0,
        "loading_sample_count": 0,
        "labels": dataset.labels,
        "label_task_count": 0,
        "workforce_task_count": 0,
        "exist_workforce_task": False,
        "exist_running_task": False,
        "running_tasks_id": [],
        "inner_work_path": inner,
        "inner_annotation_path": f"{inner}annotation/",
        "inner_data_path": f"{inner}data/",
        "inner_log_path": f"{inner}logs/",
        "inner_temp_path": f"{inner}temp/",
        "inner_task_path": f"{inner}task/",
        "feature_supports": ["0"],
        "managed": dataset.managed,
        "import_data": dataset.import_data,
        "content_labeling": True,
        "schema": dataset.schema,
        "dataset_tags": [],
    }
    if dataset.label_format is not None:
        view["label_format"] = dataset.label_format
    return view


@contract(query=("paging", "dataset_filters"))
async def list_datasets(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    sort_by = _choice(query.get("sort_by"), "sort_by", SORT_KEYS)
    order = _choice(query.get("order"), "order", ORDERS, default="desc")
    dataset_type = None
    if query.get("dataset_type", "") != "":
        dataset_type = whole_number(query.get("dataset_type"), "dataset_type", default=0, least=0)
        if dataset_type not in DATASET_TYPES:
            # FOUND: the documented options (Type / Options column of the query table).
            raise InvalidInput.one("dataset_type", "is not a dataset type")
    total, page = world_of(request).datasets.page(
        offset=offset,
        limit=limit,
        sort_by=sort_by,
        order=order,
        search=query.get("search_content", ""),
        dataset_type=dataset_type,
        workspace_id=query.get("workspace_id") or None,
    )
    views = [dataset_view(d) for d in page]
    if _flag(query.get("file_preview") or query.get("filePreview")):
        samples = world_of(request).samples
        for view, dataset in zip(views, page, strict=True):
            view["samples"] = preview(dataset, samples.of(dataset))
    return answer(request, {"total_number": total, "datasets": views})


PREVIEW_FILES = 4


def preview(dataset: Dataset, held: DatasetSamples) -> list[dict[str, Any]]:
    """FOUND: ``file_preview=true`` adds "the list of four dataset files" (AnnotationFile)."""
    files = []
    for sample_id in held.whole.ids()[:PREVIEW_FILES]:
        sample = held.by_id[sample_id]
        files.append(
            {
                "create_time": sample.time,
                "dataset_id": dataset.id,
                "file_Name": sample.name,  # sic: the documented spelling
                "file_id": sample.id,
                "file_type": sample.name.rpartition(".")[2] if "." in sample.name else "",
                "size": sample.size,
                "tags": {str(label.get("name", "")): "" for label in sample.labels},
                "url": sample.source if sample.source is not None else sample.location,
            }
        )
    return files


def _flag(value: str | None) -> bool:
    """A query boolean; anything but ``true`` is its documented default, false."""
    return (value or "").strip().lower() == "true"


@contract(body="create_dataset", yields={"dataset_id": "/dataset_id"})
async def create_dataset(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_dataset", body)
    world = world_of(request)
    dataset = world.datasets.create(
        name=body["dataset_name"],
        data_sources=body["data_sources"],
        work_path=body["work_path"],
        work_path_type=body["work_path_type"],
        dataset_type=body.get("dataset_type", 0),
        description=body.get("description", ""),
        labels=body.get("labels"),
        schema=body.get("schema"),
        workspace_id=body.get("workspace_id", "0"),
        data_format=body.get("data_format", "Default"),
        managed=body.get("managed", False),
        import_data=body.get("import_data", False),
        import_annotations=body.get("import_annotations", True),
        label_format=body.get("label_format"),
    )
    created: dict[str, Any] = {"dataset_id": dataset.id}
    source = input_path(dataset.data_sources)
    if source is not None:
        created["import_task_id"] = world.imports.create(dataset.id, import_path=source).id
    return answer(request, created, 201)


def input_path(sources: list[dict[str, Any]]) -> str | None:
    """The OBS input path a new dataset imports its files from, if it has one.

    FOUND: ``data_sources`` is the "input dataset path, which is used to
    synchronize source data" and the create answer carries ``import_task_id``:
    creating a dataset imports its input path, as an import task on the clock.
    """
    for source in sources:
        if source.get("data_type", 0) == 0 and source.get("data_path"):
            return str(source["data_path"])
    return None


async def describe_dataset(request: Request) -> Response:
    dataset = world_of(request).datasets.get(request.path_params["dataset_id"])
    if dataset.rendered is None:
        dataset.rendered = dumps(dataset_view(dataset))
    return answer_rendered(request, dataset.rendered)


@contract(body="update_dataset")
async def update_dataset(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "update_dataset", body)
    world = world_of(request)
    dataset_id = request.path_params["dataset_id"]
    current = None
    wanted = body.get("current_version_id")
    if wanted:
        try:
            version = world.versions.get(dataset_id, wanted)
        except DatasetVersionMissing:
            raise DatasetVersionMissing(
                f"current_version_id: the version {wanted} does not exist"
            ) from None
        if version.status != NORMAL:
            raise DatasetVersionMissing(
                f"current_version_id: the version {wanted} is not published yet"
            )
        current = (version.id, version.name)
    dataset = world.datasets.update(
        dataset_id,
        name=body.get("dataset_name"),
        description=body.get("description"),
        current_version=current,
        add_labels=body.get("add_labels"),
        update_labels=body.get("update_labels"),
        delete_labels=body.get("delete_labels"),
    )
    return answer(request, {"dataset_id": dataset.id})


async def delete_dataset(request: Request) -> Response:
    world = world_of(request)
    world.samples.forget(world.datasets.delete(request.path_params["dataset_id"]).id)
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


# FOUND: the documented options (Type / Options column of the query table).
def _choice(
    value: str | None, name: str, options: tuple[Choice, ...], default: Choice | None = None
) -> Choice:
    chosen = value or default or options[0]
    for option in options:
        if option == chosen:
            return option
    raise InvalidInput.one(name, "must be one of " + ", ".join(options))


PATH = "/v2/{project_id}/datasets"
routes = [
    Route(PATH, list_datasets, methods=["GET"]),
    Route(PATH, create_dataset, methods=["POST"]),
    Route(PATH + "/{dataset_id}", describe_dataset, methods=["GET"]),
    Route(PATH + "/{dataset_id}", update_dataset, methods=["PUT"]),
    Route(PATH + "/{dataset_id}", delete_dataset, methods=["DELETE"]),
]
