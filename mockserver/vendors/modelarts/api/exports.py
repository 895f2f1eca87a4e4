"""Export tasks: ``/v2/{project_id}/datasets/{dataset_id}/export-tasks``.

FOUND: ExportTask (POST) answers 200 ``{"task_id"}``;
GetExportTasksStatusOfDataset (GET, 200) pages with ``offset``/``limit`` and filters
by ``export_type``; GetExportTaskStatusOfDataset (GET, 200) is addressed by
``{resource_id}`` (the dataset id) and answers the task with its ``status`` and
``progress`` (a percentage, Float), ``total_sample_count`` and
``finished_sample_count``.

INFERRED: ``limit`` is 1–100 (default 10); lists show the newest task first and
answer ``{"total_count", "export_tasks"}``; the view carries ``task_id``,
``dataset_id``, ``path``, ``export_type``, ``export_format``, ``annotation_format``,
``status``, ``progress``, the sample counts (finished: the exported ones),
``create_time`` and ``update_time``. FOUND: the view also carries
``export_params``, ``version_format`` and ``version_id`` (the reference's
GetExportTaskStatusOfDataset table and example): the ones asked for, else ``{}``,
``Default`` and ``null``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.exports import EXPORT_TYPES, RUNNING, SUCCEEDED, ExportTask
from .common import answer, page_window, whole_number, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100


def task_view(task: ExportTask) -> dict[str, Any]:
    progress = 100.0 if task.status == SUCCEEDED else 50.0 if task.status == RUNNING else 0.0
    return {
        "task_id": task.id,
        "dataset_id": task.dataset_id,
        "path": task.path,
        "export_type": task.export_type,
        "export_format": task.export_format,
        "annotation_format": task.annotation_format,
        "status": task.status,
        "progress": progress,
        "total_sample_count": task.total_sample,
        "finished_sample_count": task.finished_sample,
        "create_time": task.create_time,
        "update_time": task.update_time,
        "export_params": task.export_params,
        "version_format": task.version_format,
        "version_id": task.version_id,
    }


@contract(body="export_task")
async def create_export(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "export_task", body)
    task = world_of(request).exports.create(request.path_params["dataset_id"], body)
    return answer(request, {"task_id": task.id})


@contract(query=("paging",))
async def list_exports(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    export_type: int | None = None
    if query.get("export_type") not in (None, ""):
        most = max(EXPORT_TYPES)
        export_type = whole_number(
            query.get("export_type"), "export_type", default=0, least=0, most=most
        )
    total, page = world_of(request).exports.page(
        request.path_params["dataset_id"], offset=offset, limit=limit, export_type=export_type
    )
    return answer(request, {"total_count": total, "export_tasks": [task_view(t) for t in page]})


async def describe_export(request: Request) -> Response:
    params = request.path_params
    task = world_of(request).exports.get(params["resource_id"], params["task_id"])
    return answer(request, task_view(task))


PATH = "/v2/{project_id}/datasets/{dataset_id}/export-tasks"
routes = [
    Route(PATH, list_exports, methods=["GET"]),
    Route(PATH, create_export, methods=["POST"]),
    Route(
        "/v2/{project_id}/datasets/{resource_id}/export-tasks/{task_id}",
        describe_export,
        methods=["GET"],
    ),
]
