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

from ..backend.versions import NORMAL, VERSION_FORMATS, DatasetVersion
from .common import answer, page_window, request_id, whole_number, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 1000, 1000


def version_view(version: DatasetVersion, manifest_dir: str, current: str) -> dict[str, Any]:
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
        "is_current": version.id == current,
        "manifest_path": (
            f"{manifest_dir}{version.name}/{version.name}.manifest"
            if version.status == NORMAL
            else ""
        ),
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
    manifest_dir = f"{dataset.inner_work_path}annotation/"
    views = [version_view(v, manifest_dir, dataset.current_version_id) for v in page]
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
    manifest_dir = f"{dataset.inner_work_path}annotation/"
    return answer(request, version_view(version, manifest_dir, dataset.current_version_id))


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
