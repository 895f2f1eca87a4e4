"""Starting team labeling and the members' view of it.

FOUND: StartWorkforceTask is ``POST /v2/{project_id}/datasets/{dataset_id}/
workforce-tasks/{workforce_task_id}`` (body ``workforces_config``, optional
``dataset_id``, ``task_id``) answering 200 ``{}``; ListWorkerTasks is ``GET
/v2/{project_id}/workforces/worker-tasks`` with ``limit`` (1–100, default 10),
``offset`` (default 0), ``order`` (``asc`` | ``desc``, default ``desc``),
``sort_by`` (``create_time`` default | ``workforce_task_name``) and
``search_content``, answering ``{"count", "worker_tasks"}``; each worker task
carries the fields of the seed example, ``user`` (camelCase) included.

INFERRED: the start body may be empty (the task keeps the members it was created
with); a ``workforces_config`` naming teams replaces them, as UpdateWorkforceTask
would; a bad paging or sorting parameter is 400
``ModelArts.0104`` naming it; unknown query parameters (``filePreview``) are
ignored; ``search_content`` matches a part of the task name, case aside; the list
shows every member of every task of the project (the caller is the owner); the
``user`` object is the caller's (its ids derived from the names), ``pass_rate``
and ``score`` come from the finished acceptance rounds (``0.0`` before any).
"""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.contract import contract
from mockserver.core.errors import InvalidInput
from mockserver.core.wire import read_json_object

from ..backend.labeling import Order, RowSort, WorkerTask
from ..backend.workforces import TASK_CREATED
from ..errors import ModelArtsError
from .acceptance import worker_results
from .common import answer, page_window, workforces_config, world_of

LIMIT_DEFAULT, LIMIT_MOST = 10, 100
SORTS: tuple[RowSort, ...] = ("create_time", "workforce_task_name")
ORDERS: tuple[Order, ...] = ("asc", "desc")
Choice = TypeVar("Choice", bound=str)


# FOUND: the documented options (Type / Options column of the query table).
def _choice(value: str | None, name: str, allowed: tuple[Choice, ...], default: Choice) -> Choice:
    if value is None or value == "":
        return default
    for option in allowed:
        if value == option:
            return option
    raise InvalidInput.one(name, "must be one of " + ", ".join(allowed))


def _hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def user_of(request: Request, project_id: str) -> dict[str, str]:
    world = world_of(request)
    token = world.access.token(request.headers.get("x-auth-token", ""))
    user, domain = (token.user, token.domain) if token is not None else ("", "")
    return {
        "domainId": _hex(f"domain:{domain}"),
        "domainName": domain,
        "projectId": project_id,
        "userId": _hex(f"user:{domain}/{user}"),
        "userName": user,
    }


def worker_task_view(row: WorkerTask, user: dict[str, str]) -> dict[str, Any]:
    stats = dict(row.stats)
    return {
        "email": row.worker.email,
        "worker_id": row.worker.id,
        "role": row.worker.role,
        "task_id": row.task.id,
        "workforce_task_name": row.task.name,
        "dataset_id": row.task.dataset_id,
        "sample_stats": stats,
        "create_time": row.create_time,
        "update_time": row.update_time,
        "email_status": row.email_status,
        "last_notify_time": row.last_notify_time,
        "dataset_type": row.dataset.dataset_type,
        "task_status": row.task.status,
        "pass_rate": 0.0,
        "score": 0.0,
        "user": dict(user),
    }


async def start_workforce_task(request: Request) -> Response:
    """FOUND: the body's optional ``workforces_config`` says who labels the task."""
    body: dict[str, Any] = {}
    if await request.body():
        body = await read_json_object(request, require_media_type=False)
    config = workforces_config(body)
    world = world_of(request)
    dataset_id = request.path_params["dataset_id"]
    task_id = request.path_params["workforce_task_id"]
    _, task = world.team_tasks.task(dataset_id, task_id)
    before = (task.teams, task.agency, task.update_time)
    if config and config.get("workforces") and task.status == TASK_CREATED:
        world.team_tasks.update(dataset_id, task_id, config=config)
    try:
        world.labeling.start(dataset_id, task_id)
    except ModelArtsError:
        task.teams, task.agency, task.update_time = before  # a refusal changes nothing
        raise
    return answer(request, {})


@contract(query=("paging",))
async def list_worker_tasks(request: Request) -> Response:
    query = request.query_params
    offset, limit = page_window(query, default_limit=LIMIT_DEFAULT, most_limit=LIMIT_MOST)
    sort_by = _choice(query.get("sort_by"), "sort_by", SORTS, "create_time")
    order = _choice(query.get("order"), "order", ORDERS, "desc")
    world = world_of(request)
    total, rows = world.labeling.page(
        offset=offset,
        limit=limit,
        sort_by=sort_by,
        order=order,
        search=query.get("search_content", ""),
    )
    user = user_of(request, request.path_params["project_id"])
    return answer(
        request,
        {
            "count": total,
            "worker_tasks": [
                {**worker_task_view(row, user), **worker_results(world, row)} for row in rows
            ],
        },
    )


TASK = "/v2/{project_id}/datasets/{dataset_id}/workforce-tasks/{workforce_task_id}"
routes = [
    # A literal path: it must come before /workforces/{workforce_id}.
    Route("/v2/{project_id}/workforces/worker-tasks", list_worker_tasks, methods=["GET"]),
    Route(TASK, start_workforce_task, methods=["POST"]),
]
