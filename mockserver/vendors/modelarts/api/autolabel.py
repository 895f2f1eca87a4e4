"""Auto-labeling tasks: ``/v2/{project_id}/datasets/{dataset_id}/tasks``.

FOUND: CreateTask (POST) answers 200 ``{"task_id"}``; ListTasks (GET, 200) takes
``limit``, ``offset``, ``task_name`` and ``type``; AutoAnnotationProgress (GET,
200) answers the task with its Integer ``status``; StopAutoAnnotation (POST
``.../stop``) answers 204.

INFERRED: ``limit`` is 1–100 (default 10); ``type`` filters by ``task_type`` and
``task_name`` by a part of the name; lists show the newest task first and answer
``{"total_count", "tasks"}``; the view carries ``task_id``, ``resource_id`` (the
dataset id), ``task_type``, ``task_name``, ``model_id``, ``config``, ``status``,
``progress`` (percent), ``create_time``, ``update_time``, ``elapsed_time``
(seconds running) and ``result`` with the sample counts.

FOUND (AutoAnnotationProgress's table and example, the error-code appendix): the
task also answers ``code`` and ``message``, the appendix's 200 codes of its kind
(``ModelArts.4914`` "Auto labeling task submitted." / ``4916`` "... executed.",
``4950``/``4952`` for auto inference (pre-labeling), ``4960``/``4962`` for auto
grouping), and ``export_type`` (``0`` export to OBS, ``1`` to sample attributes);
ListTasks answers ``exist_running_deploy_task``, "whether the dataset contains
running (including initialization) one-click model deployment". INFERRED: a task
reports its kind's "submitted" code until it succeeds (a stopped one keeps it);
``export_type`` is ``0``, as no request chooses it; the deployment that pre-labeling
runs (the documented pre-label task's result names its inference service) is the
one-click deployment, so the flag is true while a pre-label task runs.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.validation import validate
from mockserver.core.wire import read_json_object

from ..backend.autolabel import SUCCEEDED, AutoLabelTask
from .common import answer, page_window, request_id, world_of

VENDOR = "modelarts"
LIMIT_DEFAULT, LIMIT_MOST = 10, 100
# The appendix's 200 codes of each kind of task: (submitted, executed), each with its text.
CODES = {
    "auto-label": (
        ("ModelArts.4914", "Auto labeling task submitted."),
        ("ModelArts.4916", "Auto labeling task executed."),
    ),
    "pre-label": (
        ("ModelArts.4950", "Auto inference task submitted."),
        ("ModelArts.4952", "Auto inference task executed."),
    ),
    "auto-grouping": (
        ("ModelArts.4960", "Auto grouping task submitted."),
        ("ModelArts.4962", "Auto grouping task executed."),
    ),
}
EXPORT_TO_OBS = 0


def task_view(request: Request, task: AutoLabelTask) -> dict[str, Any]:
    world = world_of(request)
    now = int(world.context.clock.now() * 1000)
    ended = task.finished_time or now
    code, message = CODES[task.task_type][task.status == SUCCEEDED]
    return {
        "task_id": task.id,
        "resource_id": task.dataset_id,
        "task_type": task.task_type,
        "task_name": task.task_name,
        "model_id": task.model_id,
        "config": task.config,
        "status": task.status,
        "progress": world.autolabel.progress(task),
        "create_time": task.create_time,
        "update_time": task.update_time,
        "elapsed_time": (ended - task.started_time) // 1000 if task.started_time else 0,
        "result": {
            "total_sample_count": task.total_sample_count,
            "annotated_sample_count": task.annotated_sample_count,
        },
        "code": code,
        "message": message,
        "export_type": EXPORT_TO_OBS,
    }


@contract(body="create_task", server_errors=(501,))
async def create_task(request: Request) -> Response:
    body = await read_json_object(request, require_media_type=False)
    validate(VENDOR, "create_task", body)
    task = world_of(request).autolabel.create(request.path_params["dataset_id"], body)
    return answer(request, {"task_id": task.id})


@contract(query=("paging",))
async def list_tasks(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    autolabel = world_of(request).autolabel
    dataset_id = request.path_params["dataset_id"]
    total, page = autolabel.page(
        dataset_id,
        offset=offset,
        limit=limit,
        task_type=query.get("type") or None,
        task_name=query.get("task_name") or None,
    )
    deploying = autolabel.running_of(dataset_id, "pre-label")
    return answer(
        request,
        {
            "exist_running_deploy_task": deploying,
            "total_count": total,
            "tasks": [task_view(request, t) for t in page],
        },
    )


async def describe_task(request: Request) -> Response:
    params = request.path_params
    task = world_of(request).autolabel.get(params["dataset_id"], params["task_id"])
    return answer(request, task_view(request, task))


async def stop_task(request: Request) -> Response:
    params = request.path_params
    world_of(request).autolabel.stop(params["dataset_id"], params["task_id"])
    return Response(status_code=204, headers={"X-Request-Id": request_id(request.scope)})


PATH = "/v2/{project_id}/datasets/{dataset_id}/tasks"
routes = [
    Route(PATH, list_tasks, methods=["GET"]),
    Route(PATH, create_task, methods=["POST"]),
    Route(PATH + "/{task_id}", describe_task, methods=["GET"]),
    Route(PATH + "/{task_id}/stop", stop_task, methods=["POST"]),
]
