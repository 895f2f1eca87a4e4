"""Dataset versions: ``/v2/{project_id}/datasets/{dataset_id}/versions``.

FOUND: ListDatasetVersions (GET, 200) pages with ``offset``/``limit`` (1–1000,
default 1000), filters with ``status``, ``version_format`` and
``train_evaluate_ratio`` and answers ``{"total_number", "versions"}``;
CreateDatasetVersion (POST) answers 201 ``{"version_id"}``;
DescribeDatasetVersion (GET) answers 200 with the version; DeleteDatasetVersion
answers 204.

INFERRED: ``status`` is one of ``0``–``4`` and
``version_format`` is ``0`` Default, ``1`` CarbonData, ``2`` CSV or the name;
``train_evaluate_ratio`` is accepted and changes nothing; the manifest lives at
``<inner_annotation_path><version_name>/<version_name>.manifest``; the view's
field set follows the dataset's ``versions[]`` entries.

FOUND (DescribeDatasetVersion's table and example): the view also answers
``analysis_status``, ``data_path`` (the example's ``<annotation dir><version>/data/``),
``label_stats``, ``label_type``, ``task_type`` ("the same as the dataset type"),
``extract_serial_number`` (default false) and the subsample counts. INFERRED: the
subsample counts are ``0`` (subsamples come from healthcare datasets, which the
sandbox does not make); ``extract_serial_number`` is false, as no request sets it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.numbers import natural
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend import ModelArtsWorld
from ..backend.datasets import Dataset
from ..backend.versions import NORMAL, VERSION_FORMATS, DatasetVersion
from .common import answer, page_window, request_id, whole_number, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 1000, 1000


def version_view(
    world: ModelArtsWorld, version: DatasetVersion, dataset: Dataset
) -> dict[str, Any]:
    released = f"{dataset.inner_work_path}annotation/{version.name}/"
    published = version.status == NORMAL
    return {
        "version_id": version.id,
        "version_name": version.name,
        "version_format": version.version_format,
        "description": version.description,
        "status": version.status,
        "create_time": version.create_time,
        "update_time": version.update_time,
        "previous_version_id": version.previous_version_id,
        "train_evaluate_sample_ratio": version.train_evaluate_sample_ratio,
        "clear_hard_property": version.clear_hard_property,
        "remove_sample_usage": version.remove_sample_usage,
        "export_images": version.export_images,
        "with_column_header": version.with_column_header,
        "total_sample_count": version.total_sample_count,
        "annotated_sample_count": version.annotated_sample_count,
        "deleted_sample_count": 0,
        "total_sub_sample_count": 0,
        "annotated_sub_sample_count": 0,
        "is_current": version.id == dataset.current_version_id,
        "manifest_path": f"{released}{version.name}.manifest" if published else "",
        "data_path": f"{released}data/" if published else "",
        "analysis_status": world.processing.analysis_status(dataset.id, version.id),
        "label_stats": version.label_stats,
        "label_type": version.label_type,
        "task_type": dataset.dataset_type,
        "extract_serial_number": False,
    }


@contract(query=("paging",))
async def list_versions(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    status = None
    if query.get("status", "") != "":
        status = whole_number(query.get("status"), "status", default=0, least=0, most=4)
    version_format = None
    given = query.get("version_format", "")
    if given != "":
        index = natural(given, most=len(VERSION_FORMATS) - 1)
        if index is not None:
            version_format = VERSION_FORMATS[index]
        elif given in VERSION_FORMATS:
            version_format = given
        else:
            # FOUND: the documented options (Type / Options column of the query table).
            raise InvalidInput.one("version_format", "must be 0, 1 or 2")
    world = world_of(request)
    dataset_id = request.path_params["dataset_id"]
    total, page = world.versions.page(
        dataset_id, offset=offset, limit=limit, status=status, version_format=version_format
    )
    dataset = world.datasets.get(dataset_id)
    views = [version_view(world, v, dataset) for v in page]
    return answer(request, {"total_number": total, "versions": views})


@contract(body="create_dataset_version")
async def create_version(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_dataset_version", body)
    version = world_of(request).versions.create(
        request.path_params["dataset_id"],
        name=body.get("version_name"),
        description=body.get("description", ""),
        version_format=body.get("version_format", "Default"),
        train_evaluate_sample_ratio=body.get("train_evaluate_sample_ratio", "1.00"),
        clear_hard_property=body.get("clear_hard_property", True),
        remove_sample_usage=body.get("remove_sample_usage", True),
        export_images=body.get("export_images", False),
        with_column_header=body.get("with_column_header", True),
    )
    return answer(request, {"version_id": version.id}, 201)


async def describe_version(request: Request) -> Response:
    world = world_of(request)
    params = request.path_params
    version = world.versions.get(params["dataset_id"], params["version_id"])
    dataset = world.datasets.get(params["dataset_id"])
    return answer(request, version_view(world, version, dataset))


async def delete_version(request: Request) -> Response:
    params = request.path_params
    world_of(request).versions.delete(params["dataset_id"], params["version_id"])
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


PATH = "/v2/{project_id}/datasets/{dataset_id}/versions"
routes = [
    Route(PATH, list_versions, methods=["GET"]),
    Route(PATH, create_version, methods=["POST"]),
    Route(PATH + "/{version_id}", describe_version, methods=["GET"]),
    Route(PATH + "/{version_id}", delete_version, methods=["DELETE"]),
]
