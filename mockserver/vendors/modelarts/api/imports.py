"""Import tasks: ``/v2/{project_id}/datasets/{dataset_id}/import-tasks``.

FOUND: ImportTask (POST) answers 200 ``{"task_id"}``; ListImportTasks (GET, 200)
pages with ``offset``/``limit`` (1–100, default 10) and answers
``{"total_count", "import_tasks"}``; DescImportTask (GET, 200) answers the task
with its ``status`` and counts; ``import_type`` is an Integer in a task's view.

FOUND: ``import_path`` may be ``s3://bucket/dir/`` and ``included_labels`` label
names, as the reference's two examples send them.

INFERRED: lists show the newest task first; the view
carries ``task_id``, ``dataset_id``, ``import_path``, ``import_type``,
``import_origin``, ``status``, the file and sample counts, ``create_time``,
``update_ms`` and ``elapsed_time`` (seconds since the task started running, up to
its end), and the sub-sample counts of the reference's example (``0``: imported
files hold no sub-samples here); options that shape annotations are accepted and
change nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.imports import COMPLETED, ImportTask
from .common import answer, page_window, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100


def task_view(task: ImportTask, now: int) -> dict[str, Any]:
    done = task.status == COMPLETED
    started = task.started_time
    ended = task.finished_time if done else now
    return {
        "task_id": task.id,
        "dataset_id": task.dataset_id,
        "import_path": task.import_path,
        "import_type": task.import_type,
        "import_origin": task.import_origin,
        "status": task.status,
        "create_time": task.create_time,
        "update_ms": task.update_time,
        "elapsed_time": (ended - started) // 1000 if started else 0,
        "total_file_count": task.file_count if started else 0,
        "finished_file_count": task.finished_file_count,
        "total_sample_count": task.file_count if started else 0,
        "imported_sample_count": task.imported_sample_count,
        "annotated_sample_count": 0,
        "total_file_size": task.total_file_size,
        "finished_file_size": task.total_file_size if done else 0,
        "total_sub_sample_count": 0,
        "imported_sub_sample_count": 0,
    }


def _now(request: Request) -> int:
    return int(world_of(request).context.clock.now() * 1000)


@contract(body="import_task")
async def create_import(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "import_task", body)
    task = world_of(request).imports.create(
        request.path_params["dataset_id"],
        import_path=body["import_path"],
        import_type=body.get("import_type", "dir"),
        origin=body.get("import_origin", "obs"),
    )
    return answer(request, {"task_id": task.id})


@contract(query=("paging",))
async def list_imports(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    total, page = world_of(request).imports.page(
        request.path_params["dataset_id"], offset=offset, limit=limit
    )
    now = _now(request)
    return answer(
        request, {"total_count": total, "import_tasks": [task_view(t, now) for t in page]}
    )


async def describe_import(request: Request) -> Response:
    params = request.path_params
    task = world_of(request).imports.get(params["dataset_id"], params["task_id"])
    return answer(request, task_view(task, _now(request)))


PATH = "/v2/{project_id}/datasets/{dataset_id}/import-tasks"
routes = [
    Route(PATH, list_imports, methods=["GET"]),
    Route(PATH, create_import, methods=["POST"]),
    Route(PATH + "/{task_id}", describe_import, methods=["GET"]),
]
